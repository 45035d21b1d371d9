/** The /status page: the same report as `advisory status`, as escaped HTML in the reader's language, inside the console's frame. */
import { subscriberLine, type StatusReport } from '../delivery/status.js';
import type { Lang } from '../i18n/index.js';
import { sayReason } from '../i18n/reasons.js';
import { statusPageMessages } from '../i18n/messages-console.js';
import { esc, staffPage, type Who } from './staff-pages.js';

export function statusHtml(s: StatusReport, who: Who, lang: Lang): string {
  const m = statusPageMessages(lang);
  const c = s.counts;
  const table = (title: string, head: string[], rows: unknown[][]) =>
    rows.length === 0
      ? ''
      : `<h2>${esc(title)}</h2><div class="table-wrap"><table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table></div>`;
  return staffPage(m.title, `<p>${esc(m.asOf(s.at))} · ${esc(m.dispatcher)} ${esc(s.dispatcherText)} · <a href="/status">${esc(m.reload)}</a></p>
${s.warnings.map((w) => `<p role="alert"><strong>${esc(m.warning)}</strong> ${esc(w)}</p>`).join('')}
<p>${esc(m.subscribers)} ${esc(subscriberLine(s.subscribers, lang))}</p>
${table(m.deliveries, [m.sent, m.pending, m.sending, m.held, m.failed, m.missed], [[c.sent, c.pending, c.sending, c.held, c.failed, c.missed]])}
${table(m.channels, [m.channel, m.mode, m.missingEnv, m.problem], s.channels.map((ch) => [ch.name, ch.mode, ch.missingEnv.join(', '), ch.problem ?? '']))}
${table(m.held, [m.delivery, m.why], s.held.map((d) => [d.key, sayReason(d.reason, lang)]))}
${table(m.failed, [m.delivery, m.error, m.attempts], s.failed.map((d) => [d.key, sayReason(d.error, lang), d.attempts]))}
${table(m.missed, [m.delivery, m.why], s.missed.map((d) => [d.key, sayReason(d.reason, lang)]))}
${table(m.retrying, [m.delivery, m.nextAttempt, m.attempts, m.lastError], s.retrying.map((d) => [d.key, d.nextAttemptAt ?? m.now, d.attempts, d.error]))}
${table(m.sendingNow, [m.delivery, m.attempt, m.since, m.stateCol], s.sending.map((d) => [d.key, d.attempt, d.since, d.interrupted ? m.interrupted : m.inFlight]))}
${table(m.waiting, [m.occurrence, m.channel, m.why, m.since], s.waiting.map((w) => [w.occurrence, w.channel, w.error ?? '', w.since]))}
${table(m.nextDue, [m.dueLocal, m.occurrence, m.channels], s.next.map((o) => [o.dueLocal, o.key, o.channels.join(', ')]))}
${table(m.queues, [m.queue, m.channel, m.jobsWaiting, m.workers], (s.queues ?? []).map((q) => [q.queue, q.channel, q.waiting, q.workers]))}`, { who, lang, section: 'status', here: '/status' });
}
