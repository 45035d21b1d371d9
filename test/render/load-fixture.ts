/**
 * Test helpers: the shipped campaigns through the real content loader, and a
 * minimal reader (front matter + Markdown, no validation) for scratch
 * campaigns that must reach the renderer exactly as written (XSS, limits).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadProject } from '../../src/content/load.js';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import type { Advisory, Campaign } from '../../src/content/model.js';
import { readYaml, topLevelPlaces } from '../../src/content/yaml-source.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export async function loadCampaigns(root = ROOT): Promise<Campaign[]> {
  return loadProject(root).campaigns;
}

export function readCampaign(root: string, id: string): Campaign {
  const dir = `advisories/${id}`;
  const absDir = join(root, dir);
  const data = parse(readFileSync(join(absDir, 'campaign.yaml'), 'utf8'));
  const files = readdirSync(absDir).filter((f) => f.endsWith('.md')).sort();
  const advisories: Advisory[] = files.map((f, index) => {
    const text = readFileSync(join(absDir, f), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n/.exec(text)!;
    const fm = parse(m[1]);
    // Key places and image hashes as the loader records them (front matter starts on line 2).
    const places = topLevelPlaces(readYaml(m[1], `${dir}/${f}`, 2));
    return {
      places,
      tags: [],
      ...fm,
      id: fm.id ?? f.replace(/^\d+-/, '').replace(/\.md$/, ''),
      file: `${dir}/${f}`,
      index,
      body: text.slice(m[0].length),
      bodyLine: m[0].split('\n').length,
      hash: createHash('sha256').update(text).digest('hex'),
    } as Advisory;
  });
  return {
    timezone: 'Asia/Shanghai',
    tags: [],
    ...data,
    schedule: (data.schedule ?? []).map((s: Record<string, unknown>) => ({ pick: 'all', ...s })),
    id,
    dir,
    absDir,
    file: `${dir}/campaign.yaml`,
    advisories,
    contentHash: 'test',
    places: topLevelPlaces(readYaml(readFileSync(join(absDir, 'campaign.yaml'), 'utf8'), `${dir}/campaign.yaml`)),
    assets: imageHashes(root, dir, [data.cover, ...advisories.map((a) => a.image)]),
  } as Campaign;
}

function imageHashes(root: string, dir: string, refs: unknown[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ref of refs) {
    if (typeof ref !== 'string') continue;
    const path = `${dir}/${ref.replace(/\\/g, '/')}`;
    if (existsSync(join(root, path))) out[path] = createHash('sha256').update(readFileSync(join(root, path))).digest('hex');
  }
  return out;
}
