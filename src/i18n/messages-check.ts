/**
 * `advisory check`'s frame around the problems: the severity word of each line (the `file:line:column:`
 * before it and the `[rule]` after it are never translated), the summary, and the notes after the problems.
 */
import { messages, plural } from './index.js';

export const checkMessages = messages(
  {
    error: 'error',
    warning: 'warning',
    contentProblems: (errors: number, lines: string) => `${errors} problem(s) in content:\n${lines}`,
    usage: [
      'Usage: advisory check [campaign...] [--json]',
      '',
      '  campaign...  only these campaigns (folder names under advisories/); default: all',
      '  --json       print { ok, campaigns, problems, summary } as JSON',
      '',
      'Prints each problem as `file:line:column: error|warning message [rule]`, then a summary.',
      'Exit codes: 0 no errors (warnings are fine), 1 errors found, 2 usage (no advisories/ folder under --root, unknown campaign).',
    ].join('\n'),
    summary: (campaigns: number, invalid: number, advisories: number, errors: number, warnings: number) =>
      `${plural(campaigns, 'campaign')}${invalid > 0 ? ` (${invalid} with errors)` : ''}, ${plural(advisories, 'advisory', 'advisories')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
    /** A channel's limit on a rendition, named by the channel (and the payload's field when the message does not name it). */
    channelSays: (channel: string, message: string, field: string | undefined) => `${channel}: ${message}${field ? ` (${field})` : ''}`,
    renderFailed: (reason: string) => `could not render the campaign for its channels: ${reason}`,
    renderTooBig: (reason: string) => `could not render the campaign for its channels (${reason}): look for an advisory with unusually deep nesting or very long text`,
    campaignIdNote: (dir: string, id: string, page: string | undefined) =>
      `${dir}/: campaign id "${id}" (the folder name in pinyin)${page ? `; its page: ${page}` : ''}. Use either name in commands (advisory plan ${id}); to choose another id, set id: in campaign.yaml`,
    advisoryIdNote: (file: string, id: string, page: string | undefined) =>
      `${file}: id "${id}" (the file name in pinyin)${page ? `; its page: ${page}` : ''}. To choose another, set id: in its front matter`,
  },
  {
    error: '错误',
    warning: '警告',
    contentProblems: (errors: number, lines: string) => `内容中有 ${errors} 个错误：\n${lines}`,
    usage: [
      '用法：advisory check [专题...] [--json]',
      '',
      '  专题...      只检查这些专题（advisories/ 下的文件夹名）；默认：全部',
      '  --json       以 JSON 输出 { ok, campaigns, problems, summary }',
      '',
      '每个问题输出一行：`文件:行:列: 错误|警告 说明 [规则]`，最后是汇总。',
      '退出码：0 没有错误（有警告也算通过），1 发现错误，2 用法错误（--root 下没有 advisories/ 文件夹、专题不存在）。',
    ].join('\n'),
    summary: (campaigns: number, invalid: number, advisories: number, errors: number, warnings: number) =>
      `共 ${campaigns} 个专题${invalid > 0 ? `（其中 ${invalid} 个有错误）` : ''}、${advisories} 篇提示：${errors} 个错误，${warnings} 个警告`,
    channelSays: (channel: string, message: string, field: string | undefined) => `${channel} 渠道：${message}${field ? `（${field}）` : ''}`,
    renderFailed: (reason: string) => `无法为各渠道渲染这个专题：${reason}`,
    renderTooBig: (reason: string) => `无法为各渠道渲染这个专题（${reason}）：请找一找有没有嵌套特别深或正文特别长的提示`,
    campaignIdNote: (dir: string, id: string, page: string | undefined) =>
      `${dir}/：专题 id 是“${id}”（文件夹名的拼音）${page ? `；它的网页：${page}` : ''}。在命令里用哪个名字都可以（advisory plan ${id}）；如果想换一个 id，请在 campaign.yaml 里写 id:`,
    advisoryIdNote: (file: string, id: string, page: string | undefined) =>
      `${file}：id 是“${id}”（文件名的拼音）${page ? `；它的网页：${page}` : ''}。如果想换一个，请在它的开头设置里写 id:`,
  },
);

