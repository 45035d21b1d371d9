/**
 * What is said of the holiday calendar (calendar/): a holiday's days and where they come from (`advisory
 * plan`'s holiday line, calendar/describe.ts), the warning of an estimated year (calendar/estimate.ts, shown
 * by `check` and `plan`), and `advisory calendar YEAR` (cli/commands/calendar.ts). Holiday keys, file names,
 * package names, dates written 2027-02-05 and commands stay as written; holidays keep their Chinese names.
 */
import { messages } from './index.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** `Oct 1–7`, `Sep 30–Oct 6`, `Sep 15`: two `YYYY-MM-DD` dates as a short range. */
export function rangeEn(start: string, end: string): string {
  const [, sm, sd] = start.split('-').map(Number);
  const [, em, ed] = end.split('-').map(Number);
  const s = `${MONTHS[sm - 1]} ${sd}`;
  if (start === end) return s;
  return sm === em ? `${s}–${ed}` : `${s}–${MONTHS[em - 1]} ${ed}`;
}

/** `10月1日至7日`, `9月30日至10月6日`, `9月15日`. */
export function rangeZh(start: string, end: string): string {
  const [, sm, sd] = start.split('-').map(Number);
  const [, em, ed] = end.split('-').map(Number);
  const s = `${sm}月${sd}日`;
  if (start === end) return s;
  return sm === em ? `${s}至${ed}日` : `${s}至${em}月${ed}日`;
}

/** Where a holiday's dates come from (calendar/types.ts CalendarSource). */
type Source = 'local' | 'chinese-days' | 'estimated';
/** Why a holiday's dates are estimated (calendar/types.ts EstimateReason). */
type Why = { kind: 'not-in-file'; file: string } | { kind: 'error-in-file'; file: string } | { kind: 'no-day-off' } | { kind: 'year-not-covered' };
/** The holiday keys (calendar/keys.ts). */
type Key = 'new-year' | 'spring-festival' | 'qingming' | 'labour-day' | 'dragon-boat' | 'mid-autumn' | 'national-day';

const BASIS_EN: Record<Key, string> = {
  'spring-festival': 'the lunar date (除夕 to 初六)',
  'dragon-boat': 'the lunar date (五月初五)',
  'mid-autumn': 'the lunar date (八月十五)',
  qingming: 'the solar term 清明',
  'new-year': 'the fixed date (Jan 1)',
  'labour-day': 'the fixed dates (May 1–5)',
  'national-day': 'the fixed dates (Oct 1–7)',
};
const BASIS_ZH: Record<Key, string> = {
  'spring-festival': '农历日期（除夕至初六）',
  'dragon-boat': '农历日期（五月初五）',
  'mid-autumn': '农历日期（八月十五）',
  qingming: '节气（清明）',
  'new-year': '固定日期（1月1日）',
  'labour-day': '固定日期（5月1日至5日）',
  'national-day': '固定日期（10月1日至7日）',
};

export const calendarMessages = messages(
  {
    range: (start: string, end: string) => rangeEn(start, end),
    /** `Feb 14, Feb 20`, or `none`. */
    dayList: (days: string[]) => (days.length === 0 ? 'none' : days.map((d) => rangeEn(d, d)).join(', ')),
    /** What an estimate is made from. */
    basis: (key: Key) => BASIS_EN[key] ?? key,
    /** `official (local file calendar/2027.yaml)`, `official (chinese-days)`, `estimated`. */
    sourceLabel: (source: Source, file: string | undefined) =>
      source === 'local' ? `official (local file ${file})` : source === 'chinese-days' ? 'official (chinese-days)' : 'estimated',
    /** The same in a sentence (`advisory calendar`). */
    sourceSentence: (source: Source, file: string | undefined, version: string | undefined, basis: string, year: number) =>
      source === 'local'
        ? `official, from the local file ${file}`
        : source === 'chinese-days'
          ? `official, from the built-in package chinese-days${version ? ` ${version}` : ''}`
          : `estimated from ${basis}: no official schedule for ${year}`,
    /** `春节 2027: off Feb 5–13, swapped working days Feb 14, Feb 20 — official (local file calendar/2027.yaml)`. */
    holidayLine: (name: string, year: number, start: string, end: string, swapped: string[], source: string) =>
      `${name} ${year}: off ${rangeEn(start, end)}${swapped.length > 0 ? `, swapped working days ${swapped.map((d) => rangeEn(d, d)).join(', ')}` : ''} — ${source}`,
    /** The warning of an estimated holiday (`check`'s [calendar-estimated], `plan`). */
    estimated: (key: string, name: string, year: number, start: string, end: string, why: Why) => {
      const range = rangeEn(start, end);
      switch (why.kind) {
        case 'not-in-file':
          return `${key} ${year}: ${why.file} does not list ${key} (${name}), so the dates are estimated (${range}). Add ${key}: with its days off (off:) and swapped working days (work:) to ${why.file}.`;
        case 'error-in-file':
          return `${key} ${year}: ${key} (${name}) in ${why.file} has an error (see its line), so until it is fixed the dates are estimated (${range}).`;
        case 'no-day-off':
          return `${key} ${year}: chinese-days lists no official day off for ${key} in ${year}, so the dates are estimated (${range}).`;
        case 'year-not-covered':
          return `${key} ${year}: ${year} is not in the built-in holiday calendar (chinese-days), so the dates are estimated (${range}). Write calendar/${year}.yaml with the State Council's schedule (see README).`;
      }
    },
    unknownHoliday: (key: string, keys: string) => `unknown holiday "${key}": expected one of ${keys}`,
    yearOutOfRange: (key: string, year: number, first: number, last: number) => `${key} ${year}: the holiday calendar covers ${first}–${last}`,
    packageUnreadable: 'cannot read chinese-days/dist/chinese-days.json: reinstall dependencies (npm ci)',
    packageShape: 'chinese-days/dist/chinese-days.json does not have the expected { holidays, workdays } maps: check the chinese-days version (1.5.x expected)',

    // advisory calendar YEAR (cli/commands/calendar.ts)
    usage: (dir: string) => [
      'Usage: advisory calendar YEAR [--json]',
      '',
      '  YEAR    the year, e.g. 2027',
      '  --json  print { year, holidays, problems } as JSON',
      '',
      'For each holiday of YEAR: the days off, the swapped working days (调休上班), and where they come from:',
      `the project's own file ${dir}/YEAR.yaml (it takes precedence), the built-in package chinese-days,`,
      'or an estimate from the festival\'s lunar or solar date. Every command plans with this calendar.',
      'Example: advisory calendar 2027',
      'Exit codes: 0 shown, 1 a file in calendar/ has errors (printed with file:line:column), 2 usage (no or bad YEAR).',
    ].join('\n'),
    noYear: 'name the year, e.g. advisory calendar 2027',
    badYear: (text: string, fullWidth: boolean) =>
      `"${text}" is not a year: write it with four digits, e.g. advisory calendar 2027${fullWidth ? ' (full-width digits: switch to English input and retype them)' : ''}`,
    outOfRange: (first: number, last: number, year: number) => `the holiday calendar covers ${first}–${last}; ${year} is outside it`,
    tooMany: (extra: string[]) => `one year at a time: remove ${extra.map((e) => `"${e}"`).join(', ')}`,
    heading: (year: number) => `Holidays of ${year} as this project plans them (dates in China):`,
    /** `元旦 new-year (one break with …) — official, from …`. */
    title: (name: string, key: string, shared: string[] | undefined, source: string) =>
      `${name} ${key}${shared ? ` (one break with ${shared.join(', ')})` : ''} — ${source}`,
    /** `2027-01-01 (Fri)`. */
    day: (date: string, weekday: number) => `${date} (${DAYS_EN[weekday]})`,
    offLine: (days: string, n: number) => `  off   ${days}, ${n} ${n === 1 ? 'day' : 'days'}`,
    workLine: (days: string[]) => `  work  ${days.length === 0 ? 'none' : days.join(', ')}`,
    joined: (days: string[]) => `  (${days.join(', ')}: the weekend next to the break, off too as the file does not list it as a working day)`,
    writeFile: (year: number, n: number, dir: string) =>
      `${n} ${n === 1 ? 'holiday is' : 'holidays are'} estimated: when the State Council publishes the ${year} schedule, write it in ${dir}/${year}.yaml (see README "The holiday calendar"), then run \`advisory check\`.`,
    addToFile: (file: string, n: number) => `${n} ${n === 1 ? 'holiday is' : 'holidays are'} estimated: add ${n === 1 ? 'it' : 'them'} to ${file} (see README "The holiday calendar").`,
    fileErrors: (file: string) => `${file} has errors (above): nothing is planned or published until they are fixed; run \`advisory check\` after editing it.`,
    otherErrors: 'calendar/ has errors (above): nothing is planned or published until they are fixed.',
  },
  {
    range: (start: string, end: string) => rangeZh(start, end),
    dayList: (days: string[]) => (days.length === 0 ? '无' : days.map((d) => rangeZh(d, d)).join('、')),
    basis: (key: Key) => BASIS_ZH[key] ?? key,
    sourceLabel: (source: Source, file: string | undefined) =>
      source === 'local' ? `官方安排（本地文件 ${file}）` : source === 'chinese-days' ? '官方安排（chinese-days）' : '推算',
    sourceSentence: (source: Source, file: string | undefined, version: string | undefined, basis: string, year: number) =>
      source === 'local'
        ? `官方安排，取自本地文件 ${file}`
        : source === 'chinese-days'
          ? `官方安排，取自内置的 chinese-days 软件包${version ? ` ${version}` : ''}`
          : `按${basis}推算：还没有 ${year} 年的官方安排`,
    holidayLine: (name: string, year: number, start: string, end: string, swapped: string[], source: string) =>
      `${name} ${year} 年放假 ${rangeZh(start, end)}${swapped.length > 0 ? `，调休上班 ${swapped.map((d) => rangeZh(d, d)).join('、')}` : ''}——${source}`,
    estimated: (key: string, name: string, year: number, start: string, end: string, why: Why) => {
      const range = rangeZh(start, end);
      switch (why.kind) {
        case 'not-in-file':
          return `${year} 年的 ${key}（${name}）：${why.file} 里没有列出 ${key}，所以日期是推算的（${range}）。请在 ${why.file} 里加上 ${key}:，写明放假日期（off:）和调休上班日期（work:）。`;
        case 'error-in-file':
          return `${year} 年的 ${key}（${name}）：${why.file} 里 ${key} 这一项有错误（见该行的提示），改好之前日期是推算的（${range}）。`;
        case 'no-day-off':
          return `${year} 年的 ${key}（${name}）：chinese-days 没有列出这一年 ${key} 的官方放假日，所以日期是推算的（${range}）。`;
        case 'year-not-covered':
          return `${year} 年的 ${key}（${name}）：内置的节假日日历（chinese-days）还没有 ${year} 年，所以日期是推算的（${range}）。国务院公布 ${year} 年的放假安排后，请把它写进 calendar/${year}.yaml（见 README）。`;
      }
    },
    unknownHoliday: (key: string, keys: string) => `没有“${key}”这个节日：应为以下之一：${keys}`,
    yearOutOfRange: (key: string, year: number, first: number, last: number) => `${year} 年的 ${key}：节假日日历只覆盖 ${first}–${last} 年`,
    packageUnreadable: '无法读取 chinese-days/dist/chinese-days.json：请重新安装依赖（npm ci）',
    packageShape: 'chinese-days/dist/chinese-days.json 里没有应有的 { holidays, workdays } 两张表：请检查 chinese-days 的版本（应为 1.5.x）',

    usage: (dir: string) => [
      '用法：advisory calendar YEAR [--json]',
      '',
      '  YEAR    年份，例如 2027',
      '  --json  以 JSON 输出 { year, holidays, problems }',
      '',
      '列出 YEAR 年每个节日的放假日期、调休上班日期，以及这些日期的来源：',
      `本项目自己的文件 ${dir}/YEAR.yaml（优先采用）、内置的 chinese-days 软件包，`,
      '或按节日的农历日期或节气推算。所有命令都按这份日历安排发布。',
      '示例：advisory calendar 2027',
      '退出码：0 已列出，1 calendar/ 里的文件有错误（按 文件:行:列 列出），2 用法错误（没写年份或年份不对）。',
    ].join('\n'),
    noYear: '请写上年份，例如 advisory calendar 2027',
    badYear: (text: string, fullWidth: boolean) =>
      `“${text}”不是年份：请写四位数字，例如 advisory calendar 2027${fullWidth ? '（这是全角数字：请切换到英文输入法后重新输入）' : ''}`,
    outOfRange: (first: number, last: number, year: number) => `节假日日历覆盖 ${first}–${last} 年；${year} 年不在范围内`,
    tooMany: (extra: string[]) => `一次只能查一年：请去掉${extra.map((e) => `“${e}”`).join('、')}`,
    heading: (year: number) => `本项目安排发布时采用的 ${year} 年节假日（中国日期）：`,
    title: (name: string, key: string, shared: string[] | undefined, source: string) =>
      `${name} ${key}${shared ? `（与 ${shared.join('、')} 同属一个假期）` : ''}——${source}`,
    day: (date: string, weekday: number) => `${date}（${DAYS_ZH[weekday]}）`,
    offLine: (days: string, n: number) => `  放假  ${days}，共 ${n} 天`,
    workLine: (days: string[]) => `  调休  ${days.length === 0 ? '无' : days.join('、')}`,
    joined: (days: string[]) => `  （${days.join('、')}：紧挨着假期的周末，文件没有把它列为上班日，所以也放假）`,
    writeFile: (year: number, n: number, dir: string) =>
      `有 ${n} 个节日的日期是推算的：国务院公布 ${year} 年的放假安排后，请把它写进 ${dir}/${year}.yaml（见 README“节假日日历”一节），然后运行 \`advisory check\`。`,
    addToFile: (file: string, n: number) => `有 ${n} 个节日的日期是推算的：请把${n === 1 ? '它' : '它们'}加进 ${file}（见 README“节假日日历”一节）。`,
    fileErrors: (file: string) => `${file} 有错误（见上方）：改正之前不会安排或发布任何内容；改完后请运行 \`advisory check\`。`,
    otherErrors: 'calendar/ 里有错误（见上方）：改正之前不会安排或发布任何内容。',
  },
);
