/**
 * Why the HTTP server could not listen, in one line with what to do — or
 * undefined when the error is not about the address (then it is a bug).
 * A busy port or a wrong --host is configuration (exit 3), not a crash.
 */
import { faultMessages } from '../i18n/messages-faults.js';

interface NetError {
  code?: unknown;
}

export function listenProblem(err: unknown, port: number | string, host: string, portOption = '--port'): string | undefined {
  const code = (err as NetError | null)?.code;
  const m = faultMessages();
  const p = String(port);
  switch (code) {
    case 'EADDRINUSE':
      return m.portInUse(p, host, portOption);
    case 'EACCES':
      return m.portPrivileged(p, host, portOption);
    case 'EADDRNOTAVAIL':
      return m.notOurAddress(host);
    case 'ENOTFOUND':
      return m.unknownHost(host);
    case 'EAI_AGAIN':
      return m.hostNoAnswer(host);
    default:
      return undefined;
  }
}
