/**
 * Checks that tie a campaign to other files: `advisories:` names real ids, and
 * `cover`/`image` exist inside the campaign folder. Also the content hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Problem } from '../errors.js';
import type { CampaignData } from './schema.js';
import { normalizeRef, type LoadedAdvisory } from './load-advisories.js';
import { bodyImages } from './body-images.js';

export { normalizeRef, bodyImages };
import { MAX_IMAGE_BYTES, readBytes } from './read-file.js';
import { closest } from '../suggest.js';
import type { Path, YamlSource } from './yaml-source.js';
import { contentMessages } from '../i18n/messages-content.js';

export interface ImageRef {
  /** Project-relative path. */
  path: string;
  bytes: Buffer;
}

const IMAGE_EXT = /\.(jpe?g|png|gif|webp)$/i;


/** What the bytes are, whatever the file is called. */
function imageKind(b: Buffer): string | undefined {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'JPEG';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'PNG';
  if (b.subarray(0, 4).toString('latin1') === 'GIF8') return 'GIF';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'WebP';
  return undefined;
}

export function checkRefs(input: {
  root: string;
  dir: string;
  file: string;
  data: CampaignData;
  source: YamlSource;
  advisories: LoadedAdvisory[];
}): { problems: Problem[]; images: ImageRef[] } {
  const { root, dir, file, data, source, advisories } = input;
  const problems: Problem[] = [];
  const images: ImageRef[] = [];
  const ids = advisories.map((a) => a.advisory.id);
  data.schedule.forEach((entry, i) => {
    (entry.advisories ?? []).forEach((id, j) => {
      if (ids.includes(id)) return;
      const near = closest(id, ids);
      problems.push({ file, ...source.locate(['schedule', i, 'advisories', j]), severity: 'error', rule: 'unknown-advisory', message: contentMessages().unknownAdvisory(entry.name, id, near, ids.join(', ')) });
    });
  });

  let realDir: string | undefined;
  const image = (ref: string, at: { file: string; source: YamlSource; path: Path } | { file: string; line: number; column: number }) => {
    const place = 'source' in at ? { file: at.file, ...at.source.locate(at.path) } : at;
    const normal = normalizeRef(ref);
    if (posix.isAbsolute(normal) || normal.startsWith('../') || normal === '..' || /^[a-z]+:/i.test(normal)) {
      problems.push({ ...place, severity: 'error', rule: 'image-outside', message: contentMessages().imageOutside(ref, dir) });
      return;
    }
    if (!IMAGE_EXT.test(normal)) {
      problems.push({ ...place, severity: 'error', rule: 'image-type', message: contentMessages().imageTypeByName(ref) });
      return;
    }
    const rel = `${dir}/${normal}`;
    if (images.some((i) => i.path === rel)) return; // read and checked already (a cover that is also an advisory's image)
    if (!existsSync(join(root, rel))) {
      problems.push({ ...place, severity: 'error', rule: 'image-missing', message: contentMessages().imageMissing(ref, rel) });
      return;
    }
    const read = readBytes(join(root, rel), rel, (realDir ??= realpathSync(join(root, dir))), MAX_IMAGE_BYTES);
    if (!read.ok) {
      problems.push({ ...read.problem, ...place, message: contentMessages().imageUnreadable(ref, read.problem.message) });
      return;
    }
    if (!imageKind(read.bytes)) {
      problems.push({ ...place, severity: 'error', rule: 'image-type', message: contentMessages().imageTypeByContent(ref) });
      return;
    }
    images.push({ path: rel, bytes: read.bytes });
  };
  if (data.cover) image(data.cover, { file, source, path: ['cover'] });
  for (const a of advisories) {
    if (a.advisory.image && a.parsed.source) image(a.advisory.image, { file: a.advisory.file, source: a.parsed.source, path: ['image'] });
    // Pictures in the text: read and hashed like the cover, so WeChat can upload exactly the approved bytes.
    // A web address (http, https) is left as written; any other scheme (file:, data:) is no picture a reader can see.
    for (const ref of bodyImages(a.advisory.body, a.advisory.bodyLine)) {
      const place = { file: a.advisory.file, line: ref.line, column: ref.column };
      if (/^https?:\/\//i.test(ref.src)) continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref.src) && !/^[a-z]:[\\/]/i.test(ref.src)) {
        problems.push({ ...place, severity: 'error', rule: 'image-outside', message: contentMessages().imageNoAddress(ref.src.slice(0, 80), dir) });
        continue;
      }
      image(ref.src, place);
    }
  }
  return { problems, images };
}

/** sha256 over campaign.yaml, every advisory (file order) and every referenced image (cover first), each framed by its length. */
export function contentHash(campaignYaml: Buffer, advisories: LoadedAdvisory[], images: ImageRef[]): string {
  const h = createHash('sha256');
  const part = (label: string, bytes: Buffer) => h.update(`${label}\0${bytes.length}\0`).update(bytes);
  part('campaign.yaml', campaignYaml);
  for (const a of advisories) part(a.advisory.file, a.bytes);
  for (const i of images) part(i.path, i.bytes);
  return h.digest('hex');
}
