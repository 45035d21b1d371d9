import { describe, expect, it } from 'vitest';
import * as email from '../../../src/channels/email/rendition.js';
import { personalize, RECIPIENT_NAME_TOKEN, UNSUBSCRIBE_TOKEN, type EmailBody } from '../../../src/channels/email/personalize.js';
import { loadCampaigns } from '../../render/load-fixture.js';
import { contextFor, expectFixture, renditionEnv } from '../../render/setup.js';

const env = renditionEnv();
const [c2014] = await loadCampaigns();

describe('email rendition', () => {
  const ctx = contextFor(env, 'email', c2014);
  const [payload] = email.render(ctx);
  const body = payload.body as unknown as EmailBody;

  it('renders one message per occurrence with every advisory, matching the fixtures', () => {
    expect(email.render(ctx)).toHaveLength(1);
    expect(payload.kind).toBe('message');
    expect(body.subject).toBe('2014年国庆节期间安全防范常识');
    expect(body.listUnsubscribe).toBe(true);
    for (const a of c2014.advisories) {
      expect(body.html).toContain(a.title);
      expect(body.text).toContain(a.title);
      expect(body.text).toContain(`${env.site.baseUrl}/2014-national-day/${a.id}/`);
    }
    expect(email.check(payload, ctx)).toEqual([]);
    expectFixture('email/expected.html', body.html);
    expectFixture('email/expected.txt', body.text);
    expectFixture('email/expected-meta.json', `${JSON.stringify({ subject: body.subject, preheader: body.preheader, listUnsubscribe: body.listUnsubscribe }, null, 2)}\n`);
  });

  it('is a single-column table layout at most 600px wide with inlined styles', () => {
    expect(body.html).toMatch(/<table role="presentation" class="container" width="600"[^>]*style="[^"]*max-width: 600px/);
    expect(body.html).not.toMatch(/<style/);
    expect(body.html).toMatch(/font-size: 18px/);
  });

  it('the text part has headings, lists and links readable', () => {
    expect(body.text).toContain('1. 防范入室盗窃案件');
    expect(body.text).toMatch(/\n- 中小企事业单位要加强对门卫/);
    expect(body.text).toContain('\n【防范建议】\n');
    expect(body.text).toContain('\n【案件特点】\n');
    expect(body.text).not.toMatch(/<[a-z]/i);
  });

  it('keeps per-recipient placeholders literal in both parts', () => {
    for (const part of [body.html, body.text]) {
      expect(part).toContain(UNSUBSCRIBE_TOKEN);
      expect(part).toContain(RECIPIENT_NAME_TOKEN);
    }
  });

  it('personalize fills them, escaping for HTML only', () => {
    const p = personalize(body, { name: '张<三>' }, 'https://x.cn/unsubscribe?t=a&b=1');
    expect(p.html).toContain('张&lt;三&gt;，您好');
    expect(p.html).toContain('href="https://x.cn/unsubscribe?t=a&amp;b=1"');
    expect(p.text).toContain('张<三>，您好');
    expect(p.text).toContain('退订：https://x.cn/unsubscribe?t=a&b=1');
    expect(p.html + p.text).not.toContain('%%');
    expect(p.unsubscribeUrl).toBe('https://x.cn/unsubscribe?t=a&b=1');
    expect(personalize(body, {}, 'u').text).toContain('市民朋友，您好');
    expect(body.html).toContain(UNSUBSCRIBE_TOKEN); // the frozen body is not changed
  });

  it('personalize: a name with <script> and & is inert in HTML, and a name holding a placeholder is not filled again', () => {
    const p = personalize(body, { name: '<script>alert(1)</script> & 李"四\'\r\nBcc: x@y.cn' }, 'https://x.cn/u?t=1');
    expect(p.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; 李&quot;四&#39; Bcc: x@y.cn，您好');
    expect(p.html).not.toMatch(/<script/i);
    expect(p.text).not.toMatch(/[\r\n]Bcc/);
    const sneaky = personalize(body, { name: `${UNSUBSCRIBE_TOKEN}` }, 'https://x.cn/u?t=secret');
    expect(sneaky.text).toContain(`${UNSUBSCRIBE_TOKEN}，您好`);
  });

  it('the HTML part keeps the layout without <style> (inlined), the preheader hidden, text at least 16px', () => {
    expect(body.html).not.toMatch(/<style/i);
    expect(body.html).toMatch(/<span class="preheader" style="display: none; mso-hide: all;[^"]*max-height: 0;[^"]*opacity: 0;/);
    for (const m of body.html.matchAll(/<(p|li|td|h[1-6])\b[^>]*style="[^"]*font-size: (\d+)px/g)) {
      if (!/footer|issuer|date|web/.test(m[0])) expect(Number(m[2]), m[0]).toBeGreaterThanOrEqual(16);
    }
  });

  it('a title with line breaks cannot add mail headers: the subject is one line', () => {
    const evil = { ...c2014, title: '国庆安全\r\nBcc: all@example.com\n\nbody' };
    const [msg] = email.render(contextFor(env, 'email', evil));
    expect(String(msg.body.subject)).not.toMatch(/[\r\n]/);
    expect(String(msg.body.subject)).toBe('国庆安全 Bcc: all@example.com body');
  });

  it('check: a template without the unsubscribe link is an error', () => {
    const broken = { ...payload, body: { ...payload.body, text: 'no link' } };
    expect(email.check(broken, ctx).map((p) => p.rule)).toEqual(['email-unsubscribe-link']);
  });

  it('content that writes the placeholders shows them as written: only the template\'s slots are filled', () => {
    const hostile = { ...c2014, summary: `请点击 ${UNSUBSCRIBE_TOKEN} 领取 ${RECIPIENT_NAME_TOKEN}` };
    const c = contextFor(env, 'email', hostile);
    const [p] = email.render(c);
    const b = p.body as unknown as EmailBody;
    expect(b.text).toContain(`请点击 ${UNSUBSCRIBE_TOKEN} 领取 ${RECIPIENT_NAME_TOKEN}`);
    const filled = personalize(b, { name: '王丽' }, 'https://x.cn/unsubscribe?token=u.secret');
    // The content's copies stay literal in both parts; the link and the name appear exactly where the template put them.
    expect(filled.text).toContain(`请点击 ${UNSUBSCRIBE_TOKEN} 领取 ${RECIPIENT_NAME_TOKEN}`);
    expect(filled.html).toContain(`请点击 ${UNSUBSCRIBE_TOKEN} 领取 ${RECIPIENT_NAME_TOKEN}`);
    for (const part of [filled.text, filled.html]) {
      expect(part.split('u.secret').length - 1).toBe(1);
      expect(part).toContain('王丽，您好');
    }
    expect(b.slots!.text.map(([, k]) => k)).toEqual(['name', 'unsubscribe']);
    // What the preview shows of the body is unchanged: the slots hold the tokens.
    expect(email.check(p, c)).toEqual([]);
  });

  it('a body whose recorded slot no longer holds its token is refused, not filled somewhere else', () => {
    const b = { ...body, text: `x${body.text}` };
    expect(() => personalize(b, {}, 'u')).toThrow(/slot/);
  });

  it('one advisory: the subject names it', () => {
    const [one] = email.render(contextFor(env, 'email', c2014, [c2014.advisories[2]]));
    expect(one.body.subject).toBe('2014年国庆节期间安全防范常识：防范两抢案件');
  });
});
