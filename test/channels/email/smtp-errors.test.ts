/**
 * Every row of the SMTP error table (smtp-errors.ts), from errors shaped as
 * nodemailer makes them (the live tests meet them through a real server):
 * what the delivery becomes, whether it is a hard bounce, whether the channel
 * pauses and for how long, and that nothing secret or personal is in the text.
 */
import { describe, expect, it } from 'vitest';
import { classifySmtpError, redact, type ErrorContext } from '../../../src/channels/email/smtp-errors.js';

const SECRET = 'hunter2-pass';
function context(): ErrorContext {
  let refused = 0;
  return {
    server: 'mail.example.gov.cn:587', secrets: [SECRET, `smtp://u:${SECRET}@mail.example.gov.cn`], authPauseMs: 300_000, outagePauseMs: () => 10_000,
    loginRefused: () => refused++ > 0,
  };
}
const smtpError = (o: Record<string, unknown>) => Object.assign(new Error(String(o.message ?? 'failed')), o);

describe('SMTP errors', () => {
  const rows: Array<[string, Record<string, unknown>, { failure: string; bounce: boolean; pause: number | null; code: string }]> = [
    ['connection refused', { code: 'ECONNECTION', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.5:587' }, { failure: 'transient', bounce: false, pause: 10_000, code: 'ECONNECTION' }],
    ['timed out', { code: 'ETIMEDOUT', message: 'Greeting never received' }, { failure: 'transient', bounce: false, pause: 10_000, code: 'ETIMEDOUT' }],
    ['421 at DATA', { code: 'EMESSAGE', responseCode: 421, response: '421 4.3.2 shutting down', command: 'DATA' }, { failure: 'transient', bounce: false, pause: 10_000, code: '421' }],
    ['451 for the recipient', { code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 greylisted', command: 'RCPT TO' }, { failure: 'transient', bounce: false, pause: null, code: '451' }],
    ['452 at DATA', { code: 'EMESSAGE', responseCode: 452, response: '452 4.3.1 insufficient storage', command: 'DATA' }, { failure: 'transient', bounce: false, pause: null, code: '452' }],
    ['550 for the recipient', { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <bob@example.org>: user unknown', command: 'RCPT TO' }, { failure: 'permanent', bounce: true, pause: null, code: '550' }],
    ['an address nodemailer refuses', { code: 'EENVELOPE', message: 'Invalid recipient "bob@"' }, { failure: 'permanent', bounce: true, pause: null, code: 'EENVELOPE' }],
    ['554 for the message', { code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 spam', command: 'DATA' }, { failure: 'permanent', bounce: false, pause: null, code: '554' }],
    ['503 (bad sequence: a new connection will do)', { code: 'EENVELOPE', responseCode: 503, response: '503 5.5.1 bad sequence', command: 'RCPT TO' }, { failure: 'transient', bounce: false, pause: null, code: '503' }],
    ['553 for the sender', { code: 'EENVELOPE', responseCode: 553, response: '553 5.7.1 sender not owned', command: 'MAIL FROM' }, { failure: 'needs-person', bounce: false, pause: 300_000, code: '553' }],
    ['535 at login', { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 authentication failed', command: 'AUTH PLAIN' }, { failure: 'needs-person', bounce: false, pause: 300_000, code: '535' }],
  ];
  for (const [name, err, want] of rows) {
    it(name, () => {
      const e = classifySmtpError(smtpError(err), context(), ['bob@example.org']);
      expect({ failure: e.failure, bounce: e.bounce, pause: e.pauseChannel ? e.retryAfterMs : null, code: e.channelCode }).toEqual(want);
      expect(e.message).not.toContain('bob@example.org');
    });
  }

  it('a refused login: the first held for a person, naming SMTP_USER and SMTP_PASS; later ones only wait', () => {
    const ctx = context();
    const err = smtpError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 authentication failed' });
    const first = classifySmtpError(err, ctx);
    expect(first).toMatchObject({ failure: 'needs-person', pauseChannel: true });
    expect(first.message).toMatch(/mail\.example\.gov\.cn:587 refused the login \(the server answered 535 5\.7\.8 authentication failed\): check SMTP_USER and SMTP_PASS/);
    expect(classifySmtpError(err, ctx)).toMatchObject({ failure: 'transient', pauseChannel: true, retryAfterMs: 300_000 });
  });

  it('secrets are taken out of whatever the server or the socket said', () => {
    const e = classifySmtpError(smtpError({ code: 'ECONNECTION', message: `proxy to smtp://u:${SECRET}@mail.example.gov.cn refused; ${SECRET}` }), context());
    expect(e.message).not.toContain(SECRET);
    expect(redact(`smtps://someone:other@h and smtp://x:y@h`, [])).toBe('smtps://***@h and smtp://***@h');
  });
});
