import type { Command } from '../command.js';
import { EXIT } from '../command.js';
import { StateError, UsageError } from '../../errors.js';
import { withRuntime } from '../runtime.js';
import { deliveryStateNames, retryMessages } from '../../i18n/messages-ledger.js';
import { sayReason } from '../../i18n/reasons.js';

export const retryCommand: Command = {
  name: 'retry',
  get usage() {
    return retryMessages().usage;
  },
  options: { failed: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    const m = retryMessages();
    if (!values.failed && positionals.length === 0) throw new UsageError(`${m.nameKey}\n\n${m.usage}`);
    return withRuntime({ root, io }, async (rt) => {
      const store = await rt.store();
      const now = io.now();
      const keys = values.failed ? (await store.list({ state: 'failed' })).map((d) => d.key) : positionals;
      let n = 0;
      for (const key of keys) {
        const d = await store.get(key);
        if (!d) throw new StateError('EUNKNOWN_DELIVERY', m.unknownDelivery(key));
        if (await store.retry(key, now)) (n++, io.out(m.requeued(key)));
        else io.err(m.notRequeued(key, deliveryStateNames()[d.state], d.reason === null ? null : sayReason(d.reason)));
      }
      io.out(m.total(n));
      return n > 0 ? EXIT.OK : EXIT.FAILED;
    });
  },
};
