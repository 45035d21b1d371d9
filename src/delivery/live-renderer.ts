/**
 * The daemon's renderer follows the templates on disk, as its campaigns follow
 * the content: `refresh()` (called each time the daemon re-reads the project)
 * rebuilds it when the templates hash changed. Without this, a template edited
 * while `advisory run` runs was approved under its new hash, but the daemon
 * kept rendering with the old templates and their old hash, so live
 * deliveries stayed held until a restart, and /preview/ showed old templates.
 */
import { createRenderer } from '../render/create.js';
import { readTemplateFiles } from '../render/template-files.js';
import type { Renderer } from '../render/renderer.js';

export interface LiveRenderer extends Renderer {
  /** Re-reads the templates; rebuilds and returns true when they changed. A broken template throws and the previous renderer stays. */
  refresh(): boolean;
}

export function createLiveRenderer(root: string): LiveRenderer {
  let current = createRenderer(root);
  return {
    markdown: (source, file) => current.markdown(source, file),
    template: (channel, name, data) => current.template(channel, name, data),
    asset: (channel, name) => current.asset(channel, name),
    assetInfo: (channel, name) => current.assetInfo(channel, name),
    get templatesHash() {
      return current.templatesHash;
    },
    refresh() {
      if (readTemplateFiles(root).hash === current.templatesHash) return false;
      current = createRenderer(root);
      return true;
    },
  };
}
