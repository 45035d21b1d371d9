/**
 * The website's own limits, for `advisory check`: every image has alt text,
 * no tip lives only inside a picture (a reader with a screen reader or large
 * text must get it as text), and each advisory has advice for CAP.
 */
import type { Element, Root, RootContent, ElementContent } from 'hast';
import type { ChannelProblem, Payload, RenderContext } from '../channel.js';
import type { Problem } from '../../errors.js';
import { textOf } from '../../render/sections.js';
import { isSiteBody } from './site-body.js';
import { SITE_NAMES } from './site/pages.js';
import { channelMessages } from '../../i18n/messages-channels.js';

/** Below this many characters of text besides images, an advisory's tip is "in the picture". */
const MIN_TEXT_CHARS = 20;

export function checkWebsite(payload: Payload, ctx: RenderContext): ChannelProblem[] {
  const problems: ChannelProblem[] = [];
  const add = (p: Omit<ChannelProblem, 'channel'>): void => {
    problems.push({ channel: 'website', ...p });
  };
  const body = payload.body;
  if (!isSiteBody(body)) {
    add({ severity: 'error', rule: 'website-payload', message: channelMessages().websitePayload });
    return problems;
  }
  const reserved = reservedIdProblem(ctx.campaign);
  if (reserved) add(reserved);
  for (const advisory of ctx.advisories) {
    const { hast } = ctx.renderer.markdown(advisory.body, advisory.file);
    const images = collect(hast, 'img');
    for (const img of images) {
      const alt = String(img.properties?.alt ?? '').trim();
      if (!alt) {
        add({
          severity: 'error',
          rule: 'website-image-alt',
          file: advisory.file,
          line: img.position ? advisory.bodyLine + img.position.start.line - 1 : undefined,
          column: img.position?.start.column,
          message: channelMessages().websiteImageAlt,
        });
      }
    }
    if (advisory.image && !advisory.image_alt) {
      add({
        severity: 'error',
        rule: 'website-image-alt',
        file: advisory.file,
        line: 1,
        column: 1,
        field: 'image_alt',
        message: channelMessages().websiteFrontMatterAlt(advisory.image),
      });
    }
    const text = textOf(hast).replace(/\s+/g, '');
    if ((images.length > 0 || advisory.image) && text.length < MIN_TEXT_CHARS) {
      add({
        severity: 'error',
        rule: 'website-tip-in-image',
        file: advisory.file,
        line: advisory.bodyLine,
        column: 1,
        message: channelMessages().websiteTipInImage(text.length),
      });
    }
    // the sections CAP takes its <instruction> from (render/sections.ts decides which part is advice)
    const sections = body.advisories.find((a) => a.id === advisory.id)?.sections ?? [];
    if (!sections.some((section) => section.advice)) {
      add({
        severity: 'warning',
        rule: 'website-no-advice',
        file: advisory.file,
        line: advisory.bodyLine,
        column: 1,
        message: channelMessages().websiteNoAdvice,
      });
    }
  }
  return problems;
}

/** A campaign folder named like one of the site's own paths (`tags`, `feed.xml`, …): for `advisory check` and the preview build. */
export function reservedIdProblem(campaign: { id: string; file: string; year?: number | null }): Problem | null {
  if (!SITE_NAMES.includes(campaign.id)) return null;
  return {
    severity: 'error',
    rule: 'website-reserved-id',
    file: campaign.file,
    line: 1,
    column: 1,
    message: channelMessages().websiteReservedId(campaign.id, `${campaign.id}-${campaign.year ?? 'tips'}`),
  };
}

function collect(tree: Root | Element, tag: string, out: Element[] = []): Element[] {
  for (const node of tree.children as Array<RootContent | ElementContent>) {
    if (node.type !== 'element') continue;
    if (node.tagName === tag) out.push(node);
    collect(node, tag, out);
  }
  return out;
}
