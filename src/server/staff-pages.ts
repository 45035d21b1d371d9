/** The staff listener's own pages (sign-in, first account, home, answers): plain HTML, no script, escaped. */

export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem;line-height:1.5}
label{display:block;margin:.75rem 0 .25rem}input[type=text],input[type=password]{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
button{font:inherit;padding:.4rem 1rem;margin-top:1rem}.error{color:#a00;font-weight:bold}.nav{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
.nav form{display:inline}.nav button{margin:0}code{background:#f3f3f3;padding:0 .2rem}`;

export interface Who {
  name: string;
  csrf: string;
}

export function logoutForm(who: Who): string {
  return `<form method="post" action="/logout" style="display:inline;margin:0"><input type="hidden" name="csrf" value="${esc(who.csrf)}"><button type="submit">退出 / Sign out</button></form>`;
}

export function staffNav(who: Who): string {
  return `<nav class="nav" aria-label="staff" style="display:flex;gap:1rem;flex-wrap:wrap;align-items:baseline;padding:.5rem 1.5rem"><a href="/">首页 / Home</a><a href="/preview/">预览 / Preview</a><a href="/status">状态 / Status</a><span>已登录 / signed in as <b>${esc(who.name)}</b></span>${logoutForm(who)}</nav>`;
}

export function staffPage(title: string, body: string, who?: Who): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · advisory</title><style>${STYLE}</style></head>
<body>${who ? staffNav(who) : ''}<main><h1>${esc(title)}</h1>
${body}</main></body></html>`;
}

export function loginPage(o: { csrf: string; next: string; name?: string; error?: string }): string {
  return staffPage('工作人员登录 / Staff sign-in', `${o.error ? `<p class="error" role="alert">${esc(o.error)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="${esc(o.csrf)}"><input type="hidden" name="next" value="${esc(o.next)}">
<label for="name">用户名 / Name</label><input type="text" id="name" name="name" autocomplete="username" required value="${esc(o.name ?? '')}">
<label for="password">密码 / Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">登录 / Sign in</button>
</form>
<p>No account? Ask whoever runs the daemon: <code>advisory staff add NAME</code>.</p>`);
}

export function setupPage(o: { csrf: string; token: string; name?: string; error?: string; min: number }): string {
  return staffPage('创建第一个工作人员账户 / Create the first staff account', `${o.error ? `<p class="error" role="alert">${esc(o.error)}</p>` : ''}
<p>There is no staff account yet. This link works once, from this machine, for 15 minutes after the daemon started.</p>
<form method="post" action="/setup">
<input type="hidden" name="csrf" value="${esc(o.csrf)}"><input type="hidden" name="token" value="${esc(o.token)}">
<label for="name">用户名 / Name</label><input type="text" id="name" name="name" autocomplete="username" required value="${esc(o.name ?? '')}">
<label for="password">密码 / Password (at least ${o.min} characters)</label><input type="password" id="password" name="password" autocomplete="new-password" required minlength="${o.min}">
<label for="password2">再输一次 / Password again</label><input type="password" id="password2" name="password2" autocomplete="new-password" required minlength="${o.min}">
<button type="submit">创建并登录 / Create and sign in</button>
</form>`);
}

export function homePage(who: Who): string {
  return staffPage('工作人员 / Staff', `<ul>
<li><a href="/preview/">渠道预览 / Preview</a>: every channel's rendition of every campaign, embargoed ones included; approve from there.</li>
<li><a href="/status">发送状态 / Delivery status</a> (<a href="/status.json">JSON</a>)</li>
<li><a href="/preview-site/">网站预览 / Site preview</a> (after <code>advisory build --preview</code>)</li>
</ul>`, who);
}

export function messagePage(title: string, text: string, who?: Who, links: Array<[string, string]> = []): string {
  return staffPage(title, `<p>${esc(text)}</p>${links.map(([href, label]) => `<p><a href="${esc(href)}">${esc(label)}</a></p>`).join('')}`, who);
}
