/**
 * The small interface every channel implements (DESIGN.md "Channels"). A
 * channel is a folder `channels/<name>/` whose `index.ts` exports its
 * definition:
 *
 *   render(ctx)                      → Payload[]      pure: what would be sent, byte for byte
 *   check(payload, ctx)              → Problem[]      the channel's limits (title length, 140 chars, …)
 *   preview(payload, ctx)            → view           what the preview page shows of it
 *   transport(config, deps)          → T              sandbox (an outbox, nodemailer's stream transport) or live
 *   publish(payload, ctx, T)         → Receipt        the only side effect; throws ChannelError
 *   reconcile(payload, ctx, T)       → Receipt|null   after a crash mid-send: did it go out?
 *
 * Sandbox and live differ only in the transport. Channels know nothing about
 * the ledger or the queue that drives them: the delivery layer (SQLite today,
 * BullMQ later) calls these functions through the registry.
 */
import type { Logger } from 'pino';
import type { Campaign, Advisory } from '../content/model.js';
import type { ChannelName } from '../content/schema.js';
import type { Occurrence } from '../schedule/types.js';
import type { Renderer } from '../render/renderer.js';
import type { ChannelConfig, SiteConfig } from '../config/channels.js';

export type { ChannelName };

/** A problem a channel check found in a payload (limits), with the content place when known. */
export interface ChannelProblem {
  channel: ChannelName;
  severity: 'error' | 'warning';
  /** Stable rule id, e.g. `wechat-title-length`. */
  rule: string;
  message: string;
  /** Which field of the payload, e.g. `articles[0].title`. */
  field?: string;
  /** The content file the problem comes from, with a position when known. */
  file?: string;
  line?: number;
  column?: number;
}

export interface RenderContext {
  campaign: Campaign;
  /** The advisories this occurrence carries (all of the campaign's for a preview). */
  advisories: Advisory[];
  /** Present when rendering for a real occurrence; absent for preview of the campaign as a whole. */
  occurrence?: Occurrence;
  renderer: Renderer;
  config: ChannelConfig;
  site: SiteConfig;
}

/**
 * Exactly what a channel will send. `body` is JSON-serialisable and is what the
 * ledger freezes (with its sha256) when the delivery is created; retries send it
 * unchanged. Binary attachments (images) are referenced by project-relative path
 * plus their sha256 so the frozen payload stays small and verifiable.
 */
export interface Payload {
  channel: ChannelName;
  /** e.g. `draft` (wechat), `status` (weibo), `message` (email), `site` (website). */
  kind: string;
  /** Human label for lists and logs, e.g. the post title. */
  label: string;
  body: Record<string, unknown>;
  /** Files the publish needs (images), by project-relative path and sha256. */
  assets?: Array<{ path: string; sha256: string; role: string }>;
  /** A rendition for people to look at in the preview (HTML document or text). */
  preview?: { html?: string; text?: string };
  /** The account it was recorded for (delivery/frozen-account.ts): only a transport of that mode and account sends it. */
  account?: FrozenAccount;
}

/** A channel account as a delivery freezes it: live with its short hash (never a secret), or the sandbox. */
export type FrozenAccount = { mode: 'live'; id: string } | { mode: 'sandbox' };

export interface Receipt {
  /** The channel's own id: WeChat publish_id, Weibo idstr, SMTP Message-ID, website build id. */
  id: string;
  url?: string;
  /** ISO time the channel accepted it. */
  at: string;
  details?: Record<string, unknown>;
}

/**
 * What a multi-step publish has done so far, saved in the ledger as it goes
 * (a WeChat draft's media_id, then its publish_id; that a Weibo post was
 * attempted). A later attempt, or a restart after a crash, resumes from it
 * instead of doing a step twice.
 */
export type Checkpoint = Record<string, unknown>;

export interface PublishContext {
  /** Stable delivery key; use it for idempotency (e.g. WeChat clientmsgid, Message-ID). */
  deliveryKey: string;
  /** 1-based attempt number. */
  attempt: number;
  /** Recipient for per-recipient channels (e-mail). */
  recipient?: Recipient;
  log: Logger;
  now: () => Date;
  signal?: AbortSignal;
  /** Project root, for resolving asset paths and the sandbox outbox (`var/outbox/<channel>/`). */
  root: string;
  varDir: string;
  /** When the delivery was due (ISO, UTC): what a message built at send time dates itself by, so a resend is byte-identical. */
  dueUtc?: string;
  /** What earlier attempts of this delivery recorded (null: none yet). */
  previous?: Checkpoint | null;
  /** Records a step in the ledger before the next one (merged into `previous`); throws when this attempt was taken over. */
  checkpoint?: (details: Checkpoint) => Promise<void>;
}

/** What a channel's publish and reconcile get: the context plus its own configuration (bound by the registry). */
export interface ChannelPublishContext extends PublishContext {
  config: ChannelConfig;
  site: SiteConfig;
}

export interface Recipient {
  id: string;
  address: string;
  name?: string;
  /** Token for one-click unsubscribe links. */
  unsubscribeToken?: string;
}

/**
 * Small named values a channel keeps in the ledger, not in files: a cached
 * access token, a WeChat publish job's finish event (the daemon receives it;
 * whichever process waits for the job reads it), a token's remaining life.
 */
export interface ChannelState {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** What a channel's transport may use, given by the registry (the runtime's). */
export interface TransportDeps {
  /** State folder: the sandbox outbox is `<varDir>/outbox/<channel>/`, the site `<varDir>/site`. */
  varDir: string;
  root: string;
  /** The runtime's renderer (the website deploy renders home, archive and tag pages with it). */
  renderer: Renderer;
  site: SiteConfig;
  /** HTTP for live API channels (injected; the global fetch by default). */
  fetch: typeof fetch;
  /** The ledger's channel state, opened when first asked for. */
  state: () => Promise<ChannelState>;
  /** The runtime's clock (token expiry, "until the next hour"), the same one the delivery layer schedules by. */
  now: () => Date;
}

/** A transport that holds resources (an SMTP pool, sockets) has `close`, called when the runtime stops. */
export interface Closable {
  close?(): void | Promise<void>;
}

/** What the preview page needs to show a payload: where to put framed documents and images. */
export interface PreviewContext {
  root: string;
  renderer: Renderer;
  config: ChannelConfig;
  /** A path prefix unique to this payload, e.g. `2014-national-day/wechat-1`. */
  base: string;
  /** The schedule entry's name, or a label for an unscheduled preview. */
  schedule: string;
  /** Files of the preview (relative path → content): a view adds its framed documents and images here. */
  files: Map<string, string | Buffer>;
  /** Copies a project file (an image) next to the preview; returns its preview path. */
  copyAsset(path: string): string;
}

export interface VerifyResult {
  level: 'ok' | 'warning';
  message: string;
}

/** A channel, as its folder's index.ts exports it. */
export interface ChannelDefinition<T extends Closable = Closable> {
  readonly name: ChannelName;
  /** True when one payload is sent once per subscriber (e-mail). */
  readonly perRecipient: boolean;
  /** Whether this version has its live transport; without it, set credentials make `run` and `publish` refuse to start. */
  readonly liveAvailable: boolean;
  /** What start-up and status say of its mode when it is always the same (the website), in the process's language; else live or sandbox, and why. */
  readonly modeNote?: () => string;
  /** How many publishes may be in flight at once, from its settings. */
  concurrency(config: ChannelConfig): number;
  render(ctx: RenderContext): Payload[];
  check(payload: Payload, ctx: RenderContext): ChannelProblem[];
  /** The view of a payload for the preview page's template (templates/preview/index.hbs). */
  preview(payload: Payload, ctx: PreviewContext): unknown;
  /** Its transport for this configuration: sandbox without credentials, live with them (asked only when liveAvailable). */
  transport(config: ChannelConfig, deps: TransportDeps): T;
  publish(payload: Payload, ctx: ChannelPublishContext, transport: T): Promise<Receipt>;
  reconcile(payload: Payload, ctx: ChannelPublishContext, transport: T): Promise<Receipt | null>;
  /**
   * Checks the credentials without publishing (`advisory channels verify`):
   * resolves with what was checked (a warning when something needs doing
   * soon), or throws a ChannelError saying what is wrong.
   */
  verify?(transport: T, config: ChannelConfig): Promise<VerifyResult>;
  /** A message to one person outside any campaign (e-mail: a sign-up's confirmation), through the same transport. */
  notify?(message: DirectMessage, transport: T, config: ChannelConfig): Promise<{ id: string }>;
}

/** A message to one person outside any campaign: a sign-up's confirmation mail. */
export interface DirectMessage {
  /** Unique per message (the outbox files it under this key; a resend with the same key is not sent twice). */
  key: string;
  to: { address: string; name?: string };
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (List-Unsubscribe of the pending subscription, …). */
  headers?: Record<string, string>;
  at: Date;
}

export interface Channel {
  readonly name: ChannelName;
  /** `live` when the credentials named in channels/<name>.yaml are in the environment; else `sandbox`. */
  readonly mode: 'live' | 'sandbox';
  /** True when one payload is sent once per subscriber (e-mail). */
  readonly perRecipient: boolean;
  render(ctx: RenderContext): Payload[];
  check(payload: Payload, ctx: RenderContext): ChannelProblem[];
  publish(payload: Payload, ctx: PublishContext): Promise<Receipt>;
  /**
   * Called for a delivery found in `sending` after a crash, before any resend.
   * Returns the receipt if the earlier attempt did go out, null if it certainly
   * did not (safe to resend); throws ChannelError('needs-person') when unknowable.
   */
  reconcile(payload: Payload, ctx: PublishContext): Promise<Receipt | null>;
}
