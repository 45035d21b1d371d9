/**
 * What is said about the ledger and its deliveries: `approve`, `retry`, `status` (the report of
 * delivery/status.ts, also the console's /status), approving from app/approve.ts. The ledger file and
 * its dispatcher lock are in messages-store.ts.
 */
import { messages, type Lang } from './index.js';

/** A delivery's state as a person reads it (the JSON keeps the code). */
export const deliveryStateNames = messages(
  { pending: 'pending', sending: 'sending', sent: 'sent', held: 'held', failed: 'failed', missed: 'missed', live: 'live', sandbox: 'sandbox' },
  { pending: '待发送', sending: '发送中', sent: '已发送', held: '暂停', failed: '失败', missed: '错过', live: '正式', sandbox: '沙盒' },
);

/** A channel as a person names it (the JSON and the keys keep the code). */
export const channelLabels = messages(
  { website: 'website', wechat: 'WeChat', weibo: 'Weibo', email: 'e-mail' },
  { website: '网站', wechat: '微信公众号', weibo: '微博', email: '电子邮件' },
);

/** `channel` as a person names it, in `lang` (a name this version does not know stays as written). */
export const channelLabel = (channel: string, lang?: Lang): string => (channelLabels(lang) as Record<string, string>)[channel] ?? channel;

export const approveMessages = messages(
  {
    usage: [
      'Usage: advisory approve <campaign> --by NAME',
      '',
      "  --by NAME   who approves (recorded in the ledger's audit log)",
      '',
      "Approves the campaign's current content and templates (their hash). Live channels publish only",
      'approved content; deliveries held for this hash are released. Editing the content afterwards',
      'changes the hash, and live deliveries wait for a new approval. Live deliveries not yet sent that were',
      'rendered from other content are re-rendered from this version (same key) and released, or recorded',
      'missed when their window has passed. Nothing already sent is touched.',
      'Exit codes: 0 approved, 1 the campaign has errors, 2 usage.',
    ].join('\n'),
    sayWho: 'say who approves: --by NAME.',
    approved: (id: string, hash: string, by: string, released: number) =>
      `approved ${id} content ${hash} by ${by}; released ${released} held deliver${released === 1 ? 'y' : 'ies'}.`,
    superseded: (n: number) =>
      `${n} not yet sent ${n === 1 ? 'delivery was' : 'deliveries were'} rendered from earlier content: re-rendered from this version and released.`,
    missed: (n: number) => `${n} held ${n === 1 ? 'delivery is' : 'deliveries are'} past ${n === 1 ? 'its' : 'their'} window: recorded as missed, never sent.`,
    reRenderFailed: (key: string, message: string) => `${key}: could not re-render (${message}); it stays held.`,
    contentChanged: (shown: string, now: string) => `the content changed since it was shown (shown ${shown}, now ${now}): look at it again before approving`,
    unknownOrInvalid: (id: string) => `campaign ${id} is unknown or has errors (run: advisory check ${id}); nothing was approved`,
    noLongerScheduled: (id: string, schedule: string, due: string) => `the current content of ${id} no longer schedules "${schedule}" at ${due}`,
  },
  {
    usage: [
      '用法：advisory approve <campaign> --by NAME',
      '',
      '  --by NAME   批准人（记入账本的审计日志）',
      '',
      '批准专题当前的内容和模板（以它们的哈希值为准）。正式渠道只发布已批准的内容；为这个哈希值暂停的推送随即放行。',
      '之后再修改内容，哈希值就会改变，正式推送要等新的批准。尚未发出、但按其他内容生成的正式推送，',
      '会按这个版本重新生成（键不变）并放行；已过发送时限的，记为错过。已经发出的推送不受影响。',
      '退出码：0 已批准，1 专题有错误，2 用法错误。',
    ].join('\n'),
    sayWho: '请说明由谁批准：--by NAME。',
    approved: (id: string, hash: string, by: string, released: number) => `已批准：${by} 批准了 ${id} 的内容 ${hash}；放行了 ${released} 条暂停的推送。`,
    superseded: (n: number) => `有 ${n} 条尚未发出的推送是按较早的内容生成的：已按这个版本重新生成并放行。`,
    missed: (n: number) => `有 ${n} 条暂停的推送已过发送时限：记为错过，不再发送。`,
    reRenderFailed: (key: string, message: string) => `${key}：无法重新生成（${message}），仍保持暂停。`,
    contentChanged: (shown: string, now: string) => `内容在显示给您之后有了改动（当时是 ${shown}，现在是 ${now}）：请重新查看后再批准`,
    unknownOrInvalid: (id: string) => `专题 ${id} 不存在或有错误（请运行：advisory check ${id}）；没有记录任何批准`,
    noLongerScheduled: (id: string, schedule: string, due: string) => `${id} 的当前内容已不再安排在 ${due} 发布“${schedule}”`,
  },
);

export const retryMessages = messages(
  {
    usage: [
      'Usage: advisory retry <delivery-key> | --failed',
      '',
      '  <delivery-key>  a failed (or held-for-a-person) delivery, as `advisory status` lists it',
      '  --failed        every failed delivery',
      '',
      'Puts the delivery back to pending with the same frozen payload; the running dispatcher (or the',
      'next `advisory run`) sends it. Approval holds are released by `advisory approve`, not here.',
      'Exit codes: 0 requeued, 1 nothing to retry, 2 usage, 3 unknown delivery.',
    ].join('\n'),
    nameKey: 'name a delivery key or pass --failed.',
    unknownDelivery: (key: string) => `no delivery "${key}" in the ledger. \`advisory status\` lists failed ones with their keys.`,
    requeued: (key: string) => `requeued ${key}`,
    notRequeued: (key: string, state: string, reason: string | null) =>
      `not requeued: ${key} is ${state}${reason ? ` (${reason})` : ''}; only failed deliveries and those held for a person can be retried.`,
    total: (n: number) => `${n} deliver${n === 1 ? 'y' : 'ies'} requeued.`,
  },
  {
    usage: [
      '用法：advisory retry <delivery-key> | --failed',
      '',
      '  <delivery-key>  一条失败的（或等待人工处理的）推送，即 `advisory status` 列出的键',
      '  --failed        所有失败的推送',
      '',
      '把推送放回“待发送”，内容与原先冻结的完全相同；由正在运行的发送调度（或下一次 `advisory run`）发送。',
      '等待批准而暂停的推送由 `advisory approve` 放行，不在这里处理。',
      '退出码：0 已重新排队，1 没有可重试的推送，2 用法错误，3 没有这条推送。',
    ].join('\n'),
    nameKey: '请给出一条推送的键，或加上 --failed。',
    unknownDelivery: (key: string) => `账本里没有“${key}”这条推送。\`advisory status\` 会列出失败的推送及其键。`,
    requeued: (key: string) => `已重新排队：${key}`,
    notRequeued: (key: string, state: string, reason: string | null) =>
      `未重新排队：${key} 的状态是“${state}”${reason ? `（${reason}）` : ''}；只有失败的推送和等待人工处理的推送可以重试。`,
    total: (n: number) => `共 ${n} 条推送重新排队。`,
  },
);

export const statusMessages = messages(
  {
    usage: [
      'Usage: advisory status [--json] [--drill]',
      '',
      '  --json   the same report as JSON (also served by `advisory run` at /status.json)',
      "  --drill  the drill's ledger (var/drill/, what `advisory run --clock-start` uses) instead of the real one",
      '',
      'It also counts the active e-mail subscribers, and warns when a campaign schedules e-mail but nobody is subscribed.',
      '',
      'Exit codes: 0 nothing failed or held, 1 some delivery failed, 4 some delivery is held (for approval or a person),',
      'or deliveries are owed (pending, interrupted, waiting to be created) while no dispatcher runs.',
    ].join('\n'),
    noDrill: 'there is no drill here (var/drill/): `advisory run --clock-start TIME` starts one.',
    deliveries: (c: { sent: number; pending: number; sending: number; held: number; failed: number; missed: number }) =>
      `deliveries: ${c.sent} sent, ${c.pending} pending, ${c.sending} sending, ${c.held} held, ${c.failed} failed, ${c.missed} missed`,
    ledger: (ledger: string, queue: string) => `ledger: ${ledger}; queue: ${queue}`,
    dispatcher: (text: string) => `dispatcher: ${text}`,
    subscribers: (line: string) => `e-mail subscribers: ${line}`,
    channels: (list: string) => `channels: ${list}`,
    notSet: (names: string) => ` (not set: ${names})`,
    channelSep: '; ',
    section: (title: string) => `${title}:`,
    /** A held or missed delivery: its key and why. */
    row: (key: string, why: string | null) => `${key}: ${why}`,
    /** Per-recipient deliveries alike in channel and reason: `e-mail: 8 held: awaiting approval of … (e.g. KEY)`. */
    groupRow: (channel: string, n: number, state: string, why: string | null, example: string) =>
      `${channel}: ${n} ${state}${why ? `: ${why}` : ''} (e.g. ${example})`,
    failedGroupRow: (channel: string, n: number, why: string | null, example: string) =>
      `${channel}: ${n} failed${why ? `: ${why}` : ''} (e.g. ${example}; \`advisory retry --failed\` to try them again)`,
    warnings: 'warnings',
    held: 'held',
    failed: 'failed',
    failedRow: (key: string, error: string | null, attempts: number) =>
      `${key}: ${error} (${attempts} attempt${attempts === 1 ? '' : 's'}; \`advisory retry ${key}\` to try again)`,
    missed: 'missed',
    retrying: 'waiting to try again',
    retryingRow: (key: string, next: string | null, attempts: number, error: string) =>
      `${key}: next attempt ${next ?? 'now'} (after ${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${error})`,
    sendingNow: 'sending now',
    sendingRow: (key: string, attempt: number, since: string) => `${key} (attempt ${attempt} since ${since})`,
    interrupted: 'interrupted while sending (the next run or publish checks whether each went out before resending)',
    waitingCreated: 'waiting to be created',
    waitingRow: (occurrence: string, channel: string, error: string | null, since: string) =>
      `${occurrence} → ${channel}: ${error ?? 'not created yet'} (since ${since})`,
    nextDue: 'next due',
    notRunning: 'not running',
    /** After the channels line when they are the running daemon's, not this terminal's environment's. */
    daemonsChannels: ' (as the running advisory run started with them)',
    /** `120 active, 3 awaiting confirmation, 7 unsubscribed, 2 bounced` (states with nobody left out, but always the active ones). */
    subscriberLine: (c: { active: number; pending: number; unsubscribed: number; bounced: number }) =>
      [`${c.active} active`, ...(c.pending ? [`${c.pending} awaiting confirmation`] : []), ...(c.unsubscribed ? [`${c.unsubscribed} unsubscribed`] : []), ...(c.bounced ? [`${c.bounced} bounced`] : [])].join(', '),
    nobodySubscribed: (campaigns: string, count: number, nextKey: string | null) =>
      `${campaigns} ${count === 1 ? 'schedules' : 'schedule'} e-mail but there are no active subscribers` +
      `${nextKey ? ` (next e-mail firing: ${nextKey})` : ''}: nobody would receive it. Add some with \`advisory subscribers add ADDRESS\` or \`advisory subscribers import FILE.csv\`.`,
    ledgerStale: (n: number, key: string) =>
      `the ledger does not know ${n} deliver${n === 1 ? 'y' : 'ies'} that went out (e.g. ${key}): it is older than what was sent (an older backup, or a lost advisory.db-wal). Nothing is sent from it until the newest ledger is put back (run and publish refuse).`,
    frozen: (pending: number, sending: number, pid: number, host: string) =>
      `${pending} pending and ${sending} in sending, and the dispatcher (pid ${pid} on ${host}) is not responding: nothing goes out while it is frozen. ` +
      `If it does not resume, stop it (kill ${pid}; kill -9 ${pid} if that does not end it), then start \`advisory run\` or run the publish again.`,
    noDispatcher: (pending: number, sending: number, waiting: number) =>
      `${pending} pending, ${sending} interrupted in sending${waiting ? `, ${waiting} channel(s) waiting to be created` : ''}, and no dispatcher is running: ` +
      'nothing goes out until one runs. Start `advisory run`, or run the same `advisory publish … --now` again; either first checks what was interrupted, then finishes (nothing is sent twice).',
    notInThisVersion: (channel: string) =>
      `its credentials are set, but live publishing for ${channel} is not available in this version: advisory run and publish refuse to start until they are unset`,
    loopbackBaseUrl: "live, but base_url in channels/website.yaml is this machine's address: advisory run and publish refuse to start until it is the public site",
    publicSite: (url: string) => `the public site at ${url}: only approved content goes on it (advisory approve)`,
  },
  {
    usage: [
      '用法：advisory status [--json] [--drill]',
      '',
      '  --json   以 JSON 输出同样的报告（`advisory run` 也在 /status.json 提供）',
      '  --drill  查看演练账本（var/drill/，即 `advisory run --clock-start` 使用的账本），而不是正式账本',
      '',
      '还会统计有效的电子邮件订阅者；某个专题安排了电子邮件、却没有人订阅时给出警告。',
      '',
      '退出码：0 没有失败或暂停的推送，1 有推送失败，4 有推送暂停（等待批准或人工处理），',
      '或者有应发的推送（待发送、被中断、等待创建）而发送调度没有运行。',
    ].join('\n'),
    noDrill: '这里没有演练（var/drill/）：用 `advisory run --clock-start TIME` 开始一次演练。',
    deliveries: (c: { sent: number; pending: number; sending: number; held: number; failed: number; missed: number }) =>
      `推送：已发送 ${c.sent}，待发送 ${c.pending}，发送中 ${c.sending}，暂停 ${c.held}，失败 ${c.failed}，错过 ${c.missed}`,
    ledger: (ledger: string, queue: string) => `账本：${ledger}；队列：${queue}`,
    dispatcher: (text: string) => `发送调度：${text}`,
    subscribers: (line: string) => `电子邮件订阅者：${line}`,
    channels: (list: string) => `渠道：${list}`,
    notSet: (names: string) => `（未设置：${names}）`,
    channelSep: '；',
    section: (title: string) => `${title}：`,
    row: (key: string, why: string | null) => `${key}：${why}`,
    groupRow: (channel: string, n: number, state: string, why: string | null, example: string) =>
      `${channel}：${n} 封${state}${why ? `，${why}` : ''}（例如 ${example}）`,
    failedGroupRow: (channel: string, n: number, why: string | null, example: string) =>
      `${channel}：${n} 封失败${why ? `，${why}` : ''}（例如 ${example}；运行 \`advisory retry --failed\` 重试）`,
    warnings: '警告',
    held: '暂停',
    failed: '失败',
    failedRow: (key: string, error: string | null, attempts: number) => `${key}：${error}（已尝试 ${attempts} 次；运行 \`advisory retry ${key}\` 重试）`,
    missed: '错过',
    retrying: '等待重试',
    retryingRow: (key: string, next: string | null, attempts: number, error: string) =>
      `${key}：下次尝试 ${next ?? '立即'}（已尝试 ${attempts} 次；上次的错误：${error}）`,
    sendingNow: '正在发送',
    sendingRow: (key: string, attempt: number, since: string) => `${key}（第 ${attempt} 次尝试，开始于 ${since}）`,
    interrupted: '发送中被中断（下一次 run 或 publish 会先逐条核实是否已经发出，再决定是否重发）',
    waitingCreated: '等待创建',
    waitingRow: (occurrence: string, channel: string, error: string | null, since: string) =>
      `${occurrence} → ${channel}：${error ?? '尚未创建'}（自 ${since} 起）`,
    nextDue: '接下来要发的',
    notRunning: '未运行',
    daemonsChannels: '（运行中的 advisory run 的设置）',
    subscriberLine: (c: { active: number; pending: number; unsubscribed: number; bounced: number }) =>
      [`有效 ${c.active}`, ...(c.pending ? [`待确认 ${c.pending}`] : []), ...(c.unsubscribed ? [`已退订 ${c.unsubscribed}`] : []), ...(c.bounced ? [`已退信 ${c.bounced}`] : [])].join('，'),
    nobodySubscribed: (campaigns: string, _count: number, nextKey: string | null) =>
      `${campaigns} 安排了电子邮件推送，但目前没有有效订阅者${nextKey ? `（下一次电子邮件推送：${nextKey}）` : ''}：没有人会收到。` +
      '请用 `advisory subscribers add ADDRESS` 或 `advisory subscribers import FILE.csv` 添加订阅者。',
    ledgerStale: (n: number, key: string) =>
      `账本里缺少 ${n} 条已经发出的推送记录（例如 ${key}）：这本账本比实际发送的情况要旧（可能是较早的备份，或丢失了 advisory.db-wal）。在放回最新的账本之前，不会按它发送任何内容（run 和 publish 都会拒绝运行）。`,
    frozen: (pending: number, sending: number, pid: number, host: string) =>
      `有 ${pending} 条待发送、${sending} 条发送中，但发送调度进程（${host} 上的进程 ${pid}）没有响应：它被冻结期间什么也发不出去。` +
      `如果它不能恢复，请停止它（kill ${pid}；不行再用 kill -9 ${pid}），然后启动 \`advisory run\`，或重新运行那次发布。`,
    noDispatcher: (pending: number, sending: number, waiting: number) =>
      `有 ${pending} 条待发送、${sending} 条在发送中被中断${waiting ? `、${waiting} 个渠道等待创建推送` : ''}，而发送调度没有运行：` +
      '在它运行之前什么也发不出去。请启动 `advisory run`，或重新运行同一条 `advisory publish … --now`；两者都会先核实被中断的推送，再把剩下的发完（不会重复发送）。',
    notInThisVersion: (channel: string) => `已设置了它的凭据，但这个版本还不支持 ${channel} 的正式发布：在取消这些凭据之前，advisory run 和 publish 会拒绝启动`,
    loopbackBaseUrl: '已是正式模式，但 channels/website.yaml 中的 base_url 还是本机地址：改成公众网站的地址之前，advisory run 和 publish 会拒绝启动',
    publicSite: (url: string) => `公众网站 ${url}：只发布已批准的内容（advisory approve）`,
  },
);
