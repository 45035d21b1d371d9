/** The holidays the calendar knows, by key: what a campaign's `holiday:` names. The calendar owns them; content imports them. */
export const HOLIDAY_KEYS = [
  'new-year',
  'spring-festival',
  'qingming',
  'labour-day',
  'dragon-boat',
  'mid-autumn',
  'national-day',
] as const;
export type HolidayKey = (typeof HOLIDAY_KEYS)[number];
