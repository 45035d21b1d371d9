/**
 * CAP <info><expires>: the end of the campaign's window (issue 14), in CAP's date-time form with its offset,
 * like <sent>: `expires` when written, else the end of the holiday's last day off, else a day after sending.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { createCalendar } from '../../src/calendar/holidays.js';
import { capExpires } from '../../src/channels/website/site/cap.js';
import { folderHash } from '../../src/channels/website/site/build.js';
import { publicOptions } from '../../src/channels/website/chrome.js';
import type { Calendar } from '../../src/calendar/types.js';
import type { SiteEntry } from '../../src/channels/website/site/state.js';
import type { SiteCampaign } from '../../src/channels/website/site-body.js';
import { campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';

const calendar = createCalendar();

function entry(campaign: Partial<SiteCampaign>, publishedAt: string): SiteEntry {
  return {
    id: 'c', hash: 'h', deliveryKey: null, publishedAt, advisories: [],
    campaign: { id: 'c', title: 't', summary: 's', issuer: 'i', contact: null, tags: [], holiday: null, year: null, date: null, url: 'u', path: 'c/', expires: null, ...campaign },
  };
}

describe('capExpires', () => {
  it('a written date expires at the end of that day, China time', () => {
    expect(capExpires(entry({ holiday: 'national-day', year: 2014, expires: '2014-10-31' }, '2014-09-29T01:00:00Z'), calendar)).toBe('2014-11-01T00:00:00+08:00');
  });

  it('a written date and time is that moment, in +08:00', () => {
    expect(capExpires(entry({ expires: '2014-10-07T18:00+08:00' }, '2014-09-29T01:00:00Z'), calendar)).toBe('2014-10-07T18:00:00+08:00');
    expect(capExpires(entry({ expires: '2014-10-07T10:00Z' }, '2014-09-29T01:00:00Z'), calendar)).toBe('2014-10-07T18:00:00+08:00');
  });

  it('without expires: the end of the holiday’s last day off (2014 National Day: 1–7 October)', () => {
    expect(capExpires(entry({ holiday: 'national-day', year: 2014 }, '2014-09-29T01:00:00Z'), calendar)).toBe('2014-10-08T00:00:00+08:00');
    // 2014 Dragon Boat: 31 May–2 June (the weekend joins the day off)
    expect(capExpires(entry({ holiday: 'dragon-boat', year: 2014 }, '2014-05-30T01:00:00Z'), calendar)).toBe('2014-06-03T00:00:00+08:00');
  });

  it('an evergreen campaign ends with the holiday it was published for: this year’s, or the next once it is over', () => {
    const end = (year: number) => `${calendar.resolve('national-day', year).end}`;
    const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(capExpires(entry({ holiday: 'national-day' }, '2025-09-28T01:00:00Z'), calendar)).toBe(`${dayAfter(end(2025))}T00:00:00+08:00`);
    expect(capExpires(entry({ holiday: 'national-day' }, '2025-11-01T01:00:00Z'), calendar)).toBe(`${dayAfter(end(2026))}T00:00:00+08:00`);
  });

  it('neither expires nor a holiday: a day after it was sent (a one-off bulletin’s window)', () => {
    expect(capExpires(entry({}, '2014-09-29T01:00:00Z'), calendar)).toBe('2014-09-30T09:00:00+08:00');
  });
});

describe('a published campaign’s cap.xml', () => {
  it('has <expires> after <certainty>, in the form of <sent>', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    await publish(renderWebsite(campaignById(root, 'alpha-2014'), root), varDir, '2014-09-29T01:00:00Z', 'alpha/1', root);
    const text = readFileSync(join(varDir, 'site/alpha-2014/cap.xml'), 'utf8');
    const alert = new XMLParser().parse(text).alert;
    expect(alert.sent).toBe('2014-09-29T09:00:00+08:00');
    expect(alert.info.expires).toBe('2014-10-08T00:00:00+08:00');
    expect(alert.info.expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    // CAP 1.2 orders <info>'s elements: … certainty, audience, eventCode, effective, onset, expires, senderName …
    expect(text.indexOf('<certainty>')).toBeLessThan(text.indexOf('<expires>'));
    expect(text.indexOf('<expires>')).toBeLessThan(text.indexOf('<senderName>'));
  });
});

describe('the campaign folder’s name', () => {
  it('changes when the calendar moves the holiday’s end (its cap.xml changes): a deployed folder is never rewritten in place', () => {
    const site = { baseUrl: 'http://127.0.0.1:4321', area: 'a', issuer: 'i', title: 't' } as Parameters<typeof folderHash>[0];
    const e = entry({ holiday: 'national-day', year: 2014 }, '2014-09-29T01:00:00Z');
    const longer: Calendar = { ...calendar, resolve: (key, year) => ({ ...calendar.resolve(key, year), end: '2014-10-09' }) };
    expect(capExpires(e, longer)).toBe('2014-10-10T00:00:00+08:00');
    expect(folderHash(site, publicOptions(site), e, longer)).not.toBe(folderHash(site, publicOptions(site), e, calendar));
    expect(folderHash(site, publicOptions(site), e, calendar)).toBe(folderHash(site, publicOptions(site), e, createCalendar()));
  });
});
