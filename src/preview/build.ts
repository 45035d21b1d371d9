/**
 * The preview: every channel's rendition of each campaign, rendered by the same
 * functions delivery uses (channels/renditions.ts), as data (`json`) and as a
 * set of files (`index.html` plus one framed document per article, message and
 * page). Pure but for reading channel configs and images: the CLI writes the
 * files to var/preview/, the daemon serves them from memory under /preview/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Campaign } from '../content/model.js';
import type { ChannelName } from '../content/schema.js';
import { loadAllChannelConfigs, siteConfig, type ChannelConfig } from '../config/channels.js';
import type { Renderer } from '../render/renderer.js';
import type { ChannelProblem, Payload } from '../channels/channel.js';
import { addUnique, plannedRenditions, RENDITIONS, type RenditionEnv } from '../channels/renditions.js';
import { channelDefinition } from '../channels/registry.js';
import { resolveProjectFile } from '../render/template-files.js';
import { formatProblem, type Problem } from '../errors.js';
import { lang, type Lang } from '../i18n/index.js';
import { previewCounts, previewLabels } from '../i18n/messages-preview.js';

/** A payload as it would be sent (no preview copy), with the schedule that sends it. */
export type PreviewPayload = Omit<Payload, 'preview'> & { schedule: string | null };

export interface CampaignPreview {
  campaign: string;
  channels: Record<ChannelName, PreviewPayload[]>;
  problems: ChannelProblem[];
}

export interface PreviewBuild {
  /** Relative path → content (HTML text, or image bytes). */
  files: Map<string, string | Buffer>;
  /** One object per campaign. */
  json: CampaignPreview[];
}

export interface PreviewOptions {
  /**
   * The content loader's problems (loadProject().problems). Their errors are
   * listed at the top of the page, so a campaign that could not be previewed
   * at all is not silently missing from it.
   */
  contentProblems?: Problem[];
  /** The page's language (its labels and html lang): the reader's, e.g. the staff console's; default the process's. */
  lang?: Lang;
}

export function buildPreview(
  root: string,
  campaigns: Campaign[],
  renderer: Renderer,
  configs?: Record<ChannelName, ChannelConfig>,
  options: PreviewOptions = {},
): PreviewBuild {
  const cfg = configs ?? loadAllChannelConfigs(root);
  const env: RenditionEnv = { renderer, configs: cfg, site: siteConfig(cfg.website) };
  const files = new Map<string, string | Buffer>();
  const t = previewLabels(options.lang);
  const counts = previewCounts(options.lang);
  const json: CampaignPreview[] = [];
  const views: unknown[] = [];
  for (const campaign of campaigns) {
    const result: CampaignPreview = { campaign: campaign.id, channels: { website: [], wechat: [], weibo: [], email: [] }, problems: [] };
    const shown: Record<ChannelName, unknown[]> = { website: [], wechat: [], weibo: [], email: [] };
    const seen = new Set<string>();
    for (const { channel, schedule, ctx } of plannedRenditions(campaign, env, { includeUnscheduled: true })) {
      const rendition = RENDITIONS[channel];
      for (const payload of rendition.render(ctx)) {
        const { preview: _preview, ...sent } = payload;
        const n = result.channels[channel].length;
        result.channels[channel].push({ ...sent, schedule });
        addUnique(result.problems, seen, rendition.check(payload, ctx));
        const base = `${campaign.id}/${channel}-${n + 1}`;
        shown[channel].push(channelDefinition(channel).preview(payload, {
          root, renderer, config: cfg[channel], base, files, schedule: schedule ?? t.unscheduled,
          copyAsset: (path) => copyAsset(root, path, base, files),
        }));
      }
    }
    const problems = result.problems.map((p) => ({ ...p, place: p.file ? `${p.file}${p.line ? `:${p.line}` : ''}` : null }));
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    json.push(result);
    const warnings = result.problems.length - errors;
    views.push({
      id: campaign.id, title: campaign.title, ...shown, problems, errors, warnings,
      errorsBadge: counts.errors(errors), warningsBadge: counts.warnings(warnings),
      problemsHeading: errors ? counts.errorsHeading(errors, warnings) : counts.warningsHeading(warnings),
    });
  }
  const contentErrors = (options.contentProblems ?? []).filter((p) => p.severity === 'error').map((p) => ({ line: formatProblem(p) }));
  files.set(
    'index.html',
    renderer.template('preview', 'index', { t, htmlLang: options.lang ?? lang(), site: env.site, css: renderer.asset('preview', 'style.css'), campaigns: views, contentErrors }),
  );
  files.set('payloads.json', `${JSON.stringify(json, null, 2)}\n`);
  return { files, json };
}

/** Copies an image next to the preview (relative link), returning its preview path. */
function copyAsset(root: string, path: string, base: string, files: Map<string, string | Buffer>): string {
  const name = `${base.slice(0, base.indexOf('/'))}/assets/${path.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
  if (!files.has(name)) {
    try {
      files.set(name, readFileSync(resolveProjectFile(root, path)));
    } catch {
      return path;
    }
  }
  return name;
}
