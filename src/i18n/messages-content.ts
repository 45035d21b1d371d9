/**
 * `advisory check`'s messages about content files and folders: front matter, empty or oversized texts,
 * Markdown past its limits, files that are not read (links, encodings, look-alikes), ids, pictures and
 * characters no title may hold (content/front-matter.ts, parse.ts, load.ts, load-advisories.ts,
 * read-file.ts, validate-refs.ts, text-fields.ts, markdown-limits.ts, raw-html.ts).
 */
import { messages } from './index.js';

/** What content/load-advisories.ts `fileKind` finds at a path that is not a regular file. */
export type FileKind = 'folder' | 'fifo' | 'socket' | 'device';

/** The Markdown limits of content/markdown-limits.ts, by name. */
export type LimitName = 'lines' | 'links' | 'footnotes' | 'emphasis' | 'code' | 'html' | 'tableCells' | 'tableColumns' | 'elements';

const en = (x: number) => x.toLocaleString('en');

const LIMITS_EN: Record<LimitName, [what: string, how: string]> = {
  lines: ['lines', 'each non-blank line is a paragraph line, list item, heading or table row'],
  links: ['links, images and footnote references', 'each "[", web address (http://, www.) or e-mail address (@) starts one'],
  footnotes: ['footnote references and definitions', 'each "[^" starts one'],
  emphasis: ['emphasis markers', 'each "*", "_" or "~" counts; **bold** uses four'],
  code: ['code markers', 'each "`" counts'],
  html: ['angle brackets and character references', 'each "<" or "&" counts (raw HTML is removed anyway)'],
  tableCells: ['table cells', 'a table\'s rows × its columns, counted over every table'],
  tableColumns: ['columns', 'the "|---|" line below a table\'s header has one "---" per column'],
  elements: ['Markdown elements', 'lines, links, table cells and footnotes count one each, emphasis and code markers one per two, "<" and "&" one per four'],
};

const LIMITS_ZH: Record<LimitName, [what: string, how: string]> = {
  lines: ['行', '每个非空行都算一行：段落中的一行、列表项、标题或表格的一行'],
  links: ['个链接、图片和脚注引用', '每个“[”、网址（http://、www.）或电子邮件地址（@）都算一个'],
  footnotes: ['个脚注引用和脚注定义', '每个“[^”都算一个'],
  emphasis: ['个强调符号', '每个“*”“_”或“~”都算一个；**加粗** 用了四个'],
  code: ['个代码符号', '每个“`”都算一个'],
  html: ['个尖括号和字符引用', '每个“<”或“&”都算一个（原始 HTML 反正会被删掉）'],
  tableCells: ['个表格单元格', '表格的行数 × 列数，所有表格合计'],
  tableColumns: ['列', '表头下面那行“|---|”里，每个“---”是一列'],
  elements: ['个 Markdown 元素', '每行、每个链接、每个表格单元格、每个脚注算一个，强调和代码符号每两个算一个，“<”和“&”每四个算一个'],
};

const UNICODE_NAMES: Record<number, string> = {
  0x00: 'NUL', 0x7f: 'DEL',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING', 0x202c: 'POP DIRECTIONAL FORMATTING', 0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE', 0x2069: 'POP DIRECTIONAL ISOLATE',
};

export const contentMessages = messages(
  {
    noFrontMatter:
      'no front matter: an advisory must start with a line "---", then its settings (at least title: and summary:), then a closing "---" line, then the text (e.g. "---" / "title: 防范入室盗窃案件" / "summary: 外出前关好门窗。" / "---")',
    frontMatterUnclosed: 'the front matter opened here is never closed: add a line with just "---" after the last setting (title:, summary:, …) and before the text',
    emptyCampaign: 'campaign.yaml is empty: it needs at least title:, issuer: and summary: (run `advisory new <id>` for a complete example)',
    emptyBody: 'the advisory has no text after its front matter: write the Markdown text below the closing "---" line',
    bodyTooLong: (length: number, max: number) =>
      `the text is ${en(length)} characters; an advisory may have at most ${en(max)} (WeChat accepts 20,000, Weibo 140): shorten it or split it into several advisories`,
    markdownTooDeep: (max: number) =>
      `refused: the text nests quotes (>), lists or emphasis more than ${max} levels deep here, which no channel can render. Use at most a few levels: a list, or a quote with a list in it`,
    markdownLimit: (name: LimitName, count: number, max: number) => {
      const perTable = name === 'tableColumns';
      const [what, how] = LIMITS_EN[name];
      return `refused: the text has ${perTable ? 'a table with ' : ''}${en(count)} ${what}; ${perTable ? 'a table' : 'an advisory'} may have at most ${en(max)} (${how}). `
        + 'The one past the limit is here. Markdown this large makes checking and publishing slow for every channel: shorten the text, or split it into several advisories';
    },
    invalidDate: (value: string, reason: string) => `invalid date "${value}": ${reason}`,
    advisoryExpired: (date: string) => `this advisory expired on ${date}: it is left out of new posts. Remove or change "expires" to publish it`,
    imageAltMissing: 'the image has no description for screen readers: add image_alt: (a short sentence saying what the picture shows)',
    // Raw HTML in the text, markup in plain fields (raw-html.ts)
    rawHtmlBlock: (tag: string) =>
      `this HTML (${tag}) is not shown on any channel: the whole block is removed. Delete it, and write what it was for in Markdown (a picture: ![what it shows](images/photo.jpg); bold: **words**)`,
    rawHtmlBlockText: (tag: string, text: string) =>
      `this HTML (${tag}) is not shown on any channel, and the text inside it is lost with it: "${text}". Delete the HTML tags and keep the text as Markdown`,
    rawHtmlInline: (tag: string) =>
      `the HTML tag ${tag} is not shown on any channel (the text around it is kept): delete it and use Markdown instead (bold: **words**; a link: [words](https://…); a new paragraph: a blank line)`,
    markupInField: (field: string, tag: string) =>
      `"${field}" holds markup (${tag}), but it is plain text: the channels show the markup as other characters or drop it (a tag that is only markup is published empty). Write it as plain text, without < >`,

    // The project and its folders (load.ts, load-advisories.ts)
    notAProjectHint: 'run the command inside your project folder (the one that holds advisories/), or name it with --root DIR',
    rootMissing: (root: string, hint: string) => `the folder ${root} does not exist: ${hint}`,
    rootIsFile: (root: string, hint: string) => `${root} is a file, not a folder: ${hint}`,
    noAdvisoriesFolder: (root: string, hint: string) => `there is no advisories/ folder in ${root}: ${hint}; to start a new project there, run \`advisory new <id>\``,
    advisoriesIsFile: (dir: string) => `${dir} is a file, but it must be the folder that holds the campaigns: rename or remove it, then run \`advisory new <id>\``,
    advisoriesUnreadable: (root: string) => `cannot read the advisories/ folder in ${root}`,
    brokenSymlink: 'this symbolic link points to nothing: remove it',
    symlinkOutsideAdvisories: (target: string) => `refused: this is a symbolic link to ${target}, outside the advisories folder. Copy the campaign here instead of linking it`,
    kindName: (kind: FileKind | undefined) => (kind ? { folder: 'a folder', fifo: 'a named pipe (FIFO)', socket: 'a socket', device: 'a device' }[kind] : 'a broken link'),
    notMarkdownNorCampaign: (kind: string) => `this is ${kind}, not a Markdown file or a campaign folder, so it is ignored: rename or remove it`,
    markdownOutsideCampaign: 'this Markdown file is not in a campaign folder, so it is never published: move it into a folder under advisories/ that has a campaign.yaml (e.g. advisories/national-day/)',
    campaignFolderName: (folder: string) =>
      `the campaign folder name "${folder}" is used in web addresses and delivery keys, so it must be lower-case letters, digits and dashes (e.g. 2014-national-day), or Chinese (2027-春节, whose id is its pinyin): rename the folder, or set id: 2027-spring-festival in campaign.yaml`,
    duplicateCampaignId: (id: string, first: string, second: string) =>
      `the campaign id "${id}" is already the id of advisories/${first}/: two campaigns would share one web address and one delivery ledger. Set a different id: in advisories/${second}/campaign.yaml, or rename a folder`,
    missingCampaignYaml: (dir: string, other: string | undefined) =>
      `the campaign folder ${dir}/ has no campaign.yaml${other ? `; found "${other}": rename it to campaign.yaml` : ': add one (title, issuer, summary, schedule; `advisory new <id>` writes an example)'}`,
    noAdvisories: (dir: string) => `the campaign has no advisories: add at least one Markdown file next to campaign.yaml, e.g. ${dir}/01-burglary.md`,
    minIntervalNotDuration: (text: string) => `min_interval: "${text}" is not a duration: write the least time between two posts as 30m, 1h or 1d, or 0 for no minimum`,
    notAFileMd: (kind: string) => `this is ${kind}, not a file, so it is not published although its name ends in .md: rename or remove it`,
    advisoryIdInvalid: (id: string) =>
      `the advisory id "${id}" (from the file name) must be lower-case letters, digits and dashes, as it is used in web addresses: rename the file (e.g. 01-burglary.md or 01-入室盗窃.md) or set id: burglary in the front matter`,
    duplicateId: (id: string, first: string) => `the advisory id "${id}" is already used by ${first}: ids must be unique within a campaign; rename the file or set a different id: in the front matter`,
    lookalike: (fixed: string) =>
      `this file is not published: only files ending in .md are advisories. If it is one, rename it to ${fixed} (in Windows, turn on "File name extensions" in Explorer's View menu to see the real ending)`,
    inSubfolder: (dir: string, sub: string) => `this file is not published: advisories must be directly in the campaign folder ${dir}/, not in the subfolder ${sub}/. Move it up a level to publish it`,

    // Reading files (read-file.ts)
    fileNotFound: 'file not found (a symbolic link to a missing file?)',
    cannotRead: (code: string) => `cannot read the file: ${code}`,
    symlinkOutside: (link: boolean, real: string, folder: 'advisories' | 'campaign') =>
      `refused: this ${link ? 'is a symbolic link' : 'lies behind a symbolic link'} to ${real}, outside the ${folder} folder. Copy the file into the campaign folder instead of linking it`,
    notRegularFile: 'expected a regular file',
    fileTooLarge: (size: string, max: string, content: boolean) =>
      `refused: the file is ${size}, more than the ${max} allowed. ${content ? 'An advisory is a few KB of text: split it, or check that this is the right file' : 'Make the image smaller (WeChat and e-mail need small images anyway)'}`,
    utf16: (kind: string) => `the file is saved as ${kind} ("Unicode" in Notepad), not UTF-8. Convert it to UTF-8: \`iconv -f ${kind} -t UTF-8 in.md > out.md\`, or in Notepad: File → Save As → Encoding: UTF-8`,
    notUtf8: (byte: string, looksGbk: boolean) =>
      `the file is not UTF-8 (first bad byte 0x${byte} here)${looksGbk ? '; it looks like GBK/GB18030, as Windows editors save Chinese text by default' : ''}. Convert it to UTF-8: ${looksGbk ? '`iconv -f GBK -t UTF-8 in.md > out.md`' : 'open it in the editor that wrote it and save it again'}, or in Notepad: File → Save As → Encoding: UTF-8`,

    // Advisories named by a schedule, pictures (validate-refs.ts)
    unknownAdvisory: (schedule: string, id: string, near: string | undefined, ids: string) =>
      `schedule "${schedule}" names the advisory "${id}", which this campaign does not have.${near ? ` Did you mean "${near}"?` : ''} Its advisories are: ${ids || '(none)'}`,
    imageOutside: (ref: string, dir: string) => `"${ref}" is outside the campaign folder: put the image in ${dir}/images/ and write e.g. images/cover.png (a path relative to the campaign folder)`,
    imageTypeByName: (ref: string) => `"${ref}" is not a JPEG, PNG, GIF or WebP image (by its file name): WeChat, Weibo and e-mail accept only these`,
    imageMissing: (ref: string, rel: string) => `the image "${ref}" does not exist (looked for ${rel}); check the spelling and the folder (paths are relative to the campaign folder, e.g. images/cover.png)`,
    imageUnreadable: (ref: string, reason: string) => `the image "${ref}": ${reason}`,
    imageTypeByContent: (ref: string) => `"${ref}" is named like an image but its content is not JPEG, PNG, GIF or WebP (a renamed or damaged file?): open it in an image editor and export it as JPEG or PNG`,
    imageNoAddress: (ref: string, dir: string) =>
      `"${ref}" is neither a file in the campaign folder nor a web address (http:// or https://), so no channel can show it: put the picture in ${dir}/images/ and write e.g. images/lock.jpg`,

    // Characters no title holds (text-fields.ts)
    /** The name of a control or bidirectional character after its U+ code (Unicode's own names stay in English). */
    charName: (cp: number): string => ({ ...UNICODE_NAMES, 0x07: 'BEL (bell)', 0x08: 'BS (backspace)', 0x09: 'a tab', 0x0a: 'a line break', 0x0d: 'a carriage return', 0x1b: 'ESC (escape)' })[cp] ?? '',
    controlCharacter: (field: string, char: string, at: number, multiline: boolean) =>
      `"${field}" holds the control character ${char} (character ${at}), which terminals, e-mail headers and the channels' APIs may act on: delete it (it was probably pasted in with the text)${multiline ? '' : '; a one-line field holds no tabs or line breaks either'}`,
    bidiControl: (field: string, char: string, at: number) =>
      `"${field}" holds ${char} (character ${at}), an invisible character that makes text read in a different order than it is written: delete it`,
    invisibleText: (field: string, shown: string) => `"${field}" has only invisible characters (${shown}), so readers would see nothing: write the ${field} in words`,
  },
  {
    noFrontMatter:
      '缺少开头设置：提示文件必须以一行“---”开头，接着写设置（至少要有 title: 和 summary:），再用一行“---”结束，然后才是正文（例如“---” / “title: 防范入室盗窃案件” / “summary: 外出前关好门窗。” / “---”）',
    frontMatterUnclosed: '这里开始的开头设置没有结束：请在最后一项设置（title:、summary: 等）之后、正文之前，加一行只有“---”的行',
    emptyCampaign: 'campaign.yaml 是空的：至少需要 title:、issuer: 和 summary:（运行 `advisory new <id>` 可以生成完整的示例）',
    emptyBody: '这篇提示在开头设置之后没有正文：请在结束的“---”行下面写上 Markdown 正文',
    bodyTooLong: (length: number, max: number) =>
      `正文有 ${en(length)} 个字符，一篇提示最多 ${en(max)} 个（微信最多接受 20,000 个，微博 140 个）：请删减，或拆成几篇提示`,
    markdownTooDeep: (max: number) =>
      `已拒绝：这里的引用（>）、列表或强调嵌套超过 ${max} 层，任何渠道都无法显示。最多只用几层：一个列表，或者引用里套一个列表`,
    markdownLimit: (name: LimitName, count: number, max: number) => {
      const [what, how] = LIMITS_ZH[name];
      const has = name === 'tableColumns' ? `正文里的一个表格有 ${en(count)} ${what}，一个表格` : `正文有 ${en(count)} ${what}，一篇提示`;
      return `已拒绝：${has}最多只能有 ${en(max)} ${what}（${how}）。超出限制的第一个就在这里。这么大的 Markdown 会让每个渠道的检查和发布都变慢：请删减正文，或拆成几篇提示`;
    },
    invalidDate: (value: string, reason: string) => `日期“${value}”无效：${reason}`,
    advisoryExpired: (date: string) => `这篇提示已于 ${date} 过期：新的发布不会包含它。要发布它，请删除或修改“expires”`,
    imageAltMissing: '这张图片没有给读屏软件用的文字说明：请加上 image_alt:（用一句话说明图片的内容）',
    rawHtmlBlock: (tag: string) =>
      `这里的 HTML（${tag}）在任何渠道都不会显示：整段都会被去掉。请删掉它，需要的效果改用 Markdown 来写（图片：![图片内容](images/photo.jpg)；加粗：**文字**）`,
    rawHtmlBlockText: (tag: string, text: string) =>
      `这里的 HTML（${tag}）在任何渠道都不会显示，里面的文字也会跟着丢失：“${text}”。请删掉这些 HTML 标签，把文字留作普通的 Markdown 正文`,
    rawHtmlInline: (tag: string) =>
      `HTML 标签 ${tag} 在任何渠道都不会显示（前后的文字会保留）：请删掉它，改用 Markdown（加粗：**文字**；链接：[文字](https://…)；另起一段：空一行）`,
    markupInField: (field: string, tag: string) =>
      `“${field}”里有标记（${tag}），但这里只能写纯文本：各渠道会把标记显示成别的字符，或者直接去掉（只有标记的标签会发布成空的）。请改成纯文本，不要用 < >`,

    notAProjectHint: '请在项目文件夹（包含 advisories/ 的那个文件夹）里运行命令，或者用 --root 目录 指定它',
    rootMissing: (root: string, hint: string) => `文件夹 ${root} 不存在：${hint}`,
    rootIsFile: (root: string, hint: string) => `${root} 是一个文件，不是文件夹：${hint}`,
    noAdvisoriesFolder: (root: string, hint: string) => `${root} 里没有 advisories/ 文件夹：${hint}；如果要在那里新建项目，请运行 \`advisory new <id>\``,
    advisoriesIsFile: (dir: string) => `${dir} 是一个文件，但它必须是存放各个专题的文件夹：请把它改名或删除，然后运行 \`advisory new <id>\``,
    advisoriesUnreadable: (root: string) => `无法读取 ${root} 里的 advisories/ 文件夹`,
    brokenSymlink: '这个符号链接指向的东西不存在：请删除它',
    symlinkOutsideAdvisories: (target: string) => `已拒绝：这是指向 ${target} 的符号链接，在 advisories 文件夹之外。请把专题复制到这里，不要用链接`,
    kindName: (kind: FileKind | undefined) => (kind ? { folder: '一个文件夹', fifo: '一个命名管道（FIFO）', socket: '一个套接字', device: '一个设备' }[kind] : '一个失效的链接'),
    notMarkdownNorCampaign: (kind: string) => `这是${kind}，既不是 Markdown 文件，也不是专题文件夹，所以被忽略：请改名或删除`,
    markdownOutsideCampaign: '这个 Markdown 文件不在任何专题文件夹里，所以永远不会发布：请把它移到 advisories/ 下某个有 campaign.yaml 的文件夹里（例如 advisories/national-day/）',
    campaignFolderName: (folder: string) =>
      `专题文件夹名“${folder}”会用在网址和发送记录里，所以只能由小写字母、数字和短横线组成（例如 2014-national-day），或者用中文（例如 2027-春节，它的 id 就是拼音）：请给文件夹改名，或在 campaign.yaml 里写 id: 2027-spring-festival`,
    duplicateCampaignId: (id: string, first: string, second: string) =>
      `专题 id“${id}”已经是 advisories/${first}/ 的 id：两个专题会共用一个网址和一本发送记录。请在 advisories/${second}/campaign.yaml 里写一个不同的 id:，或给其中一个文件夹改名`,
    missingCampaignYaml: (dir: string, other: string | undefined) =>
      `专题文件夹 ${dir}/ 里没有 campaign.yaml${other ? `；找到了“${other}”：请把它改名为 campaign.yaml` : '：请添加一个（包括 title、issuer、summary、schedule；`advisory new <id>` 可以生成示例）'}`,
    noAdvisories: (dir: string) => `这个专题还没有提示：请在 campaign.yaml 旁边至少放一个 Markdown 文件，例如 ${dir}/01-burglary.md`,
    minIntervalNotDuration: (text: string) => `min_interval: "${text}" 不是一段时长：请写两次发布之间的最短间隔，例如 30m、1h 或 1d，写 0 表示不限`,
    notAFileMd: (kind: string) => `这是${kind}，不是文件，所以虽然名字以 .md 结尾也不会发布：请改名或删除`,
    advisoryIdInvalid: (id: string) =>
      `提示的 id“${id}”（来自文件名）只能由小写字母、数字和短横线组成，因为它会用在网址里：请给文件改名（例如 01-burglary.md 或 01-入室盗窃.md），或在开头设置里写 id: burglary`,
    duplicateId: (id: string, first: string) => `提示的 id“${id}”已经被 ${first} 使用：同一个专题里的 id 不能重复；请给文件改名，或在开头设置里写一个不同的 id:`,
    lookalike: (fixed: string) =>
      `这个文件不会发布：只有以 .md 结尾的文件才是提示。如果它是提示，请改名为 ${fixed}（在 Windows 资源管理器的“查看”菜单里勾选“文件扩展名”，就能看到真正的扩展名）`,
    inSubfolder: (dir: string, sub: string) => `这个文件不会发布：提示必须直接放在专题文件夹 ${dir}/ 里，不能放在子文件夹 ${sub}/ 里。请把它移到上一层才能发布`,

    fileNotFound: '找不到文件（是不是指向不存在文件的符号链接？）',
    cannotRead: (code: string) => `无法读取这个文件：${code}`,
    symlinkOutside: (link: boolean, real: string, folder: 'advisories' | 'campaign') =>
      `已拒绝：这个文件${link ? '是一个符号链接' : '位于一个符号链接后面'}，指向 ${real}，在${folder === 'advisories' ? ' advisories ' : '专题'}文件夹之外。请把文件复制到专题文件夹里，不要用链接`,
    notRegularFile: '这里应该是一个普通文件',
    fileTooLarge: (size: string, max: string, content: boolean) =>
      `已拒绝：文件大小为 ${size}，超过了允许的 ${max}。${content ? '一篇提示只有几 KB 文字：请拆分，或确认这是不是要用的那个文件' : '请把图片缩小（微信和电子邮件本来也需要小图片）'}`,
    utf16: (kind: string) => `这个文件保存成了 ${kind}（记事本里叫“Unicode”），不是 UTF-8。请转换成 UTF-8：\`iconv -f ${kind} -t UTF-8 in.md > out.md\`，或者在记事本里：文件 → 另存为 → 编码：UTF-8`,
    notUtf8: (byte: string, looksGbk: boolean) =>
      `这个文件不是 UTF-8 编码（第一个有问题的字节 0x${byte} 在这里）${looksGbk ? '；看起来是 GBK/GB18030，Windows 编辑器默认这样保存中文' : ''}。请转换成 UTF-8：${looksGbk ? '`iconv -f GBK -t UTF-8 in.md > out.md`' : '用当初编辑它的软件打开，再保存一次'}，或者在记事本里：文件 → 另存为 → 编码：UTF-8`,

    unknownAdvisory: (schedule: string, id: string, near: string | undefined, ids: string) =>
      `排期“${schedule}”写了提示“${id}”，但这个专题里没有这篇提示。${near ? `您是不是要输入“${near}”？` : ''}它的提示有：${ids || '（无）'}`,
    imageOutside: (ref: string, dir: string) => `“${ref}”在专题文件夹之外：请把图片放进 ${dir}/images/，然后写成例如 images/cover.png（相对于专题文件夹的路径）`,
    imageTypeByName: (ref: string) => `从文件名看，“${ref}”不是 JPEG、PNG、GIF 或 WebP 图片：微信、微博和电子邮件只接受这几种`,
    imageMissing: (ref: string, rel: string) => `图片“${ref}”不存在（找的是 ${rel}）；请检查拼写和文件夹（路径相对于专题文件夹，例如 images/cover.png）`,
    imageUnreadable: (ref: string, reason: string) => `图片“${ref}”：${reason}`,
    imageTypeByContent: (ref: string) => `“${ref}”的名字像图片，但内容不是 JPEG、PNG、GIF 或 WebP（被改过扩展名或已损坏？）：请用图片编辑软件打开，另存为 JPEG 或 PNG`,
    imageNoAddress: (ref: string, dir: string) =>
      `“${ref}”既不是专题文件夹里的文件，也不是网址（http:// 或 https://），任何渠道都无法显示：请把图片放进 ${dir}/images/，然后写成例如 images/lock.jpg`,

    charName: (cp: number): string => ({ ...UNICODE_NAMES, 0x07: 'BEL（响铃）', 0x08: 'BS（退格）', 0x09: '制表符', 0x0a: '换行符', 0x0d: '回车符', 0x1b: 'ESC（转义）' })[cp] ?? '',
    controlCharacter: (field: string, char: string, at: number, multiline: boolean) =>
      `“${field}”里有控制字符 ${char}（第 ${at} 个字符），终端、邮件标题和各渠道的接口可能会把它当作指令：请删掉它（多半是和文字一起粘贴进来的）${multiline ? '' : '；单行字段里也不能有制表符或换行'}`,
    bidiControl: (field: string, char: string, at: number) => `“${field}”里有 ${char}（第 ${at} 个字符），这是一个看不见的字符，会让文字的显示顺序和书写顺序不同：请删掉它`,
    invisibleText: (field: string, shown: string) => `“${field}”里只有看不见的字符（${shown}），读者什么也看不到：请用文字填写 ${field}`,
  },
);
