/**
 * What the preview page shows of a website payload: the campaign page as
 * published. Its pages link the style sheet at the site root, which a
 * sandboxed frame opened from disk cannot load: the preview's copy carries the
 * sheet inline instead, and leaves out the page's script (the large-text
 * switch), which a sandboxed frame may not run: the browser would report each
 * blocked script as an error. Only the preview document changes, never the payload.
 */
import type { Payload, PreviewContext } from '../channel.js';
import type { Renderer } from '../../render/renderer.js';

export function preview(payload: Payload, ctx: PreviewContext): unknown {
  const page = payload.preview?.html ?? `<pre>${escapeHtml(JSON.stringify(payload.body, null, 2))}</pre>`;
  ctx.files.set(`${ctx.base}.html`, withoutScripts(localSiteAssets(page, ctx.renderer)));
  return { label: payload.label, src: `${ctx.base}.html` };
}

function localSiteAssets(html: string, renderer: Renderer): string {
  return html.replace(/<link\b[^>]*\bhref="(?:\/[^"]*)?\/assets\/([\w.-]+\.css)"[^>]*>/g, (whole, name: string) => {
    try {
      return `<style>${renderer.asset('website', `assets/${name}`).replace(/<\//g, '<\\/')}</style>`;
    } catch {
      return whole;
    }
  });
}

/** The site's pages carry only their own script elements (content is sanitised): none of them can run in the frame. */
function withoutScripts(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>\s*/gi, '');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
