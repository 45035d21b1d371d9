/** What `advisory run` says: its help, its options' errors, its start-up and stop lines, a drill (delivery/drill.ts), crash drills' failpoints. */
import { messages } from './index.js';

export const runMessages = messages(
  {
    usage: [
      'Usage: advisory run [--port 4321] [--host 127.0.0.1] [--staff-port 4322] [--staff-host 127.0.0.1] [--staff-url URL] [--clock-start ISO-TIME]',
      '',
      '  --port N              the public listener: website, /subscribe, /unsubscribe, /wechat/events, /healthz',
      '                        (default 4321; 0 picks a free one)',
      "  --host ADDR           its address (default 127.0.0.1; put the bureau's reverse proxy in front of it)",
      '  --staff-port N        the staff console: sign-in, calendar, approve, failures and retry, subscribers, /preview/, /status (default 4322; with --port 0, 0)',
      '  --staff-host ADDR     its address (default 127.0.0.1)',
      '  --staff-url URL       the address staff open when a reverse proxy is in front, e.g. https://advisory.intranet/',
      '                        (its host is answered for; https makes the session cookie Secure). Env: ADVISORY_STAFF_URL',
      '  --clock-start TIME    a drill: run the clock from this moment at normal speed, on a copy of the ledger in',
      '                        var/drill/ (the real ledger is not touched); the same TIME again continues that drill.',
      '                        An ISO 8601 date and time with Z or an offset: 2014-09-29T01:00:00Z, 2014-09-29T09:00+08:00',
      '',
      'Logs: one JSON line per event on stdout (pino). Start-up summary on stderr.',
      'Stops cleanly on SIGTERM/SIGINT (in-flight sends finish, the lock is released).',
      'Environment: ADVISORY_FAILPOINT=after-sending:N|after-publish:N|after-create:N kills the process at that point (crash drills).',
      'Environment: ADVISORY_LOCK_LEASE=SECONDS (default 60): how long a silent dispatcher on another host keeps the lock.',
      'Exit codes: 0 stopped cleanly, 3 another dispatcher holds this ledger, this one lost the lock to another, or the configuration is wrong.',
    ].join('\n'),
    badPort: (option: string, got: string) => `${option} must be a port number (0–65535), got "${got}".`,
    samePort: (port: number) => `--staff-port must differ from --port (${port}): the staff pages have a listener of their own.`,
    badStaffUrl: (url: string) => `--staff-url must be an http(s) address, e.g. https://advisory.intranet/, got "${url}".`,
    clockStartFormat: (text: string, local: boolean) =>
      `--clock-start must be an ISO 8601 date and time with Z or an offset, e.g. 2014-09-29T01:00:00Z or 2014-09-29T09:00+08:00; got "${text}"` +
      `${local ? " (no offset: add Z for UTC or +08:00 for Beijing time, so it does not depend on this machine's time zone)" : ''}.`,
    clockStartInvalid: (text: string, problem: string) =>
      `--clock-start: "${text}" is not a real date and time (${problem}); e.g. 2014-09-29T01:00:00Z or 2014-09-29T09:00+08:00.`,
    started: (root: string, url: string) => `advisory run: dispatching for ${root}; serving ${url}/ (the public site)`,
    staffPages: (url: string) => `  staff pages (sign-in, preview, status, approve): ${url}`,
    firstAccount: (link: string) =>
      `  no staff account yet: create the first at ${link} (works once, for 15 minutes, from a browser on this machine), or run: advisory staff add NAME`,
    warning: (text: string) => `  warning: ${text}`,
    /** server/http.ts: a listener on an address other machines can reach. `host`: the one name it answers for, else null. */
    publicNotLoopback: (address: string, host: string | null) =>
      `the public listener is on ${address}, not loopback: the site, the sign-up and unsubscribe pages and the WeChat callback are reachable from other machines directly (without the reverse proxy's HTTPS and limits); it answers only for ${host ?? 'its own address'}.`,
    staffNotLoopback: (address: string) =>
      `the staff listener is on ${address}, not loopback: staff sign-in, the preview of every campaign (embargoed ones included), delivery status and approving are reachable from other machines; passwords and session cookies cross the network in clear unless an HTTPS proxy is in front (--staff-url https://…).`,
    stopping: (signal: string) => `advisory run: ${signal}: finishing in-flight sends and stopping`,
    liveInDrill: (channels: string, variables: string) =>
      `--clock-start runs a drill, and a drill never publishes for real, but ${channels} would run live (its credentials are set). Unset ${variables} for the drill.`,
    drillContinues: (start: string, clock: string) =>
      `drill: continuing the drill that started at ${start} in var/drill/ (its clock now reads ${clock}); the real ledger is not touched`,
    drillStarts: (start: string, copied: boolean) =>
      `drill: the clock starts at ${start}; state in var/drill/ (a copy of the ledger${copied ? '' : ': there was none yet'}), the real ledger is not touched`,
    badFailpoint: (part: string, names: string) =>
      `ADVISORY_FAILPOINT: "${part}" is not a failpoint. Expected NAME:N with NAME one of ${names} and N ≥ 1, e.g. after-sending:3 (NAME:N:stop freezes the process there instead of killing it).`,
  },
  {
    usage: [
      '用法：advisory run [--port 4321] [--host 127.0.0.1] [--staff-port 4322] [--staff-host 127.0.0.1] [--staff-url URL] [--clock-start ISO-TIME]',
      '',
      '  --port N              公众端口：网站、/subscribe、/unsubscribe、/wechat/events、/healthz',
      '                        （默认 4321；0 表示自动选一个空闲端口）',
      '  --host ADDR           它的地址（默认 127.0.0.1；请在前面接本局的反向代理）',
      '  --staff-port N        工作人员后台端口：登录、发布日历、审批、故障与重试、订阅者、/preview/、/status（默认 4322；--port 为 0 时也为 0）',
      '  --staff-host ADDR     它的地址（默认 127.0.0.1）',
      '  --staff-url URL       前面有反向代理时，工作人员打开的地址，例如 https://advisory.intranet/',
      '                        （只应答这个主机名；用 https 时登录 Cookie 带 Secure）。环境变量：ADVISORY_STAFF_URL',
      '  --clock-start TIME    演练：时钟从这一刻起按正常速度走，使用 var/drill/ 中的账本副本',
      '                        （不会动正式账本）；再次使用同一个 TIME 会接着那次演练。',
      '                        须是带 Z 或时差的 ISO 8601 日期时间：2014-09-29T01:00:00Z、2014-09-29T09:00+08:00',
      '',
      '日志：每个事件一行 JSON，输出到标准输出（pino）。启动摘要输出到标准错误。',
      '收到 SIGTERM/SIGINT 时正常停止（正在发送的推送会发完，锁会释放）。',
      '环境变量：ADVISORY_FAILPOINT=after-sending:N|after-publish:N|after-create:N 让进程在该处被终止（崩溃演练）。',
      '环境变量：ADVISORY_LOCK_LEASE=秒数（默认 60）：另一台主机上的发送调度失去响应后，仍保留锁的时长。',
      '退出码：0 正常停止，3 另一个发送调度持有这本账本、本进程的锁被另一个进程接管，或配置有误。',
    ].join('\n'),
    badPort: (option: string, got: string) => `${option} 须是端口号（0–65535），收到的是“${got}”。`,
    samePort: (port: number) => `--staff-port 不能与 --port（${port}）相同：工作人员页面有自己独立的端口。`,
    badStaffUrl: (url: string) => `--staff-url 须是 http(s) 地址，例如 https://advisory.intranet/，收到的是“${url}”。`,
    clockStartFormat: (text: string, local: boolean) =>
      `--clock-start 须是带 Z 或时差的 ISO 8601 日期时间，例如 2014-09-29T01:00:00Z 或 2014-09-29T09:00+08:00；收到的是“${text}”` +
      `${local ? '（没有写时差：UTC 时间请加 Z，北京时间请加 +08:00，这样就不受本机时区影响）' : ''}。`,
    clockStartInvalid: (text: string, problem: string) =>
      `--clock-start：“${text}”不是真实存在的日期时间（${problem}）；例如 2014-09-29T01:00:00Z 或 2014-09-29T09:00+08:00。`,
    started: (root: string, url: string) => `advisory run：正在为 ${root} 调度发送；公众网站：${url}/`,
    staffPages: (url: string) => `  工作人员页面（登录、预览、状态、批准）：${url}`,
    firstAccount: (link: string) =>
      `  还没有工作人员账号：请打开 ${link} 创建第一个（只能用一次，15 分钟内有效，须用本机上的浏览器打开），或运行：advisory staff add NAME`,
    warning: (text: string) => `  警告：${text}`,
    publicNotLoopback: (address: string, host: string | null) =>
      `公众端口监听在 ${address}，不是本机回环地址：网站、订阅和退订页面以及微信回调可以从其他机器直接访问（绕过反向代理的 HTTPS 和访问限制）；它只应答发往${host ? ` ${host} ` : '它自己的地址'}的请求。`,
    staffNotLoopback: (address: string) =>
      `工作人员端口监听在 ${address}，不是本机回环地址：工作人员登录、每个专题的预览（包括尚未解禁的）、推送状态和批准都可以从其他机器访问；前面没有 HTTPS 反向代理时（--staff-url https://…），密码和登录 Cookie 会以明文在网络上传输。`,
    stopping: (signal: string) => `advisory run：收到 ${signal}：正在发完进行中的推送，然后停止`,
    liveInDrill: (channels: string, variables: string) =>
      `--clock-start 是演练，演练从不真正发布，但 ${channels} 会以正式模式运行（已设置了它的凭据）。演练时请取消这些环境变量：${variables}。`,
    drillContinues: (start: string, clock: string) =>
      `演练：接着 ${start} 开始的那次演练，位于 var/drill/（它的时钟现在是 ${clock}）；不会动正式账本`,
    drillStarts: (start: string, copied: boolean) =>
      `演练：时钟从 ${start} 开始；状态保存在 var/drill/（正式账本的副本${copied ? '' : '：目前还没有正式账本'}），不会动正式账本`,
    badFailpoint: (part: string, names: string) =>
      `ADVISORY_FAILPOINT：“${part}”不是有效的故障点。应写作 NAME:N，NAME 取以下之一：${names}，N ≥ 1，例如 after-sending:3（写成 NAME:N:stop 时，进程在该处被冻结，而不是被终止）。`,
  },
);
