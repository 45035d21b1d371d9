/** The /status page: the same report as `advisory status`, as escaped HTML. */
import { subscriberLine, type StatusReport } from '../delivery/status.js';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function statusHtml(s: StatusReport): string {
  const c = s.counts;
  const table = (title: string, head: string[], rows: unknown[][]) =>
    rows.length === 0
      ? ''
      : `<h2>${esc(title)}</h2><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>advisory status</title><meta http-equiv="refresh" content="10">
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}</style></head>
<body><h1>Delivery status</h1><p>as of ${esc(s.at)} · dispatcher ${esc(s.dispatcherText)}</p>
${s.warnings.map((w) => `<p role="alert"><strong>Warning:</strong> ${esc(w)}</p>`).join('')}
<p>e-mail subscribers: ${esc(subscriberLine(s.subscribers))}</p>
${table('Deliveries', ['sent', 'pending', 'sending', 'held', 'failed', 'missed'], [[c.sent, c.pending, c.sending, c.held, c.failed, c.missed]])}
${table('Channels', ['channel', 'mode', 'missing variables', 'problem'], s.channels.map((ch) => [ch.name, ch.mode, ch.missingEnv.join(', '), ch.problem ?? '']))}
${table('Held', ['delivery', 'why'], s.held.map((d) => [d.key, d.reason]))}
${table('Failed', ['delivery', 'error', 'attempts'], s.failed.map((d) => [d.key, d.error, d.attempts]))}
${table('Missed', ['delivery', 'why'], s.missed.map((d) => [d.key, d.reason]))}
${table('Waiting to try again', ['delivery', 'next attempt', 'attempts', 'last error'], s.retrying.map((d) => [d.key, d.nextAttemptAt ?? 'now', d.attempts, d.error]))}
${table('Sending', ['delivery', 'attempt', 'since', ''], s.sending.map((d) => [d.key, d.attempt, d.since, d.interrupted ? 'interrupted: checked before any resend' : 'in flight']))}
${table('Waiting to be created', ['occurrence', 'channel', 'why', 'since'], s.waiting.map((w) => [w.occurrence, w.channel, w.error ?? '', w.since]))}
${table('Next due', ['due (local)', 'occurrence', 'channels'], s.next.map((o) => [o.dueLocal, o.key, o.channels.join(', ')]))}
</body></html>`;
}
