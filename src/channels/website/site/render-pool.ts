/**
 * Loads and renders many campaigns' website payloads, in parallel when there
 * are many: the campaign folders are split into contiguous slices, the calling
 * thread renders the first one and a worker thread (render-worker.ts) each of
 * the others, every one with its own renderer. Loading and validating content
 * and rendering Markdown are pure per campaign, so the result is the same as
 * one thread's (campaigns in folder order), only sooner. Used by the preview
 * build (`advisory build --preview`), which renders every campaign at once.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SiteConfig } from '../../../config/channels.js';
import { listCampaigns, loadProject, projectSettings, type ProjectSettings } from '../../../content/load.js';
import type { Problem } from '../../../errors.js';
import { channelRenderer } from '../../template-helpers.js';
import type { Renderer } from '../../../render/renderer.js';
import { renderSitePayload } from '../rendition.js';
import type { SiteRenderOptions } from '../chrome.js';
import type { SiteBody } from '../site-body.js';

/**
 * Below this many campaign folders one thread is used. A worker costs ≈ 0.3 s
 * to start and a second copy of every module and cache; once Markdown and
 * front matter of plain advisories were read without micromark and yaml's
 * parser (render/simple-markdown.ts, content/simple-yaml.ts), one thread does
 * a 10,000-advisory build in 3.6 s of CPU and 252 MiB, two threads in 4.9 s of
 * CPU and 325 MiB (measured on these 2 cores, 2 December 2026): the second
 * thread is worth its memory only past about 20,000 advisories.
 */
export const PARALLEL_FROM_CAMPAIGNS = 2000;

export interface RenderJob {
  root: string;
  site: SiteConfig;
  options: SiteRenderOptions;
  /** For content warnings that depend on the date ("expired"). */
  now?: Date;
}

export interface RenderedCampaign {
  id: string;
  /** Its folder under advisories/ (the id unless named in Chinese or given an id: in campaign.yaml). */
  folder: string;
  /** The campaign's campaign.yaml, project-relative (for problems). */
  file: string;
  body: SiteBody;
}

export interface RenderedSlice {
  campaigns: RenderedCampaign[];
  problems: Problem[];
}

/**
 * Loads and renders the campaigns in `ids` (all when undefined) in this thread;
 * `folderProblems` adds those of the advisories/ folder itself (see loadProject).
 */
export function renderSlice(job: RenderJob, ids?: string[], renderer: Renderer = channelRenderer(job.root), folderProblems = false, settings?: ProjectSettings): RenderedSlice {
  const { campaigns, problems } = loadProject(job.root, { ...(ids ? { only: ids, folderProblems } : {}), ...(job.now ? { now: job.now } : {}) }, settings);
  return {
    problems,
    campaigns: campaigns.map((campaign) => ({
      id: campaign.id,
      folder: campaign.folder,
      file: campaign.file,
      body: renderSitePayload({ campaign, advisories: campaign.advisories, renderer, site: job.site }, job.options).body as unknown as SiteBody,
    })),
  };
}

// Run from source (tsx, vitest) the worker is TypeScript too, loaded through tsx's loader.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = new URL(FROM_SOURCE ? './render-worker.ts' : './render-worker.js', import.meta.url);

/**
 * Every valid campaign's site body (of `ids`: all when absent), in folder order, and
 * every content problem, those of the advisories/ folder itself included.
 * `threads` defaults to the machine's cores (at most 4), used from
 * PARALLEL_FROM_CAMPAIGNS campaign folders on. The folders are handed out in
 * small chunks to whichever thread is free (this one included), so a worker
 * that starts late or a busy core does not hold the others up.
 */
export async function renderAll(
  job: RenderJob,
  opts: { renderer?: Renderer; threads?: number; ids?: string[]; onCampaign?: (c: RenderedCampaign) => void } = {},
): Promise<RenderedSlice> {
  const ids = opts.ids ?? listCampaigns(job.root);
  const threads = Math.max(1, Math.min(opts.threads ?? Math.min(availableParallelism(), 4), ids.length));
  const workerFile = fileURLToPath(WORKER);
  const single = threads === 1 || (opts.threads === undefined && ids.length < PARALLEL_FROM_CAMPAIGNS) || !existsSync(workerFile);
  if (single && !opts.onCampaign) return renderSlice(job, opts.ids, opts.renderer, true);
  const chunks = split(ids, Math.max(5, Math.ceil(ids.length / (threads * 16))));
  const results: RenderedSlice[] = new Array(chunks.length);
  // With onCampaign, each campaign is handed over as soon as it is rendered and not kept here:
  // a large build then holds a few chunks' pages at a time, not every page of the site.
  const take = (i: number, slice: RenderedSlice) => {
    if (opts.onCampaign) {
      for (const c of slice.campaigns) opts.onCampaign(c);
      results[i] = { problems: slice.problems, campaigns: [] };
    } else results[i] = slice;
  };
  // the next chunk to render, shared by all threads: a free thread takes one without asking anyone
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const workers = single ? [] : Array.from({ length: threads - 1 }, () => runWorker(workerFile, job, chunks, counter, take));
  try {
    const renderer = opts.renderer ?? channelRenderer(job.root);
    // the calendar files and the channels' intervals are read once for every chunk of this thread
    const settings = projectSettings(job.root);
    for (let i = Atomics.add(counter, 0, 1); i < chunks.length; i = Atomics.add(counter, 0, 1)) {
      // the first chunk also reports what is wrong in the advisories/ folder itself (stray files, links), and the settings' problems
      take(i, renderSlice(job, chunks[i], renderer, i === 0, settings));
      // let the workers' finished chunks in between this thread's, so their pages are not all held till the end
      if (workers.length > 0 && opts.onCampaign) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (chunks.length === 0) take(0, renderSlice(job, [], renderer, true, settings)); // no campaign: the folder's own problems
  } finally {
    Atomics.store(counter, 0, chunks.length); // on an error: nobody takes another chunk
    await Promise.allSettled(workers);
  }
  await Promise.all(workers); // a worker's error
  // a symbolic link in advisories/ is reported by every chunk: once is enough
  const seen = new Set<string>();
  const problems = results.flatMap((r) => r?.problems ?? []).filter((p) => {
    const key = JSON.stringify(p);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { campaigns: results.flatMap((r) => r?.campaigns ?? []), problems };
}

function split<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One worker: renders chunk after chunk (taken from `counter`) until none is left, each result stored at its index. */
function runWorker(file: string, job: RenderJob, chunks: string[][], counter: Int32Array, take: (index: number, slice: RenderedSlice) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const data = { workerData: { job, chunks, counter } };
    const worker = FROM_SOURCE
      ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`, { ...data, eval: true })
      : new Worker(file, data);
    let done = false;
    let failed = false;
    worker.on('message', (m: { index: number; result: RenderedSlice } | { done: true } | { error: string }) => {
      if ('index' in m) take(m.index, m.result);
      else if ('done' in m) done = true;
      else {
        failed = true;
        reject(new Error(m.error));
      }
    });
    worker.once('error', (err) => {
      failed = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (failed) return;
      if (done) resolve();
      else reject(new Error(`the render worker stopped (exit code ${code}) before it had finished`));
    });
  });
}
