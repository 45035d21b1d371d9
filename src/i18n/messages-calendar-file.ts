/**
 * `advisory check`'s messages about the project's holiday schedules, calendar/<year>.yaml
 * (content/calendar-file.ts, content/project-calendar.ts). Holiday keys, off:/work:, dates and file
 * names stay as written; a holiday is named by its key and its Chinese name.
 */
import { messages } from './index.js';
import { rangeEn, rangeZh } from './messages-calendar.js';

const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAYS_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

const EXAMPLE = 'spring-festival:\n  off: 2027-02-05..2027-02-13\n  work: [2027-02-14, 2027-02-20]';
const BASE_EN = 'expected a date like 2027-02-05 or a range like 2027-02-05..2027-02-13';
const BASE_ZH = '应为日期，例如 2027-02-05，或日期范围，例如 2027-02-05..2027-02-13';

/** What is wrong with a date as typed (content/calendar-file.ts tells them apart). */
export type MalformedKind = 'fullWidth' | 'commas' | 'rangeSign' | 'chineseDate' | 'slashes' | 'digits' | 'other';

export const calendarFileMessages = messages(
  {
    notMapping: (file: string) => `${file} must list holidays by key, each with its days off (off:) and swapped working days (work:), e.g.\n${EXAMPLE}`,
    empty: (file: string) => `${file} lists no holiday, so nothing is read from it: add each holiday's days off (see README "The holiday calendar"), or remove the file`,
    unknownKey: (key: string, file: string, near: string | undefined, keys: string) =>
      `unknown holiday "${key}" in ${file}.${near ? ` Did you mean "${near}"?` : ''} The holidays are: ${keys}`,
    yearMismatch: (value: number, file: string) =>
      `year: ${value} does not match the file's name ${file} (the year the dates are for): rename the file to calendar/${value}.yaml, or correct the year`,
    yearNotNumber: (value: string, year: number) => `year: expected the year as a number, e.g. year: ${year}; got "${value}"`,
    entryShape: (key: string, name: string) =>
      `${key} (${name}): write its days off under off: (and the swapped working days under work:), e.g.\n${key}:\n  off: 2027-02-05..2027-02-13\n  work: [2027-02-14]`,
    unknownField: (field: string, key: string, near: string | undefined) =>
      `unknown field "${field}" under ${key}.${near ? ` Did you mean "${near}"?` : ''} A holiday has off: (days off, 放假) and work: (swapped working days, 调休上班)`,
    noOff: (key: string, name: string, example: string) => `${key} (${name}) has no days off: add off: with a date or a range, e.g. off: ${example}`,
    notText: (value: string, isNumber: boolean) => `${BASE_EN}; got ${value}${isNumber ? ' (a number: write the dashes, 2027-02-05)' : ''}`,
    malformed: (kind: MalformedKind, text: string, fix: string | undefined) => {
      const why = {
        fullWidth: `${BASE_EN}: it has full-width characters (Chinese input mode); switch to English input and retype it`,
        commas: 'several dates must be a list in brackets, e.g. [2027-02-14, 2027-02-20]',
        rangeSign: `${BASE_EN}: write a range with two dots between the dates, no other sign`,
        chineseDate: `${BASE_EN}: write the date with digits and dashes (2月5日 → 2027-02-05)`,
        slashes: `${BASE_EN}: write the date with dashes (2027-02-05)`,
        digits: `${BASE_EN}: the month and the day take two digits each (2027-2-5 → 2027-02-05)`,
        other: BASE_EN,
      }[kind];
      return `${why}; got "${text}"${fix ? `: write ${fix}` : ''}`;
    },
    noSuchMonth: (month: string) => `month ${month} does not exist (01–12)`,
    monthDays: (month: string, days: number) => `${month} has ${days} days`,
    notReal: (date: string, why: string) => `${date} is not a real date: ${why}`,
    reversed: (from: string, to: string) => `the range ${from}..${to} ends before it starts: write the earlier date first, ${to}..${from}`,
    tooLong: (from: string, to: string, days: number, max: number) => `the range ${from}..${to} is ${days} days long; no holiday break is longer than ${max}: check the dates`,
    otherYear: (date: string, year: number, newYear: boolean) =>
      `${date} is not in ${year}, the year of this file${newYear ? ' (New Year may also start in the December before)' : ''}: correct the year, or put the date in calendar/${date.slice(0, 4)}.yaml`,
    allOtherYear: (file: string, other: number, year: number) =>
      `every date in ${file} is in ${other}, not ${year}: rename the file to calendar/${other}.yaml, or correct the dates (a copy of last year's file?)`,
    offAndWork: (date: string, where: string) => `${date} is listed both as a day off (${where}) and as a working day: remove it from one of the lists`,
    workOnWeekday: (date: string, weekday: number) =>
      `${date} is a ${WEEKDAYS_EN[weekday]}, a working day anyway: a swapped working day (调休上班) is a Saturday or Sunday worked instead. Check the date`,
    gap: (key: string, name: string, missing: Array<[date: string, weekday: number]>) =>
      `the days off of ${key} (${name}) are not one unbroken break: ${missing.map(([d, w]) => `${d} (${WEEKDAYS_EN[w]})`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. `
      + `List every day off, e.g. off: ${missing[0][0].slice(0, 8)}01..${missing[0][0].slice(0, 8)}07 (the weekend next to a break joins it by itself)`,
    farFromFestival: (key: string, name: string, year: number, festival: [string, string], days: [string, string]) =>
      `${key} (${name}) ${year} falls around ${rangeEn(...festival)}, but these days off are ${rangeEn(...days)}: check the holiday key and the dates`,
    farFromBreak: (date: string, max: number, key: string, name: string) =>
      `${date} is more than ${max} days from the ${key} (${name}) break: swapped working days lie within a few weeks of it. Check the date`,

    // The calendar/ folder (project-calendar.ts)
    notFolder: (dir: string) => `${dir} is a file, but it must be the folder of the project's holiday schedules (calendar/2027.yaml): rename or remove it`,
    badName: (dir: string, year: string | undefined) => `this file is not read: a holiday schedule is named by its year alone, e.g. ${dir}/${year ?? '2027'}.yaml${year ? `: rename it to ${year}.yaml` : ''}`,
    textFile: (dir: string, year: string, ending: string) =>
      `this file is not read: rename it to ${dir}/${year}.yaml (in Windows, turn on "File name extensions" in Explorer's View menu to see the real ending "${ending}")`,
    outOfRange: (first: number, last: number, year: number) => `the holiday calendar covers ${first}–${last}; ${year} is outside it`,
    twice: (year: number, dir: string, other: string) => `${year} is already given by ${dir}/${other}: keep one file per year`,
    outside: (real: string) => `refused: this is a symbolic link to ${real}, outside the project: copy the file here instead of linking it`,
  },
  {
    notMapping: (file: string) => `${file} 应按节日键逐个列出各节日的放假日期（off:）和调休上班日期（work:），例如：\n${EXAMPLE}`,
    empty: (file: string) => `${file} 里没有列出任何节日，所以什么也没读到：请写上各节日的放假日期（见 README“节假日日历”一节），或删除这个文件`,
    unknownKey: (key: string, file: string, near: string | undefined, keys: string) =>
      `${file} 里的节日“${key}”不存在。${near ? `您是不是要输入“${near}”？` : ''}可用的节日有：${keys}`,
    yearMismatch: (value: number, file: string) => `year: ${value} 和文件名 ${file}（这些日期所属的年份）不一致：请把文件改名为 calendar/${value}.yaml，或改正年份`,
    yearNotNumber: (value: string, year: number) => `year: 应写成数字年份，例如 year: ${year}；现在是“${value}”`,
    entryShape: (key: string, name: string) =>
      `${key}（${name}）：请在 off: 下写放假日期（调休上班日期写在 work: 下），例如：\n${key}:\n  off: 2027-02-05..2027-02-13\n  work: [2027-02-14]`,
    unknownField: (field: string, key: string, near: string | undefined) =>
      `${key} 下面没有“${field}”这个字段。${near ? `您是不是要输入“${near}”？` : ''}一个节日只有 off:（放假）和 work:（调休上班）`,
    noOff: (key: string, name: string, example: string) => `${key}（${name}）没有放假日期：请加上 off:，写一个日期或日期范围，例如 off: ${example}`,
    notText: (value: string, isNumber: boolean) => `${BASE_ZH}；现在是 ${value}${isNumber ? '（这是一个数字：请写上短横线，例如 2027-02-05）' : ''}`,
    malformed: (kind: MalformedKind, text: string, fix: string | undefined) => {
      const why = {
        fullWidth: `${BASE_ZH}：里面有全角字符（中文输入法），请切换到英文输入法重新输入`,
        commas: '多个日期必须写成方括号里的列表，例如 [2027-02-14, 2027-02-20]',
        rangeSign: `${BASE_ZH}：日期范围请在两个日期之间写两个英文句点“..”，不要用其他符号`,
        chineseDate: `${BASE_ZH}：请用数字和短横线写日期（2月5日 → 2027-02-05）`,
        slashes: `${BASE_ZH}：请用短横线写日期（2027-02-05）`,
        digits: `${BASE_ZH}：月和日都要写两位数（2027-2-5 → 2027-02-05）`,
        other: BASE_ZH,
      }[kind];
      return `${why}；现在是“${text}”${fix ? `，请写成 ${fix}` : ''}`;
    },
    noSuchMonth: (month: string) => `不存在 ${month} 月（应为 01–12）`,
    monthDays: (month: string, days: number) => `${month} 只有 ${days} 天`,
    notReal: (date: string, why: string) => `${date} 不是一个真实的日期：${why}`,
    reversed: (from: string, to: string) => `日期范围 ${from}..${to} 的结束早于开始：请先写较早的日期，即 ${to}..${from}`,
    tooLong: (from: string, to: string, days: number, max: number) => `日期范围 ${from}..${to} 长达 ${days} 天，而节日放假最长不超过 ${max} 天：请检查日期`,
    otherYear: (date: string, year: number, newYear: boolean) =>
      `${date} 不在这个文件的年份 ${year} 年里${newYear ? '（元旦假期也可能从前一年 12 月开始）' : ''}：请改正年份，或把这个日期写进 calendar/${date.slice(0, 4)}.yaml`,
    allOtherYear: (file: string, other: number, year: number) =>
      `${file} 里的日期全都在 ${other} 年，而不是 ${year} 年：请把文件改名为 calendar/${other}.yaml，或改正日期（是不是复制了去年的文件？）`,
    offAndWork: (date: string, where: string) => `${date} 既被列为放假日（${where}），又被列为上班日：请从其中一个列表里删掉它`,
    workOnWeekday: (date: string, weekday: number) => `${date} 是${WEEKDAYS_ZH[weekday]}，本来就要上班：调休上班日应该是要上班的星期六或星期日。请检查日期`,
    gap: (key: string, name: string, missing: Array<[date: string, weekday: number]>) =>
      `${key}（${name}）的放假日期不连续：缺少 ${missing.map(([d, w]) => `${d}（${WEEKDAYS_ZH[w]}）`).join('、')}。`
      + `请列出每一个放假日，例如 off: ${missing[0][0].slice(0, 8)}01..${missing[0][0].slice(0, 8)}07（紧挨着假期的周末会自动并入）`,
    farFromFestival: (key: string, name: string, year: number, festival: [string, string], days: [string, string]) =>
      `${year} 年的 ${key}（${name}）大约在 ${rangeZh(...festival)}，但这里的放假日期是 ${rangeZh(...days)}：请检查节日键和日期`,
    farFromBreak: (date: string, max: number, key: string, name: string) =>
      `${date} 离 ${key}（${name}）假期超过 ${max} 天：调休上班日一般在假期前后几周之内。请检查日期`,

    notFolder: (dir: string) => `${dir} 是一个文件，但它必须是存放本项目节假日安排的文件夹（例如 calendar/2027.yaml）：请改名或删除它`,
    badName: (dir: string, year: string | undefined) => `这个文件不会被读取：节假日安排文件只能以年份命名，例如 ${dir}/${year ?? '2027'}.yaml${year ? `：请把它改名为 ${year}.yaml` : ''}`,
    textFile: (dir: string, year: string, ending: string) =>
      `这个文件不会被读取：请把它改名为 ${dir}/${year}.yaml（在 Windows 资源管理器的“查看”菜单里勾选“文件扩展名”，就能看到真正的扩展名“${ending}”）`,
    outOfRange: (first: number, last: number, year: number) => `节假日日历覆盖 ${first}–${last} 年；${year} 年不在范围内`,
    twice: (year: number, dir: string, other: string) => `${year} 年已经由 ${dir}/${other} 给出：每年只保留一个文件`,
    outside: (real: string) => `已拒绝：这是指向 ${real} 的符号链接，在项目文件夹之外：请把文件复制到这里，不要用链接`,
  },
);
