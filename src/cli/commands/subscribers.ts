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
import { subscriberStateNames, subscribersMessages } from '../../i18n/messages-people.js';
import { padColumns } from '../../i18n/index.js';

const usage = () => subscribersMessages().usage(MAX_NAME_CHARS, SUBSCRIBER_STATUSES.join(', '));

const ACTIONS = ['add', 'import', 'export', 'list', 'remove'];

export const subscribersCommand: Command = {
  name: 'subscribers',
  get usage() {
    return usage();
  },
  options: { name: { type: 'string' }, json: { type: 'boolean' }, status: { type: 'string' } },
  async run({ root, cwd = process.cwd(), values, positionals, io }) {
    const m = subscribersMessages();
    const [action, arg, ...extra] = positionals;
    if (!action) throw new UsageError(`${m.sayWhat(ACTIONS.join(', '))}\n\n${usage()}`);
    if (!ACTIONS.includes(action)) throw new UsageError(`${m.unknownAction(action, ACTIONS.join(', '))}\n\n${usage()}`);
    if (['add', 'import', 'remove'].includes(action) && !arg) throw new UsageError(`${action === 'import' ? m.needsFile : m.needsAddress(action)}\n\n${usage()}`);
    if (extra.length > 0 || (action === 'list' && arg)) throw new UsageError(`${m.unexpected(extra[0] ?? arg)}\n\n${usage()}`);
    if (values.name !== undefined && action !== 'add') throw new UsageError(m.nameWithAdd);
    if (values.json !== undefined && action !== 'list') throw new UsageError(m.jsonWithList);
    if (values.status !== undefined && action !== 'list' && action !== 'export') throw new UsageError(m.statusWith);
    const status = values.status as string | undefined;
    if (status !== undefined && !(SUBSCRIBER_STATUSES as readonly string[]).includes(status)) throw new UsageError(m.notAState(status, SUBSCRIBER_STATUSES.join(', ')));
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
      throw new UsageError(subscribersMessages().cannotReadStdin((err as Error).message));
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
        io.err(subscribersMessages().readFromRoot(file, cwd, inRoot));
        return bytes;
      } catch {
        // not there either: say where it was looked for
      }
    }
    const m = subscribersMessages();
    const code = (err as NodeJS.ErrnoException).code;
    const shown = relative(process.cwd(), here) || file;
    // The system's words (ENOENT: no such file or directory, open '…') say nothing to a person: say it in ours.
    if (code === 'ENOENT') throw new UsageError(m.fileNotFound(file, cwd, here));
    if (code === 'EISDIR') throw new UsageError(m.fileIsFolder(shown));
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(m.fileNoPermission(shown));
    throw new UsageError(m.cannotRead(shown, (err as Error).message));
  }
}

async function add(store: SubscriberStore, subs: Subscriptions, address: string, rawName: string | undefined, now: Date, io: IO): Promise<number> {
  const m = subscribersMessages();
  const problem = validAddress(address);
  if (problem) {
    io.err(m.invalidAddress(address, problem));
    return EXIT.FAILED;
  }
  const { name, cut } = cleanName(rawName);
  if (cut) io.err(m.nameCut(MAX_NAME_CHARS, name!));
  const before = await store.subscriberByAddress(address);
  const s = await subs.add({ address, name, status: 'active', source: 'cli' }, now);
  const what = !before
    ? m.subscribed
    : before.status === 'unsubscribed'
      ? m.subscribedAgainUnsubscribed
      : before.status === 'bounced'
        ? m.subscribedAgainBounced(before.bounces, before.lastBounce ?? null)
        : before.status === 'pending'
          ? m.subscribedWasPending
          : m.alreadySubscribed;
  io.out(m.added(s.address, what, s.name ?? null));
  return EXIT.OK;
}

async function importList(subs: Subscriptions, arg: string, bytes: Buffer, now: Date, io: IO): Promise<number> {
  const m = subscribersMessages();
  const label = arg === '-' ? m.stdinLabel : arg;
  const { text, encoding } = decodeSubscriberList(bytes, label);
  const list = parseSubscriberList(text, label);
  // One transaction: a killed import adds all of the file or none of it; run again, it adds what is missing.
  const r = await subs.import(list.entries, now, arg === '-' ? 'import:stdin' : `import:${basename(arg)}`);
  const unsubscribed = r.skipped.filter((e) => e.status !== 'bounced');
  const bounced = r.skipped.filter((e) => e.status === 'bounced');
  io.out(m.imported(label, encoding, {
    added: r.added, present: r.present + list.duplicates, unsubscribed: unsubscribed.length, bounced: bounced.length, notActive: list.notActive.length, invalid: list.invalid.length,
  }));
  if (list.columns.header) io.out(`  ${describeColumns(list.columns.header, list.columns.address, list.columns.name, list.columns.status)}`);
  for (const e of unsubscribed) io.out(m.skippedUnsubscribed(`${label}:${e.line}`, e.address));
  for (const e of bounced) io.out(m.skippedBounced(`${label}:${e.line}`, e.address));
  for (const e of list.notActive) io.out(m.skippedNotActive(`${label}:${e.line}`, e.address, e.status));
  if (list.entries.length + list.invalid.length + list.notActive.length === 0) io.err(m.nothingToImport(label, list.columns.header !== null));
  for (const w of list.warnings) io.err(m.lineWarning(`${label}:${w.line}`, w.message));
  for (const i of list.invalid) io.err(m.lineInvalid(`${label}:${i.line}`, i.message));
  return list.invalid.length > 0 ? EXIT.FAILED : EXIT.OK;
}

function describeColumns(header: string[], address: number, name: number[], status: number | null): string {
  const m = subscribersMessages();
  const col = (i: number) => m.column(header[i], i + 1);
  const used = new Set([address, ...name, ...(status === null ? [] : [status])]);
  const ignored = header.length - used.size;
  return m.columnsSentence([
    m.addressFrom(col(address)),
    name.length > 0 ? m.nameFrom(name.map(col).join(' + ')) : m.noNameColumn,
    ...(status === null ? [] : [m.statusFrom(col(status))]),
    ...(ignored > 0 ? [m.ignored(ignored)] : []),
  ]);
}

async function exportList(store: SubscriberStore, cwd: string, file: string | undefined, status: SubscriberStatus | undefined, io: IO): Promise<number> {
  const all = (await store.subscribers(status)).sort((a, b) => a.address.localeCompare(b.address));
  const { csv, altered } = formatSubscriberCsv(all);
  const m = subscribersMessages();
  const what = m.countWhat(all.length, status ? subscriberStateNames()[status] : null);
  for (const a of altered) io.err(m.formulaStripped(a));
  if (file === undefined || file === '-') {
    io.out(csv);
    io.err(m.exportedToStdout(what));
    return EXIT.OK;
  }
  const target = resolve(cwd, file);
  writeAtomic(target, csv);
  io.out(m.exportedTo(what, relative(process.cwd(), target) || file));
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
  const state = subscriberStateNames();
  io.out(subscribersMessages().counts(LIST_ORDER.map((s) => [counts[s], s])));
  const width = Math.max(0, ...shown.map((s) => s.address.length));
  for (const s of shown) io.out(`${s.address.padEnd(width)}  ${padColumns(state[s.status], 12)}  ${s.name ?? ''}`.trimEnd());
  return EXIT.OK;
}

async function remove(store: SubscriberStore, address: string, now: Date, io: IO): Promise<number> {
  const s = await store.subscriberByAddress(address);
  if (!s) {
    io.err(subscribersMessages().notASubscriber(address.trim().toLowerCase()));
    return EXIT.FAILED;
  }
  if (!(await store.unsubscribeAddress(address, now))) {
    io.out(s.status === 'bounced' ? subscribersMessages().bouncedAlready(s.address) : subscribersMessages().alreadyUnsubscribed(s.address));
    return EXIT.OK;
  }
  io.out(subscribersMessages().unsubscribed(s.address));
  return EXIT.OK;
}
