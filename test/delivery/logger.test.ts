import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/delivery/logger.js';

describe('delivery logs', () => {
  it('write one JSON line per event and mask secrets wherever they sit', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const log = createLogger(sink as never, 'info');
    log.info({ campaign: '2014-national-day', channel: 'wechat', secrets: { secret: 'abc' }, config: { access_token: 'tok123', pass: 'pw' } }, 'sent');
    expect(lines).toHaveLength(1);
    const e = JSON.parse(lines[0]);
    expect(e).toMatchObject({ campaign: '2014-national-day', channel: 'wechat', msg: 'sent', secrets: '[redacted]', config: { access_token: '[redacted]', pass: '[redacted]' } });
    expect(lines[0]).not.toMatch(/abc|tok123|pw"/);
  });
});
