/**
 * Channel configuration: `channels/<name>.yaml` over built-in defaults.
 *
 * Precedence is written once, here, as one merge:
 *   built-in defaults → channels/<name>.yaml → campaign → advisory front matter
 * (`effectiveSettings`). Secrets never live in these files: a YAML names the
 * environment variables that hold them under `env:`, and a channel runs `live`
 * only when every one of them is set, otherwise `sandbox`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { CHANNEL_NAMES, type ChannelName } from '../content/schema.js';
import { ConfigError } from '../errors.js';

export interface ChannelConfig {
  channel: ChannelName;
  /** Project-relative path of the YAML, when there is one. */
  file?: string;
  mode: 'live' | 'sandbox';
  /** Names of the env vars the YAML asks for that are not set (why we are in sandbox). */
  missingEnv: string[];
  /** Non-secret settings after defaults → YAML. */
  settings: Record<string, unknown>;
  /** Secret values read from the environment, keyed by the YAML's `env:` keys. Never log this. */
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
  },
  weibo: {
    api_base: 'https://api.weibo.com',
    max_chars: 140,
    target_chars: 130,
    url_chars: 10,
    latin_weight: 0.5,
    astral_weight: 2,
    rip: '127.0.0.1',
  },
  email: {
    host: '127.0.0.1',
    port: 25,
    secure: false,
    from: '章丘市公安局 <advisories@example.gov.cn>',
    pool: true,
    max_connections: 5,
    rate_per_second: 50,
  },
};

export function loadChannelConfig(root: string, channel: ChannelName, env: NodeJS.ProcessEnv = process.env): ChannelConfig {
  if (!CHANNEL_NAMES.includes(channel)) {
    throw new ConfigError(`Unknown channel "${channel}". Expected one of: ${CHANNEL_NAMES.join(', ')}.`);
  }
  const rel = `channels/${channel}.yaml`;
  const abs = join(root, rel);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(abs)) {
    const doc = parseDocument(readFileSync(abs, 'utf8'), { uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [1, 1];
      throw new ConfigError(`${rel}:${line}:${col}: ${e.message.split('\n')[0]}`, { file: rel, cause: e });
    }
    const data = doc.toJS({ maxAliasCount: 50 }) ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new ConfigError(`${rel}: expected a mapping of settings, got ${Array.isArray(data) ? 'a list' : typeof data}.`, { file: rel });
    }
    fromFile = data as Record<string, unknown>;
  }
  const { env: envNames, ...rest } = fromFile as { env?: Record<string, string> } & Record<string, unknown>;
  const settings = { ...CHANNEL_DEFAULTS[channel], ...rest };
  const secrets: Record<string, string> = {};
  const missingEnv: string[] = [];
  for (const [key, varName] of Object.entries(envNames ?? {})) {
    if (typeof varName !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(varName)) {
      throw new ConfigError(
        `${rel}: env.${key} must name an environment variable (like WECHAT_SECRET), not hold a value. Put the secret in the environment, never in the repository.`,
        { file: rel },
      );
    }
    const value = env[varName];
    if (value === undefined || value === '') missingEnv.push(varName);
    else secrets[key] = value;
  }
  const hasEnv = Object.keys(envNames ?? {}).length > 0;
  const mode = hasEnv && missingEnv.length === 0 ? 'live' : 'sandbox';
  return { channel, file: existsSync(abs) ? rel : undefined, mode, missingEnv, settings, secrets };
}

export function loadAllChannelConfigs(root: string, env: NodeJS.ProcessEnv = process.env): Record<ChannelName, ChannelConfig> {
  return Object.fromEntries(CHANNEL_NAMES.map((c) => [c, loadChannelConfig(root, c, env)])) as Record<ChannelName, ChannelConfig>;
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
