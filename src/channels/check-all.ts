/**
 * Runs every channel's `check` over a campaign's renditions, so `advisory check`
 * fails on an over-long WeChat title before anyone schedules it.
 * (Filled in by the rendering work; until then no channel problems are reported.)
 */
import type { Campaign } from '../content/model.js';
import type { ChannelProblem } from './channel.js';

export function checkChannels(_root: string, _campaigns: Campaign[]): ChannelProblem[] {
  return [];
}
