/** What `advisory plan` says (cli/commands/plan.ts) and the heads of its table (schedule/format.ts). */
import { messages } from './index.js';

export const planMessages = messages(
  {
    usage: (days: number) => [
      'Usage: advisory plan [campaign...] [--from DATE] [--to DATE] [--json]',
      '',
      '  campaign...  only these campaigns (folder names under advisories/); default: all',
      '  --from DATE  start of the window (included); default: now',
      `  --to DATE    end of the window; default: --from + ${days} days`,
      '  --json       print { from, to, occurrences, holidays, warnings } as JSON',
      '',
      'DATE is a day, 2014-09-01 (Asia/Shanghai; --from starts at 00:00 of that day, --to includes that',
      'whole day), or a date and time, 2014-09-29T09:00+08:00 (--from included, --to excluded).',
      'Example: advisory plan 2014-national-day --from 2014-09-01 --to 2014-10-31',
      'Each campaign shows the holiday its firings are planned from and where its dates come from:',
      'official (chinese-days), official (local file calendar/2027.yaml) or estimated (see `advisory calendar YEAR`).',
      'Warnings (e.g. an estimated holiday calendar) go to stderr.',
      'Exit codes: 0 planned, 1 content errors (printed; no plan), 2 usage (no advisories/ folder, bad date, --from after --to, unknown campaign).',
    ].join('\n'),
    looksLikeTime: (text: string) =>
      `"${text}" looks like the time of a --from/--to date: join date and time with a T (--from 2014-09-29T${text}) or quote them ("2014-09-29 ${text}")`,
    emptyWindow: (from: string, fromGiven: boolean, to: string) =>
      `the window is empty: --from (${fromGiven ? '' : 'not given, so now: '}${from}) must be before --to (${to}). Example: --from 2014-09-01 --to 2014-10-31`,
    badBound: (option: string, text: string) => `${option}: expected a date like 2014-09-01 or a date and time like 2014-09-29T09:00+08:00; got "${text}"`,
    notARealDate: (option: string, problem: string | null, text: string) =>
      `${option}: ${problem ?? 'not a real date'}; expected a date like 2014-09-01 or a date and time like 2014-09-29T09:00+08:00; got "${text}"`,
    contentErrors: 'advisory plan: no plan while content has errors; fix them (see `advisory check`) and run again.',
    header: (from: string, to: string, zone: string) => `Plan from ${from} to ${to} (${zone}; end excluded). Nothing is sent.`,
    holidayNote: (line: string) => `holiday ${line}`,
    total: (occurrences: number, campaigns: number) =>
      `${occurrences} ${occurrences === 1 ? 'occurrence' : 'occurrences'} in ${campaigns} ${campaigns === 1 ? 'campaign' : 'campaigns'}.`,
    nextFires: (id: string, when: string, schedule: string, channels: string, window: string) =>
      `${id}: nothing in this window; next fires ${when} (${schedule}: ${channels}). See it: advisory plan ${id} ${window}`,
    lastFired: (id: string, when: string, schedule: string, window: string) =>
      `${id}: nothing from now on; it last fired ${when} (${schedule}). See them: advisory plan ${id} ${window}`,
    neverFires: (id: string) =>
      `${id}: no firing in the next two years (check its schedule and dates; \`advisory plan ${id} --from DATE --to DATE\` plans any window)`,
    warning: (text: string) => `warning: ${text}`,
    columnDue: 'due (local)',
    columnUtc: 'UTC',
    columnSchedule: 'schedule',
    columnChannels: 'channels',
    columnAdvisories: 'advisories',
  },
  {
    usage: (days: number) => [
      '用法：advisory plan [campaign...] [--from DATE] [--to DATE] [--json]',
      '',
      '  campaign...  只列这些专题（advisories/ 下的文件夹名）；默认：全部',
      '  --from DATE  时间段的开始（包含）；默认：现在',
      `  --to DATE    时间段的结束；默认：--from 之后 ${days} 天`,
      '  --json       以 JSON 输出 { from, to, occurrences, holidays, warnings }',
      '',
      'DATE 可以是日期，如 2014-09-01（北京时间 Asia/Shanghai；--from 从当天 00:00 开始，--to 包含当天',
      '全天），也可以是日期和时间，如 2014-09-29T09:00+08:00（--from 包含该时刻，--to 不包含）。',
      '示例：advisory plan 2014-national-day --from 2014-09-01 --to 2014-10-31',
      '每个专题都会注明它的发布时间依据哪个节日，以及节日日期的来源：',
      'official (chinese-days)、official (local file calendar/2027.yaml) 或 estimated（推算，见 `advisory calendar YEAR`）。',
      '警告（例如节假日安排是推算的）输出到标准错误。',
      '退出码：0 已列出，1 内容有错误（会列出错误，不出计划），2 用法错误（没有 advisories/ 文件夹、日期不对、--from 晚于 --to、专题不存在）。',
    ].join('\n'),
    looksLikeTime: (text: string) =>
      `“${text}”看起来是 --from/--to 日期里的时间：请用 T 把日期和时间连起来（--from 2014-09-29T${text}），或给它们加上引号（"2014-09-29 ${text}"）`,
    emptyWindow: (from: string, fromGiven: boolean, to: string) =>
      `时间段是空的：--from（${fromGiven ? '' : '未指定，即现在：'}${from}）必须早于 --to（${to}）。示例：--from 2014-09-01 --to 2014-10-31`,
    badBound: (option: string, text: string) => `${option}：应是日期（如 2014-09-01）或日期和时间（如 2014-09-29T09:00+08:00）；收到的是“${text}”`,
    notARealDate: (option: string, problem: string | null, text: string) =>
      `${option}：${problem ?? '不是真实存在的日期'}；应是日期（如 2014-09-01）或日期和时间（如 2014-09-29T09:00+08:00）；收到的是“${text}”`,
    contentErrors: 'advisory plan：内容有错误时不出计划；请先改正（见 `advisory check`）再运行。',
    header: (from: string, to: string, zone: string) => `发布计划：${from} 至 ${to}（${zone}；不含结束时刻）。不会发送任何内容。`,
    holidayNote: (line: string) => `节日：${line}`,
    total: (occurrences: number, campaigns: number) => `共 ${campaigns} 个专题，${occurrences} 次发布。`,
    nextFires: (id: string, when: string, schedule: string, channels: string, window: string) =>
      `${id}：这段时间内没有发布；下一次在 ${when}（${schedule}：${channels}）。查看：advisory plan ${id} ${window}`,
    lastFired: (id: string, when: string, schedule: string, window: string) =>
      `${id}：今后不再发布；最后一次在 ${when}（${schedule}）。查看：advisory plan ${id} ${window}`,
    neverFires: (id: string) =>
      `${id}：今后两年内没有发布（请检查它的发布计划和日期；\`advisory plan ${id} --from DATE --to DATE\` 可列出任意时间段）`,
    warning: (text: string) => `警告：${text}`,
    columnDue: '发布时间（当地）',
    columnUtc: 'UTC 时间',
    columnSchedule: '计划',
    columnChannels: '渠道',
    columnAdvisories: '提示文章',
  },
);

/**
 * What the planner (schedule/plan.ts, series.ts) warns of when a schedule entry cannot be planned (content that
 * `check` would have refused, or a cron too frequent to enumerate): `where` is `campaign/schedule-name`.
 */
export const plannerMessages = messages(
  {
    skipped: (where: string, why: string) => `${where}: ${why}; skipped`,
    unknownZone: (zone: string) => `unknown time zone "${zone}" (expected an IANA name like Asia/Shanghai)`,
    noAdvisories: 'no advisories to carry',
    neitherAtNorCron: 'neither "at" nor "cron"',
    unknownAdvisories: (where: string, unknown: string[], known: string[]) => `${where}: unknown advisories ${unknown.join(', ')} (known: ${known.join(', ')}); left out`,
    tooOften: (where: string, cron: string) => `${where}: cron "${cron}" fires too often to plan; stopped early`,
    badAt: (at: string) => `cannot read at: "${at}" (expected a date and time like 2014-09-29T09:00+08:00)`,
    atNeedsHoliday: '"at: { holiday: … }" needs the campaign\'s holiday: key',
    badOffset: (offset: string) => `cannot read the holiday offset "${offset}" (expected -2d, 0d or +12h)`,
    badCron: (cron: string, why: string) => `cannot read cron "${cron}": ${why}`,
    badBounds: (from: string, until: string) => `cannot read from/until (${from} / ${until})`,
    duringNeedsHoliday: '"during: holiday" needs the campaign\'s holiday: key',
  },
  {
    skipped: (where: string, why: string) => `${where}：${why}；已跳过`,
    unknownZone: (zone: string) => `没有“${zone}”这个时区（应为 IANA 时区名，例如 Asia/Shanghai）`,
    noAdvisories: '没有可发送的提示文章',
    neitherAtNorCron: '既没有 at 也没有 cron',
    unknownAdvisories: (where: string, unknown: string[], known: string[]) => `${where}：没有提示文章 ${unknown.join('、')}（现有的：${known.join('、')}）；已略去`,
    tooOften: (where: string, cron: string) => `${where}：cron“${cron}”发布得太频繁，无法全部列出；只列出了前面一部分`,
    badAt: (at: string) => `无法读取 at:“${at}”（应为日期和时间，例如 2014-09-29T09:00+08:00）`,
    atNeedsHoliday: '“at: { holiday: … }”需要专题写明 holiday:（节日）',
    badOffset: (offset: string) => `无法读取相对节日的时间“${offset}”（应写作 -2d、0d 或 +12h 这样）`,
    badCron: (cron: string, why: string) => `无法读取 cron“${cron}”：${why}`,
    badBounds: (from: string, until: string) => `无法读取 from/until（${from} / ${until}）`,
    duringNeedsHoliday: '“during: holiday”需要专题写明 holiday:（节日）',
  },
);
