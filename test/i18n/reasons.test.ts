/** Stored delivery reasons, said in Chinese when shown (the ledger keeps them as written). */
import { describe, expect, it } from 'vitest';
import { sayReason } from '../../src/i18n/reasons.js';

describe('sayReason', () => {
  it('says every reason shape the delivery side stores in Chinese, keeping hashes, keys and commands', () => {
    const cases: Array<[string, RegExp]> = [
      ['awaiting approval of 303dee5f3447 (run: advisory approve <campaign> --by NAME)', /^等待批准内容 303dee5f3447（运行 advisory approve/],
      ['awaiting approval of 303dee5f3447: this delivery was rendered from that content, but it has no approval. Run advisory approve 2014-national-day --by NAME to re-render it from the current content.', /^等待批准内容 303dee5f3447：这一版内容还没有人批准。运行 advisory approve 2014-national-day --by 姓名/],
      ['awaiting approval of 303dee5f3447: this delivery was rendered from that content, but content 8a1c04b2e9d7 was approved since. Run advisory approve c --by NAME to re-render it from the current content.', /之后批准的是 8a1c04b2e9d7/],
      ['missed: due 2014-09-29T01:00:00Z, its window ended 2014-09-29T07:00:00Z before it could be sent', /^已错过：应于 2014-09-29T01:00:00Z 发送/],
      ['after a crash nobody can tell whether attempt 2 went out: the server did not answer. Check the channel, then `advisory retry a/b/c` to resend or leave it.', /第 2 次尝试.*the server did not answer.*advisory retry a\/b\/c/],
      ['superseded: content 8a1c04b2e9d7 no longer has this part', /^已被替换：内容 8a1c04b2e9d7/],
      ['the recipient unsubscribed before it was sent', /^收件人在发送前退订了$/],
      ['no payload was frozen', /^这条发送没有保存发送内容$/],
      ['interrupted before the channel accepted it; resending', /^渠道接受之前被中断；将重新发送$/],
      ['no active subscriber when it was created', /^生成时没有有效的订阅者$/],
      ['not sent: ENOSPC: no space left on device', /^未发出：ENOSPC: no space left on device$/],
    ];
    for (const [reason, zh] of cases) {
      expect(sayReason(reason, 'zh-CN')).toMatch(zh);
      expect(sayReason(reason, 'en')).toBe(reason);
    }
  });

  it('a channel’s own words are shown as they are', () => {
    expect(sayReason('Weibo error 20019: repeat content!', 'zh-CN')).toBe('Weibo error 20019: repeat content!');
    expect(sayReason(null, 'zh-CN')).toBe('');
  });
});
