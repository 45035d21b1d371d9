/** Structured logs (pino, one JSON line per event). Secret-looking fields are masked wherever they appear. */
import { pino, type Logger, type DestinationStream } from 'pino';

export const REDACT_PATHS = [
  'secrets', '*.secrets', 'secret', '*.secret', 'password', '*.password', 'pass', '*.pass',
  'access_token', '*.access_token', 'token', '*.token', 'authorization', '*.authorization', 'appsecret', '*.appsecret',
  'recipient.unsubscribeToken', '*.unsubscribeToken',
];

export function createLogger(destination?: DestinationStream, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const options = { level, base: { pid: process.pid }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options, pino.destination({ dest: 1, sync: true }));
}
