/**
 * CAP 1.2 (OASIS Common Alerting Protocol) for each published campaign, and an
 * Atom index of them, so alerting aggregators can pick the advisories up. The
 * alert says plainly that it is a public-safety advisory, not an official
 * warning: severity Minor, urgency Future, and a <note>.
 */
import type { SiteConfig } from '../../../config/channels.js';
import type { SiteAdvisory } from '../site-body.js';
import type { SiteEntry } from './state.js';
import { campaignUrl } from '../../../render/urls.js';
import { xmlEscape } from './feeds.js';

export const CAP_NOTE = '公共安全防范提示，不是官方预警信息。';

export interface CapOptions {
  /** Preview builds say `Test`, the public site `Actual`. */
  status: 'Actual' | 'Test';
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
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${e(`${site.baseUrl}/cap/index.atom`)}</id>
  <title>${e(`${site.title}（CAP）`)}</title>
  <updated>${updated}</updated>
  <author><name>${e(site.issuer)}</name></author>
  <link rel="self" href="${e(`${site.baseUrl}/cap/index.atom`)}"/>
${items.join('\n')}
</feed>
`;
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
