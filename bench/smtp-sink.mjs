#!/usr/bin/env node
// An SMTP sink for the e-mail benchmark, in its own process (so its CPU is not the sender's):
// smtp-server on 127.0.0.1, any AUTH or none, no STARTTLS, no reverse DNS; every message is read
// to the end and thrown away. Started with an IPC channel (child_process.fork); it sends
// { port } once listening and answers { cmd: 'reset' } and { cmd: 'stats' } with
// { count, bytes, first, last, connections }: first/last are the epoch milliseconds (Date.now)
// at which the first and the last message's data had been received since the last reset.
import { SMTPServer } from 'smtp-server';

const stats = () => ({ count: 0, bytes: 0, first: null, last: null, connections: 0 });
let s = stats();

const server = new SMTPServer({
  disableReverseLookup: true,
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  // smtp-server rejects a message above `size` only if set; none is set: any size is taken
  onAuth(_auth, _session, callback) {
    callback(null, { user: 'bench' });
  },
  onConnect(_session, callback) {
    s.connections++;
    callback();
  },
  onData(stream, _session, callback) {
    stream.on('data', (chunk) => {
      s.bytes += chunk.length;
    });
    stream.on('end', () => {
      const now = Date.now();
      s.count++;
      s.first ??= now;
      s.last = now;
      callback(null, 'queued (discarded)');
    });
  },
});
server.on('error', (err) => {
  console.error(`smtp sink: ${err.message}`);
});

server.listen(0, '127.0.0.1', () => {
  process.send({ port: server.server.address().port });
});

process.on('message', (m) => {
  if (m?.cmd === 'reset') {
    s = stats();
    process.send({ reset: true });
  } else if (m?.cmd === 'stats') {
    process.send({ stats: s });
  } else if (m?.cmd === 'stop') {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  }
});
process.on('disconnect', () => process.exit(0));
