/**
 * Shared by the live e-mail tests: a real SMTP server (test/fakes/smtp.ts) for
 * each test, a copy of the shipped project (the 2014 campaign only) made live
 * (a public HTTPS base_url, quick pauses) with subscribers added the way the
 * CLI adds them (signed unsubscribe tokens), and `publish`: the same
 * `publishNow` as `advisory publish --now`, in this process, with a small fixed
 * random (the retry backoff's jitter: a 451 is retried within ~0.1 s) and
 * everything it logged kept for the secrets checks.
 */
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { tmpProject, withStore } from '../../delivery/helpers.js';
import { LIVE_BASE_URL, makeLive } from '../live.js';
import { startSmtpFake, type SmtpFake, type SmtpFakeOptions } from '../../fakes/smtp.js';
import { createRuntime } from '../../../src/app/runtime.js';
import { publishNow, type PublishOutcome } from '../../../src/app/publish-now.js';
import { subscriptions } from '../../../src/app/subscriptions.js';
import { createLogger } from '../../../src/delivery/logger.js';
import { loadOneCampaign } from '../../../src/cli/commands/campaign-arg.js';
import { approvalHash } from '../../../src/delivery/approval.js';
import type { Delivery } from '../../../src/delivery/store/index.js';

export const CAMPAIGN = '2014-national-day';
export const USER = 'mailer@example.gov.cn';
export const PASS = 'Pa55-w0rd/with:odd@chars';
export { LIVE_BASE_URL };

export function useSmtp(o: SmtpFakeOptions = { users: { [USER]: PASS } }): { readonly fake: SmtpFake; readonly dirs: string[] } {
  let fake: SmtpFake | undefined;
  const dirs: string[] = [];
  beforeEach(async () => {
    fake = await startSmtpFake(o);
  });
  afterEach(async () => {
    await fake?.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    get fake() {
      return fake!;
    },
    dirs,
  };
}

/** A live-ready copy of the project; `email`: settings replacing or added to channels/email.yaml. */
export function emailProject(dirs: string[], email: Record<string, string | number> = {}): string {
  const root = tmpProject();
  dirs.push(root);
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  makeLive(root);
  const file = join(root, 'channels/email.yaml');
  let yaml = readFileSync(file, 'utf8');
  const settings: Record<string, string | number> = { server_down_pause: '"0.3s 1s"', timeout: '5s', ...email };
  for (const [key, value] of Object.entries(settings)) {
    const line = new RegExp(`^${key}:.*$`, 'm');
    if (line.test(yaml)) yaml = yaml.replace(line, `${key}: ${value}`);
    else yaml = yaml.replace(/^optional_env:/m, `${key}: ${value}\noptional_env:`);
  }
  writeFileSync(file, yaml);
  return root;
}

/** The process environment without anything of the channels', plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(WECHAT|WEIBO|SMTP|EMAIL)_|^ADVISORY_FAILPOINT/.test(k)) base[k] = v;
  return { ...base, NO_COLOR: '1', LOG_LEVEL: 'warn', ...extra };
}

export const smtpEnv = (fake: SmtpFake, extra: Record<string, string> = {}) => cleanEnv({ SMTP_URL: fake.url(), ...extra });

/** Adds active subscribers as `advisory subscribers add` does (random ids, signed unsubscribe tokens); returns their ids by address. */
export async function subscribe(root: string, env: Record<string, string>, people: Array<{ address: string; name?: string }>): Promise<Map<string, string>> {
  const rt = createRuntime({ root, env });
  try {
    const subs = await subscriptions(rt);
    const ids = new Map<string, string>();
    for (const p of people) ids.set(p.address, (await subs.add({ address: p.address, ...(p.name ? { name: p.name } : {}), status: 'active', source: 'cli' }, new Date())).id);
    return ids;
  } finally {
    await rt.close();
  }
}

/** `advisory approve` of the campaign's current content. */
export async function approve(root: string, env: Record<string, string>): Promise<void> {
  const rt = createRuntime({ root, env });
  try {
    const campaign = loadOneCampaign(root, CAMPAIGN, '', new Date());
    const store = await rt.store();
    await store.recordApproval(CAMPAIGN, approvalHash(campaign.contentHash, rt.renderer.templatesHash), '张三', new Date());
  } finally {
    await rt.close();
  }
}

export interface Published {
  outcome: PublishOutcome;
  /** The progress lines and the JSON log lines of the run. */
  progress: string[];
  log: string;
}

/** `advisory publish 2014-national-day --channel email --now` in this process (waits through retries and pauses). */
export async function publish(root: string, env: Record<string, string>, o: { random?: number; again?: boolean; maxWaitMs?: number } = {}): Promise<Published> {
  let log = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      log += String(chunk);
      done();
    },
  });
  const rt = createRuntime({ root, env, log: createLogger(stream, 'info'), random: () => o.random ?? 0.02 });
  const progress: string[] = [];
  try {
    const campaign = loadOneCampaign(root, CAMPAIGN, '', new Date());
    const outcome = await publishNow({ runtime: rt, campaign, channels: ['email'], progress: (l) => progress.push(l), again: o.again, maxWaitMs: o.maxWaitMs ?? 30_000 });
    return { outcome, progress, log };
  } finally {
    await rt.close();
  }
}

export async function emailDeliveries(root: string): Promise<Delivery[]> {
  return withStore(join(root, 'var'), async (s) => (await s.list({ campaign: CAMPAIGN })).filter((d) => d.channel === 'email'));
}

export function people(n: number, domain = 'example.org'): Array<{ address: string; name?: string }> {
  return Array.from({ length: n }, (_, i) => ({ address: `reader${String(i + 1).padStart(3, '0')}@${domain}` }));
}
