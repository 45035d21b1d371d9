/**
 * The helpers channels give templates, registered on every renderer that
 * renders channel templates: each channel keeps its own in `<name>/helpers.ts`
 * and is listed here once. The render core knows none of them.
 */
import { createRenderer, type RendererOptions } from '../render/create.js';
import type { Renderer } from '../render/renderer.js';
import { helpers as weibo } from './weibo/helpers.js';

export const CHANNEL_HELPERS: Readonly<Record<string, (...args: never[]) => unknown>> = Object.freeze({ ...weibo });

/** A renderer with the channels' helpers: what renders channel templates everywhere (runtime, check, site builds). */
export function channelRenderer(root: string, options: Omit<RendererOptions, 'helpers'> = {}): Renderer {
  return createRenderer(root, { ...options, helpers: CHANNEL_HELPERS });
}
