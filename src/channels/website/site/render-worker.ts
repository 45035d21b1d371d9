/**
 * A render-pool worker (see render-pool.ts): takes chunk after chunk of
 * campaign folders from the shared counter, loads and renders each, and posts
 * the site bodies back, until no chunk is left.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { channelRenderer } from '../../template-helpers.js';
import { projectSettings } from '../../../content/load.js';
import { renderSlice, type RenderJob } from './render-pool.js';

const { job, chunks, counter } = workerData as { job: RenderJob; chunks: string[][]; counter: Int32Array };
const port = parentPort!;
try {
  const renderer = channelRenderer(job.root);
  const settings = projectSettings(job.root);
  for (let i = Atomics.add(counter, 0, 1); i < chunks.length; i = Atomics.add(counter, 0, 1)) {
    // whichever thread takes the first chunk reports the folder's own problems and the settings'
    port.postMessage({ index: i, result: renderSlice(job, chunks[i], renderer, i === 0, settings) });
  }
  port.postMessage({ done: true });
} catch (err) {
  Atomics.store(counter, 0, chunks.length);
  port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
