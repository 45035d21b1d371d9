/**
 * When e-mail is live and where it goes: SMTP_URL or SMTP_USER makes it live
 * (SMTP_USER without SMTP_PASS is a configuration error naming SMTP_PASS),
 * SMTP_URL wins over host/port + SMTP_USER/SMTP_PASS, and no message about
 * a bad value shows the value. DKIM options from SMTP_DKIM_KEY.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../delivery/helpers.js';
import { loadChannelConfig } from '../../../src/config/channels.js';
import { dkimOptions, smtpServer } from '../../../src/channels/email/smtp-config.js';
import { listUnsubscribe, mailIdentity } from '../../../src/channels/email/identity.js';
import { ConfigError } from '../../../src/errors.js';

const config = (env: Record<string, string>) => loadChannelConfig(REPO, 'email', env);

function thrown(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('e-mail: live or sandbox', () => {
  it('without SMTP_URL or SMTP_USER: sandbox, saying which variables would make it live', () => {
    expect(config({})).toMatchObject({ mode: 'sandbox', missingEnv: ['SMTP_URL', 'SMTP_USER'] });
    expect(config({ SMTP_PASS: 'x' }).mode).toBe('sandbox');
    expect(config({ SMTP_DKIM_KEY: 'x' }).mode).toBe('sandbox');
  });

  it('SMTP_URL alone is live (a relay on this machine needs no login)', () => {
    const c = config({ SMTP_URL: 'smtp://127.0.0.1:25' });
    expect(c).toMatchObject({ mode: 'live', missingEnv: [] });
    expect(smtpServer(c)).toEqual({ host: '127.0.0.1', port: 25, secure: false, label: '127.0.0.1:25', source: 'SMTP_URL' });
  });

  it('SMTP_USER and SMTP_PASS: live against host/port/secure from channels/email.yaml', () => {
    const c = config({ SMTP_USER: 'mailer', SMTP_PASS: 's3cret' });
    expect(c.mode).toBe('live');
    expect(smtpServer(c)).toMatchObject({ host: '127.0.0.1', port: 587, secure: false, auth: { user: 'mailer', pass: 's3cret' }, label: '127.0.0.1:587' });
  });

  it('SMTP_USER without SMTP_PASS: a configuration error naming SMTP_PASS', () => {
    const e = thrown(() => config({ SMTP_USER: 'mailer' }));
    expect(e.message).toMatch(/SMTP_USER is set but SMTP_PASS is not/);
    expect(e.file).toBe('channels/email.yaml');
  });

  it('SMTP_URL wins over host/port and SMTP_USER/SMTP_PASS; smtps is TLS on 465; %-encoded passwords are decoded', () => {
    const c = config({ SMTP_URL: 'smtps://u%40x.cn:p%2Fa%3Ass@mail.example.gov.cn', SMTP_USER: 'other', SMTP_PASS: 'other-pass' });
    expect(smtpServer(c)).toMatchObject({ host: 'mail.example.gov.cn', port: 465, secure: true, auth: { user: 'u@x.cn', pass: 'p/a:ss' }, source: 'SMTP_URL' });
    expect(smtpServer(config({ SMTP_URL: 'smtp://a:b@mail.example.gov.cn' })).port).toBe(587);
  });

  it('a bad SMTP_URL is refused without showing it (it holds the password)', () => {
    for (const url of ['http://u:hunter2@mail.example.gov.cn', 'smtp://u@mail.example.gov.cn:25', 'not a url hunter2', 'smtp://u:hunter2%@host']) {
      const e = thrown(() => smtpServer(config({ SMTP_URL: url })));
      expect(e.message).toMatch(/^SMTP_URL .*Expected smtp:\/\/user:password@host:port/);
      expect(e.message).not.toContain('hunter2');
      expect(e.message).not.toContain(url);
    }
  });

  it('From, Reply-To, List-Id and the unsubscribe mailbox: defaults from the From domain, settings win', () => {
    expect(mailIdentity(config({}).settings)).toEqual({ from: '章丘市公安局 <advisories@example.gov.cn>', listId: 'holiday-safety.example.gov.cn', unsubscribeMailto: 'unsubscribe@example.gov.cn' });
    expect(mailIdentity({ from: 'a@b.cn', reply_to: 'c@b.cn', list_id: '<tips.b.cn>', unsubscribe_mailto: 'mailto:leave@b.cn' })).toEqual({ from: 'a@b.cn', replyTo: 'c@b.cn', listId: 'tips.b.cn', unsubscribeMailto: 'leave@b.cn' });
  });
});

describe('e-mail: headers written as given', () => {
  it('List-Unsubscribe: the URL on the first line, the mailto folded below; nothing in a setting can end the header or the URI', () => {
    expect(listUnsubscribe('https://x.cn/unsubscribe?token=u.1', 'leave@x.cn', 'u.1')).toBe('<https://x.cn/unsubscribe?token=u.1>,\r\n <mailto:leave@x.cn?subject=unsubscribe%20u.1>');
    expect(listUnsubscribe('https://x.cn/u?t=a>\r\nBcc: evil@y.cn', 'leave@x.cn\r\nX: y', undefined)).not.toMatch(/\r\n[^ ]|>[^,]*>/);
    expect(mailIdentity({ from: 'a@b.cn', list_id: 'tips.b.cn>\r\nBcc: evil@y.cn' }).listId).toBe('tips.b.cnBcc:evil@y.cn');
  });
});

describe('e-mail: DKIM', () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const withSettings = (env: Record<string, string>, settings: Record<string, unknown>) => {
    const c = config(env);
    return { ...c, settings: { ...c.settings, ...settings } };
  };

  it('no SMTP_DKIM_KEY: not signed', () => {
    expect(dkimOptions(config({}))).toBeNull();
  });

  it('a key and a selector: signed for the From domain (or dkim_domain), covering List-Unsubscribe and List-Unsubscribe-Post', () => {
    const d = dkimOptions(withSettings({ SMTP_DKIM_KEY: pem }, { dkim_selector: 's1' }))!;
    expect(d).toMatchObject({ domainName: 'example.gov.cn', keySelector: 's1', privateKey: pem });
    expect(d.headerFieldNames.split(':')).toEqual(expect.arrayContaining(['List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Id', 'From', 'Subject']));
    expect(dkimOptions(withSettings({ SMTP_DKIM_KEY: pem }, { dkim_selector: 's1', dkim_domain: 'mail.gov.cn' }))!.domainName).toBe('mail.gov.cn');
    // A PEM put on one line with \n escapes (an env file) is read as the PEM.
    expect(dkimOptions(withSettings({ SMTP_DKIM_KEY: pem.replace(/\n/g, '\\n') }, { dkim_selector: 's1' }))!.privateKey).toBe(pem);
  });

  it('not a private key, or no selector: a configuration error that does not show the key', () => {
    const bad = thrown(() => dkimOptions(withSettings({ SMTP_DKIM_KEY: 'garbage-key-material' }, { dkim_selector: 's1' })));
    expect(bad.message).toMatch(/SMTP_DKIM_KEY does not hold a private key in PEM form/);
    expect(bad.message).not.toContain('garbage-key-material');
    expect(thrown(() => dkimOptions(config({ SMTP_DKIM_KEY: pem }))).message).toMatch(/dkim_selector is empty/);
  });
});
