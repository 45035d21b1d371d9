/**
 * Regression: a template including a partial no file defines (`{{> nosuchpartial}}`) passed `advisory check`
 * with 0 errors when check did not render that template or branch (home.hbs, an {{#if}} not taken), and was
 * placed at 1:1 when it did; build and publish failed on it. The renderer now finds every literal partial name
 * at start-up: check reports it as an error at the template's file:line:column, and nothing publishes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli/in-process.js';
import { tmpProject, withStore } from '../delivery/helpers.js';
import { createRenderer } from '../../src/render/create.js';
import { TemplateError } from '../../src/errors.js';

let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const env = { LOG_LEVEL: 'silent', NO_COLOR: '1', ADVISORY_LANG: 'en' };
const cli = (args: string[]) => runCli([...args, '--root', root], { env, now: () => new Date('2014-09-28T02:00:00Z') });
function prefixLine(file: string, line: number, text: string): void {
  const path = join(root, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[line - 1] = text + lines[line - 1];
  writeFileSync(path, lines.join('\n'));
}

describe('a missing partial is a template error check reports', () => {
  it('in a branch not taken, in a page check does not render: check fails at file:line:column; publish sends nothing', async () => {
    prefixLine('templates/website/home.hbs', 3, '  {{#if nothing}}{{> nosuchpartial}}{{/if}}');
    const r = await cli(['check']);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.out).toMatch(/^templates\/website\/home\.hbs:3:18: error .*"nosuchpartial" \(\{\{> nosuchpartial\}\}\), but no file defines it .*website\/top/m);
    expect(r.out).toMatch(/[1-9]\d* errors?/);

    const publish = await cli(['publish', '2014-national-day', '--now', '--channel', 'website']);
    expect(publish.code).not.toBe(0);
    expect(await withStore(join(root, 'var'), (s) => s.counts())).toMatchObject({ sent: 0 });
  });

  it('in a channel template check renders (weibo), at its own place, in Chinese too', async () => {
    prefixLine('templates/weibo/status.txt.hbs', 1, '{{> weibo/nosuch}}');
    const r = await runCli(['check', '--root', root], { env: { ...env, ADVISORY_LANG: 'zh-CN' } });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^templates\/weibo\/status\.txt\.hbs:1:1: 错误 .*子模板“weibo\/nosuch”/m);
  });

  it('the renderer refuses it at start-up (not tolerant), and a {{#> name}} with a fallback or an inline partial is no error', () => {
    prefixLine('templates/wechat/article.hbs', 1, '{{#*inline "mine"}}x{{/inline}}{{> mine}}{{#> wechat/absent}}fallback{{/wechat/absent}}');
    expect(() => createRenderer(root)).not.toThrow();
    prefixLine('templates/wechat/article.hbs', 2, '{{> absent}}');
    expect(() => createRenderer(root)).toThrow(TemplateError);
    expect(createRenderer(root, { tolerant: true }).templateErrors.map((e) => [e.file, e.line, e.column])).toEqual([['templates/wechat/article.hbs', 2, 1]]);
  });
});
