/** A picture in an advisory's text: checked at its place, hashed with the content, on the website from the campaign folder, uploaded for WeChat. */
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/in-process.js';
import { tmpProject } from '../delivery/helpers.js';
import { sha256 } from '../../src/hash.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(line: string): string {
  const root = tmpProject();
  dirs.push(root);
  rmSync(join(root, 'advisories/national-day'), { recursive: true });
  appendFileSync(join(root, 'advisories/2014-national-day/01-burglary.md'), `\n${line}\n`);
  return root;
}

const lineCount = (root: string) => readFileSync(join(root, 'advisories/2014-national-day/01-burglary.md'), 'utf8').trimEnd().split('\n').length;

describe('pictures in the text', () => {
  it('a missing picture is an error at its line and column; nothing renders from it', async () => {
    const root = project('看图： ![门锁](images/lock.png)');
    const r = await runCli(['check', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`advisories/2014-national-day/01-burglary.md:${lineCount(root)}:5: error the image "images/lock.png" does not exist`);
  });

  it('one outside the campaign folder is refused the same way', async () => {
    const root = project('![x](../national-day/images/cover.png)');
    const r = await runCli(['check', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/01-burglary\.md:\d+:1: error "\.\.\/national-day\/images\/cover\.png" is outside the campaign folder/);
  });

  it('its bytes are part of the approved content: changing the picture changes the content hash', async () => {
    const root = project('![门锁示意](images/cover.png)');
    const before = (await runCli(['approve', '2014-national-day', '--by', '张三', '--root', root])).out;
    appendFileSync(join(root, 'advisories/2014-national-day/images/cover.png'), Buffer.from([0]));
    const after = (await runCli(['approve', '2014-national-day', '--by', '张三', '--root', root])).out;
    const hash = (s: string) => /content ([0-9a-f]{12})/.exec(s)?.[1];
    expect(hash(before)).toBeTruthy();
    expect(hash(after)).not.toBe(hash(before));
  });

  it('the website serves it from the campaign folder and links it by absolute path; WeChat carries it as an upload placeholder with its hash; no warning', async () => {
    const root = project('![门锁示意](images/cover.png)');
    const check = await runCli(['check', '--root', root]);
    expect(check.out).not.toContain('wechat-inline-image');
    const build = await runCli(['build', '--preview', '--root', root]);
    expect(build.code, build.err).toBe(0);
    const objects = join(root, 'var/site-preview-objects/2014-national-day');
    const [folder] = readdirSync(objects);
    const page = readFileSync(join(objects, folder, 'burglary/index.html'), 'utf8');
    expect(page).toContain('<img src="/preview-site/2014-national-day/images/cover.png" alt="门锁示意">');
    expect(existsSync(join(objects, folder, 'images/cover.png'))).toBe(true);
    const preview = await runCli(['preview', '2014-national-day', '--json', '--root', root]);
    const wechat = JSON.parse(preview.out).channels.wechat[0];
    const digest = sha256(readFileSync(join(root, 'advisories/2014-national-day/images/cover.png')));
    expect(wechat.body.articles[0].content).toContain(`src="asset:inline:${digest}"`);
    expect(wechat.body.articles[0].content).not.toContain('images/cover.png');
    expect(wechat.assets).toContainEqual({ path: 'advisories/2014-national-day/images/cover.png', sha256: digest, role: 'inline' });
  });

  it('a picture by web address is left as written; WeChat would drop it, and check says so', async () => {
    const root = project('![x](https://example.org/a.png)');
    const r = await runCli(['check', '--root', root]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('[wechat-inline-image]');
  });
});
