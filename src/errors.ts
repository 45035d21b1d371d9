/**
 * The one error taxonomy (STYLE.md §5). Every error the project throws extends
 * `AdvisoryError`, carries a stable `code`, keeps its `cause`, and — for content —
 * names the file, line and column. Messages say what was expected, what was
 * received, and how to fix it.
 */
import { checkMessages } from './i18n/messages-check.js';

export type Severity = 'error' | 'warning';

/** A problem found in a file, with a place. Lines and columns are 1-based. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
  /** Stable rule id, e.g. `yaml-syntax`, `unknown-key`, `wechat-title-length`. */
  rule: string;
  /** Optional hint on how to fix it (already folded into `message` for printing). */
  fix?: string;
}

export class AdvisoryError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad command-line usage: exit code 2. */
export class UsageError extends AdvisoryError {
  constructor(message: string) {
    super('EUSAGE', message);
  }
}

/** Content that failed validation; holds every problem found. */
export class ContentError extends AdvisoryError {
  readonly problems: Problem[];
  constructor(problems: Problem[], message?: string) {
    super('ECONTENT', message ?? checkMessages().contentProblems(problems.filter((p) => p.severity === 'error').length, problems.map(formatProblem).join('\n')));
    this.problems = problems;
  }
}

/** Configuration (channels/*.yaml, environment) is wrong. */
export class ConfigError extends AdvisoryError {
  readonly file?: string;
  /** The problems with their places, when the configuration file could be located (for `advisory check`). */
  readonly problems: Problem[];
  constructor(message: string, options?: { file?: string; cause?: unknown; problems?: Problem[] }) {
    super('ECONFIG', message, options);
    this.file = options?.file;
    this.problems = options?.problems ?? [];
  }
}

/** A template failed to compile or render (strict mode: a missing field). */
export class TemplateError extends AdvisoryError {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, options: { file: string; line?: number; column?: number; cause?: unknown }) {
    super('ETEMPLATE', message, options);
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}

/** Something about the ledger/state: locked database, unknown delivery, … */
export class StateError extends AdvisoryError {}

/**
 * How a channel classifies a failed publish. The retry policy (delivery/retry.ts)
 * is the only place that turns a class into a decision.
 */
export type FailureClass = 'transient' | 'rate-limited' | 'auth' | 'needs-person' | 'permanent';

export class ChannelError extends AdvisoryError {
  readonly channel: string;
  readonly failure: FailureClass;
  /** For `rate-limited`: how long the channel says to wait. */
  readonly retryAfterMs?: number;
  /** The channel's own error code (WeChat errcode, Weibo error_code, SMTP response code). */
  readonly channelCode?: string;
  /** The recipient's address was refused (an SMTP 5xx for it): a hard bounce, counted against the subscriber. */
  readonly bounce: boolean;
  /**
   * The fault is the channel's, not this delivery's (its server is down, it refused our login): none of the
   * channel's deliveries is tried for `retryAfterMs`, so a long list does not spend its attempts on it.
   */
  readonly pauseChannel: boolean;
  constructor(
    channel: string,
    failure: FailureClass,
    message: string,
    options?: { retryAfterMs?: number; channelCode?: string | number; cause?: unknown; bounce?: boolean; pauseChannel?: boolean },
  ) {
    super(`E${failure.toUpperCase().replace('-', '_')}`, message, options);
    this.channel = channel;
    this.failure = failure;
    this.retryAfterMs = options?.retryAfterMs;
    this.channelCode = options?.channelCode === undefined ? undefined : String(options.channelCode);
    this.bounce = options?.bounce === true;
    this.pauseChannel = options?.pauseChannel === true;
  }
}

/**
 * `path:line:column: severity message [rule]` — the format `advisory check` prints. Only the severity
 * word is in the reader's language (错误/警告): editors and scripts find the place and the rule as ever.
 */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${checkMessages()[p.severity]} ${p.message} [${p.rule}]`;
}
