/** Campaign names given on the command line: checked once, the same way, by every command. */
import { ContentError, UsageError } from '../../errors.js';
import { listCampaigns, loadProject } from '../../content/load.js';
import { didYouMean } from '../../suggest.js';
import type { Campaign } from '../../content/model.js';

/**
 * The campaign folder names given on the command line, as folder names: a path a shell completed with Tab
 * (`advisories/2027-spring-festival/`, `./advisories/x`, `advisories\x` on Windows) is taken as the folder's
 * name. Throws a usage error (with a did-you-mean) for the first that is not a campaign folder under advisories/.
 */
export function assertKnownCampaigns(root: string, names: readonly string[]): string[] {
  const known = listCampaigns(root);
  return names.map((typed) => {
    const name = typed.replace(/\\/g, '/').replace(/^(\.\/)?advisories\/+/, '').replace(/\/+$/, '');
    if (!known.includes(name)) {
      throw new UsageError(`unknown campaign "${typed}".${didYouMean(name, known)} Known campaigns: ${knownList(known)}`);
    }
    return name;
  });
}

/** Loads the one campaign a delivery command names, or explains why it cannot. */
export function loadOneCampaign(root: string, id: string | undefined, usage: string, now: Date): Campaign {
  if (!id) {
    const known = listCampaigns(root);
    throw new UsageError(`name the campaign (one of: ${known.length ? knownList(known) : 'none under advisories/'}).\n\n${usage}`);
  }
  [id] = assertKnownCampaigns(root, [id]);
  const { campaigns, problems } = loadProject(root, { only: [id], now });
  const campaign = campaigns.find((c) => c.id === id);
  if (!campaign) throw new ContentError(problems, `campaign ${id} has errors; run \`advisory check ${id}\``);
  return campaign;
}

/** At most a dozen names: a bureau's archive can hold a thousand campaigns, and one line must stay readable. */
function knownList(known: string[]): string {
  if (known.length === 0) return '(none: there is no campaign folder under advisories/)';
  const SHOWN = 12;
  return known.length <= SHOWN ? known.join(', ') : `${known.slice(0, SHOWN).join(', ')} and ${known.length - SHOWN} more (the folders under advisories/)`;
}
