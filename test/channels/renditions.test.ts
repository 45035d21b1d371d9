/**
 * `check` and the preview take each channel's render and check from its
 * rendition module (so they load no transport); they must be the very
 * functions the channel's definition publishes with.
 */
import { describe, expect, it } from 'vitest';
import { RENDITIONS } from '../../src/channels/renditions.js';
import { channelDefinition } from '../../src/channels/registry.js';
import { CHANNEL_NAMES } from '../../src/config/channel-names.js';

describe('renditions', () => {
  it.each(CHANNEL_NAMES)('%s: the same render and check as its definition', (name) => {
    expect(RENDITIONS[name].render).toBe(channelDefinition(name).render);
    expect(RENDITIONS[name].check).toBe(channelDefinition(name).check);
  });
});
