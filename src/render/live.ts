/**
 * The daemon's renderer follows the templates on disk, as its campaigns follow
 * the content: `refresh()` (called each time the daemon re-reads the project)
 * rebuilds it when the templates hash changed. Without this, a template edited
 * while `advisory run` runs was approved under its new hash, but the daemon
 * kept rendering with the old templates and their old hash, so live
 * deliveries stayed held until a restart, and /preview/ showed old templates.
 */
import { createRenderer, type RendererOptions } from './create.js';
import { readTemplateFiles } from './template-files.js';
import type { Renderer } from './renderer.js';

export interface LiveRenderer extends Renderer {
  /** Re-reads the templates; rebuilds and returns true when they changed. A broken template throws and the previous renderer stays. */
  refresh(): boolean;
}

/**
 * Tolerant: a daemon started with a broken template still renders every other
 * channel (the broken channel's occurrences wait, with the file and line in
 * status). An edit that breaks a channel which rendered keeps the previous
 * templates (refresh throws the error); one that fixes it is taken.
 */
export function createLiveRenderer(root: string, options: Omit<RendererOptions, 'tolerant'> = {}): LiveRenderer {
  let current = createRenderer(root, { ...options, tolerant: true });
  let rejected: string | null = null;
  const brokenChannels = (r: Renderer) => new Set((r.templateErrors ?? []).map((e) => e.file.split('/')[1]));
  return {
    markdown: (source, file) => current.markdown(source, file),
    template: (channel, name, data) => current.template(channel, name, data),
    asset: (channel, name) => current.asset(channel, name),
    assetInfo: (channel, name) => current.assetInfo(channel, name),
    get templatesHash() {
      return current.templatesHash;
    },
    get templateErrors() {
      return current.templateErrors;
    },
    refresh() {
      const onDisk = readTemplateFiles(root).hash;
      // A broken edit is reported once, not on every look, until the files change again.
      if (onDisk === current.templatesHash || onDisk === rejected) return false;
      const next = createRenderer(root, { ...options, tolerant: true });
      const before = brokenChannels(current);
      const newlyBroken = (next.templateErrors ?? []).find((e) => !before.has(e.file.split('/')[1]));
      if (newlyBroken) {
        rejected = next.templatesHash;
        throw newlyBroken;
      }
      current = next;
      rejected = null;
      return true;
    },
  };
}
