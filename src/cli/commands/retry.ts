import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { StateError, UsageError } from '../../errors.js';
import { withRuntime } from '../runtime.js';

const usage = [
  'Usage: advisory retry <delivery-key> | --failed',
  '',
  '  <delivery-key>  a failed (or held-for-a-person) delivery, as `advisory status` lists it',
  '  --failed        every failed delivery',
  '',
  'Puts the delivery back to pending with the same frozen payload; the running dispatcher (or the',
  'next `advisory run`) sends it. Approval holds are released by `advisory approve`, not here.',
  'Exit codes: 0 requeued, 1 nothing to retry, 2 usage, 3 unknown delivery.',
].join('\n');

export const retryCommand: Command = {
  name: 'retry',
  usage,
  options: { failed: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    if (!values.failed && positionals.length === 0) throw new UsageError(`name a delivery key or pass --failed.\n\n${usage}`);
    return withRuntime({ root, io }, async (rt) => {
      const store = await rt.store();
      const now = io.now();
      const keys = values.failed ? (await store.list({ state: 'failed' })).map((d) => d.key) : positionals;
      let n = 0;
      for (const key of keys) {
        const d = await store.get(key);
        if (!d) throw new StateError('EUNKNOWN_DELIVERY', `no delivery "${key}" in the ledger. \`advisory status\` lists failed ones with their keys.`);
        if (await store.retry(key, now)) (n++, io.out(`requeued ${key}`));
        else io.err(`not requeued: ${key} is ${d.state}${d.reason ? ` (${d.reason})` : ''}; only failed deliveries and those held for a person can be retried.`);
      }
      io.out(`${n} deliver${n === 1 ? 'y' : 'ies'} requeued.`);
      return n > 0 ? EXIT.OK : EXIT.FAILED;
    });
  },
};
