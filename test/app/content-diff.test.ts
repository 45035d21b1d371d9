/** The approval diff: what changed between the approved snapshot and the content now (fields, advisories, body lines). */
import { describe, expect, it } from 'vitest';
import { contentDiff, lineDiff, type ContentSnapshot } from '../../src/app/content-diff.js';

const snap = (o: Partial<ContentSnapshot> = {}): ContentSnapshot => ({
  v: 1, campaign: 'c', fields: { title: '国庆节安全提示', tags: ['国庆节'] },
  advisories: [
    { id: 'burglary', file: 'advisories/c/01-burglary.md', fields: { title: '防盗' }, body: '第一行\n第二行\n第三行\n第四行\n第五行\n第六行\n第七行\n' },
    { id: 'fraud', file: 'advisories/c/02-fraud.md', fields: { title: '防骗' }, body: '骗术\n' },
  ],
  ...o,
});

describe('lineDiff', () => {
  it('marks deleted and added lines with their numbers, keeps two lines of context and counts the rest', () => {
    const d = lineDiff('a\nb\nc\nd\ne\nf\ng\nh', 'a\nb\nc\nd\nE\nf\ng\nh');
    expect(d).toEqual([
      { op: 'gap', skipped: 2 },
      { op: 'same', text: 'c', oldLine: 3, newLine: 3 },
      { op: 'same', text: 'd', oldLine: 4, newLine: 4 },
      { op: 'del', text: 'e', oldLine: 5 },
      { op: 'add', text: 'E', newLine: 5 },
      { op: 'same', text: 'f', oldLine: 6, newLine: 6 },
      { op: 'same', text: 'g', oldLine: 7, newLine: 7 },
      { op: 'gap', skipped: 1 },
    ]);
  });

  it('an inserted line shifts the new numbering only; identical texts give no lines', () => {
    const d = lineDiff('x\ny', 'x\nnew\ny');
    expect(d.filter((l) => l.op !== 'same')).toEqual([{ op: 'add', text: 'new', newLine: 2 }]);
    expect(lineDiff('same\ntext', 'same\ntext')).toEqual([]);
  });
});

describe('contentDiff', () => {
  it('names changed campaign fields, added and removed advisories, and each changed advisory with its fields and lines', () => {
    const after = snap({
      fields: { title: '国庆节安全提示（修订）', tags: ['国庆节'] },
      advisories: [
        { id: 'burglary', file: 'advisories/c/01-burglary.md', fields: { title: '入室盗窃' }, body: '第一行\n第二行\n第三行（改）\n第四行\n第五行\n第六行\n第七行\n' },
        { id: 'robbery', file: 'advisories/c/03-robbery.md', fields: { title: '防抢' }, body: '…' },
      ],
    });
    const d = contentDiff(snap(), after);
    expect(d.same).toBe(false);
    expect(d.fields).toEqual([{ field: 'title', before: '国庆节安全提示', after: '国庆节安全提示（修订）' }]);
    expect(d.added).toEqual([{ id: 'robbery', file: 'advisories/c/03-robbery.md' }]);
    expect(d.removed).toEqual([{ id: 'fraud', file: 'advisories/c/02-fraud.md' }]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0].fields).toEqual([{ field: 'title', before: '防盗', after: '入室盗窃' }]);
    expect(d.changed[0].body.filter((l) => l.op === 'del' || l.op === 'add')).toEqual([
      { op: 'del', text: '第三行', oldLine: 3 },
      { op: 'add', text: '第三行（改）', newLine: 3 },
    ]);
  });

  it('the same content is no change', () => {
    expect(contentDiff(snap(), snap()).same).toBe(true);
  });
});
