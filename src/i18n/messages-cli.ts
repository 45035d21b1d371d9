/** The CLI's own frame: global help, unknown commands, options, exit codes. */
import { messages } from './index.js';

export const cliMessages = messages(
  {
    tagline: 'advisory — holiday safety advisories to WeChat, Weibo, e-mail and the website',
    usage: 'Usage: advisory <command> [options]   (every command acts on the current directory or --root DIR)',
    commandsHeading: 'Commands:',
    helpFooter:
      'Run `advisory <command> --help` for its options; `--lang en` or `--lang zh` chooses the language of every message. Exit codes: 0 ok, 1 failed, 2 usage or not a project folder, 3 config/state (also a locked or damaged ledger, a full or read-only disk, a busy port), 4 held for approval, 70 a bug.',
    unknownCommand: (name: string, hint: string) => `advisory: unknown command "${name}".${hint} Run \`advisory --help\` for the list.`,
  },
  {
    tagline: 'advisory —— 节假日安全提示：发布到微信公众号、微博、电子邮件和网站',
    usage: '用法：advisory <命令> [选项]   （每个命令都作用于当前文件夹，或用 --root 目录 指定）',
    commandsHeading: '命令：',
    helpFooter:
      '运行 `advisory <命令> --help` 查看该命令的选项；`--lang en` 或 `--lang zh` 选择提示语言。退出码：0 成功，1 失败，2 用法错误或不是项目文件夹，3 配置或状态问题（也包括账本被锁定或损坏、磁盘已满或只读、端口被占用），4 等待批准，70 程序缺陷。',
    unknownCommand: (name: string, hint: string) => `advisory：没有“${name}”这个命令。${hint}运行 \`advisory --help\` 查看命令列表。`,
  },
);
