/**
 * What an approver signed: a snapshot of a campaign's content (its fields and
 * each advisory's front matter and body) kept in the ledger beside the
 * approval, and the difference between that snapshot and the content now, so
 * a re-approval shows exactly what changed (fields, advisories added or
 * removed, body lines) instead of a new hash to take on trust.
 */
import type { Campaign } from '../content/model.js';
import type { MetaStore } from '../delivery/store/index.js';

export interface ContentSnapshot {
  v: 1;
  campaign: string;
  fields: Record<string, unknown>;
  advisories: Array<{ id: string; file: string; fields: Record<string, unknown>; body: string }>;
}

/** Computed or positional parts of a loaded campaign: not what an author wrote. */
const NOT_FIELDS = new Set(['id', 'dir', 'absDir', 'file', 'advisories', 'contentHash', 'places', 'assets']);
const NOT_ADVISORY_FIELDS = new Set(['id', 'file', 'index', 'body', 'bodyLine', 'hash', 'places']);

const pick = (o: object, skip: Set<string>) =>
  Object.fromEntries(Object.entries(o).filter(([k, v]) => !skip.has(k) && v !== undefined).sort(([a], [b]) => a.localeCompare(b)));

export function snapshotOf(campaign: Campaign): ContentSnapshot {
  return {
    v: 1,
    campaign: campaign.id,
    fields: pick(campaign, NOT_FIELDS),
    advisories: campaign.advisories.map((a) => ({ id: a.id, file: a.file, fields: pick(a, NOT_ADVISORY_FIELDS), body: a.body })),
  };
}

const metaName = (campaign: string, hash: string) => `approved-content/${campaign}/${hash}`;

/** Kept when content is approved (app/approve.ts): what `hash` was, for the next approval's diff. */
export async function saveSnapshot(store: MetaStore, campaign: Campaign, hash: string): Promise<void> {
  await store.setMeta(metaName(campaign.id, hash), JSON.stringify(snapshotOf(campaign)));
}

/** The snapshot kept when `hash` was approved; undefined for approvals recorded before snapshots were kept. */
export async function loadSnapshot(store: MetaStore, campaign: string, hash: string): Promise<ContentSnapshot | undefined> {
  const raw = await store.getMeta(metaName(campaign, hash));
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as ContentSnapshot;
    return s.v === 1 ? s : undefined;
  } catch {
    return undefined;
  }
}

export type DiffLine = { op: 'same' | 'add' | 'del'; text: string; oldLine?: number; newLine?: number } | { op: 'gap'; skipped: number };

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ContentDiff {
  /** campaign.yaml fields that changed. */
  fields: FieldChange[];
  added: Array<{ id: string; file: string }>;
  removed: Array<{ id: string; file: string }>;
  changed: Array<{ id: string; file: string; fields: FieldChange[]; body: DiffLine[] }>;
  /** Nothing an author wrote changed (the hash moved with the templates or an image). */
  same: boolean;
}

function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((field) => ({ field, before: before[field], after: after[field] }));
}

/** Line diff (longest common subsequence), with `context` unchanged lines around each change and gaps for the rest. */
export function lineDiff(before: string, after: string, context = 2): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // Common head and tail first: an edit is usually a few lines in a long body.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = am[i] === bm[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const all: Array<{ op: 'same' | 'add' | 'del'; text: string; oldLine?: number; newLine?: number }> = [];
  for (let i = 0; i < head; i++) all.push({ op: 'same', text: a[i], oldLine: i + 1, newLine: i + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      all.push({ op: 'same', text: am[i], oldLine: head + i + 1, newLine: head + j + 1 });
      i++, j++;
    } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
      // deletions before additions, as diff(1) shows a replaced line
      all.push({ op: 'del', text: am[i], oldLine: head + i + 1 });
      i++;
    } else {
      all.push({ op: 'add', text: bm[j], newLine: head + j + 1 });
      j++;
    }
  }
  for (let t = 0; t < tail; t++) all.push({ op: 'same', text: a[a.length - tail + t], oldLine: a.length - tail + t + 1, newLine: b.length - tail + t + 1 });
  // Keep the changes and `context` lines around them.
  const keep = all.map(() => false);
  all.forEach((l, x) => {
    if (l.op === 'same') return;
    for (let y = Math.max(0, x - context); y <= Math.min(all.length - 1, x + context); y++) keep[y] = true;
  });
  const out: DiffLine[] = [];
  let skipped = 0;
  all.forEach((l, x) => {
    if (keep[x]) {
      if (skipped > 0) out.push({ op: 'gap', skipped }), (skipped = 0);
      out.push(l);
    } else skipped++;
  });
  if (skipped > 0 && out.length > 0) out.push({ op: 'gap', skipped });
  return out;
}

export function contentDiff(before: ContentSnapshot, after: ContentSnapshot): ContentDiff {
  const fields = fieldChanges(before.fields, after.fields);
  const old = new Map(before.advisories.map((a) => [a.id, a]));
  const now = new Map(after.advisories.map((a) => [a.id, a]));
  const added = after.advisories.filter((a) => !old.has(a.id)).map(({ id, file }) => ({ id, file }));
  const removed = before.advisories.filter((a) => !now.has(a.id)).map(({ id, file }) => ({ id, file }));
  const changed: ContentDiff['changed'] = [];
  for (const a of after.advisories) {
    const b = old.get(a.id);
    if (!b) continue;
    const f = fieldChanges(b.fields, a.fields);
    const body = b.body === a.body ? [] : lineDiff(b.body, a.body);
    if (f.length > 0 || body.length > 0) changed.push({ id: a.id, file: a.file, fields: f, body });
  }
  return { fields, added, removed, changed, same: fields.length + added.length + removed.length + changed.length === 0 };
}
