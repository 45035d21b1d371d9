/**
 * Adding subscribers the way every surface must (the CLI, an import, the
 * site's sign-up form): a random id and an unsubscribe token signed with the
 * link secret, fixed when the subscriber is created.
 */
import { linkSecret, subscriptionLinks, type LinkSecretSource, type SubscriptionLinks } from '../channels/email/index.js';
import { newSubscriberId, type NewSubscriber, type Subscriber, type SubscriberStore } from '../delivery/store/index.js';
import type { Runtime } from './runtime.js';

export interface Subscriptions {
  readonly links: SubscriptionLinks;
  readonly secretSource: LinkSecretSource;
  add(s: Omit<NewSubscriber, 'id' | 'unsubscribeToken'>, at: Date): Promise<Subscriber>;
  import(entries: Array<{ address: string; name?: string; line: number }>, at: Date, source: string): ReturnType<SubscriberStore['importSubscribers']>;
}

export async function subscriptions(rt: Pick<Runtime, 'configs' | 'store' | 'channelState'>): Promise<Subscriptions> {
  const store = await rt.store();
  const { secret, source } = await linkSecret(rt.configs.email, await rt.channelState());
  const links = subscriptionLinks(secret);
  const fresh = () => {
    const id = newSubscriberId();
    return { id, unsubscribeToken: links.unsubscribeToken(id) };
  };
  return {
    links,
    secretSource: source,
    add: (s, at) => store.addSubscriber({ ...s, ...fresh() }, at),
    import: (entries, at, from) => store.importSubscribers(entries.map((e) => ({ ...e, ...fresh() })), at, from),
  };
}
