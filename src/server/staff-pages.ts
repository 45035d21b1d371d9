/**
 * The staff listener's page frame (skip link, navigation, language switch,
 * sign-out) and its simplest pages (sign-in, first account, answers): plain
 * HTML and CSS, no script, every value escaped, in the reader's language
 * (Simplified Chinese unless they chose English; i18n/messages-console.ts).
 */
import type { IncomingMessage } from 'node:http';
import { lang as processLang, parseLang, type Lang } from '../i18n/index.js';
import { consoleMessages } from '../i18n/messages-console.js';
import { cookieOf } from './cookies.js';

export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The cookie a reader's language choice is kept in (a preference, not a secret). */
export const LANG_COOKIE = 'advisory_lang';

/** The language a request is answered in: the reader's choice (cookie), else the daemon's. */
export function langOf(req: IncomingMessage): Lang {
  return parseLang(cookieOf(req, LANG_COOKIE)) ?? processLang();
}

// Colours: text ≥ 7:1 on its background, links and badges ≥ 4.5:1 (WCAG AA), focus always visible.
/**
 * The console's own parts (the top bar, badges, the approve form and its diff): also added to the pages
 * the console wraps (the preview, the status page), which have their own page styles.
 */
export const PARTS_STYLE = `header.top{background:#123a66;color:#fff;padding:.5rem 1rem;font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.6}
header.top a,header.top .who{color:#fff}
.bar{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;max-width:72rem;margin:0 auto}
.brand{font-weight:bold;margin-right:auto}
nav.nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
nav.nav a{display:inline-block;padding:.6rem .75rem;min-height:44px;text-decoration:none;border-radius:4px;color:#fff}
nav.nav a[aria-current=page]{background:#fff;color:#123a66;font-weight:bold}
nav.nav a:hover{text-decoration:underline}
header.top form{display:inline;margin:0}header.top button{margin:0;background:#fff;color:#123a66;border:2px solid #fff;font:inherit;padding:.4rem .9rem;min-height:44px;border-radius:4px}
header.top a:focus-visible,header.top button:focus-visible{outline:3px solid #ffd27a;outline-offset:2px}
.lang{display:inline-block;padding:.6rem .5rem;min-height:44px}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.9rem;border:1px solid currentColor;margin:.1rem 0}
.s-sent{color:#17602e;background:#eaf6ee}.s-failed,.s-missed{color:#a10000;background:#fdecec}
.s-held,.s-needs-approval,.s-waiting,.s-due{color:#6b3b00;background:#fff4e0}
.s-scheduled,.s-queued,.s-sending,.s-skipped{color:#1f3f66;background:#eef2f7}
.approve-form{border:2px solid #123a66;border-radius:6px;padding:.75rem 1rem;margin:1rem 0;background:#f6f9fc;color:#1a1a1a}
.approve-form button{font:inherit;padding:.55rem 1.1rem;margin-top:.5rem;min-height:44px;border:2px solid #123a66;background:#123a66;color:#fff;border-radius:4px;cursor:pointer}
.approve-form table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;background:#fff}
.approve-form th,.approve-form td{border:1px solid #8a8a8a;padding:.45rem .6rem;text-align:left;vertical-align:top}
.approve-form .note{color:#3d3d3d}
.diff{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #8a8a8a;padding:.5rem;margin:.5rem 0;list-style:none;background:#fff}
.diff li{padding:0 .25rem}.diff .add{background:#e6f4ea;color:#0d4a1f}.diff .del{background:#fdecec;color:#7d0000;text-decoration:line-through}
.diff .gap{color:#4d4d4d;font-style:italic}
.diff .mark{font-weight:bold;display:inline-block;min-width:3.5em}`;

const STYLE = `*{box-sizing:border-box}
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;line-height:1.6;color:#1a1a1a;background:#fff;font-size:1rem}
a{color:#0b4f9c}a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.5rem;z-index:2}
${PARTS_STYLE}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.3rem;margin:1.5rem 0 .5rem}h3{font-size:1.1rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:bold}
input[type=text],input[type=password],input[type=file]{font:inherit;padding:.5rem;width:100%;max-width:28rem;border:1px solid #555;border-radius:4px}
main button,.button{font:inherit;padding:.55rem 1.1rem;margin-top:.5rem;min-height:44px;border:2px solid #123a66;background:#123a66;color:#fff;border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block}
.error{color:#a10000;font-weight:bold}
.note{color:#3d3d3d}
code{background:#f0f0f0;padding:0 .25rem;border-radius:3px;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #8a8a8a;padding:.45rem .6rem;text-align:left;vertical-align:top}
th{background:#eef2f7}
ul.plain{list-style:none;margin:0;padding:0}
.past{color:#4d4d4d}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1rem}
.card{border:1px solid #8a8a8a;border-radius:6px;padding:.75rem 1rem}
.card h2{margin-top:0}
@media (max-width:40rem){main{padding:.75rem}h1{font-size:1.35rem}th,td{padding:.35rem}table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-999px}tr{border:1px solid #8a8a8a;margin-bottom:.75rem}th,td{border:0;border-bottom:1px solid #ddd}}`;

export interface Who {
  name: string;
  csrf: string;
}

export type Section = 'home' | 'calendar' | 'approvals' | 'failures' | 'subscribers' | 'preview' | 'status';

const SECTIONS: Array<[Section, string]> = [
  ['home', '/'], ['calendar', '/calendar'], ['approvals', '/approvals'], ['failures', '/failures'],
  ['subscribers', '/subscribers'], ['preview', '/preview/'], ['status', '/status'],
];

export function logoutForm(who: Who, l: Lang): string {
  return `<form method="post" action="/logout"><input type="hidden" name="csrf" value="${esc(who.csrf)}"><button type="submit">${esc(consoleMessages(l).signOut)}</button></form>`;
}

/** The language switch: a plain link (works without script), back to the same page. */
function langLink(l: Lang, here: string): string {
  const m = consoleMessages(l);
  const other = l === 'en' ? 'zh' : 'en';
  return `<a class="lang" href="/lang?to=${other}&amp;next=${encodeURIComponent(here)}" lang="${other === 'en' ? 'en' : 'zh-CN'}" aria-label="${esc(m.otherLangLabel)}">${esc(m.otherLang)}</a>`;
}

/** The bar at the top of every staff page: the sections, the language switch, who is signed in. */
export function staffNav(who: Who | undefined, l: Lang, current?: Section, here = '/'): string {
  const m = consoleMessages(l);
  const links = who
    ? `<nav class="nav" aria-label="${esc(m.navLabel)}"><ul>${SECTIONS.map(([s, href]) => `<li><a href="${href}"${s === current ? ' aria-current="page"' : ''}>${esc(m[s])}</a></li>`).join('')}</ul></nav>`
    : '';
  const user = who ? `<span class="who">${esc(m.signedInAs(who.name))}</span>${logoutForm(who, l)}` : '';
  return `<header class="top"><div class="bar"><span class="brand">${esc(m.product)}</span>${links}${user}${langLink(l, here)}</div></header>`;
}

export interface PageOptions {
  who?: Who;
  lang: Lang;
  section?: Section;
  /** This page's path (the language switch comes back to it). */
  here?: string;
}

export function staffPage(title: string, body: string, o: PageOptions): string {
  const m = consoleMessages(o.lang);
  return `<!doctype html><html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(m.product)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><a class="skip" href="#main">${esc(m.skip)}</a>${staffNav(o.who, o.lang, o.section, o.here)}<main id="main"><h1>${esc(title)}</h1>
${body}</main></body></html>`;
}

export function loginPage(o: { csrf: string; next: string; name?: string; error?: string; lang: Lang }): string {
  const m = consoleMessages(o.lang);
  return staffPage(m.signInTitle, `${o.error ? `<p class="error" role="alert">${esc(o.error)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="${esc(o.csrf)}"><input type="hidden" name="next" value="${esc(o.next)}">
<label for="name">${esc(m.name)}</label><input type="text" id="name" name="name" autocomplete="username" required value="${esc(o.name ?? '')}">
<label for="password">${esc(m.password)}</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<p><button type="submit">${esc(m.signIn)}</button></p>
</form>
<p class="note">${esc(m.noAccount)} <code>advisory staff add NAME</code></p>`, { lang: o.lang, here: `/login?next=${encodeURIComponent(o.next)}` });
}

export function setupPage(o: { csrf: string; token: string; name?: string; error?: string; min: number; lang: Lang }): string {
  const m = consoleMessages(o.lang);
  return staffPage(m.setupTitle, `${o.error ? `<p class="error" role="alert">${esc(o.error)}</p>` : ''}
<p>${esc(m.setupIntro)}</p>
<form method="post" action="/setup">
<input type="hidden" name="csrf" value="${esc(o.csrf)}"><input type="hidden" name="token" value="${esc(o.token)}">
<label for="name">${esc(m.name)}</label><input type="text" id="name" name="name" autocomplete="username" required value="${esc(o.name ?? '')}">
<label for="password">${esc(m.passwordMin(o.min))}</label><input type="password" id="password" name="password" autocomplete="new-password" required minlength="${o.min}">
<label for="password2">${esc(m.passwordAgain)}</label><input type="password" id="password2" name="password2" autocomplete="new-password" required minlength="${o.min}">
<p><button type="submit">${esc(m.createAndSignIn)}</button></p>
</form>`, { lang: o.lang, here: `/setup?token=${encodeURIComponent(o.token)}` });
}

export function messagePage(title: string, text: string, o: PageOptions, links: Array<[string, string]> = []): string {
  return staffPage(title, `<p>${esc(text)}</p>${links.map(([href, label]) => `<p><a href="${esc(href)}">${esc(label)}</a></p>`).join('')}`, o);
}
