/**
 * Issue 12 through `advisory check` (and `plan`) on temp projects: what content
 * can make the system do is bounded, and each refusal names file:line:column
 * and what to do. One temp project per case, written here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/in-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const CAMPAIGN = (schedule: string, extra = '') =>
  `title: 演示\nissuer: 章丘市公安局\nsummary: 演示。\n${extra}schedule:\n${schedule}`;
const BULLETIN = '  - name: bulletin\n    channels: [website]\n    at: 2030-09-29T09:00+08:00\n';
const ADVISORY = (body = '## 防范建议\n关好门窗。\n', fm = 'title: 防范入室盗窃\nsummary: 关好门窗。\n') => `---\n${fm}---\n${body}`;

/** A project with one campaign `demo` (its campaign.yaml and advisories as given) and the real templates and channels. */
function project(campaignYaml: string, advisories: Record<string, string> = { '01-burglary.md': ADVISORY() }): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-bounds-'));
  temps.push(dir);
  cpSync(join(ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
  cpSync(join(ROOT, 'channels'), join(dir, 'channels'), { recursive: true });
  mkdirSync(join(dir, 'advisories/demo/images'), { recursive: true });
  cpSync(join(ROOT, 'advisories/2014-national-day/images/cover.png'), join(dir, 'advisories/demo/images/cover.png'));
  writeFileSync(join(dir, 'advisories/demo/campaign.yaml'), campaignYaml);
  for (const [name, text] of Object.entries(advisories)) writeFileSync(join(dir, 'advisories/demo', name), text);
  return dir;
}

const check = (dir: string) => runCli(['check', '--root', dir]);
/** The problems of one rule, without the summary. */
const lines = (out: string, rule: string) => out.split('\n').filter((l) => l.endsWith(`[${rule}]`));

describe('schedules: at most one post per channel per min_interval', () => {
  it('a cron every minute to Weibo is an error with the count per day, the place and the fix', async () => {
    const dir = project(CAMPAIGN(`${BULLETIN}  - name: flood\n    channels: [weibo]\n    cron: "* * * * *"\n`));
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(lines(r.out, 'schedule-too-frequent')).toEqual([
      'advisories/demo/campaign.yaml:10:11: error schedule "flood": cron "* * * * *" fires weibo 1,440 times a day (every minute); the least interval allowed for weibo is 1 h (min_interval in channels/weibo.yaml). Post at most every hour, e.g. cron: "0 8 * * *" (08:00 daily) [schedule-too-frequent]',
    ]);
  });

  it('every second: 86,400 a day; and nothing is planned from it', async () => {
    const dir = project(CAMPAIGN(`  - name: flood\n    channels: [weibo]\n    cron: "* * * * * *"\n`));
    const r = await check(dir);
    expect(r.out).toMatch(/fires weibo 86,400 times a day \(every second\)/);
    const planned = await runCli(['plan', '--from', '2030-01-01', '--to', '2030-01-02', '--root', dir]);
    expect(planned.code).toBe(1);
    expect(planned.out + planned.err).toMatch(/\[schedule-too-frequent\]/);
    expect(planned.out).not.toMatch(/flood\s+weibo/);
  });

  it('e-mail twice a day is refused (one a day), the website every minute is not', async () => {
    const irregular = await check(project(CAMPAIGN(`  - name: twice\n    channels: [email]\n    cron: "0 8,9 * * *"\n`)));
    expect(irregular.out).toMatch(/fires email 2 times a day \(as little as 1 h apart\); the least interval allowed for email is 1 day .*Post at most once a day/);
    const email = await check(project(CAMPAIGN(`  - name: twice\n    channels: [email]\n    cron: "0 8,20 * * *"\n`)));
    expect(email.code).toBe(1);
    expect(email.out).toMatch(/fires email 2 times a day \(every 12 hours\); the least interval allowed for email is 1 day/);
    const site = await check(project(CAMPAIGN(`  - name: often\n    channels: [website]\n    cron: "* * * * *"\n`)));
    expect(lines(site.out, 'schedule-too-frequent')).toEqual([]);
  });

  it('two schedules that together post too often: the second is named with both times', async () => {
    const dir = project(CAMPAIGN('  - name: a\n    channels: [weibo]\n    at: 2030-10-01T08:00+08:00\n  - name: b\n    channels: [weibo]\n    at: 2030-10-01T08:10+08:00\n'));
    const r = await check(dir);
    expect(lines(r.out, 'schedule-too-frequent')).toEqual([
      'advisories/demo/campaign.yaml:9:15: error schedules "a" and "b" both post to weibo 10 min apart (2030-10-01 08:00 and 2030-10-01 08:10); the least interval allowed for weibo is 1 h (min_interval in channels/weibo.yaml): move one of them, or take weibo out of one [schedule-too-frequent]',
    ]);
  });

  it('min_interval in channels/weibo.yaml changes the limit (both ways)', async () => {
    const dir = project(CAMPAIGN(`  - name: half-hourly\n    channels: [weibo]\n    cron: "*/30 8-9 * * *"\n`));
    expect(lines((await check(dir)).out, 'schedule-too-frequent')).toHaveLength(1);
    writeFileSync(join(dir, 'channels/weibo.yaml'), 'min_interval: 30m\n', { flag: 'a' });
    expect(lines((await check(dir)).out, 'schedule-too-frequent')).toEqual([]);
    const twice = project(CAMPAIGN(`  - name: twice\n    channels: [weibo]\n    cron: "0 8,20 * * *"\n`));
    expect(lines((await check(twice)).out, 'schedule-too-frequent')).toEqual([]);
    writeFileSync(join(twice, 'channels/weibo.yaml'), 'min_interval: 1d\n', { flag: 'a' });
    expect(lines((await check(twice)).out, 'schedule-too-frequent')).toEqual([expect.stringMatching(/fires weibo 2 times a day \(every 12 hours\); the least interval allowed for weibo is 1 day/)]);
  });

  it('a min_interval that is not a duration is reported at its line', async () => {
    const dir = project(CAMPAIGN(BULLETIN));
    writeFileSync(join(dir, 'channels/weibo.yaml'), 'rip: 127.0.0.1\nmin_interval: often\n');
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^channels\/weibo\.yaml:2:1: error min_interval: "often" is not a duration: write .* \[channel-config\]$/m);
  });
});

describe('pictures in the text: outside the folder or missing is an error, whatever the channel', () => {
  it('../../etc/passwd, an absolute path, a reference, brackets in the alt text, file: and a missing file', async () => {
    const body = [
      '## 防范建议',
      '关好门窗 ![a](../../etc/passwd)',
      '![b](/etc/passwd.png)',
      '![c][r]',
      '',
      '[r]: ../../../etc/hosts.png',
      '',
      '![d [e]](../x.png)',
      '![多',
      '行](../y.png)',
      '![f](file:///etc/passwd.png)',
      '![g](images/missing.png)',
      '![ok](images/cover.png)',
    ].join('\n');
    const dir = project(CAMPAIGN(BULLETIN), { '01-burglary.md': ADVISORY(body) });
    const r = await check(dir);
    expect(r.code).toBe(1);
    const found = r.out.split('\n').filter((l) => /\[image-(outside|missing)\]$/.test(l)).map((l) => l.replace(/: error .*\[/, ' ['));
    expect(found).toEqual([
      'advisories/demo/01-burglary.md:6:6 [image-outside]',
      'advisories/demo/01-burglary.md:7:1 [image-outside]',
      'advisories/demo/01-burglary.md:8:1 [image-outside]',
      'advisories/demo/01-burglary.md:12:1 [image-outside]',
      'advisories/demo/01-burglary.md:13:1 [image-outside]',
      'advisories/demo/01-burglary.md:15:1 [image-outside]',
      'advisories/demo/01-burglary.md:16:1 [image-missing]',
    ]);
  });

  it('a symbolic link inside the folder that leads outside it is refused', async () => {
    const dir = project(CAMPAIGN(BULLETIN), { '01-burglary.md': ADVISORY('## 防范建议\n![a](images/escape.png)\n') });
    const outside = join(dir, 'secret.png');
    cpSync(join(ROOT, 'advisories/2014-national-day/images/cover.png'), outside);
    symlinkSync(outside, join(dir, 'advisories/demo/images/escape.png'));
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^advisories\/demo\/01-burglary\.md:6:1: error the image "images\/escape\.png": refused: this is a symbolic link to .*secret\.png, outside the campaign folder.* \[symlink-outside\]$/m);
  });
});

describe('titles, lists, dates and files', () => {
  it('a title of zero-width spaces, an ESC in a title, a bidi override in a tag: errors at their values', async () => {
    const fm = 'title: "\\u200B\\u200B"\nsummary: 关好门窗。\ntags: ["a\\u202Eb"]\n';
    const dir = project(CAMPAIGN(BULLETIN).replace('title: 演示', 'title: "演示\\e[31m"'), { '01-burglary.md': ADVISORY(undefined, fm) });
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(lines(r.out, 'control-character')).toEqual([
      expect.stringMatching(/^advisories\/demo\/campaign\.yaml:1:8: error "title" holds the control character U\+001B ESC \(escape\) \(character 3\).* delete it/),
    ]);
    expect(lines(r.out, 'invisible-text')).toEqual([expect.stringMatching(/^advisories\/demo\/01-burglary\.md:2:8: error "title" has only invisible characters \(U\+200B U\+200B\)/)]);
    expect(lines(r.out, 'bidi-control')).toEqual([expect.stringMatching(/^advisories\/demo\/01-burglary\.md:4:8: error "tags" holds U\+202E RIGHT-TO-LEFT OVERRIDE \(character 2\)/)]);
  });

  it('the same advisory twice in a schedule list is an error at the second', async () => {
    const dir = project(CAMPAIGN('  - name: bulletin\n    channels: [website]\n    at: 2030-09-29T09:00+08:00\n    advisories: [burglary, burglary]\n'));
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(lines(r.out, 'duplicate-advisory')).toEqual([expect.stringMatching(/^advisories\/demo\/campaign\.yaml:8:28: error schedule "bulletin" names the advisory "burglary" twice/)]);
  });

  it('at: 9999-… in a 2014 campaign is a warning; a time the clocks skip says what it becomes', async () => {
    const dir = project(CAMPAIGN(
      '  - name: far\n    channels: [website]\n    at: 9999-09-29T09:00+08:00\n  - name: gap\n    channels: [website]\n    at: 2014-03-09T02:30\n    timezone: America/New_York\n',
      'holiday: national-day\nyear: 2014\n',
    ));
    const r = await check(dir);
    expect(lines(r.out, 'implausible-date')).toEqual([expect.stringMatching(/^advisories\/demo\/campaign\.yaml:9:9: warning schedule "far" fires at 9999-09-29T09:00\+08:00, which is outside 2000–2099: check the year/)]);
    expect(lines(r.out, 'time-in-dst-gap')).toEqual([
      'advisories/demo/campaign.yaml:12:9: warning schedule "gap": 2014-03-09 02:30 does not exist in America/New_York (the clocks go forward then); it is sent at 2014-03-09 03:30 (-04:00). Write that time, or another one, to say so [time-in-dst-gap]',
    ]);
  });

  it('a folder and a named pipe called x.md: warnings, not a crash or a hang', async () => {
    const dir = project(CAMPAIGN(BULLETIN));
    mkdirSync(join(dir, 'advisories/demo/02-folder.md'));
    execFileSync('mkfifo', [join(dir, 'advisories/demo/03-pipe.md')]);
    execFileSync('mkfifo', [join(dir, 'advisories/top.md')]);
    mkdirSync(join(dir, 'advisories/dir.md'));
    const r = await check(dir);
    expect(r.code, r.out).toBe(0);
    expect(lines(r.out, 'ignored-file')).toEqual([
      'advisories/demo/02-folder.md:1:1: warning this is a folder, not a file, so it is not published although its name ends in .md: rename or remove it [ignored-file]',
      'advisories/demo/03-pipe.md:1:1: warning this is a named pipe (FIFO), not a file, so it is not published although its name ends in .md: rename or remove it [ignored-file]',
      'advisories/dir.md:1:1: warning this is a folder, not a Markdown file or a campaign folder, so it is ignored: rename or remove it [ignored-file]',
      'advisories/top.md:1:1: warning this is a named pipe (FIFO), not a Markdown file or a campaign folder, so it is ignored: rename or remove it [ignored-file]',
    ]);
  });
});

describe('hostile Markdown is refused before it is parsed, at the place past the limit', () => {
  it.each([
    ['24,000 × "[a]("', '[a]('.repeat(24_000), 'markdown-too-many-links', '6:601', /the text has 24,000 links, images and footnote references; an advisory may have at most 150/],
    ['a 200×200 table', [`|${'h|'.repeat(200)}`, `|${'-|'.repeat(200)}`, ...Array.from({ length: 200 }, () => `|${'x|'.repeat(200)}`)].join('\n'), 'markdown-too-many-table-columns', '7:1', /a table with 200 columns; a table may have at most 12/],
    ['20,000 footnote references', `${'[^1]'.repeat(20_000)}\n\n[^1]: x`, 'markdown-too-many-footnotes', '6:201', /20,001 footnote references and definitions; an advisory may have at most 50/],
  ])('%s', async (_name, body, rule, place, message) => {
    const dir = project(CAMPAIGN(BULLETIN), { '01-burglary.md': ADVISORY(`## 防范建议\n${body}`) });
    const r = await check(dir);
    expect(r.code).toBe(1);
    const found = lines(r.out, rule);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^advisories/demo/01-burglary\\.md:${place}: error refused: `));
    expect(found[0]).toMatch(message);
    expect(found[0]).toMatch(/shorten the text, or split it into several advisories/);
  });
});
