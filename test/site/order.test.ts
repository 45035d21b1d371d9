import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/calendar/holidays.js';
import { archiveGroups, dated, homeOrder } from '../../src/channels/website/site/order.js';
import type { SiteEntry } from '../../src/channels/website/site/state.js';

function entry(id: string, holiday: string, year: number | null, date: string | null): SiteEntry {
  return {
    id, hash: id, deliveryKey: null, publishedAt: '2014-01-01T00:00:00Z', advisories: [],
    campaign: { id, title: id, summary: '', issuer: '章丘市公安局', contact: null, tags: [], holiday, year, date, url: `http://x/${id}/`, path: `${id}/`, expires: null },
  };
}

const entries = [
  entry('nd-2014', 'national-day', 2014, '2014-09-29T09:00+08:00'),
  entry('sf-2015', 'spring-festival', 2015, '2015-02-16T09:00+08:00'),
  entry('nd-evergreen', 'national-day', null, null),
];
const calendar = createCalendar();

describe('home order', () => {
  it('leads with the next holiday\'s campaign before it starts', () => {
    const now = new Date('2015-02-10T00:00:00Z');
    const { featured, when, rest } = homeOrder(dated(entries, calendar, now), now);
    expect(featured?.entry.id).toBe('sf-2015');
    expect(when).toMatch(/^即将到来：春节（2月18日至2月24日）$/);
    expect(rest.map((r) => r.entry.id)).toContain('nd-2014');
  });

  it('says "during" while the holiday runs, and moves an evergreen campaign to next year once its holiday is over', () => {
    const during = new Date('2015-02-20T04:00:00Z');
    expect(homeOrder(dated(entries, calendar, during), during).when).toMatch(/^春节期间/);
    const autumn = new Date('2015-09-20T00:00:00Z');
    const a = homeOrder(dated(entries, calendar, autumn), autumn);
    expect(a.featured?.entry.id).toBe('nd-evergreen');
    const late = new Date('2015-11-01T00:00:00Z');
    const evergreen = dated(entries, calendar, late).find((d) => d.entry.id === 'nd-evergreen')!;
    expect(evergreen.period?.year).toBe(2016);
  });

  it('archives by year (newest first), then holiday', () => {
    const groups = archiveGroups(dated(entries.slice(0, 2), calendar, new Date('2016-01-01T00:00:00Z')));
    expect(groups.map((g) => [g.year, g.holidays.map((h) => h.name)])).toEqual([[2015, ['春节']], [2014, ['国庆节']]]);
  });

  it('never leads with an expired campaign', () => {
    const expired = { ...entries[1], campaign: { ...entries[1].campaign, expires: '2015-02-01' } };
    const now = new Date('2015-02-10T00:00:00Z');
    expect(homeOrder(dated([entries[0], expired, entries[2]], calendar, now), now).featured?.entry.id).toBe('nd-evergreen');
  });
});
