/**
 * A campaign folder named in Chinese (advisories/2027-春节/) gets its id in pinyin (2027-chun-jie), as an
 * advisory file named in Chinese does; campaign.yaml's id: wins; two folders may not end up with one id.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignFolderOf, campaignIds, folderId, loadProject } from '../../src/content/load.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

const CAMPAIGN = 'title: 春节安全防范\nissuer: 章丘市公安局\nsummary: 春节将至，请注意防范。\nschedule:\n  - name: bulletin\n    channels: [website]\n    at: 2027-02-03T09:00+08:00\n';
const ADVISORY = '---\ntitle: 防范入室盗窃\nsummary: 外出前关好门窗。\n---\n正文。\n';

function project(folders: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'advisory-folder-id-'));
  temps.push(root);
  for (const [folder, yaml] of Object.entries(folders)) {
    mkdirSync(join(root, 'advisories', folder), { recursive: true });
    writeFileSync(join(root, 'advisories', folder, 'campaign.yaml'), yaml);
    writeFileSync(join(root, 'advisories', folder, '01-入室盗窃.md'), ADVISORY);
  }
  return root;
}

describe('the id of a campaign folder', () => {
  it('is the folder name, or its pinyin when written in Chinese', () => {
    expect(folderId('2027-spring-festival')).toBe('2027-spring-festival');
    expect(folderId('2027-春节')).toBe('2027-chun-jie');
    expect(folderId('国庆节安全提示')).toBe('guo-qing-jie-an-quan-ti-shi');
    expect(folderId('Spring Festival')).toBeUndefined();
  });

  it('a folder named in Chinese loads under its pinyin id, keeping its folder', () => {
    const root = project({ '2027-春节': CAMPAIGN });
    const { campaigns, problems } = loadProject(root);
    expect(problems).toEqual([]);
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({ id: '2027-chun-jie', folder: '2027-春节', dir: 'advisories/2027-春节', file: 'advisories/2027-春节/campaign.yaml' });
    expect(campaigns[0].advisories.map((a) => a.id)).toEqual(['ru-shi-dao-qie']);
    // `only` names folders
    expect(loadProject(root, { only: ['2027-春节'] }).campaigns.map((c) => c.id)).toEqual(['2027-chun-jie']);
  });

  it("campaign.yaml's id: wins over the folder's name", () => {
    const root = project({ '2027-春节': `${CAMPAIGN}id: 2027-spring-festival\n`, 'x-folder': `${CAMPAIGN}id: renamed\n` });
    const { campaigns, problems } = loadProject(root);
    expect(problems).toEqual([]);
    expect(campaigns.map((c) => [c.folder, c.id])).toEqual([['2027-春节', '2027-spring-festival'], ['x-folder', 'renamed']]);
  });

  it('an id: that is no valid id is an error at its place', () => {
    const root = project({ '2027-春节': `${CAMPAIGN}id: 春节\n` });
    const { campaigns, problems } = loadProject(root);
    expect(campaigns).toEqual([]);
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.rule}`)).toEqual(['advisories/2027-春节/campaign.yaml:8:5 invalid-value']);
  });

  it('a folder name that gives no id (neither an id nor Chinese) is an error that says both ways out', () => {
    const root = project({ 'Spring Festival': CAMPAIGN });
    const { campaigns, problems } = loadProject(root);
    expect(campaigns).toEqual([]);
    expect(problems).toMatchObject([{ file: 'advisories/Spring Festival/campaign.yaml', rule: 'campaign-id', severity: 'error' }]);
    expect(problems[0].message).toMatch(/or Chinese \(2027-春节, whose id is its pinyin\): rename the folder, or set id: 2027-spring-festival in campaign\.yaml$/);
    // with an id: it loads
    const fixed = project({ 'Spring Festival': `${CAMPAIGN}id: spring-festival\n` });
    expect(loadProject(fixed).campaigns.map((c) => c.id)).toEqual(['spring-festival']);
  });

  it('two folders with one id: the second is an error naming the first', () => {
    const root = project({ '2027-chun-jie': CAMPAIGN, '2027-春节': CAMPAIGN });
    const { campaigns, problems } = loadProject(root);
    expect(campaigns.map((c) => c.folder)).toEqual(['2027-chun-jie']);
    expect(problems).toMatchObject([{ file: 'advisories/2027-春节/campaign.yaml', rule: 'duplicate-campaign-id', severity: 'error' }]);
    expect(problems[0].message).toMatch(/^the campaign id "2027-chun-jie" is already the id of advisories\/2027-chun-jie\//);
  });

  it('a name typed or sent by a form finds its folder: the folder name or the id', () => {
    const root = project({ '2027-春节': CAMPAIGN, other: `${CAMPAIGN}id: given\n` });
    expect(campaignIds(root)).toEqual(new Map([['2027-chun-jie', '2027-春节'], ['given', 'other']]));
    expect(campaignFolderOf(root, '2027-春节')).toBe('2027-春节');
    expect(campaignFolderOf(root, '2027-chun-jie')).toBe('2027-春节');
    expect(campaignFolderOf(root, 'given')).toBe('other');
    expect(campaignFolderOf(root, 'nothing')).toBeUndefined();
  });
});
