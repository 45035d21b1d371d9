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
  /** Where each front-matter key is written (lines of `file`), so a channel limit can point at the line to edit. */
  places: Readonly<Record<string, KeyPlace>>;
}

/** A key's place in its file (1-based). */
export interface KeyPlace {
  line: number;
  column: number;
}

export interface Campaign extends Omit<CampaignData, 'schedule'> {
  /**
   * Stable id, in web addresses and delivery keys: campaign.yaml's `id`, else the folder's name, in pinyin
   * when it is written in Chinese (`2027-春节` → `2027-chun-jie`).
   */
  id: string;
  /** The folder's name under `advisories/`, e.g. `2014-national-day` or `2027-春节` (what `only` and the caches key by). */
  folder: string;
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
  /** Where each top-level key of campaign.yaml is written. */
  places: Readonly<Record<string, KeyPlace>>;
  /**
   * sha256 of every image the content references (the cover, each advisory's
   * image), by project-relative path: the bytes the loader read and hashed into
   * `contentHash`, so a payload names exactly what was approved and nothing
   * re-reads them.
   */
  assets: Readonly<Record<string, string>>;
}

export type { ChannelName, HolidayKey, ScheduleEntry };
