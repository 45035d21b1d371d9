/**
 * Subscriber lists as people keep them: one address per line, or
 * `address,name` (a CSV export). Pure: parsing and address validation only.
 */
import { normalizeAddress } from './store/index.js';

export interface ListEntry { line: number; address: string; name?: string }
export interface ListProblem { line: number; text: string; problem: string }

const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** Why `address` cannot receive mail, or null when it looks deliverable (syntax only; nothing is sent). */
export function validAddress(raw: string): string | null {
  const address = raw.trim();
  if (address === '') return 'the address is empty';
  if (address.length > 254) return 'longer than 254 characters';
  if (/[\s<>()[\]\\,;:"]/.test(address)) return 'contains a space or one of < > ( ) [ ] \\ , ; : " (write the bare address, like name@example.org)';
  const at = address.lastIndexOf('@');
  if (at < 0) return 'has no @ (write it like name@example.org)';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '' || local.length > 64) return 'the part before @ is empty or longer than 64 characters';
  if (local.includes('@')) return 'has more than one @';
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return 'the part before @ has a misplaced dot';
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return `"${domain}" is not a mail domain (like example.org)`;
  return null;
}

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/s, '$1').replace(/""/g, '"').trim();

/** Splits a list into valid entries (lower-cased, first occurrence kept) and invalid lines, with 1-based line numbers. */
export function parseSubscriberList(text: string): { entries: ListEntry[]; invalid: ListProblem[]; duplicates: number } {
  const entries: ListEntry[] = [];
  const invalid: ListProblem[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const comma = trimmed.indexOf(',');
    const address = unquote(comma < 0 ? trimmed : trimmed.slice(0, comma));
    const name = comma < 0 ? undefined : unquote(trimmed.slice(comma + 1)) || undefined;
    if (entries.length === 0 && invalid.length === 0 && /^(e-?mail|address|mail)$/i.test(address)) return; // a header
    const problem = validAddress(address);
    if (problem) return void invalid.push({ line, text: trimmed, problem });
    const key = normalizeAddress(address);
    if (seen.has(key)) return void duplicates++;
    seen.add(key);
    entries.push({ line, address: key, name });
  });
  return { entries, invalid, duplicates };
}
