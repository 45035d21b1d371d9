/**
 * `status` lists under "next due" only what is still to go out (issue 14): a coming firing whose channels
 * were already sent (a drill's ledger put back, a clock that ran ahead) is left out, or listed with the
 * channels still to send.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/in-process.js';
import { tmpProject, withStore } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const now = () => new Date('2027-09-20T02:00:00Z');

describe('status: next due', () => {
  it('a firing already sent is not next due; one partly sent lists the channels left', async () => {
    const root = tmpProject();
    dirs.push(root);
    const before = await runCli(['status', '--json', '--root', root], { now });
    const next = JSON.parse(before.out).next as Array<{ key: string; channels: string[]; dueUtc: string }>;
    const bulletin = next.find((o) => o.key.startsWith('national-day/bulletin/'));
    expect(bulletin, before.out).toBeDefined();
    expect(bulletin!.channels.length).toBeGreaterThan(1);
    const [first, ...rest] = bulletin!.channels;
    // the first channel of the bulletin went out already (a drill, a clock ahead)
    await withStore(join(root, 'var'), async (s) => {
      const key = `national-day/bulletin/${first}/${bulletin!.dueUtc}`;
      const d = { key, campaign: 'national-day', schedule: 'bulletin', channel: first as never, recipient: null, dueUtc: bulletin!.dueUtc, windowEndsUtc: bulletin!.dueUtc, payload: { body: {} } as never, contentHash: 'x', state: 'pending' as const };
      await s.createDeliveries(key, [d], new Date());
      const { attempt } = (await s.markSending(key, new Date())) as { attempt: number };
      await s.markSent(key, attempt, { id: 'r1', at: new Date().toISOString() } as never, new Date());
    });
    const after = JSON.parse((await runCli(['status', '--json', '--root', root], { now })).out).next as typeof next;
    expect(after.find((o) => o.key === bulletin!.key)?.channels).toEqual(rest);
    const text = (await runCli(['status', '--root', root], { now })).out;
    expect(text).toContain(`${bulletin!.key}  → ${rest.join(', ')}`);
  });
});
