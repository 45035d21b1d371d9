/**
 * Regression (issue 9): rendering re-read content files. Positions came from
 * reading the file again to find a key's line, and image hashes from reading
 * the image again, so an image changed between load and render gave a payload
 * whose asset differed from the bytes in the approved content hash. Content
 * hands both to render with the model: nothing is read twice.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../src/content/load.js';
import { RENDITIONS } from '../../src/channels/renditions.js';
import { contextFor, renditionEnv } from './setup.js';
import { ROOT } from './load-fixture.js';

describe('content hands positions and image hashes to render', () => {
  it('an image changed on disk after loading: the payload names the bytes that were loaded (and approved)', () => {
    const root = mkdtempSync(join(tmpdir(), 'advisory-model-'));
    try {
      for (const d of ['advisories', 'channels', 'templates']) cpSync(join(ROOT, d), join(root, d), { recursive: true });
      const [campaign] = loadProject(root, { only: ['2014-national-day'] }).campaigns;
      const cover = `${campaign.dir}/${campaign.cover}`;
      const loaded = campaign.assets[cover];
      expect(loaded).toMatch(/^[0-9a-f]{64}$/);
      writeFileSync(join(root, cover), Buffer.from('not the approved picture'));
      const env = renditionEnv(root);
      const [draft] = RENDITIONS.wechat.render(contextFor(env, 'wechat', campaign));
      expect(draft.assets).toContainEqual({ path: cover, sha256: loaded, role: 'cover' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('places come from the parse: a key\'s line is found with the file gone', () => {
    const root = mkdtempSync(join(tmpdir(), 'advisory-model-'));
    try {
      for (const d of ['advisories', 'channels', 'templates']) cpSync(join(ROOT, d), join(root, d), { recursive: true });
      const [campaign] = loadProject(root, { only: ['2014-national-day'] }).campaigns;
      expect(campaign.places.title).toEqual({ line: 4, column: 1 }); // after three comment lines
      const advisory = campaign.advisories[0];
      expect(advisory.places.title.line).toBe(2);
      rmSync(join(root, 'advisories'), { recursive: true });
      const long = { ...campaign, advisories: [{ ...advisory, title: '很'.repeat(40) }] };
      const env = renditionEnv(root);
      const ctx = contextFor(env, 'wechat', long);
      const problems = RENDITIONS.wechat.render(ctx).flatMap((p) => RENDITIONS.wechat.check(p, ctx));
      expect(problems).toContainEqual(expect.objectContaining({ rule: 'wechat-title-length', file: advisory.file, line: 2 }));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
