/** Loads the one campaign a delivery command names, or explains why it cannot. */
import { ContentError, UsageError } from '../../errors.js';
import { listCampaigns, loadProject } from '../../content/load.js';
import type { Campaign } from '../../content/model.js';

export function loadOneCampaign(root: string, id: string | undefined, usage: string, now: Date): Campaign {
  const known = listCampaigns(root);
  if (!id) throw new UsageError(`name the campaign (one of: ${known.join(', ') || 'none under advisories/'}).\n\n${usage}`);
  if (!known.includes(id)) throw new UsageError(`unknown campaign "${id}". Known campaigns: ${known.join(', ') || '(none)'}.`);
  const { campaigns, problems } = loadProject(root, { only: [id], now });
  const campaign = campaigns.find((c) => c.id === id);
  if (!campaign) throw new ContentError(problems, `campaign ${id} has errors; run \`advisory check ${id}\``);
  return campaign;
}
