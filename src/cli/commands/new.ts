import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { AdvisoryError, UsageError, formatProblem } from '../../errors.js';
import { CampaignSchema, HOLIDAY_KEYS, type HolidayKey } from '../../content/schema.js';
import { SLUG, loadProject } from '../../content/load.js';
import { didYouMean } from '../../suggest.js';

export const newCommand: Command = {
  name: 'new',
  usage: [
    'Usage: advisory new <id> [--title T] [--holiday KEY] [--year N]',
    '',
    '  <id>           folder name: lower-case letters, digits and dashes (e.g. 2025-spring-festival)',
    '  --title T      the bulletin title (default: a placeholder to edit)',
    `  --holiday KEY  one of ${HOLIDAY_KEYS.join(', ')}: posts are timed relative to it`,
    '  --year N       the year (omit for an evergreen campaign that recurs every year)',
    '',
    'Exit codes: 0 created, 1 the campaign already exists, 2 usage (bad id, unknown holiday, bad year, empty or over-long title; nothing is written).',
  ].join('\n'),
  options: { title: { type: 'string' }, holiday: { type: 'string' }, year: { type: 'string' } },
  async run({ root, values, positionals, io }) {
    const [id, ...extra] = positionals;
    if (!id) throw new UsageError('name the campaign: advisory new <id>, e.g. advisory new 2025-spring-festival');
    if (extra.length) throw new UsageError(`one campaign at a time (got ${positionals.join(', ')}); quote a title with spaces: --title "…"`);
    if (!SLUG.test(id)) throw new UsageError(`"${id}" cannot be a campaign id: use lower-case letters, digits and dashes, e.g. 2025-spring-festival`);
    const holiday = values.holiday as string | undefined;
    if (holiday !== undefined && !(HOLIDAY_KEYS as readonly string[]).includes(holiday)) {
      throw new UsageError(`unknown holiday "${holiday}".${didYouMean(holiday, HOLIDAY_KEYS)} Known: ${HOLIDAY_KEYS.join(', ')}`);
    }
    const yearText = values.year as string | undefined;
    const year = yearText === undefined ? undefined : Number(yearText);
    if (year !== undefined && (!Number.isInteger(year) || year < 2000 || year > 2099)) throw new UsageError(`--year must be a year between 2000 and 2099, got "${yearText}"`);
    if (year !== undefined && holiday === undefined) throw new UsageError('--year only makes sense with --holiday (the year of that holiday); add --holiday KEY, or leave out --year');
    const titleText = values.title as string | undefined;
    if (titleText !== undefined) {
      const checked = CampaignSchema.shape.title.safeParse(titleText);
      if (!checked.success) throw new UsageError(`--title ${titleText.trim() === '' ? 'must not be empty' : `is ${[...titleText.trim()].length} characters; a title has at most 64: shorten it`}`);
    }
    const dir = join(root, 'advisories', id);
    if (existsSync(dir)) throw new AdvisoryError('EEXIST', `advisories/${id} already exists: choose another id, or edit the files in it`);

    const title = titleText ?? '节日期间安全防范提示';
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'campaign.yaml'), campaignYaml({ title, holiday: holiday as HolidayKey | undefined, year, now: io.now() }));
    writeFileSync(join(dir, '01-example.md'), EXAMPLE_ADVISORY);

    const { problems } = loadProject(root, { only: [id], now: io.now() });
    for (const p of problems) io.err(formatProblem(p));
    io.out(`created advisories/${id}/campaign.yaml and advisories/${id}/01-example.md\nEdit them, then run: advisory check ${id}`);
    return problems.some((p) => p.severity === 'error') ? EXIT.FAILED : EXIT.OK;
  },
};

function campaignYaml(o: { title: string; holiday?: HolidayKey; year?: number; now: Date }): string {
  const quoted = JSON.stringify(o.title);
  const lines = [
    '# yaml-language-server: $schema=../../schema/campaign.schema.json',
    `title: ${quoted}`,
    'issuer: 章丘市公安局',
    ...(o.holiday ? [`holiday: ${o.holiday}`] : []),
    ...(o.holiday && o.year ? [`year: ${o.year}`] : []),
    'summary: 节日将至，请市民增强安全防范意识，确保节日期间人财物安全。',
    'tags: [安全防范]',
    'contact: 遇到警情请拨打110',
    'schedule:',
    '  - name: bulletin',
    '    channels: [website, wechat, email]',
  ];
  if (o.holiday) {
    lines.push('    at: { holiday: -2d, time: "09:00" }   # two days before the first day off', '  - name: daily-reminder', '    channels: [weibo]', '    cron: "0 8 * * *"', '    during: holiday', '    pick: rotate', '    window: 6h');
  } else {
    const d = new Date(o.now.getTime() + 7 * 86_400_000 + 8 * 3_600_000); // a week from now, read in +08:00
    lines.push(`    at: ${d.toISOString().slice(0, 10)}T09:00+08:00`);
  }
  return `${lines.join('\n')}\n`;
}

const EXAMPLE_ADVISORY = `---
title: 防范入室盗窃案件
summary: 节日外出前检查水电、关好门窗，可托亲属常到家中查看。
tags: [入室盗窃]
---
## 案件特点

节日期间居民外出增多，家中无人，容易被犯罪分子盯上。

## 防范建议

- 外出前认真检查家中水电，关好门窗。
- 可以托付亲属常到家中查看。
`;
