/**
 * Regression: the daemon built its renderer once, so templates edited while it
 * ran were approved under their new hash while it kept rendering the old ones
 * (live deliveries held until a restart). The live renderer follows the files.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLiveRenderer } from '../../src/render/live.js';
import { createRenderer } from '../../src/render/create.js';
import { TemplateError } from '../../src/errors.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'advisory-live-renderer-'));
  cpSync(join(ROOT, 'templates'), join(root, 'templates'), { recursive: true });
  return root;
}

describe('live renderer', () => {
  it('unchanged templates: refresh is a no-op and the hash is the renderer\'s', () => {
    const root = project();
    const live = createLiveRenderer(root);
    expect(live.refresh()).toBe(false);
    expect(live.templatesHash).toBe(createRenderer(root).templatesHash);
  });

  it('an edited template is picked up: new output and the new hash (the one `approve` records)', () => {
    const root = project();
    const live = createLiveRenderer(root);
    const before = live.templatesHash;
    const file = join(root, 'templates', 'weibo', 'status.txt.hbs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('【{{title}}】', '［{{title}}］'));
    expect(live.refresh()).toBe(true);
    expect(live.templatesHash).not.toBe(before);
    expect(live.templatesHash).toBe(createRenderer(root).templatesHash);
    expect(live.template('weibo', 'status.txt', { title: 'T', summary: 'S', url: 'U', campaign: {}, site: {}, single: true }).trim()).toBe('［T］S U');
  });

  it('a template that does not compile throws, and the previous templates stay in use', () => {
    const root = project();
    const live = createLiveRenderer(root);
    const before = live.templatesHash;
    writeFileSync(join(root, 'templates', 'weibo', 'status.txt.hbs'), '【{{title}】');
    expect(() => live.refresh()).toThrow(TemplateError);
    expect(live.templatesHash).toBe(before);
    expect(live.template('weibo', 'status.txt', { title: 'T', summary: 'S', url: 'U', campaign: {}, site: {}, single: true }).trim()).toBe('【T】S U');
  });
});
