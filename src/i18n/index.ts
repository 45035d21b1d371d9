/**
 * The message catalogue: every sentence a person reads (CLI, `check`, `status`,
 * the preview, the staff console) in Simplified Chinese and English, one typed
 * table per area (messages-*.ts) defined with `messages(en, zh)`, so a message
 * missing in one language is a compile error. Rule ids (`[unknown-key]`),
 * file:line:column, commands and option names are never translated.
 *
 * The language: `--lang` (CLI) or the page's own choice (console), else
 * ADVISORY_LANG, LC_ALL, LC_MESSAGES, LANG: a zh locale or none at all (unset,
 * C, POSIX) is zh-CN, the bureau's language; any other locale is English.
 */

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

/** `zh`, `zh-CN`, `zh_CN.UTF-8`, `cn`, `中文` → zh-CN; `en`, `en_US`, `english` → en; anything else undefined. */
export function parseLang(value: string | undefined): Lang | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (/^(zh|cn|chinese|中文)([-_.@].*)?$/.test(v)) return 'zh-CN';
  if (/^(en|english)([-_.@].*)?$/.test(v)) return 'en';
  return undefined;
}

/** The language a process's environment asks for (see the file comment). */
export function langFromEnv(env: Record<string, string | undefined>): Lang {
  const own = parseLang(env.ADVISORY_LANG);
  if (own) return own;
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  if (locale === undefined || /^(c|posix)([.@].*)?$/i.test(locale)) return 'zh-CN';
  return parseLang(locale) ?? 'en';
}

/** The process's language: its environment's, until the CLI sets it from `--lang` and the environment. */
let current: Lang = langFromEnv(typeof process === 'undefined' ? {} : process.env);
export function setLang(lang: Lang): void {
  current = lang;
}
export function lang(): Lang {
  return current;
}

type Entry = string | ((...args: never[]) => unknown);
/** The English table's shape, each entry widened to a string or a function of the same arguments returning one. */
export type Shape<T extends Record<string, Entry>> = { [K in keyof T]: T[K] extends (...args: infer A) => unknown ? (...args: A) => string : string };
/**
 * `en` as `messages()` accepts it: an entry that is a function returning anything but a string (`string |
 * undefined`, a number) is replaced by a sentence saying so, so the compiler stops at that entry with the
 * sentence in its error, instead of widening the whole table to strings and failing at every call elsewhere.
 */
type Checked<T extends Record<string, Entry>> = {
  [K in keyof T]: T[K] extends (...args: never[]) => infer R
    ? [R] extends [string] ? T[K] : `messages(): "${K & string}" must return a string in every case (it can return ${Describe<R>})`
    : T[K];
};
type Describe<R> = [R] extends [never] ? 'nothing' : Exclude<R, string> extends undefined ? 'undefined' : Exclude<R, string> extends null ? 'null' : 'something other than a string';

/**
 * One area's messages in both languages. `m()` is the table of the process's
 * language; `m('en')` that of a given one (a console page answers in its reader's).
 */
export function messages<T extends Record<string, Entry>>(en: T & Checked<T>, zh: Shape<T>): (lang?: Lang) => Shape<T> {
  const tables: Record<Lang, Shape<T>> = { en: en as unknown as Shape<T>, 'zh-CN': zh };
  return (l = current) => tables[l];
}

/** `n` with the English noun in the right number (`1 campaign`, `2 campaigns`); Chinese has one form. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How many terminal columns `text` takes: a Chinese character (or a full-width form) takes two. */
export function columns(text: string): number {
  return [...text].reduce((n, c) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(c) ? 2 : 1), 0);
}

/** `text` padded with spaces to `width` terminal columns (String.padEnd counts a Chinese character as one). */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)));
}
