/**
 * Subscriber lists as people keep them: a CSV exported from Excel, WPS,
 * listmonk or Mailchimp (a header row, columns in any order, quoted fields),
 * or a bare list of addresses, one per line, optionally `address,name`; saved
 * as UTF-8, GBK/GB18030 or UTF-16. And the CSV `subscribers export` writes.
 * Pure: decoding, parsing, validation and formatting; no file is read here.
 */
import { ContentError } from '../errors.js';
import { normalizeAddress, type Subscriber } from './store/index.js';
import { listMessages } from '../i18n/messages-people.js';

export interface ListEntry { line: number; address: string; name?: string }
/** A line that is not imported: `message` says what is wrong with it (the caller adds what to do). */
export interface ListProblem { line: number; message: string }
export interface ListColumns {
  /** `,`, tab or `;`: the first of them on the first line. */
  delimiter: string;
  /** The header cells, or null for a list without a header (address first, then the name). */
  header: string[] | null;
  address: number;
  name: number[];
  status: number | null;
}
export interface ParsedList {
  columns: ListColumns;
  entries: ListEntry[];
  invalid: ListProblem[];
  warnings: ListProblem[];
  /** Rows whose status column says they are not subscribed (an export of every state): never imported. */
  notActive: Array<{ line: number; address: string; status: string }>;
  /** Addresses seen earlier in the same file. */
  duplicates: number;
}

export const MAX_NAME_CHARS = 50;

/* ---------- encodings ---------- */

export type ListEncoding = 'UTF-8' | 'GBK/GB18030' | 'UTF-16LE' | 'UTF-16BE';

/**
 * Decodes a list's bytes: a BOM decides (UTF-8, UTF-16LE/BE); without one,
 * text with a zero byte in every other place is UTF-16 (Excel's "Unicode
 * text"), valid UTF-8 is UTF-8, anything else that is valid GB18030 (a
 * superset of GBK, what Windows in Chinese saves) is that. The BOM is dropped.
 */
export function decodeSubscriberList(bytes: Uint8Array, file: string): { text: string; encoding: ListEncoding } {
  const fail = (message: string): never => {
    throw new ContentError([{ file, line: 1, column: 1, severity: 'error', message, rule: 'list-encoding' }]);
  };
  const decode = (encoding: ListEncoding, from: number) => {
    const label = encoding === 'GBK/GB18030' ? 'gb18030' : encoding.toLowerCase();
    try {
      return { text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(from)), encoding };
    } catch {
      return fail(listMessages().damaged(encoding));
    }
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode('UTF-8', 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode('UTF-16LE', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode('UTF-16BE', 2);
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return decode(utf16, 0);
  if (validAs('utf-8', bytes)) return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), encoding: 'UTF-8' };
  if (validAs('gb18030', bytes)) return { text: new TextDecoder('gb18030', { ignoreBOM: true }).decode(bytes), encoding: 'GBK/GB18030' };
  return fail(listMessages().unknownEncoding);
}

/**
 * UTF-16 without a BOM: a list is mostly ASCII (addresses), so many zero bytes,
 * nearly all at odd offsets (LE) or at even ones (BE); a few on the other side
 * come from characters like 一 (U+4E00). UTF-8 and GBK text has no zero bytes.
 */
function utf16WithoutBom(b: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) if (b[i] === 0) i % 2 === 0 ? even++ : odd++;
  const pairs = n / 2;
  if (odd >= pairs / 4 && even <= odd / 8) return 'UTF-16LE';
  if (even >= pairs / 4 && odd <= even / 8) return 'UTF-16BE';
  return undefined;
}

function validAs(label: string, bytes: Uint8Array): boolean {
  try {
    new TextDecoder(label, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/* ---------- addresses and names ---------- */

const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** Why `address` cannot receive mail, or null when it looks deliverable (syntax only; nothing is sent). */
export function validAddress(raw: string): string | null {
  const m = listMessages();
  const address = raw.trim();
  if (address === '') return m.empty;
  if (address.length > 254) return m.tooLong;
  const slip = fullWidthSlip(address);
  if (slip) return slip;
  if (/[\s<>()[\]\\,;:"]/.test(address)) return m.forbiddenCharacter;
  const at = address.lastIndexOf('@');
  if (at < 0) return m.noAt;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === '' || local.length > 64) return m.localPart;
  if (local.includes('@')) return m.twoAts;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return m.misplacedDot;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return m.notADomain(domain);
  return null;
}

/** What a Chinese input method types for the ASCII an address needs (、, the enumeration comma, for a list's comma). */
const FULL_WIDTH: Readonly<Record<string, string>> = { '＠': '@', '．': '.', '。': '.', '，': ',', '、': ',', '；': ';', '：': ':', '　': ' ' };
/** Typed where a list's comma belongs, between the address and the name. */
const SEPARATORS = new Set(['，', '、', '；', '　']);

/**
 * `wang＠example.org`, `sun2＠example。com`: say every character to retype (each once, in order) and how the
 * address then reads. `zhao@example.com，赵六`, `qian@example.com、钱七` (a list line whose comma was typed in
 * Chinese mode): say that the comma separates the address from the name and must be an ordinary one; one left
 * at the end of the address (`sun@example.com，,`) is said as one to remove.
 */
function fullWidthSlip(address: string): string | null {
  const chars = [...new Set([...address].filter((c) => c in FULL_WIDTH))];
  if (chars.length === 0) return null;
  const m = listMessages();
  const named = (c: string) => m.fullWidth(c, c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0'));
  const separator = [...address].find((c) => SEPARATORS.has(c));
  if (separator) {
    const [before, ...rest] = address.split(separator);
    const name = rest.join(separator).trim();
    if (validAddress(before) === null) return name === '' ? m.separatorAtEnd(before, named(separator)) : m.commaInList(before, named(separator), name);
  }
  const fixed = [...address].map((c) => FULL_WIDTH[c] ?? c).join('');
  return m.retype(chars.map(named), chars.map((c) => FULL_WIDTH[c]), validAddress(fixed) === null ? fixed : null);
}

// Control characters, line and paragraph separators, and the bidirectional overrides that make a name display reversed.
const UNSAFE_IN_NAME = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A name as it may appear in a greeting: control characters and line breaks
 * become spaces, runs of spaces one, and at most MAX_NAME_CHARS characters
 * (cut between whole characters, so an emoji or an accented letter is never split).
 */
export function cleanName(raw: string | undefined): { name?: string; cut: boolean } {
  const name = (raw ?? '').replace(UNSAFE_IN_NAME, ' ').replace(/\s+/gu, ' ').trim();
  if (name === '') return { cut: false };
  if ([...name].length <= MAX_NAME_CHARS) return { name, cut: false };
  let kept = '';
  let count = 0;
  for (const { segment } of graphemes.segment(name)) {
    count += [...segment].length;
    if (count > MAX_NAME_CHARS) break;
    kept += segment;
  }
  return { name: kept.trimEnd(), cut: true };
}

/* ---------- CSV ---------- */

interface CsvRecord { line: number; cells: string[] }

/**
 * RFC 4180 records with the line each starts on: quoted fields may hold the
 * delimiter, doubled quotes and line breaks; CRLF, LF or CR end a record.
 * Blank records and lines starting with # are skipped. An unclosed quote is a
 * problem at the line where it opened.
 */
export function csvRecords(text: string, delimiter: string): { records: CsvRecord[]; problems: ListProblem[] } {
  const records: CsvRecord[] = [];
  const problems: ListProblem[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    }
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let openedAt = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') (cell += '"', i++);
        else if (c === '"') quoted = false;
        else {
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          cell += c;
        }
      } else if (c === '"' && cell.trim() === '') (quoted = true, (openedAt = line), (cell = ''));
      else if (c === delimiter) (cells.push(cell), (cell = ''));
      else if (c === '\n' || c === '\r') {
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      } else cell += c;
    }
    if (quoted) {
      problems.push({ line: openedAt, message: listMessages().unclosedQuote });
      break;
    }
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) records.push({ line: start, cells });
  }
  return { records, problems };
}

/** The first `,`, tab or `;` outside quotes on the first line that is not blank or a comment. */
function detectDelimiter(text: string): string {
  let quoted = false;
  let lineStart = true;
  let comment = false;
  for (const c of text) {
    if (lineStart && c === '#') comment = true;
    if (c === '\n' || c === '\r') {
      if (!quoted) (comment = false, (lineStart = true));
      continue;
    }
    lineStart = false;
    if (comment) continue;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ',' || c === '\t' || c === ';')) return c;
  }
  return ',';
}

/* ---------- header ---------- */

const key = (cell: string) => cell.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_\-.:：*]+/gu, '');
/** Header names of the address column, best first: `address` or `mail` alone may be a postal address or a flag. */
export const ADDRESS_HEADERS = ['email', 'e-mail', 'email address', 'Email Address', 'e-mail address', '邮箱', '电子邮箱', '邮件地址', '电子邮件', '邮箱地址', '电子邮件地址', 'mail', 'address'];
const GENERIC_ADDRESS = new Set(['mail', 'address']);
export const NAME_HEADERS = ['name', 'full name', '姓名', '名字', '称呼'];
const FIRST_NAME = new Set(['firstname', 'givenname']);
const LAST_NAME = new Set(['lastname', 'surname', 'familyname']);
const STATUS_HEADERS = new Set(['status', '状态']);
const ADDRESS_KEYS = new Set(ADDRESS_HEADERS.map(key));
const NAME_KEYS = new Set(NAME_HEADERS.map(key));
/** Status words of this project's export, listmonk's and Mailchimp's: which rows are subscribed. */
const SUBSCRIBED = new Set(['', 'active', 'subscribed', 'enabled', 'confirmed']);
const NOT_SUBSCRIBED = new Set(['unsubscribed', 'bounced', 'pending', 'unconfirmed', 'cleaned', 'blocklisted', 'blacklisted', 'disabled']);

function columnsOf(first: CsvRecord, delimiter: string, file: string): ListColumns {
  const keys = first.cells.map(key);
  const specific = keys.findIndex((k) => ADDRESS_KEYS.has(k) && !GENERIC_ADDRESS.has(k));
  const address = specific >= 0 ? specific : keys.findIndex((k) => ADDRESS_KEYS.has(k));
  if (address < 0) {
    // No cell of the first row is an address, so it is a header: one we cannot use.
    if (!first.cells.some((c) => c.includes('@'))) {
      const found = first.cells.map((c) => `"${c.trim()}"`).join(', ');
      throw new ContentError([{
        file, line: first.line, column: 1, severity: 'error', rule: 'list-no-address-column',
        message: listMessages().noAddressColumn(found, ADDRESS_HEADERS.filter((h) => h !== 'Email Address').join(', '), NAME_HEADERS.join(', ')),
      }]);
    }
    return { delimiter, header: null, address: 0, name: [1], status: null };
  }
  const name = keys.findIndex((k) => NAME_KEYS.has(k));
  const parts = [keys.findIndex((k) => FIRST_NAME.has(k)), keys.findIndex((k) => LAST_NAME.has(k))].filter((n) => n >= 0);
  const status = keys.findIndex((k) => STATUS_HEADERS.has(k));
  return { delimiter, header: first.cells.map((c) => c.replace(/^\uFEFF/, '').trim()), address, name: name >= 0 ? [name] : parts, status: status >= 0 ? status : null };
}

/* ---------- the list ---------- */

/**
 * Splits a list into entries to import (addresses lower-cased, the first of
 * each kept), lines not imported (invalid, with their 1-based line) and
 * warnings (a name cut to length). `file` names the list in errors: a header
 * without an address column throws a ContentError saying which names work.
 */
export function parseSubscriberList(text: string, file = 'list'): ParsedList {
  text = text.replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(text);
  const { records, problems } = csvRecords(text, delimiter);
  const parsed: ParsedList = {
    columns: { delimiter, header: null, address: 0, name: [1], status: null },
    entries: [],
    invalid: [...problems],
    warnings: [],
    notActive: [],
    duplicates: 0,
  };
  if (records.length === 0) return parsed;
  const columns = (parsed.columns = columnsOf(records[0], delimiter, file));
  const seen = new Set<string>();
  const m = listMessages();
  for (const { line, cells } of columns.header ? records.slice(1) : records) {
    const raw = (cells[columns.address] ?? '').trim();
    const problem = validAddress(raw);
    if (problem) {
      const where = columns.header ? m.inColumn(columns.header[columns.address]) : '';
      parsed.invalid.push({ line, message: raw === '' ? m.noAddress(where) : m.invalid(raw, problem) });
      continue;
    }
    const address = normalizeAddress(raw);
    if (columns.status !== null) {
      const status = (cells[columns.status] ?? '').trim();
      if (NOT_SUBSCRIBED.has(status.toLowerCase())) {
        parsed.notActive.push({ line, address, status });
        continue;
      }
      if (!SUBSCRIBED.has(status.toLowerCase())) {
        parsed.invalid.push({ line, message: m.unknownStatus(status, address, columns.header![columns.status]) });
        continue;
      }
    }
    if (seen.has(address)) {
      parsed.duplicates++;
      continue;
    }
    seen.add(address);
    const { name, cut } = cleanName(columns.name.map((n) => cells[n] ?? '').join(' '));
    if (cut) parsed.warnings.push({ line, message: m.nameCut(address, MAX_NAME_CHARS, name!) });
    parsed.entries.push({ line, address, name });
  }
  return parsed;
}

/* ---------- export ---------- */

export const EXPORT_COLUMNS = ['email', 'name', 'status', 'source', 'created_at', 'confirmed_at', 'unsubscribed_at', 'bounces'] as const;

/**
 * A spreadsheet runs a cell starting with = + - @ (or a tab or line break
 * before one) as a formula: those leading characters are stripped.
 */
export const formulaSafe = (value: string) => value.replace(/^[=+\-@\s]+/u, '');

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * The CSV `subscribers export` writes: UTF-8 with a BOM (so Excel shows
 * Chinese names right), CRLF, EXPORT_COLUMNS, every cell formula-safe. Never
 * the unsubscribe token. `altered`: addresses a formula-safe cell changed
 * (they would not import back as the same address).
 */
export function formatSubscriberCsv(subscribers: Subscriber[]): { csv: string; altered: string[] } {
  const altered: string[] = [];
  const rows = subscribers.map((s) => {
    const email = formulaSafe(s.address);
    if (email !== s.address) altered.push(s.address);
    const cells = [email, s.name ?? '', s.status, s.source, s.createdAt, s.confirmedAt ?? '', s.unsubscribedAt ?? '', String(s.bounces)];
    return cells.map((c) => csvCell(formulaSafe(c))).join(',');
  });
  return { csv: `\uFEFF${[EXPORT_COLUMNS.join(','), ...rows].map((r) => `${r}\r\n`).join('')}`, altered };
}
