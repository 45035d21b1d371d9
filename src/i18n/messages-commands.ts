/**
 * What the content and site commands say: `new`, `preview`, `build`, `schema`, `rollback`, `channels`,
 * and the campaign names every command takes (cli/commands/campaign-arg.ts). One table per command.
 */
import { messages } from './index.js';

export const newMessages = messages(
  {
    usage: (holidays: string) => [
      'Usage: advisory new <id> [--title T] [--holiday KEY] [--year N]',
      '',
      '  <id>           folder name: lower-case letters, digits and dashes (e.g. 2025-spring-festival)',
      '  --title T      the bulletin title (default: a placeholder to edit)',
      `  --holiday KEY  one of ${holidays}: posts are timed relative to it`,
      '  --year N       the year (omit for an evergreen campaign that recurs every year)',
      '',
      'Exit codes: 0 created, 1 the campaign already exists, 2 usage (bad id, unknown holiday, bad year, empty or over-long title; nothing is written).',
    ].join('\n'),
    nameIt: 'name the campaign: advisory new <id>, e.g. advisory new 2025-spring-festival',
    oneAtATime: (got: string) => `one campaign at a time (got ${got}); quote a title with spaces: --title "…"`,
    badId: (id: string) => `"${id}" cannot be a campaign id: use lower-case letters, digits and dashes, e.g. 2025-spring-festival, or a name in Chinese, e.g. 2027-春节`,
    derivedId: (folder: string, id: string) => `The folder is named in Chinese: the campaign's id (its web address and its name in the ledger) is ${id}; to choose another, write id: in advisories/${folder}/campaign.yaml.`,
    unknownHoliday: (holiday: string, hint: string, known: string) => `unknown holiday "${holiday}".${hint} Known: ${known}`,
    badYear: (text: string) => `--year must be a year between 2000 and 2099, got "${text}"`,
    yearWithoutHoliday: '--year only makes sense with --holiday (the year of that holiday); add --holiday KEY, or leave out --year',
    titleEmpty: '--title must not be empty',
    titleTooLong: (chars: number) => `--title is ${chars} characters; a title has at most 64: shorten it`,
    exists: (id: string) => `advisories/${id} already exists: choose another id, or edit the files in it`,
    created: (id: string) => `created advisories/${id}/campaign.yaml and advisories/${id}/01-example.md\nEdit them, then run: advisory check ${id}`,
    /** The comment beside the bulletin's time in the campaign.yaml it writes. */
    atComment: 'two days before the first day off',
  },
  {
    usage: (holidays: string) => [
      '用法：advisory new <id> [--title T] [--holiday KEY] [--year N]',
      '',
      '  <id>           专题文件夹名：只用小写字母、数字和连字符（例如 2025-spring-festival）',
      '  --title T      公告标题（默认：一个待修改的占位标题）',
      `  --holiday KEY  节日，取以下之一：${holidays}；各条推送的时间都相对这个节日来定`,
      '  --year N       年份（每年都重复发布的常设专题不写）',
      '',
      '退出码：0 已创建，1 该专题已存在，2 用法错误（专题名不合规、节日未知、年份不对、标题为空或过长；不会写入任何文件）。',
    ].join('\n'),
    nameIt: '请给专题起个名字：advisory new <id>，例如 advisory new 2025-spring-festival',
    oneAtATime: (got: string) => `一次只能新建一个专题（收到的是：${got}）；标题中有空格时请加引号：--title "…"`,
    badId: (id: string) => `“${id}”不能用作专题名：只能用小写字母、数字和连字符，例如 2025-spring-festival，或者用中文，例如 2027-春节`,
    derivedId: (folder: string, id: string) => `文件夹名是中文：这个专题的编号（网址和发送记录里的名字）是 ${id}；如要换一个，请在 advisories/${folder}/campaign.yaml 里写 id:。`,
    unknownHoliday: (holiday: string, hint: string, known: string) => `没有“${holiday}”这个节日。${hint}可用的节日：${known}`,
    badYear: (text: string) => `--year 须是 2000 到 2099 之间的年份，收到的是“${text}”`,
    yearWithoutHoliday: '--year 要和 --holiday 一起用（表示该节日所在的年份）：请加上 --holiday KEY，或去掉 --year',
    titleEmpty: '--title 不能为空',
    titleTooLong: (chars: number) => `--title 有 ${chars} 个字，标题最多 64 个字：请缩短`,
    exists: (id: string) => `advisories/${id} 已经存在：请换一个专题名，或直接编辑其中的文件`,
    created: (id: string) => `已创建 advisories/${id}/campaign.yaml 和 advisories/${id}/01-example.md\n请编辑这两个文件，然后运行：advisory check ${id}`,
    atComment: '放假第一天的前两天',
  },
);

export const previewMessages = messages(
  {
    usage: [
      'Usage: advisory preview [campaign...] [--json] [--out DIR]',
      '',
      '  campaign...  only these campaigns (folder names under advisories/); default: all valid ones',
      '  --json       print { campaign, channels: { wechat, weibo, email, website }, problems } per campaign',
      '               (an array when several), each payload exactly as it would be sent; writes no files',
      '  --out DIR    write the preview here instead of var/preview/ (an empty folder or an earlier preview)',
      '',
      'Open var/preview/index.html in a browser (or http://127.0.0.1:<port>/preview/ while `advisory run` runs).',
      'Exit codes: 0 no errors, 1 content errors or channel limits exceeded (still previewed), 2 usage.',
    ].join('\n'),
    /** `wechat 1, weibo 3, email 1, website 2`: payloads per channel. */
    channelCounts: (counts: Array<[string, number]>) => counts.map(([ch, n]) => `${ch} ${n}`).join(', '),
    campaignLine: (campaign: string, counts: string, errors: number, warnings: number) =>
      `${campaign}: ${counts} payload(s), ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    written: (path: string) => `Preview written: ${path}`,
  },
  {
    usage: [
      '用法：advisory preview [campaign...] [--json] [--out DIR]',
      '',
      '  campaign...  只预览这些专题（advisories/ 下的文件夹名）；默认：所有没有错误的专题',
      '  --json       按专题输出 { campaign, channels: { wechat, weibo, email, website }, problems }',
      '               （多个专题时是一个数组），每条推送内容与实际发送的完全一致；不写入文件',
      '  --out DIR    把预览写到这个文件夹，而不是 var/preview/（须是空文件夹或以前生成的预览）',
      '',
      '用浏览器打开 var/preview/index.html（`advisory run` 运行时也可以打开 http://127.0.0.1:<端口>/preview/）。',
      '退出码：0 没有错误，1 内容有错误或超出渠道限制（仍会生成预览），2 用法错误。',
    ].join('\n'),
    channelCounts: (counts: Array<[string, number]>) => counts.map(([ch, n]) => `${ch} ${n} 条`).join('，'),
    campaignLine: (campaign: string, counts: string, errors: number, warnings: number) =>
      `${campaign}：推送内容 ${counts}；${errors} 个错误，${warnings} 个警告`,
    written: (path: string) => `预览已生成：${path}`,
  },
);

export const buildMessages = messages(
  {
    usage: [
      'Usage: advisory build [--preview] [--out DIR] [--json]',
      '',
      '  (no option)  rebuild the public site from what has been published (embargo: a campaign',
      '               appears only once its website delivery was sent) and deploy it atomically to var/site',
      '  --preview    build EVERY valid campaign, published or not, into var/site-preview',
      '               (served at /preview-site/ by `advisory run`, on its staff listener: sign-in needed); every page carries a preview',
      '               banner and <meta name="robots" content="noindex">',
      '  --out DIR    write plain files to DIR instead of deploying (for a static host); DIR must be empty,',
      '               new, or an earlier `build --out` (it holds a .advisory-build file), else nothing is written',
      '  --json       print the result as JSON',
      '',
      'Exit codes: 0 built, 1 content problems (with --preview: invalid campaigns are left out), 2 not a project folder,',
      '3 configuration (also: --out names a folder that is not empty and not an earlier build).',
    ].join('\n'),
    previewBuilt: (campaigns: number, dir: string) => `preview of ${campaigns} campaign(s) built in ${dir}`,
    previewDeployed: (build: string, written: number, linked: number) => ` (build ${build}, ${written} files written, ${linked} unchanged)`,
    previewFiles: (files: number) => ` (${files} files)`,
    problemsLeftOut: (n: number) => `; ${n} problem(s) left campaigns out`,
    publicWritten: (dir: string, files: number) => `public site written to ${dir} (${files} files; var/site is unchanged)`,
    deployed: (build: string, dir: string, written: number, linked: number, folders: number) =>
      `site build ${build} deployed to ${dir} (${written} files written, ${linked} unchanged, ${folders} campaign folder(s) written)`,
  },
  {
    usage: [
      '用法：advisory build [--preview] [--out DIR] [--json]',
      '',
      '  （不带选项）  按已发布的内容重新生成公众网站（保密期：专题只有在它的网站推送发出后才会出现），',
      '               并一次性整体部署到 var/site',
      '  --preview    把所有没有错误的专题（无论是否已发布）生成到 var/site-preview',
      '               （由 `advisory run` 在工作人员端口的 /preview-site/ 提供，需要登录）；每一页都带有“预览”横幅',
      '               和 <meta name="robots" content="noindex">',
      '  --out DIR    不部署，而是把普通文件写到 DIR（用于静态网站托管）；DIR 须为空、新建，',
      '               或以前 `build --out` 写过的文件夹（其中有 .advisory-build 文件），否则什么也不写',
      '  --json       以 JSON 输出结果',
      '',
      '退出码：0 已生成，1 内容有问题（带 --preview 时：有错误的专题不收入），2 不是项目文件夹，',
      '3 配置问题（包括：--out 指定的文件夹不为空，也不是以前生成的网站）。',
    ].join('\n'),
    previewBuilt: (campaigns: number, dir: string) => `已生成 ${campaigns} 个专题的预览站，位于 ${dir}`,
    previewDeployed: (build: string, written: number, linked: number) => `（版本 ${build}，写入 ${written} 个文件，${linked} 个未变）`,
    previewFiles: (files: number) => `（${files} 个文件）`,
    problemsLeftOut: (n: number) => `；因 ${n} 个问题，有专题未收入`,
    publicWritten: (dir: string, files: number) => `公众网站已写入 ${dir}（${files} 个文件；var/site 没有改动）`,
    deployed: (build: string, dir: string, written: number, linked: number, folders: number) =>
      `网站版本 ${build} 已部署到 ${dir}（写入 ${written} 个文件，${linked} 个未变，写入 ${folders} 个专题文件夹）`,
  },
);

export const schemaMessages = messages(
  {
    usage: [
      'Usage: advisory schema [--write]',
      '',
      '  (no option)  print both schemas as one JSON object { "campaign.schema.json": …, "advisory.schema.json": … }',
      '  --write      write schema/campaign.schema.json and schema/advisory.schema.json under --root',
      '',
      'The schemas are generated from the same definitions `advisory check` uses; editors (VS Code with',
      'the Red Hat YAML extension) use them to validate campaign.yaml while you type.',
    ].join('\n'),
    wrote: (file: string) => `wrote ${file}`,
  },
  {
    usage: [
      '用法：advisory schema [--write]',
      '',
      '  （不带选项）  把两份 schema 合成一个 JSON 对象输出 { "campaign.schema.json": …, "advisory.schema.json": … }',
      '  --write      在 --root 指定的项目下写入 schema/campaign.schema.json 和 schema/advisory.schema.json',
      '',
      '这两份 schema 与 `advisory check` 使用同一套定义生成；编辑器（VS Code 加 Red Hat 的 YAML 扩展）',
      '用它们在输入时检查 campaign.yaml。',
    ].join('\n'),
    wrote: (file: string) => `已写入 ${file}`,
  },
);

export const rollbackMessages = messages(
  {
    usage: [
      'Usage: advisory rollback website [--preview]',
      '',
      'Switches the served site back to the build before the current one (one atomic symlink swap).',
      'The last `keep_builds` builds are kept (channels/website.yaml, default 5). Run it again to go further back;',
      'the next publish or `advisory build` deploys a fresh build from the published state.',
      '',
      'Exit codes: 0 rolled back, 1 nothing to roll back to, 2 usage.',
    ].join('\n'),
    expected: 'expected `advisory rollback website`; only the website keeps builds.',
    rolledBack: (to: string, from: string, kept: number) => `website rolled back: now serving build ${to} (was ${from}); ${kept} build(s) kept.`,
  },
  {
    usage: [
      '用法：advisory rollback website [--preview]',
      '',
      '把正在提供的网站切回当前版本之前的那个版本（一次原子的符号链接切换）。',
      '保留最近 `keep_builds` 个版本（channels/website.yaml，默认 5 个）。再运行一次可以继续往回退；',
      '下一次发布或 `advisory build` 会按已发布的内容部署一个新版本。',
      '',
      '退出码：0 已回退，1 没有可回退的版本，2 用法错误。',
    ].join('\n'),
    expected: '应写作 `advisory rollback website`；只有网站保留历史版本。',
    rolledBack: (to: string, from: string, kept: number) => `网站已回退：现在提供版本 ${to}（原为 ${from}）；共保留 ${kept} 个版本。`,
  },
);

export const channelsMessages = messages(
  {
    usage: [
      'Usage: advisory channels verify [--channel NAME]...',
      '',
      "Checks each live channel's credentials without publishing anything:",
      '  wechat  asks WeChat for an access token (wrong AppID or AppSecret, this IP not whitelisted: said in plain words, with the IP WeChat saw)',
      '  weibo   asks Weibo how long the access token has left (expired or revoked: a person must authorize again; under token_warn_days: a warning)',
      '  email   connects to the SMTP server (SMTP_URL, or host/port with SMTP_USER/SMTP_PASS) and logs in: refused login, server not there, said in plain words',
      'A channel without its credentials runs in sandbox, and says which variables are not set.',
      "It also checks channels/website.yaml's base_url: live channels refuse to publish while it is this machine's address.",
      '',
      '  --channel NAME  only this channel (repeatable)',
      '',
      'Exit codes: 0 every live channel works (warnings are printed), 1 something is wrong, 2 usage, 3 channels/*.yaml does not load.',
    ].join('\n'),
    expected: 'expected `advisory channels verify`.',
    unknownChannel: (name: string, hint: string, channels: string) => `unknown channel "${name}".${hint} Channels: ${channels}.`,
    ok: 'ok',
    sandbox: 'sandbox',
    warning: 'warning',
    failed: 'FAILED',
  },
  {
    usage: [
      '用法：advisory channels verify [--channel NAME]...',
      '',
      '逐个检查正式渠道的凭据，不发布任何内容：',
      '  wechat  向微信申请 access token（AppID 或 AppSecret 不对、本机 IP 不在白名单：都用平实的话说明，并给出微信看到的 IP）',
      '  weibo   向微博查询 access token 还剩多长时间（已过期或被撤销：须由人重新授权；少于 token_warn_days 天：给出警告）',
      '  email   连接 SMTP 服务器（SMTP_URL，或主机/端口加 SMTP_USER/SMTP_PASS）并登录：登录被拒、服务器连不上，都用平实的话说明',
      '没有配置凭据的渠道以沙盒模式运行，并说明哪些环境变量没有设置。',
      '还会检查 channels/website.yaml 的 base_url：它还是本机地址时，正式渠道拒绝发布。',
      '',
      '  --channel NAME  只检查这个渠道（可重复）',
      '',
      '退出码：0 所有正式渠道都正常（会列出警告），1 有问题，2 用法错误，3 channels/*.yaml 无法加载。',
    ].join('\n'),
    expected: '应写作 `advisory channels verify`。',
    unknownChannel: (name: string, hint: string, channels: string) => `没有“${name}”这个渠道。${hint}可用的渠道：${channels}。`,
    ok: '正常',
    sandbox: '沙盒',
    warning: '警告',
    failed: '失败',
  },
);

/** Campaign names on the command line (campaign-arg.ts). */
export const campaignArgMessages = messages(
  {
    unknownCampaign: (typed: string, hint: string, known: string) => `unknown campaign "${typed}".${hint} Known campaigns: ${known}`,
    nameIt: (known: string) => `name the campaign (one of: ${known}).`,
    noneUnderAdvisories: 'none under advisories/',
    hasErrors: (id: string) => `campaign ${id} has errors; run \`advisory check ${id}\``,
    noCampaigns: '(none: there is no campaign folder under advisories/)',
    andMore: (shown: string, more: number) => `${shown} and ${more} more (the folders under advisories/)`,
  },
  {
    unknownCampaign: (typed: string, hint: string, known: string) => `没有“${typed}”这个专题。${hint}现有的专题：${known}`,
    nameIt: (known: string) => `请指明是哪个专题（可选：${known}）。`,
    noneUnderAdvisories: 'advisories/ 下还没有专题',
    hasErrors: (id: string) => `专题 ${id} 有错误；请运行 \`advisory check ${id}\` 查看`,
    noCampaigns: '（无：advisories/ 下没有专题文件夹）',
    andMore: (shown: string, more: number) => `${shown} 等，另有 ${more} 个（见 advisories/ 下的文件夹）`,
  },
);
