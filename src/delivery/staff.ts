/**
 * Staff passwords: scrypt (node:crypto) with a random 16-byte salt, stored as
 * `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url) so the cost can be
 * raised later without breaking stored hashes. Verification compares in
 * constant time; an unknown account is checked against a dummy hash, so the
 * time taken does not say whether the name exists.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { staffMessages } from '../i18n/messages-people.js';
import type { Lang } from '../i18n/index.js';

/** At least this many characters (a pass phrase is better than a short complex one). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;
/** 2^15 × 8 × 128 bytes = 32 MiB, ~50–100 ms: the OWASP minimum for scrypt is N=2^17 r=8 p=1 or this with more time; see README. */
const COST = { log2N: 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2N;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST.log2N, COST.r, COST.p);
  return ['scrypt', COST.log2N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash no password matches, with the current cost: what an unknown name is checked against. */
let dummy: Promise<string> | undefined;

/** Whether `password` matches `stored`; `stored` undefined (no such account) takes as long and is false. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const against = stored ?? (await (dummy ??= hashPassword(randomBytes(24).toString('base64url'))));
  const m = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(against);
  if (!m || password.length > PASSWORD_MAX) return false;
  const expected = Buffer.from(m[5], 'base64url');
  const key = await derive(password, Buffer.from(m[4], 'base64url'), Number(m[1]), Number(m[2]), Number(m[3]));
  return key.length === expected.length && timingSafeEqual(key, expected) && stored !== undefined;
}

/** What is wrong with a new password, or null. */
/** What is wrong with a password, in `lang` (default: the process's; a console page passes its reader's). */
export function passwordProblem(password: string, lang?: Lang): string | null {
  const m = staffMessages(lang);
  if ([...password].length < PASSWORD_MIN) return m.tooShort(PASSWORD_MIN);
  if (password.length > PASSWORD_MAX) return m.tooLong(PASSWORD_MAX);
  if (password.trim() !== password) return m.spaces;
  return null;
}

/** A staff name: 1–64 letters (any script), digits, `.`, `_` or `-`. */
export const STAFF_NAME = /^[\p{L}\p{N}._-]{1,64}$/u;

export function staffNameProblem(name: string, lang?: Lang): string | null {
  return STAFF_NAME.test(name) ? null : staffMessages(lang).badName(name);
}
