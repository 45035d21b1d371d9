/**
 * Regressions in reading a subscriber list typed with a Chinese input method: `、` (the enumeration comma)
 * between the address and the name was not taken for the slipped comma it is; `sun2＠example。com` named
 * only the ＠, not the 。; `sun@example.com，,` (the slipped comma at the end) was said as followed by “”.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setLang } from '../../src/i18n/index.js';
import { validAddress } from '../../src/delivery/subscriber-list.js';
import { runCli } from './in-process.js';
import { tmpProject } from '../delivery/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  setLang('en');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a subscriber list typed in Chinese input mode', () => {
  it('、 between the address and the name is read as the slipped comma, with the fix', () => {
    setLang('zh-CN');
    expect(validAddress('qian@example.com、钱七')).toBe('“qian@example.com”后面是顿号“、”（U+3001，在中文输入法下打出）和“钱七”：在名单中，地址和姓名之间请用英文逗号分隔：qian@example.com,钱七');
    setLang('en');
    expect(validAddress('qian@example.com、钱七')).toBe('"qian@example.com" is followed by an enumeration comma "、" (U+3001, typed in Chinese input mode) and "钱七": in a list, separate the address and the name with an ordinary comma: qian@example.com,钱七');
  });

  it('every slipped character of an address is named, each once', () => {
    setLang('zh-CN');
    expect(validAddress('sun2＠example。com')).toBe('含有全角的“＠”（U+FF20，在中文输入法下打出）和中文句号“。”（U+3002，在中文输入法下打出）：请依次改为“@”和“.”（sun2@example.com）');
    setLang('en');
    expect(validAddress('sun2＠example。com')).toBe('contains a full-width "＠" (U+FF20, typed in Chinese input mode) and a Chinese full stop "。" (U+3002, typed in Chinese input mode): retype them as "@" and "." (sun2@example.com)');
    expect(validAddress('wang＠example.org')).toBe('contains a full-width "＠" (U+FF20, typed in Chinese input mode): retype it as "@" (wang@example.org)');
  });

  it('a slipped comma with no name after it is said as one to remove, not as followed by “”', () => {
    setLang('zh-CN');
    expect(validAddress('sun@example.com，')).toBe('“sun@example.com”后面多了全角的“，”（U+FF0C，在中文输入法下打出），后面没有姓名：请删掉它（地址是 sun@example.com）');
    setLang('en');
    expect(validAddress('sun@example.com，')).not.toContain('""');
  });

  it('subscribers import says each in the line it is on', async () => {
    const root = tmpProject();
    dirs.push(root);
    writeFileSync(join(root, 'list.csv'), 'li@example.com,李四\nqian@example.com、钱七\nsun2＠example。com,孙八\nsun@example.com，,\n');
    const r = await runCli(['subscribers', 'import', 'list.csv', '--root', root], { cwd: root, env: { LOG_LEVEL: 'silent', NO_COLOR: '1', ADVISORY_LANG: 'zh-CN' } });
    const said = r.out + r.err;
    expect(said).toMatch(/list\.csv:2.*顿号“、”.*qian@example\.com,钱七/);
    expect(said).toMatch(/list\.csv:3.*全角的“＠”.*中文句号“。”/);
    expect(said).toMatch(/list\.csv:4.*后面没有姓名：请删掉它/);
    expect(said).not.toContain('“”');
  });
});
