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
import { countRuleFrom, weiboLength } from '../channels/weibo/count.js';
import type { WechatArticle } from '../channels/wechat/rendition.js';
import { wechatLimits } from '../channels/wechat/limits.js';
import { resolveProjectFile } from '../render/template-files.js';
import { formatProblem, type Problem } from '../errors.js';
import { DEFAULT_RECIPIENT_NAME, personalize, type EmailBody } from '../channels/email/personalize.js';

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
  const json: CampaignPreview[] = [];
  const views: unknown[] = [];
  for (const campaign of campaigns) {
    const result: CampaignPreview = { campaign: campaign.id, channels: { website: [], wechat: [], weibo: [], email: [] }, problems: [] };
    const shown: Record<ChannelName, unknown[]> = { website: [], wechat: [], weibo: [], email: [] };
    const seen = new Set<string>();
    for (const { channel, schedule, ctx } of plannedRenditions(campaign, env, { includeUnscheduled: true })) {
      const rendition = RENDITIONS[channel];
      for (const payload of rendition.render(ctx)) {
        const { preview, ...sent } = payload;
        const n = result.channels[channel].length;
        result.channels[channel].push({ ...sent, schedule });
        addUnique(result.problems, seen, rendition.check(payload, ctx));
        const base = `${campaign.id}/${channel}-${n + 1}`;
        const label = schedule ?? '未排期 / not scheduled';
        if (channel === 'wechat') shown.wechat.push(wechatView(root, payload, base, label, files, renderer, cfg.wechat));
        if (channel === 'weibo') shown.weibo.push(weiboView(root, payload, base, label, files, cfg.weibo));
        if (channel === 'email') {
          // As a subscriber without a name sees it: the placeholders filled as at send time.
          const sample = personalize(payload.body as unknown as EmailBody, {}, '#unsubscribe');
          files.set(`${base}.html`, sample.html);
          shown.email.push({ subject: payload.body.subject, preheader: payload.body.preheader, text: sample.text, src: `${base}.html`, sampleName: DEFAULT_RECIPIENT_NAME, schedule: label });
        }
        if (channel === 'website') {
          const page = preview?.html ?? `<pre>${escapeHtml(JSON.stringify(sent.body, null, 2))}</pre>`;
          files.set(`${base}.html`, localSiteAssets(page, renderer));
          shown.website.push({ label: payload.label, src: `${base}.html` });
        }
      }
    }
    const problems = result.problems.map((p) => ({ ...p, place: p.file ? `${p.file}${p.line ? `:${p.line}` : ''}` : null }));
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    json.push(result);
    views.push({ id: campaign.id, title: campaign.title, ...shown, problems, errors, warnings: result.problems.length - errors });
  }
  const contentErrors = (options.contentProblems ?? []).filter((p) => p.severity === 'error').map((p) => ({ line: formatProblem(p) }));
  files.set(
    'index.html',
    renderer.template('preview', 'index', { site: env.site, css: renderer.asset('preview', 'style.css'), campaigns: views, contentErrors }),
  );
  files.set('payloads.json', `${JSON.stringify(json, null, 2)}\n`);
  return { files, json };
}

function wechatView(
  root: string,
  payload: Payload,
  base: string,
  schedule: string,
  files: Map<string, string | Buffer>,
  renderer: Renderer,
  config: ChannelConfig,
): unknown {
  const limits = wechatLimits(config.settings);
  const count = (value: string, max: number) => ({ n: [...value].length, max, over: [...value].length > max });
  const list = payload.body.articles as WechatArticle[];
  const articles = list.map((a, i) => {
    const src = `${base}-${i + 1}.html`;
    files.set(src, renderer.template('preview', 'frame', { title: a.title, content: a.content }));
    return {
      title: a.title, author: a.author, digest: a.digest, src, number: i + 1, total: list.length,
      counts: { title: count(a.title, limits.titleMax), author: count(a.author, limits.authorMax), digest: count(a.digest, limits.digestMax) },
    };
  });
  const cover = payload.assets?.find((x) => x.role === 'cover');
  return { schedule, articles, cover: cover ? copyAsset(root, cover.path, base, files) : '' };
}

function weiboView(root: string, payload: Payload, base: string, schedule: string, files: Map<string, string | Buffer>, config: ChannelConfig): unknown {
  const rule = countRuleFrom(config.settings);
  const status = String(payload.body.status);
  const pic = payload.assets?.find((x) => x.role === 'pic');
  const length = weiboLength(status, rule);
  const state = length > rule.maxChars ? 'over' : length > rule.targetChars ? 'near' : 'ok';
  return { schedule, status, length, max: rule.maxChars, target: rule.targetChars, state, pic: pic ? copyAsset(root, pic.path, base, files) : null };
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

/**
 * Site pages link their style sheet at the site root (`/assets/style.css`),
 * which a sandboxed preview frame opened from disk cannot load: the preview's
 * copy carries the sheet inline instead. Only the preview document changes,
 * never the payload.
 */
function localSiteAssets(html: string, renderer: Renderer): string {
  return html.replace(/<link\b[^>]*\bhref="(?:\/[^"]*)?\/assets\/([\w.-]+\.css)"[^>]*>/g, (whole, name: string) => {
    try {
      return `<style>${renderer.asset('website', `assets/${name}`).replace(/<\//g, '<\\/')}</style>`;
    } catch {
      return whole;
    }
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
