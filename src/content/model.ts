/**
 * The loaded, validated content as the rest of the pipeline sees it.
 * Produced by content/load.ts; everything downstream (render, plan, delivery)
 * takes these plain objects and never reads content files itself.
 */
import type { AdvisoryFrontMatter, CampaignData, ChannelName, HolidayKey, ScheduleEntry } from './schema.js';

export interface Advisory extends AdvisoryFrontMatter {
  /** Stable id: front matter `id`, else the file name without `NN-` prefix and `.md`. */
  id: string;
  /** Path relative to the project root, with `/` separators (for messages). */
  file: string;
  /** Position in the campaign (0-based, file-name order). */
  index: number;
  /** The Markdown body (untrusted), without front matter. */
  body: string;
  /** 1-based line in `file` where the body starts (to map Markdown positions back). */
  bodyLine: number;
  /** sha256 of the file's bytes. */
  hash: string;
}

export interface Campaign extends Omit<CampaignData, 'schedule'> {
  /** The folder name under `advisories/`, e.g. `2014-national-day`. */
  id: string;
  /** Folder relative to the project root, e.g. `advisories/2014-national-day`. */
  dir: string;
  /** Absolute path of the folder (for reading images). */
  absDir: string;
  /** `advisories/<id>/campaign.yaml`. */
  file: string;
  schedule: ScheduleEntry[];
  advisories: Advisory[];
  /** sha256 over campaign.yaml, every advisory and every referenced image, in a fixed order. */
  contentHash: string;
}

export type { ChannelName, HolidayKey, ScheduleEntry };
