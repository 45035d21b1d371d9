/**
 * CAP 1.2 (OASIS Common Alerting Protocol) for each published campaign, and an
 * Atom index of them, so alerting aggregators can pick the advisories up. The
 * alert says plainly that it is a public-safety advisory, not an official
 * warning: severity Minor, urgency Future, and a <note>.
 */
import type { SiteConfig } from '../../../config/channels.js';
import type { Calendar } from '../../../calendar/types.js';
import type { HolidayKey } from '../../../content/schema.js';
import { DEFAULT_TIMEZONE } from '../../../content/schema.js';
import { toEndInstant } from '../../../content/datetime.js';
import type { SiteAdvisory } from '../site-body.js';
import type { SiteEntry } from './state.js';
import { campaignUrl } from '../../../render/urls.js';
import { xmlEscape } from './feeds.js';
import { localDay } from './order.js';

export const CAP_NOTE = '公共安全防范提示，不是官方预警信息。';

export interface CapOptions {
  /** Preview builds say `Test`, the public site `Actual`. */
  status: 'Actual' | 'Test';
  /** The holiday calendar the site is built with: a campaign without `expires` ends with its holiday. */
  calendar: Calendar;
}

export function capIdentifier(site: SiteConfig, entry: SiteEntry): string {
  const stamp = capTime(entry.publishedAt).replace(/[^0-9]/g, '').slice(0, 14);
  return `${senderOf(site)}.${entry.id}.${stamp}`.replace(/[\s,<&]/g, '-');
}

/** `advisories` with their sections (from the published body): the advice becomes <instruction>. */
export function capXml(site: SiteConfig, entry: SiteEntry, advisories: SiteAdvisory[], options: CapOptions): string {
  const c = entry.campaign;
  const description = [c.summary, ...advisories.map((a, i) => `${i + 1}. ${a.title}：${a.summary}`)].join('\n');
  const advice = advisories
    .map((a) => ({ a, text: a.sections.filter((s) => s.advice).map((s) => s.text).join('\n') }))
    .filter((x) => x.text)
    .map((x) => `${x.a.title}：\n${x.text}`)
    .join('\n\n');
  const e = xmlEscape;
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${e(capIdentifier(site, entry))}</identifier>
  <sender>${e(senderOf(site))}</sender>
  <sent>${capTime(entry.publishedAt)}</sent>
  <status>${options.status}</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <note>${e(CAP_NOTE)}</note>
  <info>
    <language>zh-CN</language>
    <category>Security</category>
    <event>节日安全防范提示</event>
    <urgency>Future</urgency>
    <severity>Minor</severity>
    <certainty>Likely</certainty>
    <expires>${capExpires(entry, options.calendar)}</expires>
    <senderName>${e(c.issuer)}</senderName>
    <headline>${e(c.title)}</headline>
    <description>${e(description)}</description>
    <instruction>${e(advice)}</instruction>
    <web>${e(c.url)}</web>${c.contact ? `\n    <contact>${e(c.contact)}</contact>` : ''}
    <area>
      <areaDesc>${e(site.area)}</areaDesc>
    </area>
  </info>
</alert>
`;
}

/** Alerts an aggregator needs are the recent ones; each campaign keeps its cap.xml regardless. */
const CAP_INDEX_ENTRIES = 50;

/** Atom feed listing the newest campaigns' CAP files, newest first. */
export function capIndex(site: SiteConfig, entries: SiteEntry[]): string {
  const sorted = [...entries]
    .sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : a.id.localeCompare(b.id)))
    .slice(0, CAP_INDEX_ENTRIES);
  const updated = sorted.length ? new Date(sorted[0].publishedAt).toISOString() : new Date(0).toISOString();
  const e = xmlEscape;
  const items = sorted.map(
    (entry) => `  <entry>
    <id>urn:cap:${e(capIdentifier(site, entry))}</id>
    <title>${e(entry.campaign.title)}</title>
    <updated>${new Date(entry.publishedAt).toISOString()}</updated>
    <summary>${e(`${CAP_NOTE}${entry.campaign.summary}`)}</summary>
    <link rel="alternate" type="application/cap+xml" href="${e(`${campaignUrl(site, entry.campaign)}cap.xml`)}"/>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>${e(`${site.baseUrl}/cap/index.atom`)}</id>
  <title>${e(`${site.title}（CAP）`)}</title>
  <updated>${updated}</updated>
  <author><name>${e(site.issuer)}</name></author>
  <link rel="self" href="${e(`${site.baseUrl}/cap/index.atom`)}"/>
${items.join('\n')}
</feed>
`;
}

/** How long a campaign with neither `expires` nor a holiday is in force: a one-off bulletin's default window. */
const WITHOUT_END_MS = 24 * 3600_000;

/**
 * CAP <expires>: the end of the campaign's window. Its `expires` when written (a date: the whole day, China
 * time, as the site shows a campaign as past); else the end of its holiday's last day off (an evergreen
 * campaign's: the holiday it was published for, this year's or, once over, the next); else a day after it
 * was published, as a one-off bulletin's window without a holiday.
 */
export function capExpires(entry: SiteEntry, calendar: Calendar): string {
  const c = entry.campaign;
  const written = c.expires ? toEndInstant(c.expires, DEFAULT_TIMEZONE) : undefined;
  if (written !== undefined) return capTime(new Date(written).toISOString());
  const published = new Date(entry.publishedAt);
  const lastDayOff = c.holiday ? holidayEnd(calendar, c.holiday as HolidayKey, c.year, localDay(published)) : null;
  if (lastDayOff) return `${nextDay(lastDayOff)}T00:00:00+08:00`;
  return capTime(new Date(published.getTime() + WITHOUT_END_MS).toISOString());
}

/** The last day off (`YYYY-MM-DD`) of the campaign's holiday, or null when the calendar has no such period. */
function holidayEnd(calendar: Calendar, key: HolidayKey, year: number | null, publishedDay: string): string | null {
  const resolve = (y: number) => {
    try {
      return calendar.resolve(key, y);
    } catch {
      return null;
    }
  };
  if (year !== null) return resolve(year)?.end ?? null;
  const thisYear = Number(publishedDay.slice(0, 4));
  const period = resolve(thisYear);
  return (period && period.end >= publishedDay ? period : resolve(thisYear + 1))?.end ?? null;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** CAP dateTime: `2014-09-29T09:00:00+08:00` (CAP forbids `Z`). */
export function capTime(iso: string): string {
  const d = new Date(iso);
  const local = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

function senderOf(site: SiteConfig): string {
  try {
    return new URL(site.baseUrl).hostname;
  } catch {
    return 'advisory';
  }
}
