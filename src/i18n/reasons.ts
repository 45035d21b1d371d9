/**
 * The reasons the ledger stores with a delivery (held, missed, failed) are
 * data, written once in English and matched by code (`awaiting approval of`);
 * they are said in the reader's language when shown (`status`, the console).
 * A reason of no known shape (a channel's own words) is shown as it is.
 */
import { lang as processLang, type Lang } from './index.js';

type Rule = [RegExp, (m: RegExpExecArray) => string];

const ZH: Rule[] = [
  [/^awaiting approval of ([0-9a-f]+): this delivery was rendered from that content, but content ([0-9a-f]+) was approved since\. Run advisory approve (\S+) --by NAME to re-render it from the current content\.$/,
    (m) => `等待批准内容 ${m[1]}：这条发送是按那一版内容生成的，但之后批准的是 ${m[2]}。运行 advisory approve ${m[3]} --by 姓名（或在后台“审批”页批准），即按当前内容重新生成。`],
  [/^awaiting approval of ([0-9a-f]+): this delivery was rendered from that content, but it has no approval\. Run advisory approve (\S+) --by NAME to re-render it from the current content\.$/,
    (m) => `等待批准内容 ${m[1]}：这一版内容还没有人批准。运行 advisory approve ${m[2]} --by 姓名，或在后台“审批”页批准。`],
  [/^awaiting approval of ([0-9a-f]+) \(run: advisory approve <campaign> --by NAME\)$/, (m) => `等待批准内容 ${m[1]}（运行 advisory approve <活动> --by 姓名，或在后台“审批”页批准）`],
  [/^awaiting approval of ([0-9a-f]+)(.*)$/s, (m) => `等待批准内容 ${m[1]}${m[2]}`],
  [/^no payload was frozen( for this delivery)?$/, () => '这条发送没有保存发送内容'],
  [/^interrupted before the channel accepted it; resending$/, () => '渠道接受之前被中断；将重新发送'],
  [/^not sent: (.*)$/s, (m) => `未发出：${m[1]}`],
  [/^no active subscriber when it was created$/, () => '生成时没有有效的订阅者'],
  [/^the recipient unsubscribed before it was sent$/, () => '收件人在发送前退订了'],
  [/^after a crash nobody can tell whether attempt (\d+) went out: (.*)\. Check the channel, then `advisory retry (\S+)` to resend or leave it\.$/s,
    (m) => `程序中断后，无法确定第 ${m[1]} 次尝试是否已经发出：${m[2]}。请先到平台核对；没有发出的话运行 \`advisory retry ${m[3]}\`（或在后台点“重试”）重发，已发出则不必处理。`],
  [/^missed: due (\S+), its window ended (\S+) before it could be sent$/, (m) => `已错过：应于 ${m[1]} 发送，发送时限 ${m[2]} 已过，未能发出`],
  [/^missed: content ([0-9a-f]+) was approved after this delivery's window ended \(([^)]+)\); the earlier content it was rendered from was never sent$/,
    (m) => `已错过：内容 ${m[1]} 是在这条发送的时限（${m[2]}）过后才批准的；之前生成它的那一版内容从未发出`],
  [/^superseded: content ([0-9a-f]+) no longer has this part$/, (m) => `已被替换：内容 ${m[1]} 中已没有这一部分`],
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
