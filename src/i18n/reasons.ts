/**
 * The reasons the ledger stores with a delivery (held, missed, failed) are
 * data, written once in English and matched by code (`awaiting approval of`);
 * they are said in the reader's language when shown (`status`, the console).
 * So are the failures our channels word themselves (the website's, an API call that got no answer, the
 * SMTP server's refusals), keeping the server's own reply inside them as it came. A reason of no known
 * shape (a channel's own words: WeChat's and Weibo's error tables, explained by code in the console) is
 * shown as it is.
 */
import { lang as processLang, type Lang } from './index.js';

type Rule = [RegExp, (m: RegExpExecArray) => string];

/** An SMTP server's reply as the e-mail channel quotes it (`the server answered 550 …`, or the reply alone). */
const reply = (said: string) => said.replace(/^the server answered /, '服务器答复：');

const ZH: Rule[] = [
  [/^awaiting approval of ([0-9a-f]+): this delivery was rendered from that content, but content ([0-9a-f]+) was approved since\. Run advisory approve (\S+) --by NAME to re-render it from the current content\.$/,
    (m) => `等待批准内容 ${m[1]}：这条发送是按那一版内容生成的，但之后批准的是 ${m[2]}。运行 advisory approve ${m[3]} --by 姓名（或在后台“审批”页批准），即按当前内容重新生成。`],
  [/^awaiting approval of ([0-9a-f]+): this delivery was rendered from that content, but it has no approval\. Run advisory approve (\S+) --by NAME to re-render it from the current content\.$/,
    (m) => `等待批准内容 ${m[1]}：这一版内容还没有人批准。运行 advisory approve ${m[2]} --by 姓名，或在后台“审批”页批准。`],
  [/^awaiting approval of ([0-9a-f]+) \(run: advisory approve <campaign> --by NAME\)$/, (m) => `等待批准内容 ${m[1]}（运行 advisory approve <活动> --by 姓名，或在后台“审批”页批准）`],
  [/^awaiting approval of ([0-9a-f]+)(.*)$/s, (m) => `等待批准内容 ${m[1]}${m[2]}`],
  [/^no payload was frozen( for this delivery)?$/, () => '这条发送没有保存发送内容'],
  [/^interrupted before the channel accepted it; resending$/, () => '渠道接受之前被中断；将重新发送'],
  // A delivery recorded for another channel account or mode than the sending process's (delivery/frozen-account.ts)
  [/^recorded for (\S+) account (\S+) \(live\), but this process has no \S+ credentials \((.*) unset\): start it with them, then `advisory retry` it$/,
    (m) => `未发出：这条发送是为${m[1]}正式账号 ${m[2]} 生成的，但这个进程没有${m[1]}的凭据（未设置 ${m[3]}）：请带上这些变量启动它，再对这条发送运行 \`advisory retry\`（或在后台“失败”页点“重试”）`],
  [/^recorded for the (\S+) sandbox, but this process sends \S+ live \(account (\S+)\): it stays a sandbox trial; send it from a process without \S+ credentials, then `advisory retry` it, or publish again to send it live$/,
    (m) => `未发出：这条发送是为${m[1]}沙盒生成的，但这个进程以正式账号 ${m[2]} 发送${m[1]}：它仍是沙盒试发；请在没有${m[1]}凭据的进程中发送，再对这条发送运行 \`advisory retry\`，或重新发布以正式发出`],
  [/^recorded for (\S+) account (\S+) \(live\), but this process sends \S+ as account (\S+): start it with the credentials of account \S+, then `advisory retry` it$/,
    (m) => `未发出：这条发送是为${m[1]}正式账号 ${m[2]} 生成的，但这个进程用账号 ${m[3]} 发送：请用账号 ${m[2]} 的凭据启动它，再对这条发送运行 \`advisory retry\``],
  [/^not sent: (.*)$/s, (m) => `未发出：${m[1]}`],
  [/^no active subscriber when it was created$/, () => '生成时没有有效的订阅者'],
  [/^the recipient unsubscribed before it was sent$/, () => '收件人在发送前退订了'],
  [/^after a crash nobody can tell whether attempt (\d+) went out: (.*)\. Check the channel, then `advisory retry (\S+)` to resend or leave it\.$/s,
    (m) => `程序中断后，无法确定第 ${m[1]} 次尝试是否已经发出：${sayReason(m[2], 'zh-CN')}。请先到平台核对；没有发出的话运行 \`advisory retry ${m[3]}\`（或在后台点“重试”）重发，已发出则不必处理。`],
  [/^missed: due (\S+), its window ended (\S+) before it could be sent$/, (m) => `已错过：应于 ${m[1]} 发送，发送时限 ${m[2]} 已过，未能发出`],
  [/^missed: content ([0-9a-f]+) was approved after this delivery's window ended \(([^)]+)\); the earlier content it was rendered from was never sent$/,
    (m) => `已错过：内容 ${m[1]} 是在这条发送的时限（${m[2]}）过后才批准的；之前生成它的那一版内容从未发出`],
  [/^superseded: content ([0-9a-f]+) no longer has this part$/, (m) => `已被替换：内容 ${m[1]} 中已没有这一部分`],

  // The website (channels/website/publish.ts, site/build.ts)
  [/^Could not deploy the website: (.*)$/s, (m) => `网站部署失败：${m[1]}`],
  [/^Not a website payload \(channel (\S+), kind (\S+)\): re-render the delivery\.$/, (m) => `这不是网站的发送内容（渠道 ${m[1]}，类型 ${m[2]}）：请重新生成这条发送。`],
  [/^"(.*)" cannot be a folder name on the site; use letters, digits and dashes\.$/, (m) => `“${m[1]}”不能用作网站上的文件夹名：请只用字母、数字和连字符。`],
  [/^A campaign cannot be called "(.*)": the site uses \/(\S+) itself\. Rename the campaign folder\.$/, (m) => `专题不能叫“${m[1]}”：网站自己要用 /${m[2]}。请给专题文件夹改名。`],
  [/^(.+) changed after the website payload was rendered \(approved sha256 (\S+)…\): render and approve the campaign again\.$/,
    (m) => `${m[1]} 在网站内容生成之后有改动（批准时的 sha256 为 ${m[2]}…）：请重新生成并批准这个专题。`],

  // An API call that got no answer (channels/api-call.ts)
  [/^(\S+): no answer \((.*)\); the request may have been carried out$/s, (m) => `${m[1]}：没有应答（${m[2]}）；这个请求可能已经被执行`],
  [/^(\S+): could not reach the server \((.*)\): check this machine's network and proxy, and the api_base \(or (\S+)\) setting$/s,
    (m) => `${m[1]}：无法连接服务器（${m[2]}）：请检查本机的网络和代理，以及 api_base（或 ${m[3]}）设置`],

  // The SMTP server (channels/email/smtp-errors.ts)
  [/^the SMTP server (\S+) is not taking mail \((.*)\); every e-mail waits and is tried again, nothing is lost$/s,
    (m) => `SMTP 服务器 ${m[1]} 现在不收信（${m[2]}）；所有邮件都在等待，之后会重试，不会丢失`],
  [/^the SMTP server (\S+) refused the login \((.*)\): check SMTP_USER and SMTP_PASS \(or the user and password in SMTP_URL\) and restart(; this e-mail waits and is tried again|, then `advisory retry` this delivery; the other e-mails wait)$/s,
    (m) => `SMTP 服务器 ${m[1]} 拒绝了登录（${reply(m[2])}）：请检查 SMTP_USER 和 SMTP_PASS（或 SMTP_URL 里的用户名和密码），然后重启`
      + (m[3].startsWith(';') ? '；这封邮件在等待，之后会重试' : '，再对这条发送运行 `advisory retry`；其他邮件在等待')],
  [/^the SMTP server (\S+) refuses the sender \((.*)\): check the from setting in channels\/email\.yaml and that this server may send for its domain; the other e-mails wait$/s,
    (m) => `SMTP 服务器 ${m[1]} 拒绝了发件人（${reply(m[2])}）：请检查 channels/email.yaml 里的 from 设置，以及这台服务器能否代表该域名发信；其他邮件在等待`],
  [/^the SMTP server refused the recipient's address \((.*)\): a hard bounce, counted against the subscriber$/s,
    (m) => `SMTP 服务器拒绝了收件人地址（${reply(m[1])}）：这是硬退信，计入该订阅者的退信次数`],
  [/^the SMTP server refused the message for this recipient \((.*)\); not retried$/s, (m) => `SMTP 服务器拒收了发给这位收件人的邮件（${reply(m[1])}）；不再重试`],
  [/^the recipient's address cannot be used \((.*)\): a hard bounce, counted against the subscriber$/s, (m) => `收件人地址无法使用（${m[1]}）：这是硬退信，计入该订阅者的退信次数`],
  [/^the message cannot be sent \((.*)\); not retried$/s, (m) => `这封邮件无法发送（${m[1]}）；不再重试`],
  [/^the SMTP server deferred the message \((.*)\); tried again later$/s, (m) => `SMTP 服务器暂缓接收这封邮件（${reply(m[1])}）；稍后重试`],
  [/^sending through (\S+) failed \((.*)\); tried again later$/s, (m) => `通过 ${m[1]} 发送失败（${m[2]}）；稍后重试`],
];

/** A stored reason in `lang` (default: the process's language). */
export function sayReason(reason: string | null | undefined, lang: Lang = processLang()): string {
  if (!reason) return '';
  if (lang === 'en') return reason;
  for (const [re, say] of ZH) {
    const m = re.exec(reason);
    if (m) return say(m);
  }
  return reason;
}
