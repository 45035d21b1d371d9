/**
 * Regression: the public website published unapproved content. The website has no credentials, so its
 * mode is always `sandbox`, and approval was decided by `mode === 'live'`: with Weibo and e-mail live and
 * the content not approved, `publish --now` held them but put the campaign on the bureau's site at once.
 * Approval is now its own notion (ChannelConfig.approval): live channels, and the website once base_url is
 * a public address. At the default loopback base_url (`npm start`) the local site needs no approval.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { loadChannelConfig } from '../../src/config/channels.js';
import { tmpProject, withStore } from './helpers.js';

const CAMPAIGN = '2014-national-day';
const PUBLIC = 'https://www.example.gov.cn/advisories';

let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, now = '2014-09-28T02:00:00Z') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en', ...env }, now: () => new Date(now) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function setBaseUrl(url: string): void {
  const file = join(root, 'channels/website.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^base_url:.*$/m, `base_url: ${url}`));
}

const published = () => join(root, 'var/site-state/published', `${CAMPAIGN}.json`);
const websiteDeliveries = () => withStore(join(root, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN })).filter((d) => d.channel === 'website'));

describe('which channels need approval (ChannelConfig.approval)', () => {
  it('the website at a public base_url does, at a loopback one not; a channel is live with its credentials, and needs approval then', () => {
    expect(loadChannelConfig(root, 'website', {})).toMatchObject({ mode: 'sandbox', approval: false });
    expect(loadChannelConfig(root, 'weibo', {})).toMatchObject({ mode: 'sandbox', approval: false });
    expect(loadChannelConfig(root, 'weibo', { WEIBO_ACCESS_TOKEN: 't' })).toMatchObject({ mode: 'live', approval: true });
    setBaseUrl(PUBLIC);
    expect(loadChannelConfig(root, 'website', {})).toMatchObject({ mode: 'sandbox', approval: true });
    // Sandbox channels still need none, whatever base_url is.
    expect(loadChannelConfig(root, 'wechat', {})).toMatchObject({ mode: 'sandbox', approval: false });
  });
});

describe('regression: the public website publishes only approved content', () => {
  it('public base_url, not approved: publish --now holds the website delivery and nothing goes on the site; approved: it is published; edited after approval: held again', async () => {
    setBaseUrl(PUBLIC);
    const first = await cli(['publish', CAMPAIGN, '--now', '--channel', 'website']);
    expect(first.code, first.out + first.err).toBe(4);
    expect(first.out).toContain(`${CAMPAIGN}: 0 sent, 0 failed, 1 held, 0 missed`);
    const [held] = await websiteDeliveries();
    expect(held.state).toBe('held');
    expect(held.reason).toMatch(/^awaiting approval of [0-9a-f]{12}/);
    expect(existsSync(published())).toBe(false);
    expect(existsSync(join(root, 'var/site', CAMPAIGN))).toBe(false);
    const status = await cli(['status']);
    expect(status.out).toMatch(/website writes the site \(no credentials needed\) \(the public site at https:\/\/www\.example\.gov\.cn\/advisories: only approved content goes on it \(advisory approve\)\)/);

    const approved = await cli(['approve', CAMPAIGN, '--by', '王警官']);
    expect(approved.code, approved.out + approved.err).toBe(0);
    expect(approved.out).toMatch(/released 1 held deliver/);
    const sent = await cli(['publish', CAMPAIGN, '--now', '--channel', 'website'], {}, '2014-09-28T02:01:00Z');
    expect(sent.code, sent.out + sent.err).toBe(0);
    expect((await websiteDeliveries()).map((d) => d.state)).toEqual(['sent']);
    expect(JSON.parse(readFileSync(published(), 'utf8')).deliveryKey).toBe(held.key);
    const approvedSite = readFileSync(published(), 'utf8');

    // Edited after approval: the new content waits for its own approval; the site keeps the approved one.
    const file = join(root, 'advisories', CAMPAIGN, 'campaign.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: 2014年国庆节期间安全防范常识', 'title: 2014年国庆节期间安全防范常识（修订）'));
    const edited = await cli(['publish', CAMPAIGN, '--now', '--channel', 'website'], {}, '2014-09-28T02:02:00Z');
    expect(edited.code, edited.out + edited.err).toBe(4);
    expect(edited.out).toContain(`${CAMPAIGN}: 0 sent, 0 failed, 1 held, 0 missed`);
    const after = await websiteDeliveries();
    expect(after.map((d) => d.state).sort()).toEqual(['held', 'sent']);
    expect(after.find((d) => d.state === 'held')!.reason).toMatch(/^awaiting approval of /);
    expect(readFileSync(published(), 'utf8')).toBe(approvedSite);
    expect(approvedSite).not.toContain('（修订）');
  });

  it('with Weibo and e-mail live as well, nothing of the unapproved campaign reaches the public site', async () => {
    setBaseUrl(PUBLIC);
    await withStore(join(root, 'var'), (s) => s.addSubscriber({ address: 'a@example.org' }, new Date('2014-09-01T00:00:00Z')));
    // Held before any live call is made, so the credentials need not work.
    const env = { WEIBO_ACCESS_TOKEN: 'token', SMTP_URL: 'smtp://127.0.0.1:9' };
    const r = await cli(['publish', CAMPAIGN, '--now', '--channel', 'website', '--channel', 'weibo', '--channel', 'email'], env);
    expect(r.code, r.out + r.err).toBe(4);
    expect(r.out).toContain(`${CAMPAIGN}: 0 sent, 0 failed, 3 held, 0 missed`);
    expect((await websiteDeliveries()).map((d) => d.state)).toEqual(['held']);
    expect(existsSync(published())).toBe(false);
  });

  it('the default loopback base_url (npm start): the local site is published without approval', async () => {
    const r = await cli(['publish', CAMPAIGN, '--now', '--channel', 'website']);
    expect(r.code, r.out + r.err).toBe(0);
    expect((await websiteDeliveries()).map((d) => d.state)).toEqual(['sent']);
    expect(existsSync(published())).toBe(true);
    expect((await cli(['status'])).out).not.toContain('only approved content');
  });
});
