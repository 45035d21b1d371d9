/**
 * A DKIM verifier (RFC 6376, relaxed/relaxed, rsa-sha256) for the tests, with
 * the public key given instead of looked up in DNS: what a receiving server
 * checks. Written from the RFC, independent of nodemailer's signer.
 */
import { createHash, createVerify, type KeyObject } from 'node:crypto';

export interface DkimResult {
  ok: boolean;
  /** The signed header names (the h= tag, lower case). */
  signed: string[];
  tags: Record<string, string>;
  why?: string;
}

export function verifyDkim(raw: Buffer, publicKey: KeyObject): DkimResult {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const head = text.slice(0, split + 2);
  const body = text.slice(split + 4);
  const fields = headerFields(head);
  const sig = fields.find((f) => f.name.toLowerCase() === 'dkim-signature');
  if (!sig) return { ok: false, signed: [], tags: {}, why: 'no DKIM-Signature' };
  const tags = Object.fromEntries(sig.value.replace(/\r\n/g, '').split(';').map((t) => t.trim()).filter(Boolean).map((t) => {
    const i = t.indexOf('=');
    return [t.slice(0, i).trim(), t.slice(i + 1).replace(/\s+/g, '')];
  }));
  const signed = (tags.h ?? '').split(':').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const bh = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64');
  if (bh !== tags.bh) return { ok: false, signed, tags, why: `body hash ${bh} ≠ bh=${tags.bh}` };
  const used = new Map<string, number>();
  const lines: string[] = [];
  for (const name of signed) {
    const all = fields.filter((f) => f.name.toLowerCase() === name && f !== sig);
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    const f = all[all.length - 1 - n];
    if (f) lines.push(relaxedHeader(f.name, f.value));
  }
  const unsigned = sig.value.replace(/(\bb=)[^;]*/, '$1');
  const data = `${lines.map((l) => `${l}\r\n`).join('')}${relaxedHeader(sig.name, unsigned)}`;
  const ok = createVerify('RSA-SHA256').update(data, 'latin1').verify(publicKey, tags.b ?? '', 'base64');
  return { ok, signed, tags, ...(ok ? {} : { why: 'signature does not verify' }) };
}

function headerFields(head: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const line of head.split('\r\n')) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && out.length > 0) out[out.length - 1].value += `\r\n${line}`;
    else {
      const i = line.indexOf(':');
      out.push({ name: line.slice(0, i), value: line.slice(i + 1) });
    }
  }
  return out;
}

function relaxedHeader(name: string, value: string): string {
  return `${name.trim().toLowerCase()}:${value.replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim()}`;
}

function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}
