/**
 * Where a front-matter key sits in its file, so a channel limit (an over-long
 * title) can point at the line to edit. A plain text search of the front
 * matter is enough: keys are top-level and unique (the loader enforces it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Advisory, Campaign } from '../content/model.js';

export interface Place {
  file: string;
  line?: number;
  column?: number;
}

/** Project root from a campaign's absolute and relative folder. */
export function projectRoot(campaign: Campaign): string {
  const abs = campaign.absDir.replace(/[\\/]+$/, '');
  return abs.endsWith(campaign.dir) ? abs.slice(0, abs.length - campaign.dir.length) : abs;
}

export function keyPlace(campaign: Campaign, file: string, key: string, endLine?: number): Place {
  let text: string;
  try {
    text = readFileSync(join(projectRoot(campaign), file), 'utf8');
  } catch {
    return { file };
  }
  const lines = text.split(/\r?\n/);
  const limit = endLine ?? lines.length;
  const pattern = new RegExp(`^${key}\\s*:`);
  for (let i = 0; i < Math.min(limit, lines.length); i++) {
    if (pattern.test(lines[i])) return { file, line: i + 1, column: 1 };
  }
  return { file };
}

export function advisoryKeyPlace(campaign: Campaign, advisory: Advisory, key: string): Place {
  return keyPlace(campaign, advisory.file, key, advisory.bodyLine);
}

export function campaignKeyPlace(campaign: Campaign, key: string): Place {
  return keyPlace(campaign, campaign.file, key);
}
