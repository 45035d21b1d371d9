/**
 * Regression: a project made with `advisory new` has no templates/ folder, and
 * `check` failed with `No template "message"`. Built-in templates now underlay
 * the project's, file by file.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRenderer } from '../../src/render/create.js';
import { readTemplateFiles, resolveProjectFile, PACKAGE_ROOT } from '../../src/render/template-files.js';

describe('built-in templates under the project\'s', () => {
  it('a project without templates/ renders with the built-in ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'advisory-tpl-'));
    const renderer = createRenderer(root);
    expect(renderer.asset('wechat', 'style.css')).toBe(createRenderer(PACKAGE_ROOT).asset('wechat', 'style.css'));
    expect(renderer.templatesHash).toBe(createRenderer(PACKAGE_ROOT).templatesHash);
  });

  it('a project file replaces the built-in file of the same path, and changes the templates hash', () => {
    const root = mkdtempSync(join(tmpdir(), 'advisory-tpl-'));
    mkdirSync(join(root, 'templates', 'wechat'), { recursive: true });
    writeFileSync(join(root, 'templates', 'wechat', 'style.css'), 'p { color: #123456; }\n');
    const own = readTemplateFiles(root);
    expect(own.files.get('templates/wechat/style.css')?.toString()).toBe('p { color: #123456; }\n');
    expect(own.files.has('templates/email/style.css')).toBe(true);
    expect(own.hash).not.toBe(readTemplateFiles(PACKAGE_ROOT).hash);
  });

  it('resolveProjectFile falls back to the package for a template asset the project lacks', () => {
    const root = mkdtempSync(join(tmpdir(), 'advisory-tpl-'));
    const p = resolveProjectFile(root, 'templates/wechat/default-cover.png');
    expect(p).toBe(join(PACKAGE_ROOT, 'templates/wechat/default-cover.png'));
    expect(existsSync(p)).toBe(true);
    expect(resolveProjectFile(root, 'advisories/x/images/a.png')).toBe(join(root, 'advisories/x/images/a.png'));
  });
});
