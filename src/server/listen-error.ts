/**
 * Why the HTTP server could not listen, in one line with what to do — or
 * undefined when the error is not about the address (then it is a bug).
 * A busy port or a wrong --host is configuration (exit 3), not a crash.
 */

interface NetError {
  code?: unknown;
}

export function listenProblem(err: unknown, port: number | string, host: string, portOption = '--port'): string | undefined {
  const code = (err as NetError | null)?.code;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use: stop the other program or pick another with ${portOption} N`;
    case 'EACCES':
      return `port ${port} on ${host} needs more privileges than this user has (EACCES): pick a port above 1023 with ${portOption} N`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine (EADDRNOTAVAIL): listen on one of its own addresses with --host, e.g. 127.0.0.1`;
    case 'ENOTFOUND':
      return `unknown host "${host}" (ENOTFOUND): give an address of this machine with --host, e.g. 127.0.0.1`;
    case 'EAI_AGAIN':
      return `could not look up the host "${host}" (EAI_AGAIN: the name server did not answer): give an address with --host, e.g. 127.0.0.1, or try again`;
    default:
      return undefined;
  }
}
