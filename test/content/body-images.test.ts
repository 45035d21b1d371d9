/** Pictures in an advisory's text, found by the Markdown grammar (issue 12): none slips past check. */
import { describe, expect, it } from 'vitest';
import { bodyImages } from '../../src/content/body-images.js';

describe('bodyImages', () => {
  it('finds inline pictures, with the file line (body starts at line 5) and column', () => {
    expect(bodyImages('文字 ![门锁](images/lock.jpg "标题")\n\n![b](<images/a b.png>)', 5)).toEqual([
      { src: 'images/lock.jpg', line: 5, column: 4 },
      { src: 'images/a b.png', line: 7, column: 1 },
    ]);
  });

  it('finds what a regular expression missed: brackets in the alt text, an alt text over two lines, references, pictures in links, tables and footnotes', () => {
    const body = [
      '![a [b]](../x.png)',
      '![多',
      '行](../y.png)',
      '![c][r] ![d][] ![r]',
      '[![e](../in-link.png)](https://a.cn/)',
      '',
      '| 表 |',
      '| - |',
      '| ![f](../cell.png) |',
      '',
      '注[^1]',
      '',
      '[r]: ../../etc/hosts.png',
      '[d]: %2e%2e/d.png',
      '',
      '[^1]: ![g](../note.png)',
    ].join('\n');
    expect(bodyImages(body, 1).map((i) => `${i.line}:${i.column} ${i.src}`)).toEqual([
      '1:1 ../x.png',
      '2:1 ../y.png',
      '4:1 ../../etc/hosts.png',
      '4:9 ../d.png',
      '4:16 ../../etc/hosts.png',
      '5:2 ../in-link.png',
      '9:3 ../cell.png',
      '16:7 ../note.png',
    ]);
  });

  it('a reference with no definition is text, not a picture; no "![" means no parse and nothing found', () => {
    expect(bodyImages('![a][nowhere]', 1)).toEqual([]);
    expect(bodyImages('[a](../x.png) 普通链接', 1)).toEqual([]);
  });
});
