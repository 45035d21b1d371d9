import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkChannels } from '../../src/channels/check-all.js';
import { loadCampaigns, readCampaign, ROOT } from './load-fixture.js';
import { scratchProject, writeCampaign } from './setup.js';

const LONG_TITLE = '国庆节期间防范入室盗窃案件的若干重要安全提示与建议之一二三四五六七'; // 35 characters

function longTitleProject(): string {
  const root = scratchProject();
  writeCampaign(
    root,
    'long-title',
    [
      'title: 国庆安全提示',
      'issuer: 章丘市公安局',
      'summary: 请市民注意安全。',
      'holiday: national-day',
      'year: 2014',
      'schedule:',
      '  - name: bulletin',
      '    channels: [wechat, weibo]',
      '    at: 2014-09-29T09:00+08:00',
      '',
    ].join('\n'),
    { '01-burglary.md': `---\nsummary: 外出前关好门窗。\ntitle: ${LONG_TITLE}\n---\n## 防范建议\n\n- 关好门窗。\n` },
  );
  return root;
}

describe('checkChannels', () => {
  it('finds no problems in the shipped campaigns', async () => {
    expect(checkChannels(ROOT, await loadCampaigns())).toEqual([]);
  });

  it('reports an over-long WeChat title with file and line', () => {
    const root = longTitleProject();
    const problems = checkChannels(root, [readCampaign(root, 'long-title')]).filter((p) => p.severity === 'error');
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'wechat-title-length', file: 'advisories/long-title/01-burglary.md', line: 3, severity: 'error' }),
    ]);
    expect(problems[0].message).toContain(`is ${[...LONG_TITLE].length} characters; WeChat allows at most 32`);
  });

  it('reports a template error as a problem naming the template', () => {
    const root = longTitleProject();
    writeFileSync(join(root, 'templates/wechat/article.hbs'), '<p>\n{{advisory.nothing}}</p>');
    const problems = checkChannels(root, [readCampaign(root, 'long-title')]).filter((p) => p.severity === 'error');
    expect(problems).toEqual([expect.objectContaining({ rule: 'template', file: 'templates/wechat/article.hbs', line: 2 })]);
  });

  it.runIf(existsSync(join(ROOT, 'dist/cli/main.js')))('`advisory check` fails on it (exit 1) and names the place', () => {
    const root = longTitleProject();
    let status = 0;
    let stdout = '';
    try {
      stdout = execFileSync('node', [join(ROOT, 'dist/cli/main.js'), 'check', '--root', root], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      status = err.status;
      stdout = err.stdout + err.stderr;
    }
    expect(status).toBe(1);
    expect(stdout).toContain('advisories/long-title/01-burglary.md:3:1: error');
    expect(stdout).toContain('WeChat allows at most 32');
  });
});
