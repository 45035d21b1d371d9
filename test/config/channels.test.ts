/**
 * channels/*.yaml: typos and wrong types are errors with a place (they were
 * silently ignored and the default used), and the one precedence merge,
 * defaults → channel YAML → campaign → advisory, pair by pair.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANNEL_DEFAULTS, effectiveSettings, loadAllChannelConfigs, loadChannelConfig } from '../../src/config/channels.js';
import { ConfigError } from '../../src/errors.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'advisory-config-'));
  mkdirSync(join(root, 'channels'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'channels', name), text);
  return root;
}

function problemsOf(f: () => unknown) {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('channels/*.yaml is checked', () => {
  it('the shipped files load without a problem', () => {
    expect(() => loadAllChannelConfigs(ROOT, {})).not.toThrow();
  });

  it('an unknown setting is an error at its line, with a did-you-mean', () => {
    const root = project({ 'website.yaml': 'title: 网站\nbase_ur: https://www.example.gov.cn\n' });
    expect(problemsOf(() => loadChannelConfig(root, 'website', {}))).toEqual([
      expect.stringMatching(/^channels\/website\.yaml:2:1: unknown setting "base_ur"\. Did you mean "base_url"\?/),
    ]);
  });

  it('a setting of the wrong type is an error naming the expected type', () => {
    const root = project({ 'weibo.yaml': 'max_chars: "140"\n' });
    expect(problemsOf(() => loadChannelConfig(root, 'weibo', {}))).toEqual(['channels/weibo.yaml:1:1: "max_chars" should be a number (like 140), but is "140".']);
  });

  it('a YAML syntax error has its place and no repeated position in the text', () => {
    const root = project({ 'wechat.yaml': 'author: 章丘公安\nenv: [1\n' });
    const [p] = problemsOf(() => loadChannelConfig(root, 'wechat', {}));
    expect(p).toMatch(/^channels\/wechat\.yaml:3:1: /);
    expect(p).not.toMatch(/at line/);
  });

  it('problems in several files are reported together', () => {
    const root = project({ 'website.yaml': 'titel: x\n', 'email.yaml': 'port: smtp\n' });
    expect(problemsOf(() => loadAllChannelConfigs(root, {})).map((l) => l.split(':')[0])).toEqual(['channels/website.yaml', 'channels/email.yaml']);
  });

  it('a secret written into the file instead of an env var name is refused', () => {
    const root = project({ 'weibo.yaml': 'env:\n  access_token: 2.00abcdef\n' });
    expect(() => loadChannelConfig(root, 'weibo', {})).toThrow(/must name an environment variable/);
  });
});

describe('precedence: defaults → channels/<name>.yaml → campaign → advisory', () => {
  const root = project({ 'wechat.yaml': 'author: 文件作者\n' });
  const config = loadChannelConfig(root, 'wechat', {});
  const bare = loadChannelConfig(project({}), 'wechat', {});

  it('the YAML overrides the built-in default', () => {
    expect(bare.settings.author).toBe(CHANNEL_DEFAULTS.wechat.author);
    expect(effectiveSettings(config).author).toBe('文件作者');
  });
  it('the campaign overrides the YAML', () => {
    expect(effectiveSettings(config, { author: '活动作者' }).author).toBe('活动作者');
  });
  it('the advisory overrides the campaign', () => {
    expect(effectiveSettings(config, { author: '活动作者' }, { author: '提示作者' }).author).toBe('提示作者');
  });
  it('a level that leaves a key undefined does not override the level below', () => {
    expect(effectiveSettings(config, { author: undefined }, { author: undefined }).author).toBe('文件作者');
  });
});
