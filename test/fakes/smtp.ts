/**
 * A real SMTP server on 127.0.0.1 (smtp-server), for tests of the live e-mail
 * channel: it takes logins (AUTH PLAIN/LOGIN over plain text, as a relay on
 * this machine would), keeps every message it accepted byte for byte with its
 * envelope, parses them with mailparser on request, and fails the ways mail
 * servers do, on request:
 *
 *   rejectRecipient(address, 550)   every RCPT TO for the address refused (a hard bounce)
 *   deferRecipient(address, n, 451) the next n RCPT TO for the address deferred
 *   failAfter(n, 421)               the message after the next n accepted ones answered 421 (the connection closes)
 *   wrongLogin(true)                every AUTH answered 535
 *   slowData(ms)                    each accepted message answered only after ms (a wider in-flight window)
 *   stop() / start()                gone (connection refused), then back on the same port
 */
import { createServer } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  /** The message as the server received it (CRLF line ends, dot-stuffing undone). */
  raw: Buffer;
  from: string;
  to: string[];
  /** The Message-ID header, with its angle brackets. */
  messageId: string;
  /** The login the session used, if any. */
  user?: string;
  at: Date;
}

export interface SmtpFakeOptions {
  /** Logins accepted (user → password); none: no AUTH needed (a relay). */
  users?: Record<string, string>;
}

interface Fault {
  code: number;
  message: string;
}

export class SmtpFake {
  readonly received: ReceivedMail[] = [];
  /** Every RCPT TO and DATA reply the fake gave that was not 250: what the client was told. */
  readonly refusals: Array<{ stage: 'RCPT' | 'DATA' | 'AUTH'; address?: string; code: number }> = [];
  /** Logins tried (the user names only). */
  readonly logins: Array<{ user: string; ok: boolean }> = [];
  private server: SMTPServer | null = null;
  private rejected = new Map<string, Fault>();
  private deferred = new Map<string, { left: number; fault: Fault }>();
  private dataFault: { after: number; fault: Fault; times: number } | null = null;
  private badLogin = false;
  private dataDelayMs = 0;
  private connections = 0;
  /** Bumped by stop(): a message whose 250 was not sent before the server went away was not taken. */
  private generation = 0;

  private constructor(readonly port: number, private readonly users: Record<string, string> | undefined) {}

  static async start(o: SmtpFakeOptions = {}): Promise<SmtpFake> {
    const fake = new SmtpFake(await freePort(), o.users);
    await fake.start();
    return fake;
  }

  /** `smtp://user:pass@127.0.0.1:port` (or without a login when the fake takes none). */
  url(user?: string, pass?: string): string {
    const u = user ?? Object.keys(this.users ?? {})[0];
    const p = pass ?? (u ? this.users?.[u] : undefined);
    return u ? `smtp://${encodeURIComponent(u)}:${encodeURIComponent(p ?? '')}@127.0.0.1:${this.port}` : `smtp://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== null;
  }

  /** Connections opened so far. */
  get connectionCount(): number {
    return this.connections;
  }

  rejectRecipient(address: string, code = 550, message = '5.1.1 mailbox unavailable'): void {
    this.rejected.set(address.toLowerCase(), { code, message });
  }

  deferRecipient(address: string, times: number, code = 451, message = '4.7.1 try again later'): void {
    this.deferred.set(address.toLowerCase(), { left: times, fault: { code, message } });
  }

  /** The message after the next `after` accepted ones is answered `code` (421: and the connection closes), `times` times in a row. */
  failAfter(after: number, code = 421, times = 1, message = '4.3.2 service shutting down, try later'): void {
    this.dataFault = { after: this.received.length + after, fault: { code, message }, times };
  }

  wrongLogin(on: boolean): void {
    this.badLogin = on;
  }

  slowData(ms: number): void {
    this.dataDelayMs = ms;
  }

  /** How many copies of each Message-ID arrived. */
  copies(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.received) m.set(r.messageId, (m.get(r.messageId) ?? 0) + 1);
    return m;
  }

  /** Recipients (lower case) that received more than one copy of a message. */
  duplicates(): string[] {
    return [...this.copies()].filter(([, n]) => n > 1).map(([id]) => id);
  }

  recipients(): string[] {
    return this.received.flatMap((r) => r.to);
  }

  parse(i: number): Promise<ParsedMail> {
    return simpleParser(this.received[i].raw);
  }

  async start(): Promise<void> {
    if (this.server) return;
    const options: SMTPServerOptions = {
      logger: false,
      disabledCommands: this.users ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !this.users,
      allowInsecureAuth: true,
      closeTimeout: 100,
      size: 10 * 1024 * 1024,
      onConnect: (_session, cb) => {
        this.connections++;
        cb();
      },
      onAuth: (auth, _session, cb) => {
        const ok = !this.badLogin && this.users?.[auth.username ?? ''] === auth.password;
        this.logins.push({ user: auth.username ?? '', ok });
        if (!ok) {
          this.refusals.push({ stage: 'AUTH', code: 535 });
          return cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
        }
        cb(null, { user: auth.username });
      },
      onRcptTo: (address, _session, cb) => {
        const a = address.address.toLowerCase();
        const bad = this.rejected.get(a);
        if (bad) return this.refuse('RCPT', a, bad, cb);
        const d = this.deferred.get(a);
        if (d && d.left > 0) {
          d.left--;
          return this.refuse('RCPT', a, d.fault, cb);
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const f = this.dataFault;
          if (f && f.times > 0 && this.received.length >= f.after) {
            f.times--;
            if (f.times === 0) this.dataFault = null;
            return this.refuse('DATA', undefined, f.fault, cb);
          }
          const generation = this.generation;
          const finish = () => {
            if (generation !== this.generation) return;
            const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1] ?? '';
            this.received.push({
              raw, messageId, at: new Date(),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              ...(session.user ? { user: String(session.user) } : {}),
            });
            cb(null, `2.0.0 Ok: queued as Q${this.received.length}`);
          };
          if (this.dataDelayMs > 0) setTimeout(finish, this.dataDelayMs);
          else finish();
        });
      },
    };
    const server = new SMTPServer(options);
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** The server goes away at once: open connections are cut, new ones refused. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.generation++;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of (server as unknown as { connections: Set<{ close(): void }> }).connections) c.close();
    await done;
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private refuse(stage: 'RCPT' | 'DATA', address: string | undefined, f: Fault, cb: (err?: Error | null) => void): void {
    this.refusals.push({ stage, ...(address ? { address } : {}), code: f.code });
    cb(Object.assign(new Error(f.message), { responseCode: f.code }));
  }
}

export function startSmtpFake(o: SmtpFakeOptions = {}): Promise<SmtpFake> {
  return SmtpFake.start(o);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
