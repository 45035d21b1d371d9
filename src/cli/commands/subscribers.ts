import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { parseSubscriberList, validAddress } from '../../delivery/subscriber-list.js';
import type { SubscriberStore } from '../../delivery/store/index.js';
import { withRuntime } from '../runtime.js';
import type { IO } from '../command.js';

const usage = [
  'Usage: advisory subscribers <add|import|list|remove> …',
  '',
  '  add ADDRESS [--name NAME]   subscribe one address (re-subscribes one that had unsubscribed)',
  '  import FILE.csv | -         one address per line, or "address,name"; "-" reads standard input.',
  '                              Blank lines and lines starting with # are skipped, so is an "address,name" header.',
  '                              Addresses that unsubscribed earlier are NOT re-subscribed by an import.',
  '  list [--json]               every subscriber with their state',
  '  remove ADDRESS              unsubscribe (the record stays, for the audit log)',
  '',
  'The subscribers are the e-mail channel\'s recipients, kept in var/advisory.db.',
  'Exit codes: 0 done, 1 an address was invalid (import: some line was; the valid ones are added) or is unknown (remove), 2 usage.',
].join('\n');

export const subscribersCommand: Command = {
  name: 'subscribers',
  summary: 'Add, import, list and remove the e-mail subscribers',
  usage,
  options: { name: { type: 'string' }, json: { type: 'boolean' } },
  needsProject: true,
  async run({ root, values, positionals, io }) {
    const [action, arg, ...extra] = positionals;
    if (!action) throw new UsageError(`say what to do: add, import, list or remove.\n\n${usage}`);
    if (!['add', 'import', 'list', 'remove'].includes(action)) throw new UsageError(`unknown action "${action}": use add, import, list or remove.\n\n${usage}`);
    if (action !== 'list' && !arg) throw new UsageError(`\`advisory subscribers ${action}\` needs ${action === 'import' ? 'a file (or - for standard input)' : 'an address'}.\n\n${usage}`);
    if (extra.length > 0 || (action === 'list' && arg)) throw new UsageError(`unexpected argument "${extra[0] ?? arg}".\n\n${usage}`);
    if (values.name !== undefined && action !== 'add') throw new UsageError(`--name goes with \`add\` (in an import, write "address,name").`);
    // Read the input before opening the ledger: a bad file is a usage error and changes nothing.
    const text = action === 'import' ? readInput(root, arg) : '';
    return withRuntime({ root, io }, async (rt) => {
      const store = await rt.store();
      const now = io.now();
      switch (action) {
        case 'add': return add(store, arg, typeof values.name === 'string' ? values.name : undefined, now, io);
        case 'import': return importList(store, arg === '-' ? '(standard input)' : arg, text, now, io);
        case 'list': return list(store, values.json === true, io);
        default: return remove(store, arg, now, io);
      }
    });
  },
};

function readInput(root: string, file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : resolve(root, file), 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file === '-' ? 'standard input' : relative(process.cwd(), resolve(root, file)) || file}: ${(err as Error).message}`);
  }
}

async function add(store: SubscriberStore, address: string, name: string | undefined, now: Date, io: IO): Promise<number> {
  const problem = validAddress(address);
  if (problem) {
    io.err(`invalid address "${address}": ${problem}`);
    return EXIT.FAILED;
  }
  const before = await store.subscriberByAddress(address);
  const s = await store.addSubscriber({ address, name: name?.trim() || undefined }, now);
  const what = !before ? 'subscribed' : before.status === 'unsubscribed' ? 'subscribed again (had unsubscribed)' : 'already subscribed';
  io.out(`${s.address}: ${what}${s.name ? ` (${s.name})` : ''}.`);
  return EXIT.OK;
}

async function importList(store: SubscriberStore, label: string, text: string, now: Date, io: IO): Promise<number> {
  const { entries, invalid, duplicates } = parseSubscriberList(text);
  // One transaction: a killed import adds all of the file or none of it.
  const r = await store.importSubscribers(entries, now);
  const added = r.added;
  const present = r.present + duplicates;
  const skipped = r.skipped.map((e) => `${label}:${e.line}: ${e.address} unsubscribed earlier; not re-subscribed by an import (use \`advisory subscribers add\` if they asked to be).`);
  io.out(`${label}: ${added} added, ${present} already present, ${skipped.length} unsubscribed earlier (skipped), ${invalid.length} invalid.`);
  for (const s of skipped) io.out(`  ${s}`);
  for (const i of invalid) io.err(`${label}:${i.line}: invalid address "${i.text}": ${i.problem}. Fix the line and import again (valid lines are not added twice).`);
  return invalid.length > 0 ? EXIT.FAILED : EXIT.OK;
}

async function list(store: SubscriberStore, json: boolean, io: IO): Promise<number> {
  const all = (await store.subscribers()).sort((a, b) => a.address.localeCompare(b.address));
  if (json) {
    io.out(JSON.stringify(all.map(({ unsubscribeToken: _token, ...s }) => s), null, 2));
    return EXIT.OK;
  }
  const active = all.filter((s) => s.status === 'active').length;
  io.out(`${active} active, ${all.length - active} unsubscribed`);
  const width = Math.max(0, ...all.map((s) => s.address.length));
  for (const s of all) io.out(`${s.address.padEnd(width)}  ${s.status.padEnd(12)}  ${s.name ?? ''}`.trimEnd());
  return EXIT.OK;
}

async function remove(store: SubscriberStore, address: string, now: Date, io: IO): Promise<number> {
  const s = await store.subscriberByAddress(address);
  if (!s) {
    io.err(`${address.trim().toLowerCase()} is not a subscriber (see \`advisory subscribers list\`).`);
    return EXIT.FAILED;
  }
  if (!(await store.unsubscribeAddress(address, now))) {
    io.out(`${s.address}: already unsubscribed.`);
    return EXIT.OK;
  }
  io.out(`${s.address}: unsubscribed (kept in the ledger for the audit log; pending e-mails to it are not sent).`);
  return EXIT.OK;
}
