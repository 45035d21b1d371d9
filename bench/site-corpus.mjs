// Generates a realistic corpus for the site benchmark: N advisories of Chinese
// text (2–3 sections each), 10 per campaign, as an advisory project and as the
// same Markdown for Eleventy.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HOLIDAYS = ['new-year', 'spring-festival', 'qingming', 'labour-day', 'dragon-boat', 'mid-autumn', 'national-day'];
const NAMES = { 'new-year': '元旦', 'spring-festival': '春节', qingming: '清明节', 'labour-day': '劳动节', 'dragon-boat': '端午节', 'mid-autumn': '中秋节', 'national-day': '国庆节' };
const TOPICS = [
  ['入室盗窃', '防范入室盗窃案件'], ['盗窃车内物品', '防范盗窃车内物品案件'], ['抢劫抢夺', '防范两抢案件'], ['扒窃', '防范街面扒窃案件'],
  ['诈骗', '防范电信网络诈骗'], ['火灾', '防范火灾事故'], ['交通安全', '注意出行交通安全'], ['踩踏', '防范人群拥挤踩踏'],
  ['溺水', '防范溺水事故'], ['食品安全', '注意饮食安全'], ['燃放烟花', '安全燃放烟花爆竹'], ['老年人防骗', '谨防针对老年人的骗局'],
];
const FACTS = [
  '节日期间，许多中小型企事业单位关门歇业，居民外出旅游、走亲访友、聚会活动增多，致使家中白天或夜间无人居住，出现安全防范盲点。',
  '据不完全统计，去年同期受理的案件中，居民楼、大中专学校、烟酒店、小型超市为主要侵害目标。',
  '犯罪分子往往利用群众防范意识薄弱的特点，选择人员密集、秩序混乱的场所下手，作案时间短、隐蔽性强。',
  '近期，不法分子冒充公检法机关、银行客服、快递员等身份，以退款、理赔、中奖为由实施诈骗，老年人尤其容易上当。',
  '节日出行车辆多、人员多，部分驾驶人疲劳驾驶、酒后驾驶，交通事故风险明显上升。',
];
const ADVICE = [
  '外出前认真检查家中水电，同时将窗户和门关好。', '如果有亲属，可以托付亲属常到家中检查。', '车内不要放置包、手机、笔记本电脑等贵重物品。',
  '外出时尽量少佩戴贵重首饰，包不离身、包不离手。', '避免到人多拥挤的地方，背包时尽量将包放在身前。', '接到自称公检法的电话，一律先挂断再核实。',
  '不点击陌生链接，不向任何人透露银行卡密码和验证码。', '驾车出行不疲劳驾驶，不酒后驾车，系好安全带。', '遇到警情请立即拨打110报警。',
  '在指定地点燃放烟花爆竹，远离易燃物品。', '儿童外出须有大人陪同，不到无人看管的水域游泳。',
];
const CASES = [
  '去年国庆期间，市民王某外出旅游前未关好窗户，回家后发现家中现金和首饰被盗，损失一万余元。',
  '今年春节前，李大爷接到自称“医保局”工作人员的电话，按对方要求转账三万元后才发现被骗。',
  '某小区居民张某将手提包放在副驾驶座上，下车购物几分钟，车窗即被砸、包被盗。',
];

const pick = (arr, i, k = 0) => arr[(i * 7 + k * 13) % arr.length];

export function advisoryMarkdown(i, editMark = '') {
  const [tag, title] = TOPICS[i % TOPICS.length];
  const sections = [
    `## 案件特点\n\n${pick(FACTS, i)}${pick(FACTS, i, 1)}\n\n${pick(FACTS, i, 2)}${editMark}`,
    `## 防范建议\n\n${[0, 1, 2, 3].map((k) => `- ${pick(ADVICE, i, k)}`).join('\n')}`,
  ];
  if (i % 2 === 0) sections.push(`## 典型案例\n\n${pick(CASES, i)}`);
  return {
    front: { title: `${title}（第${i + 1}号）`, summary: `${pick(ADVICE, i)}${pick(ADVICE, i, 1)}`, tags: [tag] },
    body: sections.join('\n\n'),
  };
}

function frontMatter(o) {
  return `---\ntitle: ${o.title}\nsummary: ${o.summary}\ntags: [${o.tags.join(', ')}]\n---\n`;
}

/** Writes `<dir>/project` (advisory) and `<dir>/eleventy` (same pages for Eleventy). Returns the campaign ids. */
export function generate(dir, count, root) {
  rmSync(dir, { recursive: true, force: true });
  const project = join(dir, 'project');
  const eleventy = join(dir, 'eleventy', 'src');
  mkdirSync(join(project, 'advisories'), { recursive: true });
  mkdirSync(join(eleventy, '_includes'), { recursive: true });
  cpSync(join(root, 'templates'), join(project, 'templates'), { recursive: true });
  cpSync(join(root, 'channels'), join(project, 'channels'), { recursive: true });
  const campaigns = [];
  const perCampaign = 10;
  for (let c = 0; c * perCampaign < count; c++) {
    const holiday = HOLIDAYS[c % HOLIDAYS.length];
    const year = 2000 + Math.floor(c / HOLIDAYS.length) % 27;
    const id = `c${String(c).padStart(5, '0')}-${holiday}`;
    campaigns.push(id);
    const cdir = join(project, 'advisories', id);
    mkdirSync(cdir);
    mkdirSync(join(eleventy, id));
    const title = `${year}年${NAMES[holiday]}期间安全防范常识（${c + 1}）`;
    const summary = `${NAMES[holiday]}将至，外出旅游、走亲访友增多，请市民增强安全防范意识，确保节日期间人财物安全。`;
    writeFileSync(join(cdir, 'campaign.yaml'), `title: ${title}\nissuer: 章丘市公安局\nholiday: ${holiday}\nyear: ${year}\nsummary: ${summary}\ntags: [${NAMES[holiday]}]\nschedule:\n  - name: bulletin\n    channels: [website]\n    at: ${year}-09-29T09:00+08:00\n`);
    const list = [];
    for (let k = 0; k < perCampaign && c * perCampaign + k < count; k++) {
      const i = c * perCampaign + k;
      const a = advisoryMarkdown(i);
      const slug = `tip-${k + 1}`;
      writeFileSync(join(cdir, `${String(k + 1).padStart(2, '0')}-${slug}.md`), frontMatter(a.front) + a.body + '\n');
      writeFileSync(join(eleventy, id, `${slug}.md`), frontMatter({ ...a.front, layout: undefined }).replace('---\n', '---\nlayout: page.11ty.js\n') + a.body + '\n');
      list.push(`- [${a.front.title}](/${id}/${slug}/)：${a.front.summary}`);
    }
    writeFileSync(join(eleventy, id, 'index.md'), `---\nlayout: page.11ty.js\ntitle: ${title}\nsummary: ${summary}\ntags: []\n---\n${summary}\n\n${list.join('\n')}\n`);
  }
  writeFileSync(
    join(eleventy, '_includes', 'page.11ty.js'),
    `const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
export default function (data) {
  return \`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>\${esc(data.title)}</title><link rel="stylesheet" href="/assets/style.css"></head><body><header><a href="/">节日安全防范提示</a></header><main id="main"><h1>\${esc(data.title)}</h1><p>\${esc(data.summary)}</p>\${data.content}</main><footer>章丘市公安局</footer></body></html>\`;
}
`,
  );
  writeFileSync(
    join(dir, 'eleventy', 'eleventy.config.mjs'),
    `export default function (config) {
  return { dir: { input: 'src', output: '_site' }, markdownTemplateEngine: false, htmlTemplateEngine: false, dataTemplateEngine: false, templateFormats: ['md'] };
}
`,
  );
  return { project, eleventy: join(dir, 'eleventy'), campaigns };
}
