// Generates the corpus of the site benchmark: N advisories of Chinese text (2–3 sections each),
// 10 per campaign, written three times with the SAME bodies and front matter:
//   <dir>/project    an advisory project (advisories/<campaign>/campaign.yaml + NN-tip-K.md, the
//                    repository's templates/ and channels/)
//   <dir>/eleventy   Eleventy 3 with @11ty/eleventy-plugin-handlebars: src/<campaign>/tip-K.md, a campaign
//                    index page per campaign and a home page, one Handlebars layout (_includes/page.hbs);
//                    Markdown through Eleventy's default markdown-it, not preprocessed by a template engine
//                    (the bodies contain no template syntax, and advisory does not template them either)
//   <dir>/hugo       Hugo: content/<campaign>/_index.md + tip-K.md, Go templates layouts/_default/
//                    baseof.html, single.html, list.html; Hugo's defaults otherwise (Goldmark, tag pages,
//                    RSS, sitemap)
// Page URLs are the same for all three: /<campaign>/ and /<campaign>/tip-K/.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

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
const SITE_TITLE = '章丘公安 · 节日安全防范提示';
const ISSUER = '章丘市公安局';

const pick = (arr, i, k = 0) => arr[(i * 7 + k * 13) % arr.length];

export function advisoryMarkdown(i) {
  const [tag, title] = TOPICS[i % TOPICS.length];
  const sections = [
    `## 案件特点\n\n${pick(FACTS, i)}${pick(FACTS, i, 1)}\n\n${pick(FACTS, i, 2)}`,
    `## 防范建议\n\n${[0, 1, 2, 3].map((k) => `- ${pick(ADVICE, i, k)}`).join('\n')}`,
  ];
  if (i % 2 === 0) sections.push(`## 典型案例\n\n${pick(CASES, i)}`);
  return {
    front: { title: `${title}（第${i + 1}号）`, summary: `${pick(ADVICE, i)}${pick(ADVICE, i, 1)}`, tags: [tag] },
    body: sections.join('\n\n'),
  };
}

/** YAML front matter; `extra` lines (already YAML) go first. */
function frontMatter(o, extra = []) {
  return `---\n${extra.map((l) => `${l}\n`).join('')}title: ${o.title}\nsummary: ${o.summary}\ntags: [${o.tags.join(', ')}]\n---\n`;
}

const HEAD = (title) =>
  `<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${title}</title>\n<link rel="stylesheet" href="/assets/style.css">\n</head>\n<body>\n<a class="skip" href="#main">跳到正文</a>\n<header><a href="/">${SITE_TITLE}</a></header>\n<main id="main">\n`;
const FOOT = `</main>\n<footer><p>${ISSUER} · 本页为公共安全提示，不是官方预警。遇到警情请拨打110。</p></footer>\n</body>\n</html>\n`;

function eleventyFiles(dir, eleventyModules) {
  const src = join(dir, 'src');
  mkdirSync(join(src, '_includes'), { recursive: true });
  // One Handlebars layout for every page: the same chrome as the Hugo site's baseof.html.
  writeFileSync(
    join(src, '_includes', 'page.hbs'),
    HEAD(`{{title}} · ${SITE_TITLE}`) + '<h1>{{title}}</h1>\n{{#if summary}}<p class="summary">{{summary}}</p>\n{{/if}}{{{content}}}\n' + FOOT,
  );
  const plugin = pathToFileURL(join(eleventyModules, '@11ty', 'eleventy-plugin-handlebars', 'handlebarsConfig.js')).href;
  writeFileSync(
    join(dir, 'eleventy.config.mjs'),
    `// Eleventy 3 + the Handlebars plugin (installed for the benchmark only, in bench/.out/eleventy).
import handlebarsPlugin from ${JSON.stringify(plugin)};
export default function (eleventyConfig) {
  eleventyConfig.addPlugin(handlebarsPlugin);
  return {
    dir: { input: 'src', output: '_site', includes: '_includes' },
    templateFormats: ['md', 'hbs'],
    markdownTemplateEngine: false,
    htmlTemplateEngine: 'hbs',
  };
}
`,
  );
  return src;
}

function hugoFiles(dir) {
  mkdirSync(join(dir, 'content'), { recursive: true });
  mkdirSync(join(dir, 'layouts', '_default'), { recursive: true });
  writeFileSync(
    join(dir, 'config.toml'),
    `baseURL = "http://127.0.0.1:4321/"\nlanguageCode = "zh-CN"\ndefaultContentLanguage = "zh"\nhasCJKLanguage = true\ntitle = ${JSON.stringify(SITE_TITLE)}\n`,
  );
  const l = join(dir, 'layouts', '_default');
  writeFileSync(
    join(l, 'baseof.html'),
    HEAD(`{{ .Title }} · {{ .Site.Title }}`) + '{{ block "main" . }}{{ end }}\n' + FOOT,
  );
  writeFileSync(
    join(l, 'single.html'),
    '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ with .Params.summary }}<p class="summary">{{ . }}</p>\n{{ end }}{{ .Content }}\n{{ end }}\n',
  );
  writeFileSync(
    join(l, 'list.html'),
    '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ with .Params.summary }}<p class="summary">{{ . }}</p>\n{{ end }}{{ .Content }}\n<ul>\n{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }}：{{ . }}{{ end }}</li>\n{{ end }}</ul>\n{{ end }}\n',
  );
  return join(dir, 'content');
}

/**
 * Writes the corpus under `dir` (emptied first). `root` is the repository (templates/ and channels/
 * are copied from it); `eleventyModules` the node_modules folder holding Eleventy and its plugin.
 * Returns { project, eleventy, hugo, campaigns, edit: { campaign, file, url } }.
 */
export function generate(dir, count, root, eleventyModules) {
  rmSync(dir, { recursive: true, force: true });
  const project = join(dir, 'project');
  mkdirSync(join(project, 'advisories'), { recursive: true });
  cpSync(join(root, 'templates'), join(project, 'templates'), { recursive: true });
  cpSync(join(root, 'channels'), join(project, 'channels'), { recursive: true });
  const src = eleventyFiles(join(dir, 'eleventy'), eleventyModules);
  const content = hugoFiles(join(dir, 'hugo'));
  const campaigns = [];
  const home = [];
  const perCampaign = 10;
  for (let c = 0; c * perCampaign < count; c++) {
    const holiday = HOLIDAYS[c % HOLIDAYS.length];
    const year = 2000 + (Math.floor(c / HOLIDAYS.length) % 27);
    const id = `c${String(c).padStart(5, '0')}-${holiday}`;
    campaigns.push(id);
    const cdir = join(project, 'advisories', id);
    mkdirSync(cdir);
    mkdirSync(join(src, id));
    mkdirSync(join(content, id));
    const title = `${year}年${NAMES[holiday]}期间安全防范常识（${c + 1}）`;
    const summary = `${NAMES[holiday]}将至，外出旅游、走亲访友增多，请市民增强安全防范意识，确保节日期间人财物安全。`;
    writeFileSync(join(cdir, 'campaign.yaml'), `title: ${title}\nissuer: ${ISSUER}\nholiday: ${holiday}\nyear: ${year}\nsummary: ${summary}\ntags: [${NAMES[holiday]}]\nschedule:\n  - name: bulletin\n    channels: [website]\n    at: ${year}-09-29T09:00+08:00\n`);
    const campaignFront = { title, summary, tags: [NAMES[holiday]] };
    const list = [];
    for (let k = 0; k < perCampaign && c * perCampaign + k < count; k++) {
      const i = c * perCampaign + k;
      const a = advisoryMarkdown(i);
      const slug = `tip-${k + 1}`;
      writeFileSync(join(cdir, `${String(k + 1).padStart(2, '0')}-${slug}.md`), frontMatter(a.front) + a.body + '\n');
      writeFileSync(join(src, id, `${slug}.md`), frontMatter(a.front, ['layout: page.hbs']) + a.body + '\n');
      writeFileSync(join(content, id, `${slug}.md`), frontMatter(a.front, [`weight: ${k + 1}`]) + a.body + '\n');
      list.push(`- [${a.front.title}](/${id}/${slug}/)：${a.front.summary}`);
    }
    // The campaign page: its summary and its tips. Eleventy gets the list as Markdown (no collections
    // needed); Hugo lists the section's pages in list.html.
    writeFileSync(join(src, id, 'index.md'), frontMatter(campaignFront, ['layout: page.hbs']) + `${list.join('\n')}\n`);
    writeFileSync(join(content, id, '_index.md'), frontMatter(campaignFront, [`weight: ${c + 1}`]));
    home.push(`- [${title}](/${id}/)`);
  }
  writeFileSync(join(src, 'index.md'), `---\nlayout: page.hbs\ntitle: ${SITE_TITLE}\n---\n${home.join('\n')}\n`);
  writeFileSync(join(content, '_index.md'), `---\ntitle: ${SITE_TITLE}\n---\n`);
  const id = campaigns[Math.floor(campaigns.length / 2)];
  return {
    project,
    eleventy: join(dir, 'eleventy'),
    hugo: join(dir, 'hugo'),
    campaigns,
    edit: { campaign: id, file: join(project, 'advisories', id, '01-tip-1.md'), path: `/${id}/tip-1/` },
  };
}

/** One edit of an advisory: a new first line of advice carrying `token` (so the page can be recognised). */
export function editAdvisory(file, original, token) {
  const text = original.replace('## 防范建议\n\n', `## 防范建议\n\n- 修订 ${token}：出门前拍照记录门窗和燃气阀门的状态。\n`);
  if (text === original) throw new Error(`${file}: no "## 防范建议" section to edit`);
  writeFileSync(file, text);
}

export const readText = (file) => readFileSync(file, 'utf8');
