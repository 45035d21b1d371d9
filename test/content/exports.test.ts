/** Pins the content API other parts of the pipeline rely on. */
import { expect, it } from 'vitest';
import * as load from '../../src/content/load.js';
import * as parse from '../../src/content/parse.js';

it('content exports', () => {
  expect(Object.keys(load).sort()).toEqual(['SLUG', 'campaignFolderOf', 'campaignIds', 'folderId', 'listCampaigns', 'loadProject', 'projectRootProblem', 'projectSettings']);
  expect(Object.keys(parse).sort()).toEqual(['parseAdvisory', 'parseCampaign']);
});
