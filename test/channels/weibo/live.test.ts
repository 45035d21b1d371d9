/**
 * The live Weibo channel against the local fake of its API (test/fakes/weibo.ts):
 * `advisory publish 2014-national-day --channel weibo --now` in this process, the
 * ledger read back, and the exact request the fake recorded (channel-apis.md §2).
 * Also the token's remaining life (§2 "Tokens"): the warning in the run's log,
 * in `advisory status`, and from the channel's verify().
 * The error table (§3) is in live-errors.test.ts; timeouts and rate limits in
 * live-uncertain.test.ts; the secrets check in live-secrets.test.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../delivery/helpers.js';
import { LIVE_BASE_URL } from '../live.js';
import { weiboLength, type MultipartBody } from '../../fakes/index.js';
import { createRuntime } from '../../../src/app/runtime.js';
import { commands } from '../../../src/cli/commands/index.js';
import { TOKEN_INFO_STATE } from '../../../src/channels/weibo/index.js';
import { approve, cli, COVER, envFor, liveProject, publish, shares, useWeibo, weiboDelivery, withWeiboFake, type Transcript } from './live-harness.js';

const wb = useWeibo();
const t: Transcript = [];
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('weibo live: a full post', () => {
  it('posts the campaign summary as multipart (status with the campaign URL, rip from weibo.yaml, the cover as pic), token only in the Authorization header; the receipt is the exact idstr', async () => {
    const root = liveProject(wb.dirs, { rip: '203.0.113.7' });
    const env = envFor(wb.fake);
    const r = await publish(t, root, env);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('2014-national-day: 1 sent, 0 failed, 0 held, 0 missed');

    const calls = shares(wb.fake);
    expect(calls).toHaveLength(1);
    const [req] = calls;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/2/statuses/share.json');
    expect(req.query).toEqual({});
    expect(req.headers.authorization).toBe(`OAuth2 ${wb.fake.token}`);
    expect(req.contentType).toBe('multipart/form-data');
    const body = req.body as MultipartBody;
    // Exactly these fields: no access_token in the body, nothing else.
    expect(Object.keys(body.fields).sort()).toEqual(['rip', 'status']);
    expect(body.fields.rip).toBe('203.0.113.7');
    const status = body.fields.status;
    expect(status).toMatch(/^【2014年国庆节期间安全防范常识】随着国庆的来临/);
    expect(status.endsWith(` ${LIVE_BASE_URL}/2014-national-day/`)).toBe(true);
    expect(status).not.toMatch(/#[^#\s][^#]*#/);
    expect(weiboLength(status)).toBeLessThanOrEqual(130);
    // The token appears nowhere but in the header.
    expect(req.raw.toString('latin1')).not.toContain(wb.fake.token);
    expect(body.files).toHaveLength(1);
    const [pic] = body.files;
    const cover = readFileSync(join(root, COVER));
    expect(pic).toMatchObject({ field: 'pic', filename: 'cover.png', contentType: 'image/png', size: cover.length });
    expect(pic.sha256).toBe(sha256(cover));
    expect(pic.bytes.equals(cover)).toBe(true);

    // What the fake posted, and what the ledger says of it.
    expect(wb.fake.posts).toHaveLength(1);
    const [post] = wb.fake.posts;
    expect(post).toMatchObject({ text: status, rip: '203.0.113.7', pic: { sha256: sha256(cover) } });
    // The fake's `id` is a JSON number beyond 2^53: only idstr is exact.
    expect(BigInt(post.idstr)).toBeGreaterThan(2n ** 53n);
    expect(String(Number(post.idstr))).not.toBe(post.idstr);
    expect(req.answer?.status).toBe(200);
    const d = await weiboDelivery(root);
    expect(d.state).toBe('sent');
    expect(d.attempts).toBe(1);
    expect(d.receipt).toMatchObject({ id: post.idstr, url: `https://m.weibo.cn/status/${post.idstr}`, details: { text: status } });
    expect(typeof d.receipt!.id).toBe('string');
    expect(d.lastError).toBeNull();
  });

  it('asks oauth2/get_token_info once a day (cached in the ledger), not on every post', async () => {
    const root = liveProject(wb.dirs);
    const env = envFor(wb.fake);
    expect((await publish(t, root, env)).code).toBe(0);
    expect(wb.fake.calls('oauth2/get_token_info')).toHaveLength(1);
    const [info] = wb.fake.calls('oauth2/get_token_info');
    // The token goes in the body or a header, never in the URL.
    expect(JSON.stringify(info.query)).not.toContain(wb.fake.token);
    const saved = await withStore(join(root, 'var'), (s) => s.getMeta(TOKEN_INFO_STATE));
    expect(JSON.parse(saved!)).toMatchObject({ expireIn: expect.any(Number), uid: '7000000001' });
    // The same content again (--again): the fake refuses it as repeated, but no second token call.
    const again = await publish(t, root, env, { approve: false, args: ['--again'] });
    expect(again.code).toBe(1);
    expect(wb.fake.calls('oauth2/get_token_info')).toHaveLength(1);
    expect(shares(wb.fake)).toHaveLength(2);
  });

  it('posts without a picture as a form body when the campaign has no cover', async () => {
    const root = liveProject(wb.dirs);
    const yaml = join(root, 'advisories/2014-national-day/campaign.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^cover:.*\n/m, ''));
    const r = await publish(t, root, envFor(wb.fake));
    expect(r.code, r.out + r.err).toBe(0);
    const [req] = shares(wb.fake);
    expect(req.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.keys(req.body as object).sort()).toEqual(['rip', 'status']);
    expect((req.body as Record<string, string>).rip).toBe('127.0.0.1');
    expect(wb.fake.posts[0].pic).toBeUndefined();
    expect((await weiboDelivery(root)).receipt?.id).toBe(wb.fake.posts[0].idstr);
  });
});

describe('weibo live: the picture', () => {
  it('a cover changed since approval: held for approval, nothing posted; approved again, the new bytes are posted', async () => {
    const root = liveProject(wb.dirs);
    const env = envFor(wb.fake);
    await approve(t, root, env);
    const cover = join(root, COVER);
    const changed = Buffer.concat([readFileSync(cover), Buffer.from('changed')]);
    writeFileSync(cover, changed);
    const r = await publish(t, root, env, { approve: false });
    expect(r.code, r.out + r.err).toBe(4);
    expect(shares(wb.fake)).toHaveLength(0);
    expect((await weiboDelivery(root)).state).toBe('held');
    const again = await publish(t, root, env);
    expect(again.code, again.out + again.err).toBe(0);
    expect(wb.fake.posts).toHaveLength(1);
    expect(wb.fake.posts[0].pic?.sha256).toBe(sha256(changed));
  });
});

describe('weibo live: the token running out', () => {
  it('warns in the publish run\'s log, in `advisory status` and from verify() when under token_warn_days (14) are left', async () => {
    wb.fake.setTokenExpiresIn(10 * 86_400);
    const root = liveProject(wb.dirs);
    const env = envFor(wb.fake);
    const r = await publish(t, root, env);
    // The post still goes out: the warning never fails it.
    expect(r.code, r.out + r.err).toBe(0);
    expect((await weiboDelivery(root)).state).toBe('sent');
    // The logger (pino, JSON lines, LOG_LEVEL warn) writes to fd 1; the CLI's own stderr does not carry it.
    const warning = /weibo: the access token expires in (9|10) day\(s\) \(\d{4}-\d\d-\d\d\): authorize the app again on open\.weibo\.com and set WEIBO_ACCESS_TOKEN before then/;
    const lines = r.log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; expireInDays?: number });
    const warned = lines.find((l) => warning.test(l.msg));
    expect(warned, r.log).toMatchObject({ level: 40, expireInDays: expect.any(Number) });

    const status = await cli(t, ['status', '--root', root], env);
    expect(status.out).toMatch(warning);
    const json = await cli(t, ['status', '--json', '--root', root], env);
    expect((JSON.parse(json.out) as { warnings: string[] }).warnings.some((w) => warning.test(w))).toBe(true);

    const rt = createRuntime({ root, env });
    try {
      const v = await rt.channels.get('weibo')!.verify();
      expect(v.level).toBe('warning');
      expect(v.message).toMatch(warning);
    } finally {
      await rt.close();
    }
  });

  it('says nothing with more life left than token_warn_days, and verify() says the token works', async () => {
    wb.fake.setTokenExpiresIn(10 * 86_400);
    const root = liveProject(wb.dirs, { token_warn_days: 5 });
    const env = envFor(wb.fake);
    const r = await publish(t, root, env);
    expect(r.code).toBe(0);
    expect(r.log).not.toMatch(/access token expires/);
    expect((await cli(t, ['status', '--root', root], env)).out).not.toMatch(/access token expires/);
    const rt = createRuntime({ root, env });
    try {
      expect(await rt.channels.get('weibo')!.verify()).toEqual({ level: 'ok', message: expect.stringMatching(/^live: the access token works \(user 7000000001, (9|10) days left\)$/) });
    } finally {
      await rt.close();
    }
  });

  it('after re-authorizing (a new WEIBO_ACCESS_TOKEN), the next post asks about the new token instead of repeating the old one\'s warning', async () => {
    wb.fake.setTokenExpiresIn(3 * 86_400);
    const root = liveProject(wb.dirs);
    const first = await publish(t, root, envFor(wb.fake));
    expect(first.log).toMatch(/the access token expires in 2 day\(s\)/);
    await withWeiboFake({ token: '2.00the-new-token' }, async (renewed) => {
      const env = envFor(renewed);
      const r = await publish(t, root, env, { approve: false, args: ['--again'] });
      expect(r.code, r.out + r.err).toBe(0);
      expect(renewed.calls('oauth2/get_token_info')).toHaveLength(1);
      expect(r.log).not.toMatch(/access token (expires|has expired)/);
      expect((await cli(t, ['status', '--root', root], env)).out).not.toMatch(/access token (expires|has expired)/);
      // The ledger keeps which token the saved life is about, as a fingerprint, never the token.
      const saved = (await withStore(join(root, 'var'), (s) => s.getMeta(TOKEN_INFO_STATE)))!;
      expect(saved).not.toContain(renewed.token);
      expect(JSON.parse(saved)).toMatchObject({ tokenId: expect.stringMatching(/^[0-9a-f]{12}$/) });
    });
  });

  it('`advisory status` right after WEIBO_ACCESS_TOKEN is replaced (before any post or verify) no longer shows the old token\'s warning', async () => {
    wb.fake.setTokenExpiresIn(3 * 86_400);
    const root = liveProject(wb.dirs);
    await publish(t, root, envFor(wb.fake));
    expect((await cli(t, ['status', '--root', root], envFor(wb.fake))).out).toMatch(/the access token expires in 2 day\(s\)/);
    await withWeiboFake({ token: '2.00the-new-token' }, async (renewed) => {
      expect((await cli(t, ['status', '--root', root], envFor(renewed))).out).not.toMatch(/access token (expires|has expired)/);
      expect(renewed.requests).toHaveLength(0);
    });
  });

  it('verify() of an expired token fails as needs-person, saying to authorize again', async () => {
    const root = liveProject(wb.dirs);
    const env = envFor(wb.fake);
    wb.fake.expireToken();
    const rt = createRuntime({ root, env });
    try {
      await expect(rt.channels.get('weibo')!.verify()).rejects.toMatchObject({ failure: 'needs-person', message: expect.stringMatching(/authorize the app again/) });
    } finally {
      await rt.close();
    }
    expect(shares(wb.fake)).toHaveLength(0);
  });

  // `advisory channels verify` came with the live-channel harness; skipped where a version has no such command.
  const channelsCommand = commands.find((c) => c.name === 'channels');
  it.skipIf(!channelsCommand)('`advisory channels verify`: a warning line for weibo (exit 0); an expired token: FAILED, authorize again (exit 1)', async () => {
    wb.fake.setTokenExpiresIn(10 * 86_400);
    const root = liveProject(wb.dirs);
    const env = envFor(wb.fake);
    const r = await cli(t, ['channels', 'verify', '--channel', 'weibo', '--root', root], env);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/^weibo\s+warning\s+weibo: the access token expires in (9|10) day\(s\)/m);
    expect(shares(wb.fake)).toHaveLength(0);
    wb.fake.expireToken();
    const expired = await cli(t, ['channels', 'verify', '--channel', 'weibo', '--root', root], env);
    expect(expired.code).toBe(1);
    expect(expired.out).toMatch(/^weibo\s+FAILED\s+.*authorize the app again.*error_code 21327/m);
  });
});
