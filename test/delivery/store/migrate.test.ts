/**
 * `advisory migrate`: a bureau's SQLite ledger moved to PostgreSQL without
 * loss (every table's rows and sha256 equal on both sides, and the stores read
 * the same through their interface), a second run refused, back again to
 * SQLite, and the schema brought up to date. The PostgreSQL cases skip,
 * visibly, without ADVISORY_TEST_POSTGRES.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { openStore, type Store } from '../../../src/delivery/store/index.js';
import { openLedger } from '../../../src/delivery/store/sqlite/ledger.js';
import { sqliteLedgerEnd } from '../../../src/delivery/store/sqlite/transfer.js';
import { openPostgres } from '../../../src/delivery/store/postgres/open.js';
import { postgresLedgerEnd } from '../../../src/delivery/store/postgres/transfer.js';
import { MIGRATIONS } from '../../../src/delivery/store/postgres/migrations.js';
import { LEDGER_TABLES, tableDigest, type LedgerEnd, type TableDigest } from '../../../src/delivery/store/transfer.js';
import { AT, created, delivery, fanOutPlan, later, occurrence, plainPlan, sending, subscribe } from './contract/fixtures.js';
import { PG_SKIPPED, PG_URL, Schemas, sql } from './postgres-harness.js';

const dirs: string[] = [];
const schemas = new Schemas();
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await schemas.drop();
});

/** A project folder (no campaigns yet). */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'advisory-migrate-'));
  dirs.push(root);
  mkdirSync(join(root, 'advisories'));
  return root;
}

async function cli(root: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => AT }, root);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A ledger with something in every table: occurrences with plain and fanned-out deliveries, sends with receipts, a retry, a failure, approvals, subscribers, staff, meta, the audit log. */
async function bureauLedger(s: Store): Promise<void> {
  await subscribe(s, { address: 'wang@example.org', name: '王丽' }, 'li@example.org', 'zhao@example.org');
  await s.importSubscribers([{ address: 'new@example.org', name: '新', line: 2 }], AT, 'import:list.csv');
  await s.unsubscribeAddress('zhao@example.org', AT);
  await s.recordBounce((await s.subscriberByAddress('li@example.org'))!.id, AT, { code: '550', message: 'mailbox unavailable' });
  await s.recordApproval('c', 'h1', '王警官', AT);
  await s.recordApproval('c', 'h2', '李科长', later(1000));
  const occ = occurrence();
  await s.recordOccurrence(occ, [plainPlan(occ.key, 'wechat'), plainPlan(occ.key, 'weibo', 2), fanOutPlan(occ.key)], AT);
  const manual = occurrence('c/manual/2014-09-30T01:00:00Z', { kind: 'manual', requestedBy: '王警官', createdAt: later(2000).toISOString() });
  await s.recordOccurrence(manual, [{ channel: 'website', baseKey: 'c/manual/website/2014-09-30T01:00:00Z', error: 'templates/website/page.hbs:3:1: Parse error' }], later(2000));
  await created(s, delivery('c/s/wechat/loose'), delivery('c/s/wechat/missed', { state: 'missed', reason: 'missed: window ended', payload: null }));
  const wechat = `c/bulletin/wechat/2014-09-29T01:00:00Z`;
  const n = await sending(s, wechat);
  await s.checkpoint(wechat, n, { draftMediaId: 'D1' }, later(100));
  await s.markSent(wechat, n, { id: '2247483650_1', url: 'https://mp.weixin.qq.com/s/x', at: later(200).toISOString() }, later(200));
  const weibo = `c/bulletin/weibo/2014-09-29T01:00:00Z#1`;
  await s.markRetry(weibo, await sending(s, weibo), later(60_000), { failure: 'transient', message: 'system busy', channelCode: '-1' }, later(300));
  await s.markFinal('c/s/wechat/loose', await sending(s, 'c/s/wechat/loose'), 'failed', 'appkey not bind domain', { failure: 'permanent', message: 'appkey not bind domain' }, later(400));
  const mails = (await s.list({ occurrence: occ.key })).filter((d) => d.channel === 'email');
  const claimed = await s.markSendingMany(mails.map((d) => d.key), later(500));
  await s.markSentMany(claimed.slice(0, 2).map((d) => ({ key: d.key, attempt: d.attempts, receipt: { id: `<${d.recipient}@mail>`, at: later(600).toISOString() } })), later(600));
  await s.addStaff('wang', 'scrypt$16384$8$1$salt$hash', AT);
  await s.setMeta('planned_up_to', later(3_600_000).toISOString());
  await s.setMeta('wechat_token', '{"token":"x","expires":1}');
  await s.audit('note', { key: wechat, text: '王警官 checked it' }, later(700));
}

/** What a store says through its interface: everything a bureau relies on. */
async function contents(s: Store) {
  const deliveries = await s.list();
  return {
    deliveries,
    attempts: await Promise.all(deliveries.map((d) => s.attempts(d.key))),
    counts: await s.counts(),
    occurrences: await s.occurrences({}),
    channels: await Promise.all((await s.occurrences({})).map((o) => s.occurrenceChannels(o.key))),
    waiting: await s.waitingChannels(),
    subscribers: await s.subscribers(),
    approval: await s.latestApproval('c'),
    staff: await s.staffAccounts(),
    meta: [await s.getMeta('planned_up_to'), await s.getMeta('wechat_token')],
    audit: await s.auditLog(),
  };
}

async function digests(end: LedgerEnd): Promise<TableDigest[]> {
  return end.read(async (r) => {
    const out: TableDigest[] = [];
    for (const t of LEDGER_TABLES) out.push(await tableDigest(r, t));
    return out;
  });
}

/** The table lines `advisory migrate` printed. */
const printed = (out: string) => [...out.matchAll(/^ {2}(\w+): (\d+) rows?, sha256 ([0-9a-f]{64})$/gm)].map((m) => ({ table: m[1], rows: Number(m[2]), sha256: m[3] }));

describe('advisory migrate (SQLite)', () => {
  it('without --from: creates or brings the configured ledger up to date, and says which', async () => {
    const root = project();
    const first = await cli(root, 'migrate');
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toMatch(/var\/advisory\.db: new ledger created at schema version \d+\.$/);
    const again = await cli(root, 'migrate');
    expect(again.out).toMatch(/var\/advisory\.db: schema version (\d+), up to date; nothing to do\.$/);
  });

  it('usage: --to without --from, a stray argument, a store spec it cannot read (exit 2)', async () => {
    const root = project();
    expect(await cli(root, 'migrate', '--to', 'sqlite')).toMatchObject({ code: 2, err: expect.stringMatching(/--to needs --from/) });
    expect(await cli(root, 'migrate', 'now')).toMatchObject({ code: 2, err: expect.stringMatching(/unexpected "now"/) });
    const bad = await cli(root, 'migrate', '--from', 'mysql://root:hunter2@db/x');
    expect(bad).toMatchObject({ code: 2, err: expect.stringMatching(/--from names the ledger as "mysql:\/\/root:\*\*\*@db\/x"/) });
    expect(bad.err).not.toContain('hunter2');
  });
});

if (!PG_URL) {
  describe.skip(PG_SKIPPED, () => {
    it('advisory migrate --from sqlite: --to postgres://', () => {});
  });
} else {
  const url = PG_URL;
  /** The test server's URL with a password in it (trust authentication ignores it): it must never be printed. */
  const withPassword = (schema: string) => {
    const u = new URL(url);
    u.password = 'sekrit-pw';
    u.searchParams.set('schema', schema);
    return u.toString();
  };

  describe('advisory migrate --from sqlite: --to postgres://', () => {
    it('copies every table without loss (rows and sha256 equal, the stores read the same), refuses a second run, and goes back to SQLite the same', async () => {
      const root = project();
      const source = openLedger(join(root, 'var'));
      await bureauLedger(source);
      const before = await contents(source);
      const sourceDigests = await digests(sqliteLedgerEnd(source));
      await source.close();
      expect(sourceDigests.filter((d) => d.rows === 0).map((d) => d.table)).toEqual([]);

      const schema = schemas.fresh();
      const r = await cli(root, 'migrate', '--from', 'sqlite:var/advisory.db', '--to', withPassword(schema));
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).not.toContain('sekrit-pw');
      expect(r.out).toMatch(/^Copying \S*var\/advisory\.db → postgres:\/\/postgres:\*\*\*@/);
      expect(printed(r.out)).toEqual(sourceDigests);
      expect(r.out).toMatch(/Verified: every table has the same rows and hash in both ledgers \(\d+ rows\)/);

      const target = await openPostgres({ url, schema });
      try {
        expect(await digests(postgresLedgerEnd(target))).toEqual(sourceDigests);
        expect(await contents(target)).toEqual(before);
        // The copy is a ledger to go on with: new rows are numbered after the copied ones.
        await target.recordApproval('c', 'h3', '张所长', later(9000));
        expect(await target.latestApproval('c')).toMatchObject({ contentHash: 'h3' });
        await target.audit('after', { text: 'x' }, later(9000));
        expect((await target.auditLog()).at(-1)).toMatchObject({ event: 'after' });
      } finally {
        await target.close();
      }

      const second = await cli(root, 'migrate', '--from', 'sqlite:var/advisory.db', '--to', withPassword(schema));
      expect(second.code).toBe(3);
      expect(second.err).toMatch(/^advisory migrate: postgres:\/\/postgres:\*\*\*@[^ ]+ is not empty \(payloads \d+, deliveries \d+, .*\), so nothing was copied/);
      expect(second.err).not.toContain('sekrit-pw');

      // Back again, into a new SQLite ledger: the same tables as the original (the two rows added above aside).
      const back = join(root, 'back');
      const r3 = await cli(root, 'migrate', '--from', withPassword(schema), '--to', `sqlite:${back}/advisory.db`);
      expect(r3.code, r3.err).toBe(0);
      const copy = openLedger(back);
      try {
        const again = await digests(sqliteLedgerEnd(copy));
        const changed = again.filter((d, i) => d.sha256 !== sourceDigests[i].sha256).map((d) => d.table);
        expect(changed.sort()).toEqual(['approvals', 'audit_log']);
        expect(again.find((d) => d.table === 'approvals')!.rows).toBe(sourceDigests.find((d) => d.table === 'approvals')!.rows + 1);
      } finally {
        await copy.close();
      }
    });

    it('refuses a source in use by a dispatcher, and a copy of a ledger onto itself', async () => {
      const root = project();
      const s = await openStore({ kind: 'sqlite', varDir: join(root, 'var') });
      try {
        await s.acquireLock('dispatcher', 'advisory run');
        const r = await cli(root, 'migrate', '--from', 'sqlite:var/advisory.db', '--to', withPassword(schemas.fresh()));
        expect(r.code).toBe(3);
        expect(r.err).toMatch(/var\/advisory\.db is in use by advisory run, pid \d+ on .*: stop it first/);
      } finally {
        await s.close();
      }
      const same = await cli(root, 'migrate', '--from', 'sqlite:var', '--to', 'sqlite:var/advisory.db');
      expect(same).toMatchObject({ code: 3, err: expect.stringMatching(/cannot be copied onto itself/) });
    });
  });

  describe('advisory migrate on PostgreSQL: the configured ledger, a newer schema refused', () => {
    it('ADVISORY_STORE names it: created, then up to date; a schema written by a newer advisory is refused (exit 3) and left alone', async () => {
      const root = project();
      const schema = schemas.fresh();
      const env = { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en', ADVISORY_STORE: withPassword(schema) };
      const run = async (...args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env, now: () => AT }, root);
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      expect((await run('migrate')).out).toMatch(new RegExp(`^postgres://postgres:\\*\\*\\*@[^ ]+schema=${schema}: new ledger created at schema version 2\\.$`));
      expect((await run('migrate')).out).toMatch(/: schema version 2, up to date; nothing to do\.$/);
      await sql(`INSERT INTO "${schema}".schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 'x')`);
      const newer = await run('migrate');
      expect(newer.code).toBe(3);
      expect(newer.err).toMatch(/^advisory migrate: the ledger postgres:\/\/postgres:\*\*\*@.* was written by a newer advisory \(schema version 99, this one knows 2\)/);
      await expect(openStore({ kind: 'postgres', url, schema })).rejects.toMatchObject({ code: 'ESTATE_VERSION' });
      expect(await sql(`SELECT max(version) AS v FROM "${schema}".schema_migrations`)).toEqual([{ v: 99 }]);
      // Any command that opens the ledger refuses it the same way.
      expect(await run('subscribers', 'list')).toMatchObject({ code: 3, err: expect.stringMatching(/written by a newer advisory/) });
    });

    it('a ledger of schema version 1 (its rows kept) is brought to version 2: the due rows indexed in the order the relay reads them', async () => {
      const root = project();
      const schema = schemas.fresh();
      const env = { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en', ADVISORY_STORE: withPassword(schema) };
      const out: string[] = [];
      const run = (...args: string[]) => main([...args, '--root', root], { out: (t) => out.push(t), err: () => undefined, env, now: () => AT }, root);
      // Version 1 as an earlier advisory left it, with a delivery in it.
      await sql(`CREATE SCHEMA "${schema}"`);
      await sql(`SET search_path TO "${schema}"; ${MIGRATIONS[0].sql};
        CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL);
        INSERT INTO schema_migrations VALUES (1, 'v1', '2026-01-01T00:00:00Z');
        INSERT INTO deliveries (key, campaign, schedule, channel, due_utc, window_ends_utc, state, next_attempt_at, content_hash, created_at, updated_at)
          VALUES ('c/s/wechat', 'c', 's', 'wechat', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 'pending', '2026-01-01T00:00:00Z', 'h', 'x', 'x')`);
      expect(await run('migrate')).toBe(0);
      expect(out.join('\n')).toMatch(/: schema version 1 → 2 \(1 migration applied\)\.$/);
      const indexes = (await sql(`SELECT indexname AS i FROM pg_indexes WHERE schemaname = '${schema}' AND tablename = 'deliveries' ORDER BY 1`)).map((r) => r.i);
      expect(indexes).toContain('deliveries_due_order');
      expect(indexes).not.toContain('deliveries_due');
      const s = await openStore({ kind: 'postgres', url, schema });
      try {
        expect((await s.dueKeys(new Date('2026-06-01T00:00:00Z'), { limit: 10 })).map((d) => d.key)).toEqual(['c/s/wechat']);
      } finally {
        await s.close();
      }
    });
  });
}
