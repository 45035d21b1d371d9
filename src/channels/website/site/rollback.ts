/** `advisory rollback website`: the served site switched back to the build before it, under the site lock. */
import { listBuilds, rollback, siteLayout } from './deploy.js';
import { withSiteLock } from './lock.js';

export function rollbackWebsite(varDir: string, kind: 'public' | 'preview'): { from: string; to: string; kept: number } {
  // A rollback only swaps the symlink: it prunes nothing, so it needs no `keep_builds` (nor any configuration).
  const layout = siteLayout(varDir, kind);
  const { from, to } = withSiteLock(varDir, () => rollback(layout));
  return { from, to, kept: listBuilds(layout).length };
}
