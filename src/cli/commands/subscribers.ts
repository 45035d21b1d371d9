import type { Command, IO } from '../command.js';
import { EXIT } from '../command.js';
import { readFileSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { writeAtomic } from '../../fs/write-atomic.js';
import { cleanName, decodeSubscriberList, formatSubscriberCsv, MAX_NAME_CHARS, parseSubscriberList, validAddress} from '../../delivery/subscriber-list.js';
import { SUBSCRIBER_STATUSES, type SubscriberStatus, type SubscriberStore } from '../../delivery/store/index.js';
import { subscriptions, type Subscriptions } from '../../app/subscriptions.js';
import { withRuntime } from '../runtime.js';

const usage = [
  'Usage: advisory subscribers <add|import|export|list|remove> …',
  '',
  '  add ADDRESS [--name NAME]       subscribe one address; re-subscribes one that had unsubscribed or bounced',
  '  import FILE.csv | -             a CSV ("-" reads standard input) in UTF-8, GBK/GB18030 or UTF-16.',
  '                                  With a header row: the address column is found by its name (email, e-mail,',
  '                                  email address, mail, address, 邮箱, 电子邮箱, 邮件地址, 电子邮件, 邮箱地址), the',
  '                                  name by name, full name, 姓名, 名字, 称呼 (or first name + last name); other',
  '                                  columns are ignored. Without one: address[,name] per line. Blank lines and',
  '                                  lines starting with # are skipped. Addresses that unsubscribed or bounced',
  '                                  earlier are NOT re-subscribed by an import, nor rows a status column marks so.',
  `                                  Names longer than ${MAX_NAME_CHARS} characters are cut (a warning with the line).`,
  '  export [FILE | -] [--status S]  CSV, UTF-8 with BOM: email,name,status,source,created_at,confirmed_at,',
  '                                  unsubscribed_at,bounces (standard output without FILE); never the tokens',
  '  list [--status S] [--json]      the counts of each state, then every subscriber (or those in state S)',
  '  remove ADDRESS                  unsubscribe (the record stays, for the audit log)',
  '',
  `States (S): ${SUBSCRIBER_STATUSES.join(', ')}. The subscribers are the e-mail channel's recipients, kept in var/advisory.db.`,
  'Exit codes: 0 done, 1 an address was invalid (import: some line was, the valid ones are added; or the file has',
  'no address column, nothing is added) or is unknown (remove), 2 usage or an unreadable file.',
].join('\n');

const ACTIONS = ['add', 'import', 'export', 'list', 'remove'];

export const subscribersCommand: Command = {
  name: 'subscribers',
  usage,
  options: { name: { type: 'string' }, json: { type: 'boolean' }, status: { type: 'string' } },
  async run({ root, cwd = process.cwd(), values, positionals, io }) {
    const [action, arg, ...extra] = positionals;
    if (!action) throw new UsageError(`say what to do: ${ACTIONS.join(', ')}.\n\n${usage}`);
    if (!ACTIONS.includes(action)) throw new UsageError(`unknown action "${action}": use ${ACTIONS.join(', ')}.\n\n${usage}`);
    if (['add', 'import', 'remove'].includes(action) && !arg) throw new UsageError(`\`advisory subscribers ${action}\` needs ${action === 'import' ? 'a file (or - for standard input)' : 'an address'}.\n\n${usage}`);
    if (extra.length > 0 || (action === 'list' && arg)) throw new UsageError(`unexpected argument "${extra[0] ?? arg}".\n\n${usage}`);
    if (values.name !== undefined && action !== 'add') throw new UsageError('--name goes with `add` (in an import, give the name a column: "email,name").');
    if (values.json !== undefined && action !== 'list') throw new UsageError('--json goes with `list` (`export` writes CSV).');
    if (values.status !== undefined && action !== 'list' && action !== 'export') throw new UsageError('--status goes with `list` and `export`.');
    const status = values.status as string | undefined;
    if (status !== undefined && !(SUBSCRIBER_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status "${status}" is not a state: use one of ${SUBSCRIBER_STATUSES.join(', ')}.`);
    // Read the input before opening the ledger: a file that cannot be read is a usage error and changes nothing.
    const bytes = action === 'import' ? readInput(cwd, root, arg, io) : undefined;
    return withRuntime({ root, io }, async (rt) => {
      const store = await rt.store();
      const now = io.now();
      switch (action) {
        case 'add': return add(store, await subscriptions(rt), arg, values.name as string | undefined, now, io);
        case 'import': return importList(await subscriptions(rt), arg, bytes!, now, io);
        case 'export': return exportList(store, cwd, arg, status as SubscriberStatus | undefined, io);
        case 'list': return list(store, status as SubscriberStatus | undefined, values.json === true, io);
        default: return remove(store, arg, now, io);
      }
    });
  },
};

/**
 * The list to import: `file` is relative to the folder the command runs in (as every file a shell completes);
 * a name found only under --root (how earlier versions read it) is read from there, with a note.
 */
function readInput(cwd: string, root: string, file: string, io: IO): Buffer {
  if (file === '-') {
    try {
      return readFileSync(0);
    } catch (err) {
      throw new UsageError(`cannot read standard input: ${(err as Error).message}`);
    }
  }
  const here = resolve(cwd, file);
  try {
    return readFileSync(here);
  } catch (err) {
    const inRoot = resolve(root, file);
    if (inRoot !== here && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      try {
        const bytes = readFileSync(inRoot);
        io.err(`note: ${file} is not in ${cwd}; read ${inRoot} (in the project folder) instead.`);
        return bytes;
      } catch {
        // not there either: say where it was looked for
      }
    }
    throw new UsageError(`cannot read ${relative(process.cwd(), here) || file}: ${(err as Error).message}`);
  }
}

async function add(store: SubscriberStore, subs: Subscriptions, address: string, rawName: string | undefined, now: Date, io: IO): Promise<number> {
  const problem = validAddress(address);
  if (problem) {
    io.err(`invalid address "${address}": ${problem}`);
    return EXIT.FAILED;
  }
  const { name, cut } = cleanName(rawName);
  if (cut) io.err(`the name is longer than ${MAX_NAME_CHARS} characters; kept as "${name}".`);
  const before = await store.subscriberByAddress(address);
  const s = await subs.add({ address, name, status: 'active', source: 'cli' }, now);
  const what = !before
    ? 'subscribed'
    : before.status === 'unsubscribed'
      ? 'subscribed again (had unsubscribed)'
      : before.status === 'bounced'
        ? `subscribed again (had bounced: ${before.bounces} hard bounce(s), the last ${before.lastBounce ?? 'unrecorded'}; the count starts again from 0 — make sure the address works now)`
        : before.status === 'pending'
          ? 'subscribed (was waiting for the confirmation of a sign-up; now active)'
          : 'already subscribed';
  io.out(`${s.address}: ${what}${s.name ? ` (${s.name})` : ''}.`);
  return EXIT.OK;
}

async function importList(subs: Subscriptions, arg: string, bytes: Buffer, now: Date, io: IO): Promise<number> {
  const label = arg === '-' ? '(standard input)' : arg;
  const { text, encoding } = decodeSubscriberList(bytes, label);
  const list = parseSubscriberList(text, label);
  // One transaction: a killed import adds all of the file or none of it; run again, it adds what is missing.
  const r = await subs.import(list.entries, now, arg === '-' ? 'import:stdin' : `import:${basename(arg)}`);
  const unsubscribed = r.skipped.filter((e) => e.status !== 'bounced');
  const bounced = r.skipped.filter((e) => e.status === 'bounced');
  io.out(
    `${label} (${encoding}): ${r.added} added, ${r.present + list.duplicates} already present, ${unsubscribed.length} unsubscribed earlier (skipped)` +
      `${bounced.length > 0 ? `, ${bounced.length} bounced earlier (skipped)` : ''}` +
      `${list.notActive.length > 0 ? `, ${list.notActive.length} not subscribed in the file's status column (skipped)` : ''}, ${list.invalid.length} invalid.`,
  );
  if (list.columns.header) io.out(`  ${describeColumns(list.columns.header, list.columns.address, list.columns.name, list.columns.status)}`);
  for (const e of unsubscribed) io.out(`  ${label}:${e.line}: ${e.address} unsubscribed earlier; not re-subscribed by an import (use \`advisory subscribers add\` if they asked to be).`);
  for (const e of bounced) io.out(`  ${label}:${e.line}: ${e.address} bounced earlier (mail to it was refused); not re-subscribed by an import (use \`advisory subscribers add\` once the address works).`);
  for (const e of list.notActive) io.out(`  ${label}:${e.line}: ${e.address} is "${e.status}" in the file; only active rows are imported.`);
  if (list.entries.length + list.invalid.length + list.notActive.length === 0) io.err(`${label}: warning nothing to import: the file has no lines but blank ones and comments${list.columns.header ? ' after its header' : ''}.`);
  for (const w of list.warnings) io.err(`${label}:${w.line}: warning ${w.message} (shorten it in the file to choose how).`);
  for (const i of list.invalid) io.err(`${label}:${i.line}: ${i.message}. Fix the line and import again (valid lines are not added twice).`);
  return list.invalid.length > 0 ? EXIT.FAILED : EXIT.OK;
}

function describeColumns(header: string[], address: number, name: number[], status: number | null): string {
  const col = (i: number) => `"${header[i]}" (column ${i + 1})`;
  const used = new Set([address, ...name, ...(status === null ? [] : [status])]);
  const ignored = header.length - used.size;
  return [
    `the address from ${col(address)}`,
    name.length > 0 ? `the name from ${name.map(col).join(' + ')}` : 'no name column',
    ...(status === null ? [] : [`the status from ${col(status)}`]),
    ...(ignored > 0 ? [`${ignored} other column(s) ignored`] : []),
  ].join(', ') + '.';
}

async function exportList(store: SubscriberStore, cwd: string, file: string | undefined, status: SubscriberStatus | undefined, io: IO): Promise<number> {
  const all = (await store.subscribers(status)).sort((a, b) => a.address.localeCompare(b.address));
  const { csv, altered } = formatSubscriberCsv(all);
  const what = `${all.length} subscriber(s)${status ? ` (${status})` : ''}`;
  for (const a of altered) io.err(`warning: the address ${a} starts with a character a spreadsheet runs as a formula; it was stripped in the export, so that row will not import back as the same address.`);
  if (file === undefined || file === '-') {
    io.out(csv);
    io.err(`exported ${what} as CSV (UTF-8 with BOM).`);
    return EXIT.OK;
  }
  const target = resolve(cwd, file);
  writeAtomic(target, csv);
  io.out(`exported ${what} to ${relative(process.cwd(), target) || file} (CSV, UTF-8 with BOM; no unsubscribe tokens).`);
  return EXIT.OK;
}

const LIST_ORDER: readonly SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'bounced'];

async function list(store: SubscriberStore, status: SubscriberStatus | undefined, json: boolean, io: IO): Promise<number> {
  const shown = (await store.subscribers(status)).sort((a, b) => a.address.localeCompare(b.address));
  if (json) {
    io.out(JSON.stringify(shown.map(({ unsubscribeToken: _token, ...s }) => s), null, 2));
    return EXIT.OK;
  }
  const counts = await store.subscriberCounts();
  io.out(LIST_ORDER.map((s) => `${counts[s]} ${s}`).join(', '));
  const width = Math.max(0, ...shown.map((s) => s.address.length));
  for (const s of shown) io.out(`${s.address.padEnd(width)}  ${s.status.padEnd(12)}  ${s.name ?? ''}`.trimEnd());
  return EXIT.OK;
}

async function remove(store: SubscriberStore, address: string, now: Date, io: IO): Promise<number> {
  const s = await store.subscriberByAddress(address);
  if (!s) {
    io.err(`${address.trim().toLowerCase()} is not a subscriber (see \`advisory subscribers list\`).`);
    return EXIT.FAILED;
  }
  if (!(await store.unsubscribeAddress(address, now))) {
    io.out(s.status === 'bounced' ? `${s.address}: bounced earlier; it is sent nothing already (kept as bounced).` : `${s.address}: already unsubscribed.`);
    return EXIT.OK;
  }
  io.out(`${s.address}: unsubscribed (kept in the ledger for the audit log; pending e-mails to it are not sent).`);
  return EXIT.OK;
}
