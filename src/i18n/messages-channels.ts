/**
 * `advisory check`'s messages about the channels: their configuration files (config/channels.ts), each
 * channel's limits on a rendition (channels/wechat/limits.ts, weibo and email rendition.ts,
 * website/check.ts) and templates that do not render (render/create.ts). Channel names, field names,
 * settings, file names and environment variables stay as written.
 */
import { messages } from './index.js';

const typeZh: Record<string, string> = { string: '文字', number: '数字', boolean: 'true 或 false' };
/** What a whole file holds when it is not settings (`typeof`: a line of text, a number, true/false). */
const gotZh: Record<string, string> = { string: '一行文字', number: '一个数字', boolean: '一个 true 或 false' };

export const channelMessages = messages(
  {
    // channels/<name>.yaml (config/channels.ts)
    unknownChannel: (channel: string, known: string) => `Unknown channel "${channel}". Expected one of: ${known}.`,
    smtpPassMissing: (rel: string, user: string, pass: string, url: string) =>
      `${rel}: ${user} is set but ${pass} is not: set the SMTP password in ${pass} too (or give the whole server as ${url}=smtp://user:password@host:port).`,
    envNotAName: (rel: string, key: string) =>
      `${rel}: env.${key} must name an environment variable (like WECHAT_SECRET), not hold a value. Put the secret in the environment, never in the repository.`,
    optionalEnvNotAName: (rel: string, key: string) => `${rel}: optional_env.${key} must name an environment variable (like WECHAT_CALLBACK_TOKEN), not hold a value.`,
    configYaml: (raw: string) => raw,
    notAMapping: (got: string) => `expected a mapping of settings (key: value lines), got ${got}.`,
    aList: 'a list',
    unknownSetting: (key: string, near: string | undefined, known: string) => `unknown setting "${key}".${near ? ` Did you mean "${near}"?` : ''} Settings here: ${known}.`,
    envNotAMapping: (key: string) => `"${key}" should map names to environment variables, e.g. "secret: WECHAT_SECRET".`,
    wrongSettingType: (key: string, type: string, example: string, value: string) => `"${key}" should be a ${type} (like ${example}), but is ${value}.`,
    baseUrlLoopback: (url: string) =>
      `base_url is ${url}, an address only this machine can open: fine for trying things out, but every post, e-mail and feed would link readers there, and WeChat, Weibo and e-mail refuse to publish live with it. Set base_url to the bureau's public site (e.g. https://www.example.gov.cn/advisories).`,

    // WeChat (channels/wechat/limits.ts): articles counted from 1, named by file
    article: (n: number, of: number, file: string | undefined) => `article ${n} of ${of}${file ? ` (${file})` : ''}`,
    wechatArticleCount: (count: number, max: number) =>
      `the draft has ${count} articles; WeChat allows at most ${max} in one draft. Split the campaign's schedule (\`advisories:\` per schedule entry) so each occurrence carries at most ${max}.`,
    wechatNoArticles: 'the draft has no articles.',
    wechatTitle: (article: string, length: number, max: number) => `${article}: the title is ${length} characters; WeChat allows at most ${max}. Shorten the advisory's title.`,
    wechatAuthor: (article: string, length: number, max: number) => `${article}: the author is ${length} characters; WeChat allows at most ${max}. Shorten \`author\`.`,
    wechatDigest: (article: string, length: number, max: number) =>
      `${article}: the digest (the advisory's summary) is ${length} characters; WeChat allows at most ${max}. Shorten the advisory's summary.`,
    wechatContent: (article: string, length: number, max: number) => `${article}: the text is ${length} characters; WeChat allows fewer than ${max}. Shorten the advisory or split it in two.`,
    wechatContentSize: (article: string, bytes: number) => `${article}: the text is ${bytes} bytes; WeChat allows less than 1 MB. Shorten the advisory.`,
    wechatInlineImage: (article: string, src: string) =>
      `${article}: the text has an image (${src}) that is not uploaded to WeChat; WeChat removes such images from articles. Use the campaign cover, or put the picture on the website only.`,
    wechatSourceUrl: (article: string, bytes: number) =>
      `${article}: the link to the website (content_source_url) is ${bytes} bytes; WeChat allows at most 1 KB. Use a shorter website base_url or advisory id.`,
    wechatNoCover: 'the draft has no cover image, which WeChat requires. Set `cover:` in campaign.yaml to an image in the campaign folder.',
    wechatDefaultCover: (missing: string | undefined, path: string) =>
      `${missing !== undefined ? `the cover "${missing}" was not found, so` : 'the campaign has no `cover:`, so'} the default cover ${path} is used. Add an image (JPEG or PNG, under 2 MB) and name it in campaign.yaml.`,

    // Weibo, e-mail (rendition.ts)
    weiboLength: (length: number, max: number) => `status is ${length} counted characters; Weibo allows at most ${max}. Shorten the summary or the title.`,
    weiboUrl: (url: string) =>
      `status does not carry the page's address ${url}; Weibo requires a link under the app's secure domain, and readers need the full advisory. Set base_url in channels/website.yaml.`,
    weiboTitleCut: 'the title is too long for a Weibo post: it was cut to fit and the summary left out. Shorten the title.',
    emailSubject: (length: number, max: number) => `subject is ${length} characters; many mail clients cut subjects after about ${max}. Shorten the campaign's title.`,
    emailUnsubscribe: (part: string) => `the ${part} part has no unsubscribe link; every message must carry one. Keep {{{unsubscribe_url}}} in the template.`,

    // The website (channels/website/check.ts)
    websitePayload: 'The website payload has no campaign and pages; re-render it.',
    websiteImageAlt: 'An image has no alt text. Write what the picture says inside the brackets, e.g. ![民警提醒：出门关好门窗](images/tip.png).',
    websiteFrontMatterAlt: (image: string) => `Front matter sets image: ${image} but no image_alt. Add image_alt: with what the picture shows or says.`,
    websiteTipInImage: (chars: number) => `The advice is only inside an image (${chars} characters of text). Write the tip as text too, so it can be read aloud and enlarged.`,
    websiteNoAdvice: 'No "## 防范建议" section: the CAP alert will have no <instruction>. Add a heading "## 防范建议" before the advice.',
    websiteReservedId: (id: string, suggestion: string) => `The folder name "${id}" is taken by the website itself (/${id}/). Rename the campaign folder, e.g. to ${suggestion}.`,

    // Templates (render/create.ts)
    noTemplate: (name: string, channel: string, key: string) => `No template "${name}" for channel "${channel}": expected the file templates/${key}.hbs.`,
    missingAsset: (path: string) => `Missing template asset ${path}.`,
    templateMissingField: (field: string, where: string) => `The template uses "${field}", which the data does not have (${where}). Fix the template or supply the field: templates are strict.`,
    templateBroken: (raw: string, where: string) => `${raw} (${where})`,
    templateMissingPartial: (name: string, where: string, known: string) =>
      `the template includes the partial "${name}" ({{> ${name}}}), but no file defines it (${where}). Partials are templates/<channel>/partials/<name>.hbs, included as {{> <channel>/<name>}}; these exist: ${known || 'none'}.`,
  },
  {
    unknownChannel: (channel: string, known: string) => `没有“${channel}”这个渠道。可用的渠道：${known}。`,
    smtpPassMissing: (rel: string, user: string, pass: string, url: string) =>
      `${rel}：设置了 ${user}，但没有设置 ${pass}：请把 SMTP 密码也放进 ${pass}（或者把整个服务器写成 ${url}=smtp://用户名:密码@主机:端口）。`,
    envNotAName: (rel: string, key: string) =>
      `${rel}：env.${key} 应该写环境变量的名字（例如 WECHAT_SECRET），而不是直接写值。密钥请放在环境变量里，绝不要放进代码仓库。`,
    optionalEnvNotAName: (rel: string, key: string) => `${rel}：optional_env.${key} 应该写环境变量的名字（例如 WECHAT_CALLBACK_TOKEN），而不是直接写值。`,
    configYaml: (raw: string) => `YAML 格式有误（解析器原文：${raw}）`,
    notAMapping: (got: string) => `这里应该是若干行“设置项: 值”，但现在是${gotZh[got] ?? got}。`,
    aList: '一个列表',
    unknownSetting: (key: string, near: string | undefined, known: string) => `没有“${key}”这个设置项。${near ? `您是不是要输入“${near}”？` : ''}这里可以用的设置项有：${known}。`,
    envNotAMapping: (key: string) => `“${key}”下面应该写名称和环境变量的对应，例如 "secret: WECHAT_SECRET"。`,
    wrongSettingType: (key: string, type: string, example: string, value: string) => `“${key}”应该是${typeZh[type] ?? type}（例如 ${example}），但现在是 ${value}。`,
    baseUrlLoopback: (url: string) =>
      `base_url 是 ${url}，这个地址只有本机能打开：试用时没问题，但每条微博、每封邮件和每个订阅源都会把读者链接到这里，微信、微博和电子邮件也会拒绝用它正式发布。请把 base_url 设为本局的公开网站（例如 https://www.example.gov.cn/advisories）。`,

    article: (n: number, of: number, file: string | undefined) => `第 ${n} 篇文章（共 ${of} 篇${file ? `，${file}` : ''}）`,
    wechatArticleCount: (count: number, max: number) =>
      `草稿里有 ${count} 篇文章，微信一篇草稿最多允许 ${max} 篇。请拆分专题的排期（在每个排期条目里写 \`advisories:\`），让每次发送最多包含 ${max} 篇。`,
    wechatNoArticles: '草稿里没有文章。',
    wechatTitle: (article: string, length: number, max: number) => `${article}：标题有 ${length} 个字，微信最多允许 ${max} 个。请缩短这篇提示的标题（title）。`,
    wechatAuthor: (article: string, length: number, max: number) => `${article}：作者有 ${length} 个字，微信最多允许 ${max} 个。请缩短 \`author\`。`,
    wechatDigest: (article: string, length: number, max: number) => `${article}：摘要（即这篇提示的 summary）有 ${length} 个字，微信最多允许 ${max} 个。请缩短这篇提示的 summary。`,
    wechatContent: (article: string, length: number, max: number) => `${article}：正文有 ${length} 个字符，微信要求少于 ${max} 个。请删减这篇提示，或拆成两篇。`,
    wechatContentSize: (article: string, bytes: number) => `${article}：正文有 ${bytes} 字节，微信要求小于 1 MB。请删减这篇提示。`,
    wechatInlineImage: (article: string, src: string) =>
      `${article}：正文里有一张没有上传到微信的图片（${src}），微信会把这种图片从文章里删掉。请改用专题封面，或者只在网站上放这张图片。`,
    wechatSourceUrl: (article: string, bytes: number) =>
      `${article}：指向网站的链接（content_source_url）有 ${bytes} 字节，微信最多允许 1 KB。请使用更短的网站 base_url 或提示 id。`,
    wechatNoCover: '草稿没有封面图片，而微信要求必须有。请在 campaign.yaml 里用 `cover:` 指定专题文件夹里的一张图片。',
    wechatDefaultCover: (missing: string | undefined, path: string) =>
      `${missing !== undefined ? `找不到封面“${missing}”，所以` : '这个专题没有写 `cover:`，所以'}使用了默认封面 ${path}。请添加一张图片（JPEG 或 PNG，小于 2 MB），并在 campaign.yaml 里写明。`,

    weiboLength: (length: number, max: number) => `微博正文按微博规则计为 ${length} 个字，微博最多允许 ${max} 个。请缩短摘要（summary）或标题（title）。`,
    weiboUrl: (url: string) =>
      `微博正文里没有页面地址 ${url}；微博要求带有应用安全域名下的链接，读者也需要它来查看完整提示。请在 channels/website.yaml 里设置 base_url。`,
    weiboTitleCut: '标题太长，一条微博放不下：已截短标题并省略了摘要。请缩短标题（title）。',
    emailSubject: (length: number, max: number) => `邮件主题有 ${length} 个字，很多邮件软件在大约 ${max} 个字之后就会截断。请缩短专题的标题（title）。`,
    emailUnsubscribe: (part: string) => `邮件的 ${part} 部分没有退订链接，每封邮件都必须有。请在模板里保留 {{{unsubscribe_url}}}。`,

    websitePayload: '网站的渲染结果里没有专题和页面：请重新渲染。',
    websiteImageAlt: '有一张图片没有替代文字（alt）。请在方括号里写上图片表达的内容，例如 ![民警提醒：出门关好门窗](images/tip.png)。',
    websiteFrontMatterAlt: (image: string) => `开头设置里写了 image: ${image}，但没有 image_alt。请加上 image_alt:，写明图片显示或表达的内容。`,
    websiteTipInImage: (chars: number) => `防范建议只在图片里（文字只有 ${chars} 个字符）。请把提示也写成文字，方便朗读和放大。`,
    websiteNoAdvice: '没有“## 防范建议”这一节：CAP 预警信息将没有 <instruction>。请在建议内容前加一个标题“## 防范建议”。',
    websiteReservedId: (id: string, suggestion: string) => `文件夹名“${id}”已被网站自身占用（/${id}/）。请给专题文件夹改名，例如改为 ${suggestion}。`,

    noTemplate: (name: string, channel: string, key: string) => `渠道“${channel}”没有模板“${name}”：应有文件 templates/${key}.hbs。`,
    missingAsset: (path: string) => `缺少模板附带的文件 ${path}。`,
    templateMissingField: (field: string, where: string) => `模板用到了“${field}”，但数据里没有这一项（${where}）。请修改模板或提供这个字段：模板要求每个字段都必须存在。`,
    templateBroken: (raw: string, where: string) => `模板有误（${where}）。Handlebars 原文：${raw}`,
    templateMissingPartial: (name: string, where: string, known: string) =>
      `模板引用了子模板“${name}”（{{> ${name}}}），但没有哪个文件定义了它（${where}）。子模板放在 templates/<渠道>/partials/<名称>.hbs，用 {{> <渠道>/<名称>}} 引用；现有的子模板：${known || '（无）'}。`,
  },
);
