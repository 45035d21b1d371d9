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

/** chinese-days' English names (the first part of `'National Day,国庆节,3'`) and our Chinese names. */
export const HOLIDAY_NAMES: Readonly<Record<HolidayKey, { en: string; zh: string }>> = {
  'new-year': { en: "New Year's Day", zh: '元旦' },
  'spring-festival': { en: 'Spring Festival', zh: '春节' },
  qingming: { en: 'Tomb-sweeping Day', zh: '清明节' },
  'labour-day': { en: 'Labour Day', zh: '劳动节' },
  'dragon-boat': { en: 'Dragon Boat Festival', zh: '端午节' },
  'mid-autumn': { en: 'Mid-autumn Festival', zh: '中秋节' },
  'national-day': { en: 'National Day', zh: '国庆节' },
};
