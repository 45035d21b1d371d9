import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { allFiles, campaignById, fixtureProject, publish, renderWebsite, tempVar } from './helpers.js';

describe('untrusted content', () => {
  it('no script, event handler or javascript: URL from content reaches any file of the site', async () => {
    const root = fixtureProject();
    const varDir = tempVar();
    await publish(renderWebsite(campaignById(root, 'xss-2016'), root), varDir, '2016-04-28T01:00:00Z', 'xss/1', root);
    const files = allFiles(join(varDir, 'site'));
    expect([...files.keys()]).toContain('xss-2016/xss/index.html');
    let htmlSeen = 0;
    for (const [path, latin1] of files) {
      const text = Buffer.from(latin1, 'latin1').toString('utf8');
      if (path.endsWith('.html')) {
        htmlSeen++;
        // the only script element is our own enhancement, by src
        expect(text.match(/<script\b[^>]*>/gi) ?? [], path).toEqual(['<script src="/assets/mode.js" defer>']);
        expect(text, path).not.toMatch(/<(iframe|svg|img[^>]*onerror)/i);
        expect(text, path).not.toMatch(/\son\w+=/i);
        expect(text, path).not.toMatch(/href="javascript:/i);
      }
      // the words of a title may survive as text (markup stripped, then escaped), never as code
      expect(text, path).not.toMatch(/<script[^>]*>[^<]*alert|javascript:\s*alert|\bon\w+\s*=\s*["']?alert|<svg|<iframe/i);
    }
    expect(htmlSeen).toBeGreaterThan(5);
    // the words survive, the markup does not
    expect(Buffer.from(files.get('xss-2016/xss/index.html')!, 'latin1').toString('utf8')).toContain('领取奖品的都是骗子');
  });
});
