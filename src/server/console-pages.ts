/**
 * The staff console's pages: home, calendar, approvals (with the diff shown
 * on the preview), failures with retry, subscribers with import and export.
 * They lay out what app/console.ts found, in the reader's language; every
 * action is a plain form (no script), every value escaped.
 */
import type { Lang } from '../i18n/index.js';
import { consoleMessages } from '../i18n/messages-console.js';
import type { ApprovalDetail, ApprovalItem, ApprovalState, CalendarGroup, FailureGroup, FiringChannel, ImportSummary } from '../app/console.js';
import type { ContentDiff, DiffLine, FieldChange } from '../app/content-diff.js';
import type { SubscriberStatus } from '../delivery/store/index.js';
import { holidayName } from '../calendar/holidays.js';
import { shortHash } from '../delivery/approval.js';
import { esc, staffPage, type Who } from './staff-pages.js';
import { sayReason } from '../i18n/reasons.js';

type M = ReturnType<typeof consoleMessages>;

const channelName = (m: M, c: string) => (m as unknown as Record<string, string>)[`channel_${c}`] ?? c;
const stateName = (m: M, s: string) => (m as unknown as Record<string, string>)[`state_${s}`] ?? s;
const badge = (m: M, s: string, text = stateName(m, s)) => `<span class="badge s-${esc(s)}">${esc(text)}</span>`;

/** `2014-09-29T09:00:00+08:00` → `2014-09-29 09:00`: the local time as staff read it. */
const localTime = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/, '');
/** A moment the ledger recorded (UTC), as Beijing time to the minute: `2014-09-20 08:00`. */
const stamp = (iso: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).slice(0, 16);

function approvalLine(m: M, a: ApprovalState, needed = true): string {
  if (a.state === 'approved') return badge(m, 'sent', m.approvedBy(a.by, stamp(a.at)));
  // Only sandbox channels: nothing waits for approval, so it is said without the warning colour.
  if (a.state === 'changed') return badge(m, needed ? 'needs-approval' : 'scheduled', m.changedSince(a.by, stamp(a.at)));
  if (!needed) return badge(m, 'scheduled', m.sandboxOnly);
  return badge(m, 'needs-approval', m.neverApproved);
}

export interface HomeData {
  next?: CalendarGroup;
  waiting: number;
  failed: number;
  held: number;
  active: number;
}

export function homePage(d: HomeData, who: Who, lang: Lang): string {
  const m = consoleMessages(lang);
  const first = d.next?.firings.find((f) => !f.past);
  const next = d.next && first
    ? `<p><b>${esc(holidayLabel(d.next))}</b> · ${esc(d.next.title)}</p><p>${esc(m.firstFiring(localTime(first.dueLocal)))}</p><p>${approvalLine(m, d.next.approval, d.next.liveChannels.length > 0)}</p>`
    : `<p>${esc(m.nothingComing)}</p>`;
  const card = (title: string, body: string, href: string, page = title) => `<section class="card"><h2>${esc(title)}</h2>${body}<p><a href="${href}">${esc(m.openPage(page))}</a></p></section>`;
  return staffPage(m.homeTitle, `<p>${esc(m.homeIntro)}</p><div class="cards">
${card(m.nextHoliday, next, '/calendar', m.calendar)}
${card(m.approvals, `<p>${esc(m.waitingApproval(d.waiting))}</p>`, '/approvals')}
${card(m.failures, `<p>${esc(m.failuresLine(d.failed, d.held))}</p>`, '/failures')}
${card(m.subscribers, `<p>${esc(m.subscribersLine(d.active))}</p>`, '/subscribers')}
</div>`, { who, lang, section: 'home', here: '/' });
}

const holidayLabel = (g: CalendarGroup) => (g.holiday ? `${g.year ? `${g.year} ` : ''}${holidayName(g.holiday)}` : g.title);

function channelCell(m: M, lang: Lang, c: FiringChannel): string {
  const counts = c.counts ? ` (${Object.entries(c.counts).map(([s, n]) => `${stateName(m, s)} ${n}`).join(', ')})` : '';
  return `<li>${esc(channelName(m, c.channel))}: ${badge(m, c.state)}${esc(counts)}${c.detail ? `<br><span class="note">${esc(sayReason(c.detail, lang))}</span>` : ''}</li>`;
}

export function calendarPage(groups: CalendarGroup[], who: Who, lang: Lang): string {
  const m = consoleMessages(lang);
  const body = groups.length === 0
    ? `<p>${esc(m.noFirings)}</p>`
    : groups.map((g) => `<section aria-labelledby="h-${esc(g.campaign)}">
<h2 id="h-${esc(g.campaign)}">${esc(holidayLabel(g))} · ${esc(g.title)} <code>${esc(g.campaign)}</code></h2>
<p>${approvalLine(m, g.approval, g.liveChannels.length > 0)} · <a href="/preview/?campaign=${encodeURIComponent(g.campaign)}">${esc(m.approveLink)}</a></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${esc(m.when)}</th><th scope="col">${esc(m.schedule)}</th><th scope="col">${esc(m.channels)}</th></tr></thead><tbody>
${g.firings.map((f) => `<tr${f.past ? ' class="past"' : ''}><td>${esc(localTime(f.dueLocal))}${f.past ? ` (${esc(m.past)})` : ''}</td><td><code>${esc(f.schedule)}</code></td><td><ul class="plain">${f.channels.map((c) => channelCell(m, lang, c)).join('')}</ul></td></tr>`).join('\n')}
</tbody></table></div></section>`).join('\n');
  return staffPage(m.calendarTitle, `<p>${esc(m.calendarIntro)}</p>${body}`, { who, lang, section: 'calendar', here: '/calendar' });
}

export function approvalsPage(items: ApprovalItem[], who: Who, lang: Lang): string {
  const m = consoleMessages(lang);
  const rows = items.map((i) => `<tr><th scope="row"><a href="/preview/?campaign=${encodeURIComponent(i.campaign)}">${esc(i.title)}</a><br><code>${esc(i.campaign)}</code></th>
<td>${approvalLine(m, i.approval, i.liveChannels.length > 0 || i.held > 0)}${i.held > 0 ? ` ${badge(m, 'held', m.heldCount(i.held))}` : ''}<br><span class="note">${esc(i.liveChannels.length ? m.liveNote(i.liveChannels.map((c) => channelName(m, c)).join('、')) : m.noLive)}</span></td>
<td>${i.next ? `${esc(localTime(i.next.dueLocal))}<br><span class="note">${esc(i.next.channels.map((c) => channelName(m, c)).join('、'))}</span>` : '—'}</td>
<td><a class="button" href="/preview/?campaign=${encodeURIComponent(i.campaign)}">${esc(m.approveLink)}</a></td></tr>`).join('\n');
  return staffPage(m.approvalsTitle, `<p>${esc(m.approvalsIntro)}</p>
<div class="table-wrap"><table><thead><tr><th scope="col">${esc(m.campaign)}</th><th scope="col">${esc(m.approvalState)}</th><th scope="col">${esc(m.next)}</th><th scope="col"><span class="note">${esc(m.open)}</span></th></tr></thead><tbody>
${rows}
</tbody></table></div>`, { who, lang, section: 'approvals', here: '/approvals' });
}

const value = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function fieldTable(m: M, changes: FieldChange[]): string {
  return `<div class="table-wrap"><table><thead><tr><th scope="col">${esc(m.field)}</th><th scope="col">${esc(m.before)}</th><th scope="col">${esc(m.after)}</th></tr></thead><tbody>${changes
    .map((c) => `<tr><th scope="row"><code>${esc(c.field)}</code></th><td><del>${esc(value(c.before))}</del></td><td><ins>${esc(value(c.after))}</ins></td></tr>`)
    .join('')}</tbody></table></div>`;
}

function bodyDiff(m: M, lines: DiffLine[]): string {
  return `<ul class="diff">${lines
    .map((l) =>
      l.op === 'gap'
        ? `<li class="gap">${esc(m.linesSkipped(l.skipped))}</li>`
        : l.op === 'same'
          ? `<li><span class="mark"> </span>${esc(l.text)}</li>`
          : `<li class="${l.op}"><span class="mark">${esc(l.op === 'add' ? `+ ${m.lineAdded}` : `− ${m.lineDeleted}`)}</span> ${esc(l.text)}</li>`,
    )
    .join('')}</ul>`;
}

export function diffHtml(m: M, diff: ContentDiff): string {
  if (diff.same) return `<p>${esc(m.diffNone)}</p>`;
  return [
    diff.fields.length ? `<h4>${esc(m.diffFields)} <code>campaign.yaml</code></h4>${fieldTable(m, diff.fields)}` : '',
    diff.added.length ? `<h4>${esc(m.added)}</h4><ul>${diff.added.map((a) => `<li><code>${esc(a.file)}</code></li>`).join('')}</ul>` : '',
    diff.removed.length ? `<h4>${esc(m.removed)}</h4><ul>${diff.removed.map((a) => `<li><code>${esc(a.file)}</code></li>`).join('')}</ul>` : '',
    ...diff.changed.map((c) => `<h4>${esc(m.changedAdvisory(c.file))}</h4>${c.fields.length ? fieldTable(m, c.fields) : ''}${c.body.length ? bodyDiff(m, c.body) : ''}`),
  ].join('\n');
}

/** Under a campaign's title on the preview: its approval state, what changed since the last approval, and the form approving exactly this hash. */
export function approvalBlock(d: ApprovalDetail, who: Who, lang: Lang): string {
  const m = consoleMessages(lang);
  const diff = d.diff ? `<section class="diff-block"><h3>${esc(m.diffTitle)}</h3>${diffHtml(m, d.diff)}</section>` : d.noSnapshot ? `<p class="note">${esc(m.diffNoSnapshot)}</p>` : '';
  const state = d.approval.state === 'approved' ? m.approvedAlready(d.approval.by, stamp(d.approval.at)) : '';
  return `<form method="post" action="/approve" class="approve-form" aria-label="${esc(m.approveAs(who.name))}: ${esc(d.campaign)}">
<input type="hidden" name="csrf" value="${esc(who.csrf)}"><input type="hidden" name="campaign" value="${esc(d.campaign)}"><input type="hidden" name="hash" value="${esc(d.hash)}">
<p>${esc(m.contentHash)} <code class="approve-hash">${esc(shortHash(d.hash))}</code> · ${approvalLine(m, d.approval, d.liveChannels.length > 0 || d.held > 0)}${d.held > 0 ? ` ${badge(m, 'held', m.heldCount(d.held))}` : ''}</p>
${state ? `<p>${esc(state)}</p>` : ''}${diff}
<button type="submit">${esc(m.approveAs(who.name))}</button></form>`;
}

function advice(m: M, f: { channel: string; channelCode?: string; kind: string }): { plain?: string; todo: string } {
  const table = m as unknown as Record<string, string>;
  const plain = f.channelCode ? table[`code_${f.channel}_${f.channelCode}`] : undefined;
  const todo = (f.channelCode ? table[`todo_${f.channel}_${f.channelCode}`] : undefined) ?? table[`do_${f.kind}`] ?? m.do_permanent;
  return { plain, todo: todo.replace('<channel>', f.channel).replace('<渠道>', f.channel) };
}

function failureTable(m: M, lang: Lang, groups: FailureGroup[], who: Who, withRetry: boolean, empty: string): string {
  if (groups.length === 0) return `<p>${esc(empty)}</p>`;
  return `<div class="table-wrap"><table><thead><tr><th scope="col">${esc(m.delivery)}</th><th scope="col">${esc(m.channelSaid)}</th><th scope="col">${esc(m.whatToDo)}</th>${withRetry ? `<th scope="col">${esc(m.retry)}</th>` : ''}</tr></thead><tbody>
${groups.map((g) => {
    const a = advice(m, g);
    const f = g.first;
    const what = `${channelName(m, g.channel)} · ${g.campaign}`;
    const who2 = g.recipients.length ? `<br>${esc(m.recipients(g.recipients.join('、'), g.count - g.recipients.length))}` : '';
    const retry = g.kind === 'approval'
      ? '—'
      : g.retryable > 0
        ? `<form method="post" action="/retry"><input type="hidden" name="csrf" value="${esc(who.csrf)}"><input type="hidden" name="group" value="${esc(g.id)}"><button type="submit" aria-label="${esc(m.retryGroupLabel(g.retryable, what))}">${esc(m.retryGroup(g.retryable))}</button></form>`
        : `<span class="note">${esc(m.noRetryBounced)}</span>`;
    return `<tr><th scope="row">${esc(what)}${g.count > 1 ? ` · ${esc(m.groupCount(g.count))}` : ''}<br><code>${esc(f.key)}</code>${who2}<br><span class="note">${esc(m.attempts)}: ${f.attempts}${f.nextAttemptAt ? ` · ${esc(m.nextAttempt)}: ${esc(stamp(f.nextAttemptAt))}` : ''}</span></th>
<td>${a.plain ? `<p><b>${esc(a.plain)}</b></p>` : ''}<p>${esc(sayReason(g.message, lang))}${g.channelCode ? ` <code>${esc(g.channelCode)}</code>` : ''}</p></td>
<td>${esc(a.todo)}${g.kind === 'approval' ? ` <a href="/preview/?campaign=${encodeURIComponent(g.campaign)}">${esc(m.approveLink)}</a>` : ''}</td>
${withRetry ? `<td>${retry}</td>` : ''}</tr>`;
  }).join('\n')}
</tbody></table></div>`;
}

export function failuresPage(f: { failed: FailureGroup[]; held: FailureGroup[]; retrying: FailureGroup[] }, who: Who, lang: Lang, notice?: string): string {
  const m = consoleMessages(lang);
  const n = (gs: FailureGroup[]) => gs.reduce((t, g) => t + g.count, 0);
  return staffPage(m.failuresTitle, `${notice ? `<div role="status"><p><b>${esc(notice)}</b></p></div>` : ''}<p>${esc(m.failuresIntro)}</p>
<h2>${esc(m.failedHeading)} (${n(f.failed)})</h2>${failureTable(m, lang, f.failed, who, true, m.noFailed)}
<h2>${esc(m.heldHeading)} (${n(f.held)})</h2>${failureTable(m, lang, f.held, who, true, m.noHeld)}
<h2>${esc(m.retryingHeading)} (${n(f.retrying)})</h2>${failureTable(m, lang, f.retrying, who, false, m.noRetrying)}`, { who, lang, section: 'failures', here: '/failures' });
}

/** A console page for an error answer (a mistyped address, a stale link, a reloaded form), with the way back. */
export function errorPage(status: number, who: Who | undefined, lang: Lang): string {
  const m = consoleMessages(lang) as unknown as Record<string, string>;
  const title = m[`error_${status}`] ?? m.error_500;
  const text = m[`error_${status}_text`] ?? m.error_500_text;
  return staffPage(title, `<p>${esc(text)}</p><p><a href="/">${esc(m.goHome)}</a></p>`, { who, lang });
}

const SUB_STATES: SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'bounced'];

export function subscribersPage(counts: Record<SubscriberStatus, number>, who: Who, lang: Lang, result?: { file: string; summary?: ImportSummary; error?: string }): string {
  const m = consoleMessages(lang);
  const table = m as unknown as Record<string, string>;
  const outcome = !result
    ? ''
    : result.error
      ? `<div role="alert"><p class="error">${esc(result.error)}</p></div>`
      : `<div role="status"><h2>${esc(m.importedTitle)}</h2><p>${esc(m.importedText(result.file, result.summary!.encoding, result.summary!.added, result.summary!.present, result.summary!.skipped, result.summary!.notActive))}</p>
${result.summary!.invalid.length ? `<p class="error">${esc(m.invalidLines(result.summary!.invalid.length))}</p><ul>${result.summary!.invalid.slice(0, 100).map((i) => `<li>${esc(m.lineN(i.line))}: ${esc(i.message)}</li>`).join('')}</ul>` : ''}</div>`;
  return staffPage(m.subscribersTitle, `${outcome}<p>${esc(m.subscribersIntro)}</p>
<table><thead><tr><th scope="col">${esc(m.subStatus)}</th><th scope="col">${esc(m.count)}</th></tr></thead><tbody>
${SUB_STATES.map((s) => `<tr><th scope="row">${esc(table[`sub_${s}`])}</th><td>${counts[s] ?? 0}</td></tr>`).join('')}
</tbody></table>
<h2>${esc(m.importHeading)}</h2><p>${esc(m.importHelp)}</p>
<form method="post" action="/subscribers/import" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${esc(who.csrf)}">
<label for="file">${esc(m.file)}</label><input type="file" id="file" name="file" accept=".csv,.txt,text/csv" required>
<p><button type="submit">${esc(m.importButton)}</button></p></form>
<h2>${esc(m.exportHeading)}</h2><p><a href="/subscribers.csv" download="subscribers.csv">${esc(m.exportLink)}</a></p>`, { who, lang, section: 'subscribers', here: '/subscribers' });
}
