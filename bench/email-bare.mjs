#!/usr/bin/env node
// The yardstick of the e-mail benchmark: the same messages sent by a bare nodemailer SMTP pool,
// with no ledger, no rendering, nothing but nodemailer composing and sending.
//   node bench/email-bare.mjs SHAPE.json N PORT POOL_OPTIONS_JSON WINDOW
// SHAPE.json: { from, subject, html, text, name, token, headers } taken from one message our
// pipeline sent (the recipient's name and unsubscribe token in it are replaced per recipient, as
// ours does; headers: List-ID and List-Unsubscribe as they were sent); POOL_OPTIONS_JSON: nodemailer pool options (maxConnections, maxMessages,
// rateLimit…), the same as ours uses; WINDOW: how many sendMail calls are outstanding at most.
// Prints one JSON line: { sent, failed, ms, bytes } (bytes: the size of message 0 as composed).
import { readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';

const [shapeFile, nArg, port, poolJson, windowArg] = process.argv.slice(2);
const shape = JSON.parse(readFileSync(shapeFile, 'utf8'));
const n = Number(nArg);
const window = Number(windowArg || 5);
// JSON has no Infinity: maxMessages "Infinity" (one connection sends any number of messages) comes as a string
const pool = JSON.parse(poolJson || '{}', (_k, v) => (v === 'Infinity' ? Infinity : v));
const split = (s) => s.split(shape.name).map((part) => part.split(shape.token));
const html = split(shape.html);
const text = split(shape.text);
const fill = (parts, name, token) => parts.map((p) => p.join(token)).join(name);
const unsubscribe = shape.headers['List-Unsubscribe'].split(shape.token);
const sha = (s) => createHash('sha256').update(s).digest('hex');
const date = new Date('2014-09-29T01:00:00Z');

function message(i) {
  const key = `bench/manual/email/2014-09-29T01:00:00Z/s-${i}`;
  const name = `居民${i}`;
  const token = `u.s-${randomBytes(8).toString('hex')}.${randomBytes(24).toString('base64url')}`;
  return {
    from: shape.from,
    to: { name, address: `r${i}@example.org` },
    subject: shape.subject,
    text: fill(text, name, token),
    html: fill(html, name, token),
    messageId: `<${sha(key).slice(0, 32)}@example.gov.cn>`,
    date,
    baseBoundary: sha(key).slice(0, 16),
    headers: {
      'List-ID': { prepared: true, value: shape.headers['List-ID'] },
      'List-Unsubscribe': { prepared: true, value: unsubscribe.join(token) },
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

const composed = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }).sendMail(message(0));
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true, pool: true, ...pool });
const t0 = performance.now();
let next = 0;
let sent = 0;
let failed = 0;
let firstError = null;
await Promise.all(Array.from({ length: Math.min(window, n) }, async () => {
  while (next < n) {
    const i = next++;
    try {
      await transport.sendMail(message(i));
      sent++;
    } catch (err) {
      failed++;
      firstError ??= err.message;
    }
  }
}));
const ms = performance.now() - t0;
transport.close();
console.log(JSON.stringify({ sent, failed, ms, bytes: composed.message.length, firstError }));
