import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { AdvisoryError, UsageError, formatProblem } from '../../errors.js';
import { CampaignSchema, HOLIDAY_KEYS, type HolidayKey } from '../../content/schema.js';
import { SLUG, loadProject } from '../../content/load.js';
import { didYouMean } from '../../suggest.js';
import { newMessages } from '../../i18n/messages-commands.js';
import { pinyinId } from '../../content/pinyin-id.js';

export const newCommand: Command = {
  name: 'new',
  get usage() {
    return newMessages().usage(HOLIDAY_KEYS.join(', '));
  },
  options: { title: { type: 'string' }, holiday: { type: 'string' }, year: { type: 'string' } },
  async run({ root, values, positionals, io }) {
    const m = newMessages();
    const [id, ...extra] = positionals;
    if (!id) throw new UsageError(m.nameIt);
    if (extra.length) throw new UsageError(m.oneAtATime(positionals.join(', ')));
    // A folder named in Chinese (2027-春节) is a campaign whose id is its pinyin (2027-chun-jie), as the loader reads it.
    const derived = SLUG.test(id) ? undefined : pinyinId(id);
    if (!SLUG.test(id) && (!derived || /[\/\\\s\p{Cc}]|^\./u.test(id))) throw new UsageError(m.badId(id));
    const holiday = values.holiday as string | undefined;
    if (holiday !== undefined && !(HOLIDAY_KEYS as readonly string[]).includes(holiday)) {
      throw new UsageError(m.unknownHoliday(holiday, didYouMean(holiday, HOLIDAY_KEYS), HOLIDAY_KEYS.join(', ')));
    }
    const yearText = values.year as string | undefined;
    const year = yearText === undefined ? undefined : Number(yearText);
    if (year !== undefined && (!Number.isInteger(year) || year < 2000 || year > 2099)) throw new UsageError(m.badYear(yearText!));
    if (year !== undefined && holiday === undefined) throw new UsageError(m.yearWithoutHoliday);
    const titleText = values.title as string | undefined;
    if (titleText !== undefined) {
      const checked = CampaignSchema.shape.title.safeParse(titleText);
      if (!checked.success) throw new UsageError(titleText.trim() === '' ? m.titleEmpty : m.titleTooLong([...titleText.trim()].length));
    }
    const dir = join(root, 'advisories', id);
    if (existsSync(dir)) throw new AdvisoryError('EEXIST', m.exists(id));

    const title = titleText ?? '节日期间安全防范提示';
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'campaign.yaml'), campaignYaml({ title, holiday: holiday as HolidayKey | undefined, year, now: io.now() }));
    writeFileSync(join(dir, '01-example.md'), EXAMPLE_ADVISORY);

    const { problems } = loadProject(root, { only: [id], now: io.now() });
    for (const p of problems) io.err(formatProblem(p));
    io.out(m.created(id));
    if (derived) io.out(m.derivedId(id, derived));
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
    lines.push(`    at: { holiday: -2d, time: "09:00" }   # ${newMessages().atComment}`, '  - name: daily-reminder', '    channels: [weibo]', '    cron: "0 8 * * *"', '    during: holiday', '    pick: rotate', '    window: 6h');
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
