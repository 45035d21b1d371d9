/**
 * The single source of truth for the content format: TypeScript types, runtime
 * validation and the JSON Schema under `schema/` are all derived from these
 * definitions. Semantic checks that need more than a shape (is the cron
 * expression valid? is the time zone known? does a file exist?) live in
 * content/validate.ts and report through the same Problem list.
 */
import { z } from 'zod';
import { HOLIDAY_KEYS, type HolidayKey } from '../calendar/keys.js';
import { CHANNEL_NAMES, type ChannelName } from '../config/channel-names.js';
import { yamlMessages } from '../i18n/messages-yaml.js';

export { HOLIDAY_KEYS, CHANNEL_NAMES, type HolidayKey, type ChannelName };

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** Campaign folder names, advisory ids and schedule names: they are parts of web addresses and delivery keys. */
export const SLUG = /^[a-z0-9][a-z0-9-]*$/;

/** `2014-09-29T09:00+08:00`, `2014-09-29T09:00:00`, `2014-09-29 09:00` (read in the campaign's zone when no offset). */
export const LOCAL_OR_OFFSET_DATETIME =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** `-2d`, `+1d`, `0d`, `-12h` relative to the holiday's first day off. */
export const HOLIDAY_OFFSET = /^[+-]?\d{1,3}[dh]$/;
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
/** `6h`, `90m`, `2d`, or `holiday` (until the holiday's last day off ends). */
export const WINDOW = /^(\d{1,4}[mhd]|holiday)$/;

/** A reason in the reader's language, chosen when a value is checked (not when this module loads). */
type Reasons = ReturnType<typeof yamlMessages>;
const says = (key: { [K in keyof Reasons]: Reasons[K] extends string ? K : never }[keyof Reasons]) => ({ error: () => yamlMessages()[key] });

/**
 * Length limits count characters as people do (an emoji is one), which is also
 * how JSON Schema's maxLength counts; zod's own .max() would count UTF-16 units.
 */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, says('mustNotBeEmpty'))
    .refine((s) => [...s].length <= max, { error: () => yamlMessages().atMostChars(max), params: { rule: 'too-long', maximum: max } })
    .meta({ maxLength: max });

/** Dates may arrive from YAML as strings; `yaml` is parsed with the core schema, so they stay strings. */
const dateTimeString = z
  .string()
  .regex(LOCAL_OR_OFFSET_DATETIME, says('expectDateTime'));
const dateOrDateTime = z
  .string()
  .refine((s) => DATE_ONLY.test(s) || LOCAL_OR_OFFSET_DATETIME.test(s), says('expectDateOrDateTime'));

export const RelativeAtSchema = z.strictObject({
  holiday: z.string().regex(HOLIDAY_OFFSET, says('expectHolidayOffset')),
  time: z
    .string()
    .refine((t) => !/：/.test(t), { ...says('timeFullWidthColon'), abort: true })
    .regex(TIME_OF_DAY, says('expectTime'))
    .default('09:00'),
});

export const ScheduleEntrySchema = z
  .strictObject({
    name: z.string().regex(SLUG, says('expectScheduleName')),
    channels: z.array(z.enum(CHANNEL_NAMES)).min(1, says('needChannel')),
    at: z.union([dateTimeString, RelativeAtSchema]).optional(),
    cron: z.string().optional(),
    timezone: z.string().optional(),
    during: z.literal('holiday').optional(),
    from: dateOrDateTime.optional(),
    until: dateOrDateTime.optional(),
    pick: z.enum(['all', 'rotate']).default('all'),
    /** Which advisories (by id) this schedule carries; default: all of them, in file order. */
    advisories: z.array(z.string()).min(1, says('needAdvisory')).optional(),
    /** How long after its due time a missed firing may still be sent (catch-up after downtime). */
    window: z.string().regex(WINDOW, says('expectWindow')).optional(),
  })
  .describe('One schedule: either `at` (once) or `cron` (repeating).');

export const CampaignSchema = z.strictObject({
  title: text(64),
  issuer: text(64),
  author: text(32).optional(),
  holiday: z.enum(HOLIDAY_KEYS).optional(),
  year: z.number().int().min(2000).max(2099).optional(),
  summary: text(500),
  cover: z.string().optional(),
  timezone: z.string().default(DEFAULT_TIMEZONE),
  tags: z.array(z.string().min(1)).default([]),
  contact: text(64).optional(),
  /** In force from this date: nothing is scheduled before it (an evergreen campaign does not fire in years before it was written). */
  starts: dateOrDateTime.optional(),
  /** After this date the campaign is archived: nothing is scheduled and the site marks it as past. */
  expires: dateOrDateTime.optional(),
  schedule: z.array(ScheduleEntrySchema).default([]),
  /** The campaign's id in web addresses and delivery keys; default: the folder's name (its pinyin when written in Chinese). */
  id: z.string().regex(SLUG, 'expected lower-case letters, digits and dashes, like 2027-spring-festival').optional(),
});

export const AdvisoryFrontMatterSchema = z.strictObject({
  title: text(64),
  summary: text(300),
  /** Stable id used in URLs and delivery keys; default: the file name without its number prefix. */
  id: z.string().regex(SLUG, says('expectAdvisoryId')).optional(),
  tags: z.array(z.string().min(1)).default([]),
  author: text(32).optional(),
  image: z.string().optional(),
  image_alt: text(200).optional(),
  expires: dateOrDateTime.optional(),
});

export type CampaignInput = z.input<typeof CampaignSchema>;
export type CampaignData = z.output<typeof CampaignSchema>;
export type ScheduleEntry = z.output<typeof ScheduleEntrySchema>;
export type RelativeAt = z.output<typeof RelativeAtSchema>;
export type AdvisoryFrontMatter = z.output<typeof AdvisoryFrontMatterSchema>;

/** JSON Schemas for editors (written to `schema/` by `advisory schema --write`). */
export function jsonSchemas(): { campaign: unknown; advisory: unknown } {
  return {
    campaign: z.toJSONSchema(CampaignSchema, { io: 'input' }),
    advisory: z.toJSONSchema(AdvisoryFrontMatterSchema, { io: 'input' }),
  };
}
