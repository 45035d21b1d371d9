/**
 * The human view of a plan: one table per campaign (due time in the
 * schedule's zone, UTC, schedule, channels, advisories).
 */
import type { Occurrence } from './types.js';
import { planMessages } from '../i18n/messages-plan.js';

/** The table's heads, in the reader's language. */
function columns(): readonly string[] {
  const m = planMessages();
  return [m.columnDue, m.columnUtc, m.columnSchedule, m.columnChannels, m.columnAdvisories];
}

/** `2014-09-29T09:00:00+08:00` → `2014-09-29 09:00 +08:00` (seconds shown only when not :00). */
function shortLocal(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(.*)$/.exec(iso);
  if (!m) return iso;
  const seconds = m[3] && m[3] !== ':00' ? m[3] : '';
  return `${m[1]} ${m[2]}${seconds} ${m[4] === 'Z' ? 'UTC' : m[4]}`;
}

/** `2014-09-29T01:00:00Z` → `2014-09-29 01:00Z`. */
const shortUtc = (iso: string): string => shortLocal(iso).replace(/ UTC$/, 'Z');

/** Display width: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)));

/** `notes`: lines shown under a campaign's heading (the holiday its firings were planned from, and the source of its dates). */
export function formatPlanTable(occurrences: Occurrence[], titles: ReadonlyMap<string, string>, notes: ReadonlyMap<string, readonly string[]> = new Map()): string {
  const groups = new Map<string, Occurrence[]>();
  for (const o of occurrences) {
    const list = groups.get(o.campaign) ?? [];
    list.push(o);
    groups.set(o.campaign, list);
  }
  const blocks: string[] = [];
  for (const campaign of [...groups.keys()].sort()) {
    const rows = groups.get(campaign)!.map((o) => [
      shortLocal(o.dueLocal),
      shortUtc(o.dueUtc),
      o.schedule,
      o.channels.join(','),
      o.advisories.join(', '),
    ]);
    const heads = columns();
    const widths = heads.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
    const line = (cells: readonly string[]) =>
      `  ${cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ')}`.trimEnd();
    const title = titles.get(campaign);
    blocks.push([`${campaign}${title ? ` — ${title}` : ''}`, ...(notes.get(campaign) ?? []).map((n) => `  ${n}`), line(heads), ...rows.map(line)].join('\n'));
  }
  return blocks.join('\n\n');
}
