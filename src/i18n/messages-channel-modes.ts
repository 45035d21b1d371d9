/**
 * What is said of each channel's mode (channels/registry.ts: `advisory run`'s start-up lines and `advisory
 * channels verify`), what a channel's credential check found (each channel's `verify`), and why a channel's
 * credentials cannot be used (registry.ts, email/smtp-config.ts). Channel names, environment variables,
 * app ids, host names, URLs and paths stay as written.
 */
import { messages } from './index.js';

/** What is wrong with SMTP_URL (email/smtp-config.ts). */
export type SmtpUrlProblem = 'notUrl' | 'scheme' | 'noHost' | 'encoding' | 'noPassword';

export const channelModeMessages = messages(
  {
    /** `  wechat: sandbox (not set: …) → var/outbox/wechat/`, one per channel at start-up. */
    line: (channel: string, mode: string) => `${channel}: ${mode}`,
    websiteNote: 'writes the site (no credentials needed)',
    live: 'live',
    sandboxNotSet: (channel: string, variables: string) => `sandbox (not set: ${variables}) → var/outbox/${channel}/`,
    sandboxNoCredentials: (channel: string) => `sandbox (channels/${channel}.yaml names no credentials)`,
    nothingToCheck: 'nothing to check',

    // What `channels verify` found
    sandboxNothingToCheck: 'sandbox: nothing to check',
    wechatLive: (appid: string) => `live: WeChat issued an access token for ${appid} to this machine (credentials right, IP whitelisted)`,
    weiboLive: (uid: string, days: number) => `live: the access token works (user ${uid}, ${days} days left)`,
    weiboTokenExpired: 'weibo: the access token has expired: a person must authorize the app again on open.weibo.com and set WEIBO_ACCESS_TOKEN',
    weiboTokenExpires: (days: number, date: string) =>
      `weibo: the access token expires in ${days} day(s) (${date}): authorize the app again on open.weibo.com and set WEIBO_ACCESS_TOKEN before then`,
    smtpLive: (server: string, source: string, login: boolean, dkim: { domain: string; selector: string } | null) =>
      `live: ${server} (from ${source}) answered and ${login ? 'accepted the login' : 'takes mail without a login'}` +
      (dkim ? `; messages are DKIM-signed (d=${dkim.domain}, s=${dkim.selector}: publish the public key at ${dkim.selector}._domainkey.${dkim.domain})` : ''),
    emailSandbox: (dkim: { domain: string; selector: string } | null) =>
      `sandbox: messages are written to var/outbox/email/${dkim ? ` (DKIM-signed as ${dkim.selector}._domainkey.${dkim.domain})` : ''}; nothing to check`,

    // Credentials that cannot be used (registry.ts, email/smtp-config.ts)
    unknownChannel: (channel: string, known: string) => `Unknown channel "${channel}". Known channels: ${known}.`,
    liveNotAvailable: (channel: string, count: number, file: string) =>
      `${channel}: ${count} credential variable(s) from ${file} are set, so ${channel} would run live, but live publishing for ${channel} is not available in this version. Unset them to run ${channel} in sandbox (var/outbox/${channel}/).`,
    liveWithLoopback: (channel: string, url: string) =>
      `${channel} would run live (its credentials are set), but channels/website.yaml's base_url is still ${url}, an address only this machine can open: every post would link readers there. Set base_url to the bureau's public site (e.g. https://www.example.gov.cn/advisories) before publishing live.`,
    /** Where the SMTP server was named: `channels/email.yaml (host, port)`. */
    smtpFromFile: (file: string) => `${file} (host, port)`,
    smtpUrlBad: (name: string, why: SmtpUrlProblem, scheme: string) =>
      `${name} ${{ notUrl: 'is not a URL', scheme: `must start with smtp:// or smtps://, not ${scheme || 'nothing'}://`, noHost: 'names no host', encoding: 'has a user or password that is not properly %-encoded', noPassword: 'has a user but no password' }[why]}` +
      ' (its value is not shown: it holds the password). Expected smtp://user:password@host:port or smtps://user:password@host:port, e.g. smtp://mailer:secret@mail.example.gov.cn:587, or smtp://127.0.0.1:25 for a relay on this machine without a login.',
    dkimNotAKey: (name: string) =>
      `${name} does not hold a private key in PEM form (-----BEGIN PRIVATE KEY----- …; its value is not shown). Make one with \`openssl genrsa 2048\` and publish its public half in DNS at <selector>._domainkey.<domain>.`,
    dkimNoSelector: (file: string, name: string) =>
      `${file}: ${name} is set, so messages are DKIM-signed, but dkim_selector is empty: set it to the selector whose TXT record (<selector>._domainkey.<domain>) holds the public key, e.g. dkim_selector: advisory2026.`,
  },
  {
    line: (channel: string, mode: string) => `${channel}：${mode}`,
    websiteNote: '生成网站（不需要凭据）',
    live: '正式发布',
    sandboxNotSet: (channel: string, variables: string) => `沙盒（未设置：${variables}）→ 只写入 var/outbox/${channel}/，不会真正发布`,
    sandboxNoCredentials: (channel: string) => `沙盒（channels/${channel}.yaml 没有指定凭据）`,
    nothingToCheck: '没有需要检查的内容',

    sandboxNothingToCheck: '沙盒：没有需要检查的内容',
    wechatLive: (appid: string) => `正式发布：微信已向本机签发 ${appid} 的访问令牌（凭据正确，本机 IP 在白名单内）`,
    weiboLive: (uid: string, days: number) => `正式发布：访问令牌有效（用户 ${uid}，还剩 ${days} 天）`,
    weiboTokenExpired: 'weibo：访问令牌已过期：须由专人在 open.weibo.com 重新授权本应用，并设置 WEIBO_ACCESS_TOKEN',
    weiboTokenExpires: (days: number, date: string) =>
      `weibo：访问令牌将在 ${days} 天后（${date}）过期：请在此之前到 open.weibo.com 重新授权本应用，并设置 WEIBO_ACCESS_TOKEN`,
    smtpLive: (server: string, source: string, login: boolean, dkim: { domain: string; selector: string } | null) =>
      `正式发布：${server}（取自 ${source}）已应答，${login ? '并接受了登录' : '不需要登录即可收信'}` +
      (dkim ? `；邮件带 DKIM 签名（d=${dkim.domain}，s=${dkim.selector}：请在 DNS 的 ${dkim.selector}._domainkey.${dkim.domain} 发布公钥）` : ''),
    emailSandbox: (dkim: { domain: string; selector: string } | null) =>
      `沙盒：邮件写入 var/outbox/email/${dkim ? `（DKIM 签名为 ${dkim.selector}._domainkey.${dkim.domain}）` : ''}；没有需要检查的内容`,

    unknownChannel: (channel: string, known: string) => `没有“${channel}”这个渠道。现有的渠道：${known}。`,
    liveNotAvailable: (channel: string, count: number, file: string) =>
      `${channel}：已设置 ${file} 中的 ${count} 个凭据环境变量，所以 ${channel} 会以正式模式运行，但这个版本还不能在 ${channel} 正式发布。请取消这些变量，让 ${channel} 以沙盒模式运行（写入 var/outbox/${channel}/）。`,
    liveWithLoopback: (channel: string, url: string) =>
      `${channel} 会以正式模式运行（已设置它的凭据），但 channels/website.yaml 的 base_url 仍是 ${url}，这个地址只有本机能打开：每条推送都会把读者链接到这里。正式发布之前，请把 base_url 设为本局的公开网站（例如 https://www.example.gov.cn/advisories）。`,
    smtpFromFile: (file: string) => `${file} 的 host 和 port`,
    smtpUrlBad: (name: string, why: SmtpUrlProblem, scheme: string) =>
      `${name} ${{ notUrl: '不是一个网址', scheme: `必须以 smtp:// 或 smtps:// 开头，而不是 ${scheme || '（空）'}://`, noHost: '没有写主机名', encoding: '里的用户名或密码没有正确地用 % 编码', noPassword: '写了用户名却没有密码' }[why]}` +
      '（不显示它的值：里面有密码）。应写作 smtp://用户名:密码@主机:端口 或 smtps://用户名:密码@主机:端口，例如 smtp://mailer:secret@mail.example.gov.cn:587；本机上无需登录的中转服务器可写 smtp://127.0.0.1:25。',
    dkimNotAKey: (name: string) =>
      `${name} 里不是 PEM 格式的私钥（-----BEGIN PRIVATE KEY----- …；不显示它的值）。请用 \`openssl genrsa 2048\` 生成一个，并把公钥发布在 DNS 的 <selector>._domainkey.<domain>。`,
    dkimNoSelector: (file: string, name: string) =>
      `${file}：已设置 ${name}，所以邮件要带 DKIM 签名，但 dkim_selector 是空的：请把它设为 TXT 记录（<selector>._domainkey.<domain>）里存放公钥的那个选择器，例如 dkim_selector: advisory2026。`,
  },
);
