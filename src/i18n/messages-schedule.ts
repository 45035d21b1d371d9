/**
 * `advisory check`'s messages about dates, times and schedules (content/validate-campaign.ts,
 * validate-dates.ts, validate-frequency.ts, datetime.ts, schedule-frequency.ts): what is wrong, and what
 * to write instead. Field names, values, cron expressions and channel names stay as written.
 */
import { messages } from './index.js';

const DAY = 86_400;
const en = (x: number) => x.toLocaleString('en');

/** 3600 → "1 h", 90 → "90 s", 86400 → "1 day". */
function enInterval(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} day${seconds === DAY ? '' : 's'}`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
function zhInterval(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} 天`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} 小时`;
  if (seconds % 60 === 0) return `${seconds / 60} 分钟`;
  return `${seconds} 秒`;
}

/** "every minute", "every 15 minutes", "every 2 hours". */
function enEvery(seconds: number): string {
  const [n, unit] = seconds % 3_600 === 0 ? [seconds / 3_600, 'hour'] : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
}
/** 每分钟、每 15 分钟、每 2 小时. */
function zhEvery(seconds: number): string {
  const [n, unit] = seconds % 3_600 === 0 ? [seconds / 3_600, '小时'] : seconds % 60 === 0 ? [seconds / 60, '分钟'] : [seconds, '秒'];
  return n === 1 ? `每${unit}` : `每 ${n} ${unit}`;
}

/** How often a cron fires, as content/schedule-frequency.ts sees it. */
export type FrequencyKind = 'daily' | 'even' | 'once' | 'apart';

export const scheduleMessages = messages(
  {
    interval: (seconds: number) => enInterval(seconds),
    frequency: (kind: FrequencyKind, gap: number) => (kind === 'daily' ? 'every day' : kind === 'even' ? enEvery(gap) : kind === 'once' ? 'once' : `as little as ${enInterval(gap)} apart`),
    cronTooFrequent: (expression: string, channel: string, perDay: number, frequency: string, min: number, config: string) =>
      `cron "${expression}" fires ${channel} ${perDay === 1 ? 'once a day' : `${en(perDay)} times a day`} (${frequency}); the least interval allowed for ${channel} is ${enInterval(min)} (min_interval in ${config}). `
      + `Post at most ${min === DAY ? 'once a day' : min > DAY ? `once every ${enInterval(min)}` : enEvery(min)}, e.g. cron: "0 8 * * *" (08:00 daily)`,
    pairTooClose: (a: string, b: string, channel: string, gap: number, whenA: string, whenB: string, min: number, config: string) =>
      `schedules "${a}" and "${b}" both post to ${channel} ${gap === 0 ? 'at the same time' : `${enInterval(gap)} apart`} (${whenA} and ${whenB}); the least interval allowed for ${channel} is ${enInterval(min)} (min_interval in ${config}): move one of them, or take ${channel} out of one`,
    tooManySchedules: (count: number, max: number) =>
      `the campaign has ${count} schedule entries; at most ${max} are allowed (a bulletin and a daily reminder are two): combine entries, e.g. one cron with several times ("0 8,20 * * *")`,
    /** A problem of one schedule entry, named. */
    scheduleSays: (name: string, text: string) => `schedule "${name}": ${text}`,

    // Dates and cron expressions that cannot be (datetime.ts)
    noSuchMonth: (month: string) => `month ${month} does not exist (01–12)`,
    noSuchDay: (yearMonth: string, days: number, day: string) => `${yearMonth} has ${days} days, so day ${day} does not exist`,
    noSuchHour: (hour: string) => `hour ${hour} does not exist (00–23; midnight is 00:00 of the next day)`,
    noSuchMinute: (minute: string) => `minute ${minute} does not exist (00–59)`,
    noSuchSecond: (second: string) => `second ${second} does not exist (00–59)`,
    noSuchOffset: (offset: string) => `the UTC offset ${offset} does not exist (China is +08:00)`,
    cronShortcut: (shortcut: string, fields: string | undefined) =>
      `shortcuts like "${shortcut}" are not supported: write the five fields${fields ? `, "${fields}" for ${shortcut}` : ', e.g. "0 8 * * *"'}`,
    cronFieldCount: (found: number) => `expected 5 fields (minute hour day-of-month month day-of-week), found ${found}`,
    cronRandom: 'the random "H" value is not supported: name the minute and hour',
    cronParser: (raw: string) => raw,

    // Dates far from the campaign, local times the clocks skip (validate-dates.ts)
    outsideYears: (first: number, last: number) => `which is outside ${first}–${last}: check the year (a typo?)`,
    farFromHoliday: (days: number, start: string) => `which is ${en(days)} days from the campaign's holiday (${start}): check the year (a typo?)`,
    farFromYear: (days: number, year: number) => `which is ${en(days)} days from the campaign's year (${year}): check the year (a typo?)`,
    dstGap: (local: string, zone: string, sentAt: string, offset: string) =>
      `${local} does not exist in ${zone} (the clocks go forward then); it is sent at ${sentAt} (${offset}). Write that time, or another one, to say so`,

    // A campaign's fields and schedule (validate-campaign.ts)
    unknownTimeZone: (zone: string) => `unknown time zone "${zone}": use an IANA name such as Asia/Shanghai`,
    startsAfterExpires: (starts: string, expires: string) => `"starts" (${starts}) must be before "expires" (${expires}): the campaign would never be in force`,
    campaignExpired: (date: string) => `this campaign expired on ${date}: nothing of it will be scheduled, and the website shows it as past. Remove or change "expires" to publish it`,
    yearWithoutHoliday: '"year" has no effect without "holiday": add the holiday key (e.g. holiday: national-day) or remove "year"',
    noSchedule: 'this campaign has no schedule, so nothing will be published: add a "schedule:" list with at least one entry (name, channels, and at or cron); `advisory new` writes an example',
    duplicateSchedule: (name: string, first: number) =>
      `schedule name "${name}" is already used by schedule entry ${first}: names must be unique (they are part of every delivery's key); rename one`,
    implausible: (key: string, value: string, why: string) => `"${key}: ${value}" ${why}`,
    atAndCron: (name: string) => `schedule "${name}" has both "at" and "cron": use "at" for one post at a given time, or "cron" for a repeating one, not both`,
    neitherAtNorCron: (name: string) => `schedule "${name}" has neither "at" nor "cron": add at: 2014-09-29T09:00+08:00 (once) or cron: "0 8 * * *" (repeating)`,
    firesAt: (name: string, at: string, why: string) => `schedule "${name}" fires at ${at}, ${why}`,
    neverSent: (name: string, at: string, why: string) => `schedule "${name}" fires at ${at}, ${why}, so it is never sent: correct the date (check the year)`,
    beforeStarts: (starts: string) => `before the campaign starts (starts: ${starts})`,
    afterExpires: (expires: string) => `after the campaign expires (expires: ${expires})`,
    relativeWithoutHoliday:
      'a time relative to the holiday needs the campaign\'s "holiday" (e.g. holiday: national-day); add it, or give an absolute time like at: 2014-09-29T09:00+08:00',
    invalidCron: (cron: string, reason: string) => `invalid cron expression "${cron}": ${reason}. Example: "0 8 * * *" (every day at 08:00)`,
    boundsOnAt: (key: string, name: string) => `"${key}" only applies to a repeating (cron) schedule; schedule "${name}" fires once ("at"): remove "${key}"`,
    duringWithoutHoliday: '"during: holiday" needs the campaign\'s "holiday" (e.g. holiday: national-day), so the calendar knows which days; add it or remove "during"',
    windowTooShort: (window: string) =>
      `"window: ${window}" is shorter than the minimum of 1 minute: every firing would be recorded missed, never sent. Give how late a firing may still go out, e.g. window: 30m (or 6h, 2d, holiday)`,
    windowWithoutHoliday: '"window: holiday" needs the campaign\'s "holiday"; add it or give a duration like 6h',
    duplicateAdvisory: (name: string, id: string, first: number, second: number) =>
      `schedule "${name}" names the advisory "${id}" twice (items ${first} and ${second}): it would go out twice in one post, or twice as often in a rotation. Remove one`,
    untilBeforeFrom: (until: string, from: string) => `"until" (${until}) is before "from" (${from}): swap them`,
    /** A holiday's dates the calendar estimates (its own sentence, `warning`, says why when it has one). */
    estimatedDates: (holiday: string, year: number) => `${holiday} ${year}: estimated dates.`,
    nextHolidayEstimated: (name: string, year: number, warning: string | undefined) => `the next ${name} is in ${year}: ${warning ?? 'estimated dates.'}`,
  },
  {
    interval: (seconds: number) => zhInterval(seconds),
    frequency: (kind: FrequencyKind, gap: number) => (kind === 'daily' ? '每天一次' : kind === 'even' ? zhEvery(gap) : kind === 'once' ? '只发一次' : `最短只隔 ${zhInterval(gap)}`),
    cronTooFrequent: (expression: string, channel: string, perDay: number, frequency: string, min: number, config: string) =>
      `cron "${expression}" 每天向 ${channel} 发送 ${en(perDay)} 次（${frequency}）；${channel} 两次发送之间至少要隔 ${zhInterval(min)}（${config} 中的 min_interval）。`
      + `请最多${min === DAY ? '每天' : min > DAY ? `每 ${zhInterval(min)}` : zhEvery(min)}发送一次，例如 cron: "0 8 * * *"（每天 08:00）`,
    pairTooClose: (a: string, b: string, channel: string, gap: number, whenA: string, whenB: string, min: number, config: string) =>
      `排期“${a}”和“${b}”${gap === 0 ? '在同一时间' : `只相隔 ${zhInterval(gap)}，却`}都向 ${channel} 发送（${whenA} 和 ${whenB}）；${channel} 两次发送之间至少要隔 ${zhInterval(min)}（${config} 中的 min_interval）：请挪开其中一个，或从其中一个里去掉 ${channel}`,
    tooManySchedules: (count: number, max: number) =>
      `这个专题有 ${count} 个排期条目，最多只能有 ${max} 个（一次公告加一个每日提醒就是两个）：请合并条目，例如用一个 cron 写多个时间（"0 8,20 * * *"）`,
    scheduleSays: (name: string, text: string) => `排期“${name}”：${text}`,

    noSuchMonth: (month: string) => `不存在 ${month} 月（应为 01–12）`,
    noSuchDay: (yearMonth: string, days: number, day: string) => `${yearMonth} 只有 ${days} 天，不存在 ${day} 日`,
    noSuchHour: (hour: string) => `不存在 ${hour} 时（应为 00–23；午夜请写成第二天的 00:00）`,
    noSuchMinute: (minute: string) => `不存在 ${minute} 分（应为 00–59）`,
    noSuchSecond: (second: string) => `不存在 ${second} 秒（应为 00–59）`,
    noSuchOffset: (offset: string) => `不存在 ${offset} 这个 UTC 时区偏移（中国是 +08:00）`,
    cronShortcut: (shortcut: string, fields: string | undefined) =>
      `不支持“${shortcut}”这样的简写：请写出五个字段${fields ? `，${shortcut} 应写成 "${fields}"` : '，例如 "0 8 * * *"'}`,
    cronFieldCount: (found: number) => `应有 5 个字段（分 时 日 月 星期），现在有 ${found} 个`,
    cronRandom: '不支持随机值“H”：请写明具体的分钟和小时',
    cronParser: (raw: string) => `cron 解析器报告（原文）：${raw}`,

    outsideYears: (first: number, last: number) => `不在 ${first}–${last} 年之间：请检查年份（是不是打错了？）`,
    farFromHoliday: (days: number, start: string) => `离专题的节日（${start}）有 ${en(days)} 天：请检查年份（是不是打错了？）`,
    farFromYear: (days: number, year: number) => `离专题的年份（${year}）有 ${en(days)} 天：请检查年份（是不是打错了？）`,
    dstGap: (local: string, zone: string, sentAt: string, offset: string) =>
      `${local} 在 ${zone} 时区里不存在（那时时钟会往前拨）；实际会在 ${sentAt}（${offset}）发送。请写明这个时间，或者换一个时间`,

    unknownTimeZone: (zone: string) => `未知的时区“${zone}”：请使用 IANA 时区名，例如 Asia/Shanghai`,
    startsAfterExpires: (starts: string, expires: string) => `“starts”（${starts}）必须早于“expires”（${expires}）：否则这个专题永远不会生效`,
    campaignExpired: (date: string) => `这个专题已于 ${date} 过期：它的内容都不会再排期发送，网站上也显示为往期。要发布它，请删除或修改“expires”`,
    yearWithoutHoliday: '没有“holiday”时，“year”不起作用：请加上节日（例如 holiday: national-day），或删掉“year”',
    noSchedule: '这个专题没有排期，所以什么都不会发布：请加上“schedule:”列表，至少写一个条目（name、channels，以及 at 或 cron）；`advisory new` 可以生成示例',
    duplicateSchedule: (name: string, first: number) =>
      `排期名称“${name}”已经被第 ${first} 个排期条目使用：名称不能重复（它是每条发送记录的一部分）；请给其中一个改名`,
    implausible: (key: string, value: string, why: string) => `“${key}: ${value}”这个日期${why}`,
    atAndCron: (name: string) => `排期“${name}”同时写了“at”和“cron”：只发一次请用“at”，重复发送请用“cron”，两者不能同时写`,
    neitherAtNorCron: (name: string) => `排期“${name}”既没有“at”也没有“cron”：请加上 at: 2014-09-29T09:00+08:00（只发一次）或 cron: "0 8 * * *"（重复发送）`,
    firesAt: (name: string, at: string, why: string) => `排期“${name}”的发送时间是 ${at}，${why}`,
    neverSent: (name: string, at: string, why: string) => `排期“${name}”的发送时间是 ${at}，${why}，所以永远不会发送：请改正日期（检查年份）`,
    beforeStarts: (starts: string) => `早于专题开始生效的时间（starts: ${starts}）`,
    afterExpires: (expires: string) => `晚于专题过期的时间（expires: ${expires}）`,
    relativeWithoutHoliday: '相对节日的时间需要专题写明“holiday”（例如 holiday: national-day）：请加上，或者改写成具体时间，例如 at: 2014-09-29T09:00+08:00',
    invalidCron: (cron: string, reason: string) => `cron 表达式“${cron}”无效：${reason}。示例："0 8 * * *"（每天 08:00）`,
    boundsOnAt: (key: string, name: string) => `“${key}”只适用于重复发送（cron）的排期；排期“${name}”只发一次（“at”）：请删掉“${key}”`,
    duringWithoutHoliday: '“during: holiday”需要专题写明“holiday”（例如 holiday: national-day），日历才知道是哪几天：请加上，或删掉“during”',
    windowTooShort: (window: string) =>
      `“window: ${window}”短于最小值 1 分钟：每次发送都会被记为错过，永远不会发出。请写明发送最多可以推迟多久，例如 window: 30m（或 6h、2d、holiday）`,
    windowWithoutHoliday: '“window: holiday”需要专题写明“holiday”：请加上，或者写一段时长，例如 6h',
    duplicateAdvisory: (name: string, id: string, first: number, second: number) =>
      `排期“${name}”两次写了提示“${id}”（第 ${first} 项和第 ${second} 项）：它会在一次发布里出现两次，或在轮换中发两倍次数。请删掉一个`,
    untilBeforeFrom: (until: string, from: string) => `“until”（${until}）早于“from”（${from}）：请把两者对调`,
    estimatedDates: (holiday: string, year: number) => `${holiday} ${year} 年：放假日期是估算的。`,
    nextHolidayEstimated: (name: string, year: number, warning: string | undefined) => `下一个${name}在 ${year} 年：${warning ?? '放假日期是估算的。'}`,
  },
);
