/**
 * What a Chinese-speaking staff member still read in English after the catalogue (issue 14), found by running
 * the CLI with no language in the environment, each now said in Chinese: each channel's mode line (`run`'s
 * start-up, `channels verify`), the warnings of a listener beyond loopback, the holiday line of `plan`, the
 * warning of an estimated year (check's [calendar-estimated], plan), `advisory calendar YEAR`, the website's
 * rollback and --out refusals, a channel file that is not settings. The place before a problem keeps the
 * `file:line: 警告 …` shape (an ASCII colon and space, as formatProblem prints it), and `messages()` refuses,
 * at the entry, a message that may return something other than a string.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import ts from 'typescript';
import { runCli } from '../cli/in-process.js';
import { classifySmtpError, type ErrorContext } from '../../src/channels/email/smtp-errors.js';
import { NoAnswerError } from '../../src/channels/api-call.js';
import { sayReason } from '../../src/i18n/reasons.js';
import { passwordProblem, staffNameProblem } from '../../src/delivery/staff.js';
import { staffMessages } from '../../src/i18n/messages-people.js';
import { MAIN, assertBuilt, until } from '../delivery/daemon-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HAN = /\p{Script=Han}/u;
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** This process's environment without a language or channel credentials (a shell with no locale set). */
const noLang: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !['ADVISORY_LANG', 'LANG', 'LC_ALL', 'LC_MESSAGES'].includes(k) && !/^(WECHAT|WEIBO|SMTP)_/.test(k)),
);
const env = (more: NodeJS.ProcessEnv = {}) => ({ ...noLang, LOG_LEVEL: 'silent', ...more });
/** Inside the 2027 National Day season's planning horizon: the evergreen campaign's next holiday is estimated. */
const in2027 = () => new Date('2027-06-01T00:00:00Z');

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'advisory-zh-leftovers-'));
  temps.push(dir);
  for (const d of ['advisories', 'templates', 'channels']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

describe('channel modes in Chinese', () => {
  it('channels verify: every line says its level and its mode in Chinese', async () => {
    const r = await runCli(['channels', 'verify', '--root', project()], { env: env() });
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^website +正常 +生成网站（不需要凭据）$/);
    expect(lines[1]).toMatch(/^wechat +沙盒 +沙盒（未设置：WECHAT_APPID, WECHAT_SECRET）→ 只写入 var\/outbox\/wechat\/，不会真正发布$/);
    expect(r.out).not.toMatch(/sandbox|writes the site|not set/);
  });

  it('channels verify: a live channel that cannot reach its server says so in Chinese', async () => {
    const r = await runCli(['channels', 'verify', '--channel', 'weibo', '--root', project()], { env: env({ WEIBO_ACCESS_TOKEN: 'token', WEIBO_API_BASE: 'http://127.0.0.1:1' }) });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^weibo +失败 +\/oauth2\/get_token_info：无法连接服务器（[^）]+）：请检查本机的网络和代理，以及 api_base（或 WEIBO_API_BASE）设置$/m);
  });

  it('channels verify --lang en: the English as before', async () => {
    const r = await runCli(['channels', 'verify', '--lang', 'en', '--root', project()], { env: env() });
    expect(r.out).toMatch(/^website +ok +writes the site \(no credentials needed\)$/m);
    expect(r.out).toMatch(/^weibo +sandbox +sandbox \(not set: WEIBO_ACCESS_TOKEN\) → var\/outbox\/weibo\/$/m);
  });

  it('run: the start-up lines, the listener warnings and each channel\'s mode, in Chinese', async () => {
    assertBuilt();
    const dir = project();
    // Not startProcess: it adds this process's environment, whose ADVISORY_LANG says English (vitest.config.ts).
    const child = spawn(process.execPath, [MAIN, 'run', '--root', dir, '--port', '0', '--host', '0.0.0.0', '--staff-host', '0.0.0.0'], {
      env: env({ LOG_LEVEL: 'warn' }), stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const closed = new Promise((resolve) => child.on('close', resolve));
    try {
      await until(() => /^ {2}email[:：]/m.test(err) || child.exitCode !== null, 20_000, 'the start-up lines');
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
    expect(err).toMatch(/^advisory run：正在为 .* 调度发送；公众网站：http:\/\/0\.0\.0\.0:\d+\/$/m);
    expect(err).toMatch(/^ {2}警告：公众端口监听在 0\.0\.0\.0:\d+，不是本机回环地址：网站、订阅和退订页面以及微信回调可以从其他机器直接访问/m);
    expect(err).toMatch(/^ {2}警告：工作人员端口监听在 0\.0\.0\.0:\d+，不是本机回环地址：/m);
    expect(err).toMatch(/^ {2}website：生成网站（不需要凭据）$/m);
    expect(err).toMatch(/^ {2}wechat：沙盒（未设置：WECHAT_APPID, WECHAT_SECRET）→ 只写入 var\/outbox\/wechat\/，不会真正发布$/m);
    expect(err).toMatch(/^ {2}weibo：沙盒（未设置：WEIBO_ACCESS_TOKEN）/m);
    expect(err).toMatch(/^ {2}email：沙盒（未设置：/m);
    // every line a person reads (not pino's JSON) is in Chinese
    const read = err.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
    expect(read.filter((l) => !HAN.test(l))).toEqual([]);
  });
});

describe('the holiday calendar in Chinese', () => {
  it('plan: the holiday line and the estimated-year warning', async () => {
    const r = await runCli(['plan', 'national-day', '--from', '2027-09-01', '--to', '2027-10-31', '--root', project()], { env: env() });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('\n  节日：国庆节 2027 年放假 10月1日至7日——推算\n');
    expect(r.err.trim()).toBe(
      '警告：2027 年的 national-day（国庆节）：内置的节假日日历（chinese-days）还没有 2027 年，所以日期是推算的（10月1日至7日）。国务院公布 2027 年的放假安排后，请把它写进 calendar/2027.yaml（见 README）。',
    );
  });

  it('check: the [calendar-estimated] warning in Chinese, with its place and rule as they are', async () => {
    const r = await runCli(['check', 'national-day', '--root', project()], { env: env(), now: in2027 });
    expect(r.out).toMatch(
      /^advisories\/national-day\/campaign\.yaml:\d+:\d+: 警告 下一个国庆节在 2027 年：2027 年的 national-day（国庆节）：内置的节假日日历（chinese-days）还没有 2027 年，所以日期是推算的（10月1日至7日）。.* \[calendar-estimated\]$/m,
    );
  });

  it('a calendar/2027.yaml: plan says official (local file), with the swapped working days', async () => {
    const dir = project();
    mkdirSync(join(dir, 'calendar'));
    writeFileSync(join(dir, 'calendar/2027.yaml'), 'national-day:\n  off: 2027-10-01..2027-10-07\n  work: [2027-09-26, 2027-10-09]\n');
    const r = await runCli(['plan', 'national-day', '--from', '2027-09-01', '--to', '2027-10-31', '--root', dir], { env: env() });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('\n  节日：国庆节 2027 年放假 10月1日至7日，调休上班 9月26日、10月9日——官方安排（本地文件 calendar/2027.yaml）\n');
    expect(r.err).toBe('');
  });

  it('advisory calendar 2027: headings, days, sources and what to do, in Chinese', async () => {
    const r = await runCli(['calendar', '2027', '--root', project()], { env: env() });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^本项目安排发布时采用的 2027 年节假日（中国日期）：$/m);
    expect(r.out).toContain('\n春节 spring-festival——按农历日期（除夕至初六）推算：还没有 2027 年的官方安排\n  放假  2027-02-05（周五） … 2027-02-11（周四），共 7 天\n  调休  无\n');
    expect(r.out).toMatch(/^有 7 个节日的日期是推算的：国务院公布 2027 年的放假安排后，请把它写进 calendar\/2027\.yaml/m);
    const lines = r.out.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => !HAN.test(l))).toEqual([]);
  });

  it('advisory calendar 2023: a shared break and the package it comes from', async () => {
    const r = await runCli(['calendar', '2023', '--root', project()], { env: env() });
    expect(r.out).toMatch(/^中秋节、国庆节 mid-autumn（与 national-day 同属一个假期）——官方安排，取自内置的 chinese-days 软件包 \d/m);
    expect(r.out).toContain('  调休  2023-10-07（周六）、2023-10-08（周日）\n');
  });

  it('advisory calendar: its usage errors and --help', async () => {
    const dir = project();
    expect((await runCli(['calendar', '--root', dir], { env: env() })).err.trim()).toMatch(/^advisory calendar：请写上年份，例如 advisory calendar 2027/);
    expect((await runCli(['calendar', '２０２７', '--root', dir], { env: env() })).err).toContain('“２０２７”不是年份：请写四位数字，例如 advisory calendar 2027（这是全角数字：请切换到英文输入法后重新输入）');
    expect((await runCli(['calendar', '1800', '--root', dir], { env: env() })).err).toContain('节假日日历覆盖 1901–2099 年；1800 年不在范围内');
    const help = await runCli(['calendar', '--help'], { env: env() });
    expect(help.out).toContain('用法：advisory calendar YEAR [--json]');
    expect(help.out).not.toContain('Usage:');
  });
});

describe('the website\'s refusals and a channel file that is not settings, in Chinese', () => {
  it('rollback with nothing deployed, then with only one build', async () => {
    const dir = project();
    const none = await runCli(['rollback', 'website', '--root', dir], { env: env() });
    expect(none.err.trim()).toBe('advisory rollback：还没有部署过网站，没有可回退的版本：请先运行 `advisory build` 或发布一次。');
    expect((await runCli(['build', '--root', dir], { env: env() })).code).toBe(0);
    const one = await runCli(['rollback', 'website', '--root', dir], { env: env() });
    expect(one.err.trim()).toMatch(/^advisory rollback：版本 \S+ 已经是保留的最早版本（共保留 1 个）；没有更早的版本可以回退。$/);
  });

  it('build --preview --out a file, or a folder of someone else\'s', async () => {
    const dir = project();
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const file = await runCli(['build', '--preview', '--out', join(dir, 'notes.txt'), '--root', dir], { env: env() });
    expect(file.err.trim()).toBe(`advisory build：${join(dir, 'notes.txt')} 是一个文件，不是文件夹：请用 --out 指定一个空的或新的文件夹`);
    const taken = await runCli(['preview', '--out', join(dir, 'channels'), '--root', dir], { env: env() });
    expect(taken.err).toContain(`advisory preview：${join(dir, 'channels')} 不是空的，也不是之前生成的预览（没有 .advisory-preview 文件）：请用 --out 选一个空文件夹。`);
  });

  it('a channel file holding a line of text', async () => {
    const dir = project();
    writeFileSync(join(dir, 'channels/wechat.yaml'), 'x\n');
    const r = await runCli(['check', '--root', dir], { env: env() });
    expect(r.out).toContain('channels/wechat.yaml:1:1: 错误 这里应该是若干行“设置项: 值”，但现在是一行文字。 [channel-config]');
  });
});

describe('said in the reader\'s language, or with Chinese quotes', () => {
  it('the console\'s first-account form: a bad name or password in the page\'s language, whatever the process\'s', () => {
    expect(passwordProblem('short', 'zh-CN')).toMatch(/^密码至少要有 \d+ 个字符/);
    expect(passwordProblem('short', 'en')).toMatch(/^a password needs at least \d+ characters/);
    expect(staffNameProblem('a b', 'zh-CN')).toMatch(/^“a b”不能用作工作人员账号名/);
    expect(staffMessages('zh-CN').passwordsDiffer).toBe('两次输入的密码不一致');
  });

  it('an unknown holiday in campaign.yaml is quoted the Chinese way', async () => {
    const dir = project();
    const file = join(dir, 'advisories/2014-national-day/campaign.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('holiday: national-day', 'holiday: natonal-day'));
    const r = await runCli(['check', '2014-national-day', '--root', dir], { env: env() });
    expect(r.out).toContain('错误 未知的节日“natonal-day”。您是不是要输入“national-day”？可以填写：new-year, ');
  });

  it('subscribers export to a file: no stray space in the sentence', async () => {
    const dir = project();
    expect((await runCli(['subscribers', 'add', 'wang@example.org', '--root', dir], { env: env() })).code).toBe(0);
    const r = await runCli(['subscribers', 'export', join(dir, 'out.csv'), '--root', dir], { env: env() });
    expect(r.err + r.out).toMatch(/^已把 1 位订阅者导出到 \S*out\.csv（CSV/m);
  });
});

describe('the failures our channels word themselves, said in Chinese where shown (the ledger keeps the English)', () => {
  it('every SMTP refusal, a call that got no answer or never reached the server', () => {
    const ctx = (refusedBefore: boolean): ErrorContext => ({ server: 'mail.example.gov.cn:587', secrets: [], outagePauseMs: () => 60_000, authPauseMs: 60_000, loginRefused: () => refusedBefore });
    const failures = [
      classifySmtpError(Object.assign(new Error('busy'), { responseCode: 421, response: '421 4.3.2 (busy)' }), ctx(false)),
      classifySmtpError(Object.assign(new Error('auth'), { code: 'EAUTH', responseCode: 535, response: '535 bad credentials' }), ctx(false)),
      classifySmtpError(Object.assign(new Error('auth'), { code: 'EAUTH', responseCode: 535, response: '535 bad credentials' }), ctx(true)),
      classifySmtpError(Object.assign(new Error('from'), { command: 'MAIL FROM', responseCode: 550, response: '550 not allowed' }), ctx(false)),
      classifySmtpError(Object.assign(new Error('rcpt'), { code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 no such user' }), ctx(false)),
      classifySmtpError(Object.assign(new Error('data'), { command: 'DATA', responseCode: 554, response: '554 spam' }), ctx(false)),
      classifySmtpError(Object.assign(new Error('bad address'), { code: 'EENVELOPE' }), ctx(false)),
      classifySmtpError(Object.assign(new Error('bad message'), { code: 'EMESSAGE' }), ctx(false)),
      classifySmtpError(Object.assign(new Error('later'), { responseCode: 451, response: '451 greylisted' }), ctx(false)),
      classifySmtpError(Object.assign(new Error('odd'), { code: 'EODD' }), ctx(false)),
      new NoAnswerError('wechat', '/cgi-bin/draft/add', true, Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
      new NoAnswerError('weibo', '/2/statuses/share.json', false, Object.assign(new Error('dns'), { code: 'ENOTFOUND' })),
    ].map((e) => e.message);
    const english = failures.filter((f) => sayReason(f, 'zh-CN') === f || !HAN.test(sayReason(f, 'zh-CN')));
    expect(english).toEqual([]);
    for (const f of failures) expect(sayReason(f, 'en')).toBe(f);
  });
});

describe('a place before a problem: `file:line: 警告 …`, as formatProblem prints it', () => {
  it('subscribers import: a cut name is a warning and a bad line an error, each after `file:line: `', async () => {
    const dir = project();
    const csv = join(dir, 'list.csv');
    writeFileSync(csv, `email,name\nzhao@example.com，赵六\nli@example.com,${'李'.repeat(120)}\n`);
    const r = await runCli(['subscribers', 'import', csv, '--root', dir], { env: env() });
    expect(r.err).toMatch(new RegExp(`^${csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: 警告 `, 'm'));
    expect(r.err).toMatch(new RegExp(`^${csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: 地址“zhao@example\\.com，赵六”无效`, 'm'));
    expect(r.err).not.toMatch(/:\d+：/);
  });

  it('no message in the catalogue puts a full-width colon after a place or before a severity word', () => {
    const dir = join(ROOT, 'src/i18n');
    const wrong: string[] = [];
    for (const f of readdirSync(dir).filter((n) => /^messages-.*\.ts$/.test(n))) {
      readFileSync(join(dir, f), 'utf8').split('\n').forEach((line, i) => {
        // `${place}：警告`, `${label}：错误`, `${file}:${line}:${column}：…`, `${place}：${message}`
        if (/\}：(错误|警告|error|warning)/.test(line) || /:\$\{[^}]+\}：/.test(line) || /\$\{(place|label)\}：/.test(line)) wrong.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(wrong).toEqual([]);
  });
});

describe('messages(): an entry that may return something other than a string', () => {
  /** Type-checks `source` (beside src/i18n/index.ts) and returns its errors. */
  function typeErrors(source: string): string[] {
    const file = join(ROOT, 'src/i18n/__typecheck__.ts');
    const host = ts.createCompilerHost({ strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true, types: [] });
    const read = host.readFile.bind(host);
    host.readFile = (name) => (name === file ? source : read(name));
    const exists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || exists(name);
    const getSource = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : getSource(name, lang, ...rest));
    const program = ts.createProgram([file], { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true, types: [] }, host);
    return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file).map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  }

  it('is refused at that entry, with a sentence naming it; the other entries keep their types', () => {
    const errors = typeErrors([
      "import { messages } from './index.js';",
      'const t = messages(',
      "  { a: (x: string) => `a ${x}`, b: (x: string) => (x ? 'b' : undefined), c: 'c' },",
      "  { a: (x: string) => `甲 ${x}`, b: (x: string) => `乙 ${x}`, c: '丙' },",
      ');',
      "export const s: string = t().a('x') + t().c;",
    ].join('\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^3: /);
    expect(errors[0]).toContain('messages(): \\"b\\" must return a string in every case (it can return undefined)');
  });

  it('a table of strings and functions returning strings passes', () => {
    expect(typeErrors([
      "import { messages } from './index.js';",
      "const t = messages({ a: (n: number) => `${n} day(s)`, c: 'c' }, { a: (n: number) => `${n} 天`, c: '丙' });",
      "export const s: string = t().a(2) + t('en').c;",
    ].join('\n'))).toEqual([]);
  });
});
