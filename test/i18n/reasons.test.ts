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
      ['Could not deploy the website: 模板有误（templates/website/home.hbs）。', /^网站部署失败：模板有误（templates\/website\/home\.hbs）。$/],
      ['A campaign cannot be called "tags": the site uses /tags itself. Rename the campaign folder.', /^专题不能叫“tags”：网站自己要用 \/tags。请给专题文件夹改名。$/],
      ["/cgi-bin/token: could not reach the server (ENOTFOUND): check this machine's network and proxy, and the api_base (or WECHAT_API_BASE) setting",
        /^\/cgi-bin\/token：无法连接服务器（ENOTFOUND）：请检查本机的网络和代理，以及 api_base（或 WECHAT_API_BASE）设置$/],
      ['/2/statuses/share.json: no answer (TIMEOUT); the request may have been carried out', /^\/2\/statuses\/share\.json：没有应答（TIMEOUT）；这个请求可能已经被执行$/],
      ['the SMTP server mail.example.gov.cn:587 is not taking mail (421 4.3.2 (busy) try later); every e-mail waits and is tried again, nothing is lost',
        /^SMTP 服务器 mail\.example\.gov\.cn:587 现在不收信（421 4\.3\.2 \(busy\) try later）；所有邮件都在等待/],
      ['the SMTP server 127.0.0.1:25 refused the login (the server answered 535 5.7.8 bad credentials): check SMTP_USER and SMTP_PASS (or the user and password in SMTP_URL) and restart, then `advisory retry` this delivery; the other e-mails wait',
        /^SMTP 服务器 127\.0\.0\.1:25 拒绝了登录（服务器答复：535 5\.7\.8 bad credentials）：.*，再对这条发送运行 `advisory retry`；其他邮件在等待$/],
      ["the SMTP server refused the recipient's address (the server answered 550 5.1.1 no such user): a hard bounce, counted against the subscriber", /^SMTP 服务器拒绝了收件人地址（服务器答复：550 5\.1\.1 no such user）：这是硬退信/],
      ['sending through 127.0.0.1:25 failed (ESOCKET: boom); tried again later', /^通过 127\.0\.0\.1:25 发送失败（ESOCKET: boom）；稍后重试$/],
      ["after a crash nobody can tell whether attempt 1 went out: /cgi-bin/draft/add: no answer (TIMEOUT); the request may have been carried out. Check the channel, then `advisory retry a/b/c` to resend or leave it.",
        /^程序中断后，无法确定第 1 次尝试是否已经发出：\/cgi-bin\/draft\/add：没有应答（TIMEOUT）；这个请求可能已经被执行。/],
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
