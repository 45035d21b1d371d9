/** Pins the public exports other engineers build on (render core, renditions, preview). */
import { describe, expect, it } from 'vitest';

const pinned: Record<string, string[]> = {
  '../../src/render/create.js': ['createRenderer'],
  '../../src/render/urls.js': ['advisoryPath', 'advisoryUrl', 'campaignPath', 'campaignUrl', 'unsubscribeUrl'],
  '../../src/render/view.js': ['advisoryView', 'campaignView'],
  '../../src/channels/wechat/rendition.js': ['DEFAULT_COVER', 'check', 'render'],
  '../../src/channels/weibo/rendition.js': ['check', 'render'],
  '../../src/channels/email/rendition.js': ['check', 'render'],
  '../../src/channels/email/personalize.js': ['DEFAULT_RECIPIENT_NAME', 'RECIPIENT_NAME_TOKEN', 'TOKEN', 'UNSUBSCRIBE_TOKEN', 'personalize', 'placeSlots', 'slotValues'],
  '../../src/channels/check-all.js': ['channelChecker', 'checkCampaign', 'checkChannels'],
  '../../src/channels/renditions.js': ['RENDITIONS', 'addUnique', 'plannedRenditions'],
  '../../src/preview/build.js': ['buildPreview'],
};

describe('public exports', () => {
  for (const [path, names] of Object.entries(pinned)) {
    it(path, async () => {
      expect(Object.keys(await import(path)).sort()).toEqual(names);
    });
  }
});
