/**
 * The Weibo access token never leaves the Authorization header: not in what
 * any command prints, not in its log (even at LOG_LEVEL trace), not in the
 * ledger's messages (reasons, errors, receipts, checkpoints, the audit log),
 * not in any file under var/ (the SQLite ledger itself excepted: it is read
 * through the store instead). Each scenario is one the other live files test
 * for behaviour; here only for what they leave behind.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaks } from '../live.js';
import type { WeiboFake } from '../../fakes/index.js';
import {
  approve, cli, envFor, HOUR, ledgerTexts, liveProject, publish, publishUntilWait, shares, useWeibo, varFiles, weiboDelivery, type Transcript,
} from './live-harness.js';

const wb = useWeibo();

type Scenario = (t: Transcript, root: string, env: Record<string, string>, fake: WeiboFake) => Promise<void>;

const WRONG_TOKEN = '2.00wrong-token-that-must-not-leak';

const SCENARIOS: Array<[string, Scenario]> = [
  ['a full post, status and channels verify', async (t, root, env) => {
    expect((await publish(t, root, env)).code).toBe(0);
    await cli(t, ['status', '--root', root], env);
    await cli(t, ['status', '--json', '--root', root], env);
    await cli(t, ['channels', 'verify', '--root', root], env);
  }],
  ['the token about to expire (warnings)', async (t, root, env, fake) => {
    fake.setTokenExpiresIn(3 * 86_400);
    expect((await publish(t, root, env)).code).toBe(0);
    expect((await cli(t, ['status', '--root', root], env)).out).toMatch(/expires in/);
    await cli(t, ['channels', 'verify', '--root', root], env);
  }],
  ['an expired token (held; verify fails)', async (t, root, env, fake) => {
    fake.expireToken();
    expect((await publish(t, root, env)).code).toBe(4);
    await cli(t, ['status', '--root', root], env);
    expect((await cli(t, ['channels', 'verify', '--root', root], env)).code).toBe(1);
  }],
  ['a wrong token (21332)', async (t, root, env) => {
    const wrong = { ...env, WEIBO_ACCESS_TOKEN: WRONG_TOKEN };
    expect((await publish(t, root, wrong)).code).toBe(4);
    await cli(t, ['channels', 'verify', '--root', root], wrong);
  }],
  ['no answer, then repeat content', async (t, root, env, fake) => {
    fake.fault('statuses/share.json', { kind: 'accept-then-hang' });
    await approve(t, root, env);
    await publishUntilWait(t, root, env);
    expect((await publish(t, root, env, { approve: false, now: () => new Date(Date.now() + HOUR) })).code).toBe(0);
  }],
  ['an HTML 502 and a rate limit', async (t, root, env, fake) => {
    fake.fault('statuses/share.json', { kind: 'http', status: 502 }, { kind: 'error', code: 10023, status: 403 });
    await approve(t, root, env);
    await publishUntilWait(t, root, env);
    await publishUntilWait(t, root, env, { now: () => new Date(Date.now() + HOUR) });
    await cli(t, ['status', '--root', root], env);
  }],
  ['text too long twice (20012), failed, retried by hand', async (t, root, env, fake) => {
    fake.fault('statuses/share.json', { kind: 'error', code: 20012 }, { kind: 'error', code: 20012 });
    expect((await publish(t, root, env)).code).toBe(1);
    const d = await weiboDelivery(root);
    expect((await cli(t, ['retry', d.key, '--root', root], env)).code).toBe(0);
  }],
];

describe('weibo live: the access token never leaks', () => {
  it.each(SCENARIOS)('%s', async (_name, scenario) => {
    const t: Transcript = [];
    const root = liveProject(wb.dirs, { timeout: '1s' });
    // trace: the most the logger says.
    const env = envFor(wb.fake, { LOG_LEVEL: 'trace' });
    await scenario(t, root, env, wb.fake);
    const secrets = [wb.fake.token, WRONG_TOKEN];
    // The token was really used (so finding it would have been possible)…
    expect(wb.fake.requests.some((r) => r.headers.authorization?.includes(secrets[0]) || r.headers.authorization?.includes(WRONG_TOKEN))).toBe(true);
    expect(shares(wb.fake).length).toBeGreaterThan(0);
    // …and what was collected is real: output, JSON log lines, the ledger, var/ files.
    const output = t.join('\n');
    expect(output).toMatch(/"level":10|"level":20|"level":30/);
    const ledger = await ledgerTexts(root);
    expect(ledger.length).toBeGreaterThan(3);
    const files = varFiles(root);
    expect(leaks(t, secrets)).toEqual([]);
    expect(leaks(ledger, secrets)).toEqual([]);
    expect(files.filter((f) => leaks([f.text], secrets).length > 0).map((f) => f.path)).toEqual([]);
  });

  it('the check finds a token where there is one (it can fail)', () => {
    expect(leaks(['{"authorization":"OAuth2 2.00weibo-test-token"}'], [wb.fake.token])).toHaveLength(1);
  });

  it('control: a token pasted into the campaign summary is found in the ledger by the same scan', async () => {
    const t: Transcript = [];
    const root = liveProject(wb.dirs);
    const yaml = join(root, 'advisories/2014-national-day/campaign.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('随着国庆的来临', `${wb.fake.token} 随着国庆的来临`));
    expect((await publish(t, root, envFor(wb.fake))).code).toBe(0);
    expect(leaks(await ledgerTexts(root), [wb.fake.token]).length).toBeGreaterThan(0);
  });
});
