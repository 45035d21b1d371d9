/** `advisory new` with a campaign named in Chinese: the folder as typed, the id its pinyin, said once. */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './in-process.js';

const REPO = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'advisory-new-zh-'));
for (const d of ['channels', 'templates']) cpSync(join(REPO, d), join(dir, d), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('advisory new 2027-春节', () => {
  it('creates advisories/2027-春节/ and says its id is 2027-chun-jie; check and plan take either name', async () => {
    const r = await runCli(['new', '2027-春节', '--root', dir, '--lang', 'zh']);
    expect(existsSync(join(dir, 'advisories/2027-春节/campaign.yaml'))).toBe(true);
    expect(r.out).toContain('这个专题的编号（网址和发送记录里的名字）是 2027-chun-jie');
    const check = await runCli(['check', '2027-chun-jie', '--root', dir]);
    expect(check.out).toMatch(/1 campaign/);
  });

  it('a name that is neither an id nor Chinese, or a path, is refused in one line', async () => {
    for (const bad of ['a/b', '！！', 'Big Name']) {
      const r = await runCli(['new', bad, '--root', dir]);
      expect(r.code, bad).toBe(2);
      expect(r.err).toMatch(/cannot be a campaign id/);
    }
  });
});
