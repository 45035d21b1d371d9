/**
 * Regressions (issue 8) for `advisory run`: a port already in use or an unknown
 * --host ended in exit 70 and a stack trace ("a bug"); they are configuration:
 * one line and exit 3. `--clock-start "Sept 29 2014"` was accepted, and a time
 * without an offset was read in the machine's zone; now only ISO 8601 with Z
 * or an offset, else a usage error (exit 2) with an example.
 * The daemon runs as the real built CLI in a child process (it listens, and
 * installs signal handlers); option parsing is checked in process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { rmSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { parseClockStart } from '../../src/cli/commands/run.js';
import { tmpProject } from '../delivery/helpers.js';
import { assertBuilt, startProcess } from '../delivery/daemon-process.js';

let root: string;
beforeEach(() => {
  root = tmpProject();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs `advisory run` to its end (it should not get as far as serving). */
async function runDaemon(...args: string[]) {
  assertBuilt();
  const p = startProcess(['run', '--root', root, ...args]);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
  const { code } = await p.exited;
  clearTimeout(timer);
  return { code, err: p.stderr(), out: p.stdout() };
}

function expectOneLine(r: { code: number | null; err: string }, line: string | RegExp): void {
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
  if (typeof line === 'string') expect(r.err).toBe(`${line}\n`);
  else expect(r.err).toMatch(line);
  expect(r.code).toBe(3);
}

describe('advisory run: where it listens', () => {
  let busy: Server;
  afterEach(() => new Promise<void>((resolve) => (busy ? busy.close(() => resolve()) : resolve())));

  it('a port already in use: exit 3, one line saying so and what to do', async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const r = await runDaemon('--port', String(port));
    expectOneLine(r, `advisory run: port ${port} on 127.0.0.1 is already in use: stop the other program or pick another with --port N`);
  });

  it('an address that is not this machine\'s (EADDRNOTAVAIL): exit 3, one line', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    const r = await runDaemon('--port', '0', '--host', '192.0.2.1');
    expectOneLine(r, 'advisory run: 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL): listen on one of its own addresses with --host, e.g. 127.0.0.1');
  });

  it('a host name that does not resolve (ENOTFOUND, or EAI_AGAIN without a name server): exit 3, one line', async () => {
    const r = await runDaemon('--port', '0', '--host', 'no-such-host.invalid');
    expectOneLine(r, /^advisory run: (unknown host|could not look up the host) "no-such-host\.invalid" \((ENOTFOUND|EAI_AGAIN)[):].*--host, e\.g\. 127\.0\.0\.1.*\n$/);
  });
});

describe('advisory run --clock-start', () => {
  async function cli(...args: string[]) {
    const err: string[] = [];
    const code = await main(['run', '--root', root, ...args], { out: () => {}, err: (t) => err.push(t), env: { ADVISORY_LANG: 'en' }, now: () => new Date() });
    return { code, err: err.join('\n') };
  }

  it('"Sept 29 2014" is a usage error (exit 2) with an example', async () => {
    const r = await cli('--clock-start', 'Sept 29 2014');
    expect(r.code).toBe(2);
    expect(r.err).toBe('advisory run: --clock-start must be an ISO 8601 date and time with Z or an offset, e.g. 2014-09-29T01:00:00Z or 2014-09-29T09:00+08:00; got "Sept 29 2014".');
  });

  it('a time without an offset is refused too, saying why (it would be read in this machine\'s zone)', async () => {
    const r = await cli('--clock-start', '2014-09-29T09:00');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/got "2014-09-29T09:00" \(no offset: add Z for UTC or \+08:00 for Beijing time/);
    expect((await cli('--clock-start', '2014-09-29')).code).toBe(2);
  });

  it('a date that does not exist is a usage error naming the part', async () => {
    const r = await cli('--clock-start', '2014-02-30T09:00Z');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not a real date and time \(2014-02 has 28 days, so day 30 does not exist\); e\.g\. 2014-09-29T01:00:00Z/);
  });

  it('Z and explicit offsets give the same instant on every machine', () => {
    expect(parseClockStart('2014-09-29T01:00:00Z').toISOString()).toBe('2014-09-29T01:00:00.000Z');
    expect(parseClockStart('2014-09-29T09:00+08:00').toISOString()).toBe('2014-09-29T01:00:00.000Z');
    expect(parseClockStart('2014-09-29T09:00:00.5+0800').toISOString()).toBe('2014-09-29T01:00:00.500Z');
    expect(parseClockStart('2014-09-28T21:00-04:00').toISOString()).toBe('2014-09-29T01:00:00.000Z');
  });
});
