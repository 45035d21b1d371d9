/**
 * Regression: `publish --now` printed a line per e-mail subscriber when deliveries were held
 * (`暂停 …/email/…/s-2c14…：等待批准…` × N), and so did `status`'s held list. Per-recipient deliveries alike
 * in channel and reason are one line with a count and an example key; a post (Weibo) keeps its own line;
 * `status --json` keeps every row.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './in-process.js';
import { tmpProject, withStore } from '../delivery/helpers.js';

const CAMPAIGN = '2014-national-day';
const SUBSCRIBERS = 8;
let root: string;
beforeEach(async () => {
  root = tmpProject();
  const site = join(root, 'channels/website.yaml');
  writeFileSync(site, readFileSync(site, 'utf8').replace(/^base_url:.*$/m, 'base_url: https://www.example.gov.cn/advisories'));
  await withStore(join(root, 'var'), async (s) => {
    for (let i = 0; i < SUBSCRIBERS; i++) await s.addSubscriber({ address: `p${i}@example.org` }, new Date('2014-09-01T00:00:00Z'));
  });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

// Live (so held for approval) before any live call is made: the credentials need not work.
const env = (lang: string) => ({ LOG_LEVEL: 'silent', NO_COLOR: '1', ADVISORY_LANG: lang, WEIBO_ACCESS_TOKEN: 'token', SMTP_URL: 'smtp://127.0.0.1:9' });
const now = () => new Date('2014-09-28T02:00:00Z');
const cli = (args: string[], lang = 'zh-CN') => runCli([...args, '--root', root], { env: env(lang), now });

describe('held e-mail deliveries are one line per channel and reason', () => {
  it('publish --now: one e-mail line with the count and an example key, Weibo its own line (Chinese and English)', async () => {
    const r = await cli(['publish', CAMPAIGN, '--now', '--channel', 'weibo', '--channel', 'email']);
    expect(r.code, r.out + r.err).toBe(4);
    const lines = r.out.split('\n');
    expect(lines.filter((l) => l.includes('/email/'))).toHaveLength(1);
    expect(r.out).toMatch(new RegExp(`^  电子邮件：${SUBSCRIBERS} 封暂停，等待批准内容 [0-9a-f]{12}.*（例如 ${CAMPAIGN}/\\S+/email/\\S+）$`, 'm'));
    expect(r.out).toMatch(/^  暂停 \S+\/weibo\S*：等待批准内容 [0-9a-f]{12}/m);

    const status = await cli(['status']);
    expect(status.out.split('\n').filter((l) => l.includes('/email/'))).toHaveLength(1);
    expect(status.out).toMatch(new RegExp(`^  电子邮件：${SUBSCRIBERS} 封暂停，等待批准内容 [0-9a-f]{12}.*（例如 \\S+/email/\\S+）$`, 'm'));
    const en = await cli(['status'], 'en');
    expect(en.out).toMatch(new RegExp(`^  e-mail: ${SUBSCRIBERS} held: awaiting approval of [0-9a-f]{12}.*\\(e\\.g\\. \\S+/email/\\S+\\)$`, 'm'));
    const json = JSON.parse((await cli(['status', '--json'])).out) as { held: Array<{ channel: string }> };
    expect(json.held.filter((h) => h.channel === 'email')).toHaveLength(SUBSCRIBERS);
  });

  it('more held than publish lists (50 a state): the line says the channel\'s whole count too', async () => {
    await withStore(join(root, 'var'), async (s) => {
      for (let i = SUBSCRIBERS; i < 60; i++) await s.addSubscriber({ address: `p${i}@example.org` }, new Date('2014-09-01T00:00:00Z'));
    });
    const r = await cli(['publish', CAMPAIGN, '--now', '--channel', 'email']);
    expect(r.code, r.out + r.err).toBe(4);
    expect(r.out).toMatch(/^  电子邮件：50 封暂停，等待批准内容 [0-9a-f]{12}.*（例如 \S+；电子邮件共 60 封暂停）$/m);
    expect(r.out).toContain('另有 10 条');
  });
});
