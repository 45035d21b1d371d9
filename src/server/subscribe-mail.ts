/**
 * The two mails a sign-up can send (pure): the confirmation link of a new or
 * pending subscription (double opt-in), or, for an address already
 * subscribed, a note saying so. The form's answer page is the same either
 * way, so only the mailbox's owner learns which it was.
 */
import type { DirectMessage } from '../channels/channel.js';
import type { SiteConfig } from '../config/channels.js';
import { unsubscribeUrl } from '../render/urls.js';
import { CONFIRM_PATH } from '../channels/website/index.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function confirmUrl(site: SiteConfig, token: string): string {
  return `${site.baseUrl}/${CONFIRM_PATH}?token=${encodeURIComponent(token)}`;
}

interface MailParts {
  key: string;
  to: { address: string; name?: string };
  at: Date;
}

/** Plain text and a simple, large-print HTML part from the same paragraphs; `link` becomes a button in HTML. */
function compose(site: SiteConfig, parts: MailParts, subject: string, paragraphs: string[], link: { label: string; url: string }, after: string[], headers: Record<string, string>): DirectMessage {
  const greeting = `${parts.to.name ? parts.to.name : '您好'}：`;
  const text = [greeting, '', ...paragraphs.flatMap((p) => [p, '']), `${link.label}：`, link.url, '', ...after.flatMap((p) => [p, '']), site.issuer, site.baseUrl, ''].join('\n');
  const p = (s: string) => `<p style="margin:0 0 16px">${esc(s)}</p>`;
  const html = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(subject)}</title></head>
<body style="margin:0;padding:16px;font-size:18px;line-height:1.7;color:#1a1a1a;background:#fff;font-family:sans-serif">
${p(greeting)}
${paragraphs.map(p).join('\n')}
<p style="margin:0 0 16px"><a href="${esc(link.url)}" style="display:inline-block;padding:14px 24px;font-size:20px;font-weight:bold;color:#fff;background:#0b3a75;border-radius:8px;text-decoration:none">${esc(link.label)}</a></p>
${p('如果按钮打不开，请把下面的地址复制到浏览器里打开：')}
<p style="margin:0 0 16px;word-break:break-all"><a href="${esc(link.url)}" style="color:#0a4595">${esc(link.url)}</a></p>
${after.map(p).join('\n')}
<p style="margin:24px 0 0;color:#4a4a4a">${esc(site.issuer)}<br><a href="${esc(site.baseUrl)}/" style="color:#0a4595">${esc(site.title)}</a></p>
</body></html>`;
  return { key: parts.key, to: parts.to, subject, text, html, headers: { 'Auto-Submitted': 'auto-generated', ...headers }, at: parts.at };
}

/** The confirmation mail of a sign-up: its link opens the confirm page (a button; the link itself changes nothing). */
export function confirmationMail(site: SiteConfig, parts: MailParts, confirmToken: string, unsubscribeToken: string): DirectMessage {
  const unsubscribe = unsubscribeUrl(site, unsubscribeToken);
  return compose(
    site, parts,
    `请确认订阅：${site.title}`,
    [
      `有人（很可能是您自己）在“${site.title}”网站上，用这个邮箱地址订阅了节日安全防范提示邮件。`,
      '如果是您本人订阅的，请打开下面的链接，再点页面上的“确认订阅”按钮。链接 7 天内有效。',
    ],
    { label: '打开确认页面', url: confirmUrl(site, confirmToken) },
    ['如果不是您订阅的，请不用理会这封邮件：不确认，我们就不会给您发送提示。'],
    // The pending subscription's own one-click link (RFC 8058): "this was not me" ends it at once.
    { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  );
}

/** What an address already subscribed gets when the form is used with it again: nothing to do, and how to leave. */
export function alreadySubscribedMail(site: SiteConfig, parts: MailParts, unsubscribeToken: string): DirectMessage {
  const unsubscribe = unsubscribeUrl(site, unsubscribeToken);
  return compose(
    site, parts,
    `您已经订阅了：${site.title}`,
    [
      `有人（很可能是您自己）刚才在“${site.title}”网站上，用这个邮箱地址申请订阅节日安全防范提示邮件。`,
      '这个地址早已订阅成功，您不需要再做什么，节日前会照常收到提示。',
    ],
    { label: '不想再收到？点这里退订', url: unsubscribe },
    [],
    { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  );
}
