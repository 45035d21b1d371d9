/**
 * Where a key is written, so a channel limit (an over-long title) can point at
 * the line to edit. The content loader recorded every top-level key's place
 * when it parsed the file: nothing is read again here.
 */
import type { Advisory, Campaign } from '../content/model.js';

export interface Place {
  file: string;
  line?: number;
  column?: number;
}

export function advisoryKeyPlace(_campaign: Campaign, advisory: Advisory, key: string): Place {
  const at = advisory.places?.[key];
  return at ? { file: advisory.file, line: at.line, column: 1 } : { file: advisory.file };
}

export function campaignKeyPlace(campaign: Campaign, key: string): Place {
  const at = campaign.places?.[key];
  return at ? { file: campaign.file, line: at.line, column: 1 } : { file: campaign.file };
}
