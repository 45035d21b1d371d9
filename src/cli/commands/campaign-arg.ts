/** Campaign names given on the command line: checked once, the same way, by every command. */
import { isAbsolute, relative, resolve } from 'node:path';
import { ContentError, UsageError } from '../../errors.js';
import { campaignIds, listCampaigns, loadProject } from '../../content/load.js';
import { didYouMean } from '../../suggest.js';
import type { Campaign } from '../../content/model.js';
import { campaignArgMessages } from '../../i18n/messages-commands.js';

/**
 * The campaign folder names given on the command line, as folder names: a path a shell completed with Tab
 * (`advisories/2027-spring-festival/`, `./advisories/x`, `advisories\x` on Windows) is taken as the folder's
 * name; so is a campaign's id (the pinyin of a folder named in Chinese, `2027-chun-jie` for `2027-春节`, or
 * campaign.yaml's `id:`). Throws a usage error (with a did-you-mean) for the first that is neither.
 */
export function assertKnownCampaigns(root: string, names: readonly string[]): string[] {
  const known = listCampaigns(root);
  let ids: Map<string, string> | undefined; // read only when a name is not a folder's
  return names.map((typed) => {
    const name = folderName(root, typed);
    if (known.includes(name)) return name;
    ids ??= campaignIds(root, known);
    const folder = ids.get(name);
    if (folder !== undefined) return folder;
    throw new UsageError(campaignArgMessages().unknownCampaign(typed, didYouMean(name, [...known, ...ids.keys()]), knownList(known)));
  });
}

/**
 * A typed name as a folder's name under advisories/: a relative path (`advisories/x/`, `advisories\\x`), or
 * an absolute one inside this project's advisories/ (dragging the folder from Explorer types
 * `D:\\project\\advisories\\2027-春节`), an advisory file in it naming its campaign.
 */
function folderName(root: string, typed: string): string {
  const slashed = typed.replace(/^["']|["']$/g, '').replace(/\\/g, '/');
  if (isAbsolute(slashed) || /^[A-Za-z]:\//.test(slashed)) {
    const inside = relative(resolve(root, 'advisories'), resolve(slashed)).replace(/\\/g, '/');
    if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split('/')[0];
  }
  return slashed.replace(/^(\.\/)?advisories\/+/, '').replace(/\/+$/, '');
}

/** Loads the one campaign a delivery command names, or explains why it cannot. */
export function loadOneCampaign(root: string, id: string | undefined, usage: string, now: Date): Campaign {
  if (!id) {
    const known = listCampaigns(root);
    const m = campaignArgMessages();
    throw new UsageError(`${m.nameIt(known.length ? knownList(known) : m.noneUnderAdvisories)}\n\n${usage}`);
  }
  [id] = assertKnownCampaigns(root, [id]);
  const { campaigns, problems } = loadProject(root, { only: [id], now });
  const campaign = campaigns.find((c) => c.folder === id);
  if (!campaign) throw new ContentError(problems, campaignArgMessages().hasErrors(id));
  return campaign;
}

/** At most a dozen names: a bureau's archive can hold a thousand campaigns, and one line must stay readable. */
function knownList(known: string[]): string {
  const m = campaignArgMessages();
  if (known.length === 0) return m.noCampaigns;
  const SHOWN = 12;
  return known.length <= SHOWN ? known.join(', ') : m.andMore(known.slice(0, SHOWN).join(', '), known.length - SHOWN);
}
