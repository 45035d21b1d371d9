/**
 * What `advisory publish` says (cli/commands/publish.ts) and what it reports while it works
 * (app/publish-now.ts, delivery/manual-history.ts).
 */
import { messages } from './index.js';
import { deliveryStateNames } from './messages-ledger.js';

type DeliveryState = keyof ReturnType<typeof deliveryStateNames>;

export const publishMessages = messages(
  {
    usage: [
      'Usage: advisory publish <campaign> [--channel NAME]... [--now] [--again]',
      '',
      "  --channel NAME  only this channel (repeatable); default: every channel the campaign's schedules name",
      '  --now           really publish; without it, only say what it would do now (publish, finish an unfinished',
      '                  publish, or nothing because it is already published)',
      '  --again         publish even where this exact content was already published by hand',
      '',
      'Publishes the whole campaign once, now (schedule "manual"), through the same ledger as the',
      'daemon: nothing is sent twice; live channels, and the website once base_url is the public site,',
      'need `advisory approve` first. If `advisory run` is running, the deliveries are handed to it and',
      'this command waits for the outcome.',
      'Safe to run again after a crash or a kill: an unfinished publish of the same content is resumed',
      '(what went out is not sent again); a finished one is "already published" (--again repeats it).',
      "A retry the channel asks to make later than 2 minutes from now (WeChat's daily quota, Weibo's hourly",
      'limit) is not waited for: it is listed as waiting, with when and why; `advisory run` sends it then.',
      'Exit codes: 0 all sent, 1 something failed, 2 usage, 3 configuration/state, 4 something is held or waiting',
      '(approval), or e-mail was asked for and nobody is subscribed.',
    ].join('\n'),
    unknownChannel: (name: string, hint: string, channels: string) => `unknown channel "${name}".${hint} Channels: ${channels}.`,
    wouldPublish: (id: string, advisories: number, channels: string) => `would publish ${id} (${advisories} advisories) now to: ${channels}`,
    eachSubscriber: '/<each active subscriber>',
    wouldFinish: (occurrence: string, channels: string, open: number, sent: number, changed: boolean) =>
      `would finish the unfinished publish ${occurrence} (${channels}): ${open} not finished, ${sent} already sent${changed ? '; the content changed since, so what is unsent would carry the current content' : ''}`,
    alreadyByHand: (list: string) => `already published by hand with this content: ${list}; --again would publish it once more`,
    wouldReachNobody: (channels: string) => `${channels}: nobody is subscribed, nothing would be sent`,
    nothingSent: 'Nothing sent. Add --now to publish.',
    alreadyPublished: (id: string, channels: string) => `${id}: already published (${channels}); nothing sent. Use --again to publish the same content again.`,
    earlierLeft: (channel: string, occurrence: string, summary: string) =>
      `  ${channel} (${occurrence}): ${summary}; see \`advisory status\` (failed: \`advisory retry\`; held: \`advisory approve\`)`,
    emailToNobody: (id: string) => `${id}: e-mail not sent: nobody is subscribed.`,
    totals: (id: string, sent: number, failed: number, held: number, missed: number, waiting: number) =>
      `${id}: ${sent} sent, ${failed} failed, ${held} held, ${missed} missed${waiting > 0 ? `, ${waiting} waiting` : ''}`,
    channelTotals: (channel: string, sent: number, failed: number, skipped: number, total: number, rate: string | null) =>
      `  ${channel}: ${sent} sent, ${failed} failed, ${skipped} skipped (unsubscribed or bounced before their turn) of ${total}${rate ? `; ${rate}` : ''}`,
    resumed: (finished: number, already: number, occurrence: string, channels: string) =>
      `resumed: ${finished} finished, ${already} were already sent (${occurrence}: ${channels})`,
    failedRow: (key: string, why: string | null) => `  failed ${key}: ${why}`,
    heldRow: (key: string, why: string | null) => `  held   ${key}: ${why}`,
    missedRow: (key: string, why: string | null) => `  missed ${key}: ${why}`,
    /** Per-recipient deliveries alike in channel, state and reason: one line with a count and an example key. */
    groupRow: (channel: string, n: number, state: string, why: string | null, example: string, ofAll: number) =>
      `  ${channel}: ${n} ${state}${why ? `, ${why}` : ''} (e.g. ${example}${ofAll > n ? `; ${ofAll} ${state} on ${channel} in all` : ''})`,
    waitingRow: (key: string, next: string | null, lastError: string | null) =>
      `  waiting ${key}: next attempt at ${next ?? 'once a dispatcher runs'}${lastError ? ` (${lastError})` : ''}; \`advisory run\` sends it then, or run this command again after that`,
    more: (n: number) => `  … and ${n} more: \`advisory status\` lists them all.`,
    emailNotSent: '  e-mail not sent: nobody is subscribed.',
    /** The progress bar's words: `email ▕██░░▏ 12/20  60%  412/s  about 0:19 left  3 failed`. */
    starting: 'starting…',
    timeLeft: (clock: string) => `about ${clock} left`,
    barFailed: (n: string) => `${n} failed`,
  },
  {
    usage: [
      '用法：advisory publish <campaign> [--channel NAME]... [--now] [--again]',
      '',
      '  --channel NAME  只发布到这个渠道（可重复）；默认：专题发布计划中提到的所有渠道',
      '  --now           真正发布；不加时只说明现在会做什么（发布、把未完成的发布做完，',
      '                  或者因为已经发布过而什么也不做）',
      '  --again         即使这份内容已经手动发布过，也再发布一次',
      '',
      '立即把整个专题发布一次（发布计划记为“manual”），与后台服务共用同一本账：',
      '不会重复发送；正式渠道，以及 base_url 已是公众网站地址时的网站，须先经 `advisory approve` 批准。',
      '如果 `advisory run` 正在运行，',
      '推送会交给它发送，本命令等待结果。',
      '崩溃或被终止后可以放心再次运行：同一内容未完成的发布会接着做完（已发出的不再重发）；',
      '已完成的会提示“已经发布过”（加 --again 可再发一次）。',
      '渠道要求 2 分钟以后才能重试的（微信的每日配额、微博的每小时限制），本命令不会等：',
      '会列为“等待”，并说明时间和原因；届时由 `advisory run` 发送。',
      '退出码：0 全部已发送，1 有推送失败，2 用法错误，3 配置或状态问题，4 有推送暂停或在等待',
      '（等待批准），或者要发电子邮件而没有订阅者。',
    ].join('\n'),
    unknownChannel: (name: string, hint: string, channels: string) => `没有“${name}”这个渠道。${hint}可用的渠道：${channels}。`,
    wouldPublish: (id: string, advisories: number, channels: string) => `现在会把 ${id}（${advisories} 篇提示）发布到：${channels}`,
    eachSubscriber: '/<每位有效订阅者>',
    wouldFinish: (occurrence: string, channels: string, open: number, sent: number, changed: boolean) =>
      `会把未完成的发布 ${occurrence}（${channels}）做完：${open} 条未完成，${sent} 条已发送${changed ? '；内容在那之后有改动，尚未发出的会采用当前内容' : ''}`,
    alreadyByHand: (list: string) => `这份内容已经手动发布过：${list}；加 --again 会再发布一次`,
    wouldReachNobody: (channels: string) => `${channels}：没有订阅者，不会发送任何内容`,
    nothingSent: '没有发送任何内容。加上 --now 才会真正发布。',
    alreadyPublished: (id: string, channels: string) => `${id}：已经发布过（${channels}）；本次没有发送。要再次发布同一内容，请加 --again。`,
    earlierLeft: (channel: string, occurrence: string, summary: string) =>
      `  ${channel}（${occurrence}）：${summary}；请查看 \`advisory status\`（失败的用 \`advisory retry\` 重试；暂停的用 \`advisory approve\` 批准）`,
    emailToNobody: (id: string) => `${id}：电子邮件没有发送：没有订阅者。`,
    totals: (id: string, sent: number, failed: number, held: number, missed: number, waiting: number) =>
      `${id}：已发送 ${sent}，失败 ${failed}，暂停 ${held}，错过 ${missed}${waiting > 0 ? `，等待 ${waiting}` : ''}`,
    channelTotals: (channel: string, sent: number, failed: number, skipped: number, total: number, rate: string | null) =>
      `  ${channel}：共 ${total} 封，已发送 ${sent}，失败 ${failed}，跳过 ${skipped}（轮到之前已退订或退信）${rate ? `；${rate}` : ''}`,
    resumed: (finished: number, already: number, occurrence: string, channels: string) =>
      `已接着做完：完成 ${finished} 条，另有 ${already} 条之前已发送（${occurrence}：${channels}）`,
    failedRow: (key: string, why: string | null) => `  失败 ${key}：${why}`,
    heldRow: (key: string, why: string | null) => `  暂停 ${key}：${why}`,
    missedRow: (key: string, why: string | null) => `  错过 ${key}：${why}`,
    groupRow: (channel: string, n: number, state: string, why: string | null, example: string, ofAll: number) =>
      `  ${channel}：${n} 封${state}${why ? `，${why}` : ''}（例如 ${example}${ofAll > n ? `；${channel}共 ${ofAll} 封${state}` : ''}）`,
    waitingRow: (key: string, next: string | null, lastError: string | null) =>
      `  等待 ${key}：下次尝试在 ${next ?? '发送调度运行时'}${lastError ? `（${lastError}）` : ''}；届时由 \`advisory run\` 发送，或在那之后再运行一次本命令`,
    more: (n: number) => `  ……另有 ${n} 条：\`advisory status\` 会全部列出。`,
    emailNotSent: '  电子邮件没有发送：没有订阅者。',
    starting: '正在开始…',
    timeLeft: (clock: string) => `约剩 ${clock}`,
    barFailed: (n: string) => `失败 ${n}`,
  },
);

/** What a publish says while it works (app/publish-now.ts), and what an earlier one left (delivery/manual-history.ts). */
export const publishProgressMessages = messages(
  {
    waitingForPublish: (id: string, holder: string) => `waiting for another advisory publish of ${id} to record what it does (${holder})`,
    handedToDaemon: (pid: number) => `handed to the running dispatcher (pid ${pid}); waiting for it to finish`,
    waitingForDispatcher: (holder: string) => `waiting for another dispatcher to finish first (${holder}); then this publish sends`,
    dispatcherFrozen: (pid: number, seconds: number) =>
      `the dispatcher (pid ${pid}) is not responding (no heartbeat for ${seconds} s): still waiting. Its deliveries are recorded, so stopping this command (Ctrl-C) loses nothing; \`advisory status\` says what to do.`,
    dispatcherStopped: (pid: number) => `the dispatcher (pid ${pid}) stopped before finishing; finishing in the foreground`,
    waitingNextAttempt: (seconds: number) => `waiting ${seconds} s for the next attempt`,
    ledgerAway: (why: string, seconds: number) =>
      `the ledger does not answer (${why}): waiting up to ${seconds} s for it to come back (ADVISORY_LEDGER_OUTAGE); what is recorded is safe, and the daemon and the workers carry on by themselves`,
    ledgerBack: (seconds: number) => `the ledger answers again (after ${seconds} s); waiting as before`,
    ledgerAwaySending: (why: string, seconds: number) =>
      `the ledger does not answer (${why}): sending paused, waiting up to ${seconds} s for it to come back (ADVISORY_LEDGER_OUTAGE); what went out meanwhile is recorded once it answers`,
    ledgerBackSending: (seconds: number) => `the ledger answers again (after ${seconds} s); sending`,
    recordedLate: (n: number, file: string) =>
      `recorded ${n} deliver${n === 1 ? 'y' : 'ies'} an earlier run had sent while the ledger did not answer (kept in ${file}): not sent again`,
    badOutage: (got: string) => `ADVISORY_LEDGER_OUTAGE is "${got}": expected seconds from 0 to 86400, e.g. ADVISORY_LEDGER_OUTAGE=300.`,
    throughQueue: (queue: string, queues: string) =>
      `no dispatcher is running: sending through the queue ${queue} (${queues}) with workers in this process, alongside any advisory worker, under each account's shared rate limit; stopping once this publish is done`,
    claimsWithinLease: (n: number, seconds: number) =>
      `${n} deliver${n === 1 ? 'y is' : 'ies are'} claimed by a worker (interrupted, or in hand elsewhere) within the workers' lease of ${seconds} s (ADVISORY_WORKER_LEASE): ${n === 1 ? 'it is' : 'they are'} taken over once the claim is that old, checked with the channel before any resend`,
    queueAway: (queue: string, why: string) =>
      `the queue ${queue} does not answer (${why}): trying again every moment; nothing is lost, the ledger keeps every delivery`,
    queueBack: (queue: string) => `the queue ${queue} answers again; sending`,
    noAnswerFor: (seconds: number) => `no answer for ${seconds} s`,
    queueUnreachable: (queue: string, why: string) =>
      `cannot reach the queue ${queue}: ${why}. Nothing was sent; the deliveries are recorded and wait in the ledger: run the command again once Redis answers (or start advisory run, which sends them).`,
    interrupted: (signal: string, sent: number, left: number) =>
      `stopped by ${signal}: the jobs in hand were finished and recorded (${sent} sent so far), ${left} deliver${left === 1 ? 'y is' : 'ies are'} left; run the command again, or start advisory run, to finish ${left === 1 ? 'it' : 'them'}`,
    skippedByHand: (channel: string, occurrence: string, summary: string) =>
      `${channel}: this content was already published by hand (${occurrence}, ${summary}); skipped. Use --again to publish it again.`,
    againDeferred: (channels: string) =>
      `--again: the earlier publish of this content on ${channels} is unfinished; finishing it instead of publishing a second time. Once it is done, --again publishes once more.`,
    resuming: (channel: string, occurrence: string, open: number, sent: number) => `${channel}: resuming ${occurrence}: ${open} not finished, ${sent} already sent`,
    nobodySubscribed: (channel: string) =>
      `${channel}: nobody is subscribed (0 active subscribers), so no e-mail was sent. Add subscribers (\`advisory subscribers add ADDRESS\` or \`import FILE.csv\`), then publish e-mail again.`,
    renderFailed: (list: string) =>
      `rendering failed, nothing was recorded or sent: ${list}. Fix it (\`advisory preview\` shows it), or leave that channel out with --channel.`,
    recordedByOther: (key: string) => `${key} was recorded by another process at the same moment; nothing was sent by this run. Run the command again.`,
    created: (n: number, key: string) => `${n} deliver${n === 1 ? 'y' : 'ies'} for ${key}`,
    changedDoesNotRender: (occurrence: string, channel: string, error: string) =>
      `the earlier publish ${occurrence} is unfinished and the content has changed since, but ${channel} does not render now: ${error}. Fix it, then run the command again.`,
    tookCurrentContent: (channel: string, occurrence: string, n: number, hash: string) =>
      `${channel}: the content changed after ${occurrence} was interrupted: its ${n} unsent deliver${n === 1 ? 'y' : 'ies'} now carry the current content (${hash}); what went out is not sent again (--again, once this is done, publishes the new content on every channel).`,
    /** An earlier publish's counts: `298 sent, 2 failed`. */
    count: (n: number, state: DeliveryState) => `${n} ${deliveryStateNames('en')[state]}`,
    countSep: ', ',
    nothingCreated: 'nothing created',
  },
  {
    waitingForPublish: (id: string, holder: string) => `正在等待另一个 advisory publish 记录它对 ${id} 的操作（${holder}）`,
    handedToDaemon: (pid: number) => `已交给正在运行的发送调度（进程 ${pid}）；正在等它发完`,
    waitingForDispatcher: (holder: string) => `正在等待另一个发送调度先完成（${holder}）；之后由本次发布发送`,
    dispatcherFrozen: (pid: number, seconds: number) =>
      `发送调度（进程 ${pid}）没有响应（已有 ${seconds} 秒没有心跳）：仍在等待。推送都已记录，停止本命令（Ctrl-C）不会丢失任何东西；\`advisory status\` 会说明该怎么做。`,
    dispatcherStopped: (pid: number) => `发送调度（进程 ${pid}）没发完就停止了；改由本命令在前台发完`,
    waitingNextAttempt: (seconds: number) => `等待 ${seconds} 秒后再次尝试`,
    ledgerAway: (why: string, seconds: number) =>
      `账本没有响应（${why}）：最多等待 ${seconds} 秒让它恢复（ADVISORY_LEDGER_OUTAGE）；已记录的内容不会丢失，发送调度和工作进程恢复后会自行继续`,
    ledgerBack: (seconds: number) => `账本已恢复响应（中断 ${seconds} 秒）；继续等待`,
    ledgerAwaySending: (why: string, seconds: number) =>
      `账本没有响应（${why}）：暂停发送，最多等待 ${seconds} 秒让它恢复（ADVISORY_LEDGER_OUTAGE）；其间已发出的会在账本恢复后记上`,
    ledgerBackSending: (seconds: number) => `账本已恢复响应（中断 ${seconds} 秒）；继续发送`,
    recordedLate: (n: number, file: string) => `已记上上一次运行在账本无响应时发出的 ${n} 条推送（保存在 ${file}）：不会再发`,
    badOutage: (got: string) => `ADVISORY_LEDGER_OUTAGE 的值是“${got}”：应为 0 到 86400 之间的秒数，例如 ADVISORY_LEDGER_OUTAGE=300。`,
    throughQueue: (queue: string, queues: string) =>
      `没有正在运行的发送调度：通过队列 ${queue}（${queues}）发送，由本进程内的工作者和其他 advisory worker 一起处理，遵守各账号共用的频率限制；本次发布完成后停止`,
    claimsWithinLease: (n: number, seconds: number) =>
      `有 ${n} 条推送在工作进程的租期 ${seconds} 秒（ADVISORY_WORKER_LEASE）内被认领过（被中断，或正由别处的工作进程处理）：认领超过这个时长后再接手，重发之前先向渠道核实是否已发出`,
    queueAway: (queue: string, why: string) => `队列 ${queue} 没有响应（${why}）：正在不断重试；不会丢失任何内容，账本保存着每一条推送`,
    queueBack: (queue: string) => `队列 ${queue} 已恢复响应；继续发送`,
    noAnswerFor: (seconds: number) => `${seconds} 秒没有回应`,
    queueUnreachable: (queue: string, why: string) =>
      `无法连接队列 ${queue}：${why}。没有发送任何内容；推送都已记录在账本里等待发送：Redis 恢复后请重新运行命令（或启动 advisory run，由它发送）。`,
    interrupted: (signal: string, sent: number, left: number) =>
      `收到 ${signal} 后停止：手头的任务已做完并记录（目前已发送 ${sent} 条），还剩 ${left} 条推送；重新运行命令，或启动 advisory run，即可发完`,
    skippedByHand: (channel: string, occurrence: string, summary: string) =>
      `${channel}：这份内容已经手动发布过（${occurrence}，${summary}）；已跳过。要再发布一次，请加 --again。`,
    againDeferred: (channels: string) =>
      `--again：这份内容在 ${channels} 上的上一次发布还没有完成；先把它做完，而不是再发布一次。做完之后，再用 --again 会再发布一次。`,
    resuming: (channel: string, occurrence: string, open: number, sent: number) => `${channel}：接着完成 ${occurrence}：${open} 条未完成，${sent} 条已发送`,
    nobodySubscribed: (channel: string) =>
      `${channel}：没有订阅者（有效订阅者为 0），所以没有发送电子邮件。请先添加订阅者（\`advisory subscribers add ADDRESS\` 或 \`import FILE.csv\`），再发布一次电子邮件。`,
    renderFailed: (list: string) => `生成推送内容失败，没有记录也没有发送任何内容：${list}。请修正（\`advisory preview\` 可以看到问题），或用 --channel 去掉那个渠道。`,
    recordedByOther: (key: string) => `${key} 在同一时刻已被另一个进程记录；本次没有发送任何内容。请重新运行命令。`,
    created: (n: number, key: string) => `${key}：${n} 条推送`,
    changedDoesNotRender: (occurrence: string, channel: string, error: string) =>
      `上一次发布 ${occurrence} 没有完成，内容在那之后有改动，但 ${channel} 现在无法生成推送内容：${error}。请修正后重新运行命令。`,
    tookCurrentContent: (channel: string, occurrence: string, n: number, hash: string) =>
      `${channel}：${occurrence} 中断之后内容有改动：其中 ${n} 条未发出的推送现在采用当前内容（${hash}）；已发出的不再重发（这些做完之后，用 --again 可以在所有渠道发布新内容）。`,
    count: (n: number, state: DeliveryState) => `${deliveryStateNames('zh-CN')[state]} ${n}`,
    countSep: '，',
    nothingCreated: '未创建任何推送',
  },
);
