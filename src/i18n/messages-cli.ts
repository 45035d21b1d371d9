/** The CLI's own frame: global help, the commands' one-line summaries, unknown commands and options, errors' prefixes, exit codes. */
import { messages } from './index.js';

export const cliMessages = messages(
  {
    tagline: 'advisory — holiday safety advisories to WeChat, Weibo, e-mail and the website',
    usage: 'Usage: advisory <command> [options]   (every command acts on the current directory or --root DIR)',
    commandsHeading: 'Commands:',
    helpFooter:
      'Run `advisory <command> --help` for its options; `--lang en` or `--lang zh` chooses the language of every message. Exit codes: 0 ok, 1 failed, 2 usage or not a project folder, 3 config/state (also a locked or damaged ledger, a full or read-only disk, a busy port), 4 held for approval, 70 a bug.',
    unknownCommand: (name: string, hint: string) => `advisory: unknown command "${name}".${hint} Run \`advisory --help\` for the list.`,
    langUnknown: (value: string) => `advisory: --lang ${value}: say --lang zh (简体中文) or --lang en (English).`,
    /** The option every command takes, shown under each command's own help. */
    rootHelp: '  --root DIR, -C DIR  the project folder (default: the current folder); may also come first: advisory -C DIR <command>',
    /** `advisory approve: ` before a command's one-line error. */
    prefix: (name: string) => `advisory ${name}: `,
    seeHelp: (name: string) => ` \`advisory ${name} --help\` lists its options.`,
    /** An option parseArgs refused: Node's own sentence in English; in Chinese, said again from its code. */
    parseProblem: (_code: string, _option: string, nodeMessage: string) => nodeMessage,
    /** `advisory --root` (or `-C`) with nothing after it. */
    rootNeedsFolder: (option: string) =>
      `advisory: the option ${option} needs a folder after it: the project folder (the one holding advisories/), e.g. advisory ${option} D:\\advisory status, or run the command inside that folder without ${option}.`,
    advisoriesFolderItself: (root: string, parent: string) =>
      `there is no advisories/ folder in ${root}, which looks like the advisories/ folder itself: run the command in ${parent}, or name it with --root ${parent}`,
    imeDash: (typed: string, fixed: string, dashes: string, names: string, codePoint: string) =>
      `advisory: read "${typed}" as "${fixed}": "${dashes}" is ${names} (U+${codePoint}), typed by a Chinese input method; type options with the English input method ("-").`,
    emDash: 'EM DASH —',
    enDash: 'EN DASH –',
    fullwidthHyphen: 'FULLWIDTH HYPHEN-MINUS －',
    internalError: (name: string, stack: string) => `advisory ${name}: internal error (a bug — please report it with this output):\n${stack}`,
  },
  {
    tagline: 'advisory —— 节假日安全提示：发布到微信公众号、微博、电子邮件和网站',
    usage: '用法：advisory <命令> [选项]   （每个命令都作用于当前文件夹，或用 --root 目录 指定）',
    commandsHeading: '命令：',
    helpFooter:
      '运行 `advisory <命令> --help` 查看该命令的选项；`--lang en` 或 `--lang zh` 选择提示语言。退出码：0 成功，1 失败，2 用法错误或不是项目文件夹，3 配置或状态问题（也包括账本被锁定或损坏、磁盘已满或只读、端口被占用），4 等待批准，70 程序缺陷。',
    unknownCommand: (name: string, hint: string) => `advisory：没有“${name}”这个命令。${hint}运行 \`advisory --help\` 查看命令列表。`,
    langUnknown: (value: string) => `advisory：--lang ${value}：请写 --lang zh（简体中文）或 --lang en（English）。`,
    rootHelp: '  --root DIR, -C DIR  项目文件夹（默认：当前文件夹）；也可以写在命令前面：advisory -C DIR <命令>',
    prefix: (name: string) => `advisory ${name}：`,
    seeHelp: (name: string) => `运行 \`advisory ${name} --help\` 可查看它的选项。`,
    parseProblem: (code: string, option: string, nodeMessage: string) => {
      if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `没有 ${option} 这个选项。`;
      if (/argument missing/.test(nodeMessage)) return `选项 ${option} 后面要跟一个值。`;
      if (/does not take an argument/.test(nodeMessage)) return `选项 ${option} 不带值，请去掉“=”及其后的内容。`;
      const long = /use '(--[^=']+)=/.exec(nodeMessage)?.[1] ?? option;
      if (/ambiguous/.test(nodeMessage)) return `选项 ${option} 后面跟着以“-”开头的内容：如果忘了写 ${option} 的值，请补上；如果值本身以“-”开头，请写成 ${long}=-值。`;
      return `选项有误（${nodeMessage}）。`;
    },
    rootNeedsFolder: (option: string) =>
      `advisory：选项 ${option} 后面要跟一个文件夹，即项目文件夹（里面有 advisories/ 的那个），例如 advisory ${option} D:\\advisory status；也可以在那个文件夹里运行命令，不加 ${option}。`,
    advisoriesFolderItself: (root: string, parent: string) =>
      `${root} 里没有 advisories/ 文件夹，它看起来就是 advisories/ 文件夹本身：请在 ${parent} 中运行命令，或用 --root ${parent} 指定项目文件夹`,
    imeDash: (typed: string, fixed: string, dashes: string, names: string, codePoint: string) =>
      `advisory：已把“${typed}”按“${fixed}”处理：“${dashes}”是${names}（U+${codePoint}），由中文输入法打出；输入选项时请切换到英文输入法（“-”）。`,
    emDash: '破折号 —',
    enDash: '连接号 –',
    fullwidthHyphen: '全角连字符 －',
    internalError: (name: string, stack: string) => `advisory ${name}：内部错误（这是程序缺陷，请把以下输出原样报告给维护人员）：\n${stack}`,
  },
);

/** Each command's one line for `advisory --help`, by the command's name (the registry reads it without loading the command). */
export const commandSummaries = messages(
  {
    check: 'Validate campaigns and advisories: every problem with file, line and column',
    new: 'Scaffold a campaign: advisories/<id>/campaign.yaml and an example advisory',
    plan: 'Show what fires when (every occurrence in a window); nothing is sent',
    calendar: "Show a year's holidays: days off, swapped working days, and where each comes from (calendar/YEAR.yaml, chinese-days, estimate)",
    preview: "Render every channel's post for campaigns into var/preview/ (what would be sent, byte for byte)",
    build: 'Build the public website (or a preview of every campaign) and deploy it atomically',
    approve: 'Record who approved the current content of a campaign; release what waited for it',
    publish: 'Publish a campaign now on its channels (same ledger: once, approved, recorded)',
    run: 'The daemon: clock + dispatcher + the public site (4321) and the staff console (4322: calendar, approve, failures and retry, subscribers)',
    status: 'Deliveries by state, why held, failures, what is missed, what is next, channel modes',
    retry: 'Requeue failed deliveries (same frozen payload)',
    subscribers: 'Add, import, export, list and remove the e-mail subscribers',
    staff: 'Add, list, remove staff accounts and change their passwords (sign-in to the staff pages)',
    rollback: 'Restore the previous website build',
    channels: "Check the live channels' credentials without publishing (channels verify)",
    migrate: "Bring the ledger's schema up to date, or copy a whole ledger to another (SQLite ↔ PostgreSQL), verified",
    worker: 'Send queued deliveries from the Redis queue on this machine (as many workers, on as many machines, as needed)',
    schema: 'Print the JSON Schemas for campaign.yaml and front matter (or write them to schema/)',
  },
  {
    check: '检查专题和提示文章：每个问题都注明文件、行号和列号',
    new: '新建专题：生成 advisories/<id>/campaign.yaml 和一篇示例提示',
    plan: '列出什么时候发布什么（一段时间内的每次发布）；不会发送任何内容',
    calendar: '列出某一年的节假日：放假日、调休上班日，以及每一项的来源（calendar/YEAR.yaml、chinese-days 或推算）',
    preview: '把专题在各渠道的推送内容生成到 var/preview/（与实际发送的内容逐字节相同）',
    build: '生成公众网站（或所有专题的预览站）并一次性整体部署',
    approve: '记录谁批准了专题的当前内容；放行等待批准的推送',
    publish: '立即在各渠道发布一个专题（同一本账：只发一次、须经批准、全程记录）',
    run: '后台服务：定时器 + 发送调度 + 公众网站（4321 端口）和工作人员后台（4322 端口：发布日历、审批、故障与重试、订阅者）',
    status: '按状态列出推送：为何暂停、哪些失败、哪些错过、接下来发什么，以及各渠道的模式',
    retry: '把失败的推送重新排队（内容与原先冻结的完全相同）',
    subscribers: '添加、导入、导出、列出和移除电子邮件订阅者',
    staff: '添加、列出、删除工作人员账号，修改密码（用于登录工作人员页面）',
    rollback: '把网站恢复到上一次生成的版本',
    channels: '检查正式渠道的凭据是否有效，不发布任何内容（channels verify）',
    migrate: '把账本的结构升级到最新，或把整本账本复制到另一处（SQLite ↔ PostgreSQL）并核对',
    worker: '在本机发送 Redis 队列里排队的推送（可按需在多台机器上运行多个工作进程）',
    schema: '输出 campaign.yaml 和文章头部信息的 JSON Schema（或写入 schema/ 文件夹）',
  },
);
