/**
 * The shipped content is valid, and the committed JSON Schemas under schema/
 * are exactly what the zod schemas generate and accept the shipped files.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import { loadProject } from '../../src/content/load.js';
import { schemaFileContents } from '../../src/content/schema-files.js';
import { splitFrontMatter } from '../../src/content/front-matter.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHIPPED = ['2014-national-day', 'national-day'];

describe('shipped campaigns', () => {
  it('both load with zero problems (errors or warnings) but the coming year\'s estimated holiday calendar', () => {
    const { campaigns, problems } = loadProject(ROOT, { only: SHIPPED, now: new Date('2026-11-27T00:00:00Z') });
    // the evergreen campaign's next National Day is in 2027, which chinese-days 1.5 does not have (nor calendar/)
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.rule}`)).toEqual(['advisories/national-day/campaign.yaml:6:10 warning calendar-estimated']);
    expect(loadProject(ROOT, { only: SHIPPED, now: new Date('2026-06-01T00:00:00Z') }).problems).toEqual([]);
    expect(campaigns.map((c) => [c.id, c.advisories.map((a) => a.id)])).toEqual(
      SHIPPED.map((id) => [id, ['burglary', 'vehicle-theft', 'robbery', 'street-theft-fraud']]),
    );
  });

  it('carry the yaml-language-server modeline pointing at the committed schema', () => {
    for (const id of SHIPPED) {
      const first = readFileSync(`${ROOT}advisories/${id}/campaign.yaml`, 'utf8').split('\n')[0];
      expect(first).toBe('# yaml-language-server: $schema=../../schema/campaign.schema.json');
    }
  });
});

describe('JSON Schemas in schema/', () => {
  it('the committed files equal the generated ones (run `npm run schema` after changing src/content/schema.ts)', () => {
    for (const [name, text] of Object.entries(schemaFileContents())) {
      expect(readFileSync(`${ROOT}schema/${name}`, 'utf8'), name).toBe(text);
    }
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const campaignSchema = ajv.compile(JSON.parse(readFileSync(`${ROOT}schema/campaign.schema.json`, 'utf8')));
  const advisorySchema = ajv.compile(JSON.parse(readFileSync(`${ROOT}schema/advisory.schema.json`, 'utf8')));

  it('accept the shipped campaign.yaml files and front matter', () => {
    for (const id of SHIPPED) {
      const dir = `${ROOT}advisories/${id}`;
      expect(campaignSchema(parse(readFileSync(`${dir}/campaign.yaml`, 'utf8'))), JSON.stringify(campaignSchema.errors)).toBe(true);
      for (const md of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
        const split = splitFrontMatter(readFileSync(`${dir}/${md}`, 'utf8'));
        if (!split.ok) throw new Error(`${md}: ${split.message}`);
        expect(advisorySchema(parse(split.yaml)), `${md}: ${JSON.stringify(advisorySchema.errors)}`).toBe(true);
      }
    }
  });

  it('reject what check rejects: an unknown key, an unknown channel', () => {
    const base = { title: 't', issuer: 'i', summary: 's' };
    expect(campaignSchema({ ...base, shedule: [] })).toBe(false);
    expect(campaignSchema({ ...base, schedule: [{ name: 'b', channels: ['webo'], at: '2014-09-29T09:00+08:00' }] })).toBe(false);
    expect(campaignSchema(base)).toBe(true);
  });
});
