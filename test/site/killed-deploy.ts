/**
 * A deploy to be SIGKILLed half-way (run with `node --import tsx`): the real
 * deploy under the real site lock, into `<varDir>`, of one whole campaign
 * folder and one that stops after its first file. There it prints `writing`
 * and waits to be killed.
 *
 *   node --import tsx killed-deploy.ts <varDir>
 */
import { writeSync } from 'node:fs';
import { deploy, siteLayout, type FileContent } from '../../src/channels/website/site/deploy.js';
import { withSiteLock } from '../../src/channels/website/site/lock.js';

const varDir = process.argv[2];

/** Hands writeTree its first file, then stops the process for good before the second. */
class StopsAfterOne extends Map<string, FileContent> {
  override *[Symbol.iterator](): MapIterator<[string, FileContent]> {
    yield ['index.html', '<p>half</p>'];
    writeSync(1, 'writing\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
}

withSiteLock(varDir, () => deploy(siteLayout(varDir, 'public'), {
  files: new Map([['index.html', '<p>home</p>']]),
  campaigns: [
    { id: 'gamma-2016', hash: '00000000000000aa', deliveryKey: 'g/1', files: () => new Map([['index.html', '<p>whole</p>']]) },
    { id: 'delta-2017', hash: '00000000000000bb', deliveryKey: 'd/1', files: () => new StopsAfterOne() },
  ],
  createdAt: '2014-09-29T01:04:00Z',
}));
