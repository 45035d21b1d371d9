/**
 * Test helpers: the shipped campaigns through the real content loader, and a
 * minimal reader (front matter + Markdown, no validation) for scratch
 * campaigns that must reach the renderer exactly as written (XSS, limits).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadProject } from '../../src/content/load.js';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Advisory, Campaign } from '../../src/content/model.js';

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
    return {
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
  } as Campaign;
}
