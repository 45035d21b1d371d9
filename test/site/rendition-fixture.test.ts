/** Fixture test of the website rendition: `UPDATE=1 npx vitest run test/site/rendition-fixture.test.ts` regenerates. */
import { describe, it } from 'vitest';
import { join } from 'node:path';
import { expectFixture } from '../fixture.js';
import { campaignById, fixtureProject, ROOT, renderWebsite } from './helpers.js';
import type { SiteBody } from '../../src/channels/website/site-body.js';

const EXPECTED = join(ROOT, 'test/fixtures/site/expected');

describe('website rendition fixture', () => {
  it('renders alpha-2014 exactly as expected', () => {
    const root = fixtureProject();
    const body = renderWebsite(campaignById(root, 'alpha-2014'), root).body as unknown as SiteBody;
    const files: Record<string, string> = { ...body.pages, 'meta.json': `${JSON.stringify({ ...body, pages: Object.keys(body.pages), templatesHash: '(varies)' }, null, 2)}\n` };
    for (const [path, text] of Object.entries(files)) {
      expectFixture(join(EXPECTED, path), text, path);
    }
  });
});
