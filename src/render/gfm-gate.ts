/**
 * Whether `source` can hold any GFM syntax: each extension needs a character
 * plain CommonMark text does without — a table a `|`, strikethrough a `~`, a
 * footnote `[^`, a task list item `[ ]`/`[x]`, an autolink
 * literal `http`, `www` or an `@` (e-mail, mailto:, xmpp:). A body with none of
 * them parses to the same tree without the GFM extensions, which cost about
 * 40% of the parse (micromark tries the autolink constructs at every letter);
 * test/render/gfm-gate.test.ts holds the two processors to the same output.
 */
export function mayUseGfm(source: string): boolean {
  return GFM_TRIGGER.test(source);
}
const GFM_TRIGGER = /[|~@]|\[\^|\[[ \txX]\]|http|www/i;
