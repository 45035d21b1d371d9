/**
 * Channel configuration: `channels/<name>.yaml` over built-in defaults.
 *
 * Precedence is written once, here, as one merge:
 *   built-in defaults → channels/<name>.yaml → campaign → advisory front matter
 * (`effectiveSettings`). Secrets never live in these files: a YAML names the
 * environment variables that hold them under `env:`, and a channel runs `live`
 * only when every one of them is set, otherwise `sandbox` (e-mail has its own
 * rule: LIVE_RULES).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, YAMLMap, isMap, isScalar, parseDocument } from 'yaml';
import { closest } from '../suggest.js';
import { channelMessages } from '../i18n/messages-channels.js';
import { CHANNEL_NAMES, type ChannelName } from './channel-names.js';
import { ConfigError, type Problem } from '../errors.js';

export interface ChannelConfig {
  channel: ChannelName;
  /** Project-relative path of the YAML, when there is one. */
  file?: string;
  mode: 'live' | 'sandbox';
  /**
   * Whether what this channel sends must be approved first (`advisory approve`): a live channel, and the
   * website once its base_url is a public address (the bureau's real site, which has no credentials and so
   * is never `live`). Every place that decides about approval asks this, never `mode`.
   */
  approval: boolean;
  /** Names of the env vars the YAML asks for that are not set (why we are in sandbox). */
  missingEnv: string[];
  /** Non-secret settings after defaults → YAML. */
  settings: Record<string, unknown>;
  /** Secret values read from the environment, keyed by the YAML's `env:` (and `optional_env:`) keys. Never log this. */
  secrets: Record<string, string>;
}

export interface SiteConfig {
  /** Absolute base URL of the public site, no trailing slash, e.g. `https://www.example.gov.cn/advisories`. */
  baseUrl: string;
  title: string;
  /** For CAP `<area><areaDesc>`. */
  area: string;
  issuer: string;
}

export const CHANNEL_DEFAULTS: Record<ChannelName, Record<string, unknown>> = {
  website: {
    base_url: 'http://127.0.0.1:4321',
    title: '节日安全防范提示',
    area: '章丘市',
    issuer: '章丘市公安局',
    keep_builds: 5,
    /** The least time between two posts a schedule may make (`0`: none; `30m`, `1h`, `1d`): `advisory check` refuses a schedule that fires more often. */
    min_interval: '0',
  },
  wechat: {
    api_base: 'https://api.weixin.qq.com',
    author: '',
    max_articles: 8,
    title_max: 32,
    author_max: 16,
    digest_max: 128,
    content_max_chars: 20000,
    need_open_comment: 0,
    only_fans_can_comment: 0,
    mass_send: false,
    timeout: '20s',
    poll: '5s 30s 2m',
    publish_wait: '10m',
    min_interval: '1h',
  },
  weibo: {
    api_base: 'https://api.weibo.com',
    max_chars: 140,
    target_chars: 130,
    url_chars: 10,
    latin_weight: 0.5,
    astral_weight: 2,
    rip: '127.0.0.1',
    timeout: '20s',
    token_warn_days: 14,
    min_interval: '1h',
  },
  email: {
    host: '127.0.0.1',
    port: 25,
    secure: false,
    from: '章丘市公安局 <advisories@example.gov.cn>',
    /** Where replies go; empty: to the From address. */
    reply_to: '',
    /** The List-Id (RFC 2919); empty: holiday-safety.<the From address's domain>. */
    list_id: '',
    /** The mailto half of List-Unsubscribe; empty: unsubscribe@<the From address's domain>. Someone must read it. */
    unsubscribe_mailto: '',
    pool: true,
    max_connections: 5,
    rate_per_second: 50,
    /** Connect, greeting and socket time limit of the SMTP connection. */
    timeout: '60s',
    /** How long e-mail pauses when the server is down: the first pause, doubling up to the second. */
    server_down_pause: '10s 5m',
    /** How long e-mail pauses after the server refused our login (SMTP_USER/SMTP_PASS): a restart with the right ones resumes within it. */
    auth_failure_pause: '5m',
    /** DKIM: the signing domain (empty: the From address's domain) and selector; the key is SMTP_DKIM_KEY. */
    dkim_domain: '',
    dkim_selector: '',
    min_interval: '1d',
  },
};

/**
 * A channel whose mode is not "every `env:` variable set". E-mail is live
 * with SMTP_URL, or with SMTP_USER (and then SMTP_PASS is required); a relay
 * on this machine without a login is `SMTP_URL=smtp://127.0.0.1:25`.
 */
const LIVE_RULES: Partial<Record<ChannelName, (names: Record<string, string>, secrets: Record<string, string>, rel: string) => { live: boolean; missing: string[] }>> = {
  email(names, secrets, rel) {
    const name = (key: string, fallback: string) => names[key] ?? fallback;
    if (secrets.url) return { live: true, missing: [] };
    if (secrets.user && !secrets.pass) {
      throw new ConfigError(channelMessages().smtpPassMissing(rel, name('user', 'SMTP_USER'), name('pass', 'SMTP_PASS'), name('url', 'SMTP_URL')), { file: rel });
    }
    return secrets.user ? { live: true, missing: [] } : { live: false, missing: [name('url', 'SMTP_URL'), name('user', 'SMTP_USER')] };
  },
};

export function loadChannelConfig(root: string, channel: ChannelName, env: NodeJS.ProcessEnv = process.env): ChannelConfig {
  if (!CHANNEL_NAMES.includes(channel)) {
    throw new ConfigError(channelMessages().unknownChannel(channel, CHANNEL_NAMES.join(', ')));
  }
  const rel = `channels/${channel}.yaml`;
  const abs = join(root, rel);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(abs)) fromFile = parseChannelYaml(readFileSync(abs, 'utf8'), rel, CHANNEL_DEFAULTS[channel]);
  const { env: envNames, optional_env: optionalNames, ...rest } = fromFile as { env?: Record<string, string>; optional_env?: Record<string, string> } & Record<string, unknown>;
  const settings = { ...CHANNEL_DEFAULTS[channel], ...rest };
  // WECHAT_API_BASE / WEIBO_API_BASE point a channel at another server (a test double, a proxy) without editing the YAML.
  const baseOverride = env[`${channel.toUpperCase()}_API_BASE`];
  if ('api_base' in settings && baseOverride) settings.api_base = baseOverride;
  const secrets: Record<string, string> = {};
  const missingEnv: string[] = [];
  for (const [key, varName] of Object.entries(envNames ?? {})) {
    if (typeof varName !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(varName)) {
      throw new ConfigError(channelMessages().envNotAName(rel, key), { file: rel });
    }
    const value = env[varName];
    if (value === undefined || value === '') missingEnv.push(varName);
    else secrets[key] = value;
  }
  // Optional secrets (WeChat's callback token) are read when set, and do not decide the mode.
  for (const [key, varName] of Object.entries(optionalNames ?? {})) {
    if (typeof varName !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(varName)) {
      throw new ConfigError(channelMessages().optionalEnvNotAName(rel, key), { file: rel });
    }
    const value = env[varName];
    if (value !== undefined && value !== '') secrets[key] = value;
  }
  const rule = LIVE_RULES[channel];
  if (rule) {
    const decided = rule({ ...(optionalNames ?? {}), ...(envNames ?? {}) }, secrets, rel);
    const mode = decided.live ? 'live' : 'sandbox';
    return { channel, file: existsSync(abs) ? rel : undefined, mode, approval: needsApproval(channel, mode, settings), missingEnv: decided.missing, settings, secrets };
  }
  const hasEnv = Object.keys(envNames ?? {}).length > 0;
  const mode = hasEnv && missingEnv.length === 0 ? 'live' : 'sandbox';
  return { channel, file: existsSync(abs) ? rel : undefined, mode, approval: needsApproval(channel, mode, settings), missingEnv, settings, secrets };
}

/**
 * Live channels reach the public, and so does the website once base_url is not this machine: `npm start`
 * (the default loopback base_url) publishes to the local site without approval, the bureau's site never.
 */
function needsApproval(channel: ChannelName, mode: 'live' | 'sandbox', settings: Record<string, unknown>): boolean {
  if (channel === 'website') return !isLoopbackUrl(String(settings.base_url));
  return mode === 'live';
}

/**
 * Parses and checks `channels/<name>.yaml`: YAML syntax, a mapping at the top,
 * only known settings (a typo such as `base_ur:` would otherwise be ignored and
 * the default used without a word), each of the type of its default. Every
 * problem names the file, line and column.
 */
export function parseChannelYaml(text: string, rel: string, defaults: Record<string, unknown>): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter });
  const problems: Problem[] = [];
  const add = (offset: number | undefined, message: string) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    problems.push({ file: rel, line, column: col, severity: 'error', message, rule: 'channel-config' });
  };
  const fail = (cause?: unknown) =>
    new ConfigError(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'), { file: rel, cause, problems });
  if (doc.errors.length > 0) {
    add(doc.errors[0].pos[0], channelMessages().configYaml(doc.errors[0].message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')));
    throw fail(doc.errors[0]);
  }
  const data = doc.toJS({ maxAliasCount: 50 }) ?? {};
  if (typeof data !== 'object' || Array.isArray(data) || (doc.contents !== null && !isMap(doc.contents))) {
    add(0, channelMessages().notAMapping(Array.isArray(data) ? channelMessages().aList : typeof data));
    throw fail();
  }
  const known = [...Object.keys(defaults), 'env', 'optional_env'];
  for (const pair of (doc.contents as YAMLMap | null)?.items ?? []) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    const value = (data as Record<string, unknown>)[key];
    if (!known.includes(key)) {
      add(offset, channelMessages().unknownSetting(key, closest(key, known), known.join(', ')));
    } else if (key === 'env' || key === 'optional_env') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) add(offset, channelMessages().envNotAMapping(key));
    } else if (value !== null && typeof value !== typeof defaults[key]) {
      add(offset, channelMessages().wrongSettingType(key, typeof defaults[key], JSON.stringify(defaults[key]), JSON.stringify(value)));
    }
  }
  if (problems.length > 0) throw fail();
  return data as Record<string, unknown>;
}

/** Every channel's configuration; problems in several files are reported together, not one file at a time. */
export function loadAllChannelConfigs(root: string, env: NodeJS.ProcessEnv = process.env): Record<ChannelName, ChannelConfig> {
  const configs: Partial<Record<ChannelName, ChannelConfig>> = {};
  const errors: ConfigError[] = [];
  for (const c of CHANNEL_NAMES) {
    try {
      configs[c] = loadChannelConfig(root, c, env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new ConfigError(errors.map((e) => e.message).join('\n'), { problems: errors.flatMap((e) => e.problems), cause: errors[0] });
  }
  return configs as Record<ChannelName, ChannelConfig>;
}

export function siteConfig(website: ChannelConfig): SiteConfig {
  const s = website.settings;
  return {
    baseUrl: String(s.base_url).replace(/\/+$/, ''),
    title: String(s.title),
    area: String(s.area),
    issuer: String(s.issuer),
  };
}

/**
 * The one precedence merge: defaults → channel YAML → campaign → advisory.
 * Only keys a level actually sets (not undefined) override the level below.
 */
export function effectiveSettings(
  config: ChannelConfig,
  campaign?: Record<string, unknown>,
  advisory?: Record<string, unknown>,
): Record<string, unknown> {
  return { ...config.settings, ...defined(campaign), ...defined(advisory) };
}

function defined(o?: Record<string, unknown>): Record<string, unknown> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Whether a URL points at this machine (127.0.0.0/8, ::1, localhost, 0.0.0.0). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0.0.0.0' || host === '::';
}

/**
 * `advisory check`'s warning about the site address: while base_url is this
 * machine, every link in a post would point readers at it, and live channels
 * refuse to publish. Null when base_url is public.
 */
export function baseUrlProblem(root: string, env: NodeJS.ProcessEnv = process.env): Problem | null {
  const website = loadChannelConfig(root, 'website', env);
  const url = String(website.settings.base_url);
  if (!isLoopbackUrl(url)) return null;
  const file = website.file ?? 'channels/website.yaml';
  const lines = website.file ? readFileSync(join(root, website.file), 'utf8').split('\n') : [];
  const at = lines.findIndex((l) => /^base_url\s*:/.test(l));
  return {
    file, line: at >= 0 ? at + 1 : 1, column: 1, severity: 'warning', rule: 'base-url-loopback',
    message: channelMessages().baseUrlLoopback(url),
  };
}
