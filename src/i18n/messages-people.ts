/**
 * What is said about people: `advisory subscribers` (cli/commands/subscribers.ts) and the lists it
 * imports (delivery/subscriber-list.ts); `advisory staff` (cli/commands/staff.ts) and staff names and
 * passwords (delivery/staff.ts).
 */
import { messages } from './index.js';

type SubscriberState = 'active' | 'pending' | 'unsubscribed' | 'bounced';

export const subscribersMessages = messages(
  {
    usage: (maxName: number, states: string) => [
      'Usage: advisory subscribers <add|import|export|list|remove> …',
      '',
      '  add ADDRESS [--name NAME]       subscribe one address; re-subscribes one that had unsubscribed or bounced',
      '  import FILE.csv | -             a CSV ("-" reads standard input) in UTF-8, GBK/GB18030 or UTF-16.',
      '                                  With a header row: the address column is found by its name (email, e-mail,',
      '                                  email address, mail, address, 邮箱, 电子邮箱, 邮件地址, 电子邮件, 邮箱地址), the',
      '                                  name by name, full name, 姓名, 名字, 称呼 (or first name + last name); other',
      '                                  columns are ignored. Without one: address[,name] per line. Blank lines and',
      '                                  lines starting with # are skipped. Addresses that unsubscribed or bounced',
      '                                  earlier are NOT re-subscribed by an import, nor rows a status column marks so.',
      `                                  Names longer than ${maxName} characters are cut (a warning with the line).`,
      '  export [FILE | -] [--status S]  CSV, UTF-8 with BOM: email,name,status,source,created_at,confirmed_at,',
      '                                  unsubscribed_at,bounces (standard output without FILE); never the tokens',
      '  list [--status S] [--json]      the counts of each state, then every subscriber (or those in state S)',
      '  remove ADDRESS                  unsubscribe (the record stays, for the audit log)',
      '',
      `States (S): ${states}. The subscribers are the e-mail channel's recipients, kept in var/advisory.db.`,
      'Exit codes: 0 done, 1 an address was invalid (import: some line was, the valid ones are added; or the file has',
      'no address column, nothing is added) or is unknown (remove), 2 usage or an unreadable file.',
    ].join('\n'),
    sayWhat: (actions: string) => `say what to do: ${actions}.`,
    unknownAction: (action: string, actions: string) => `unknown action "${action}": use ${actions}.`,
    needsFile: '`advisory subscribers import` needs a file (or - for standard input).',
    needsAddress: (action: string) => `\`advisory subscribers ${action}\` needs an address.`,
    unexpected: (arg: string) => `unexpected argument "${arg}".`,
    nameWithAdd: '--name goes with `add` (in an import, give the name a column: "email,name").',
    jsonWithList: '--json goes with `list` (`export` writes CSV).',
    statusWith: '--status goes with `list` and `export`.',
    notAState: (status: string, states: string) => `--status "${status}" is not a state: use one of ${states}.`,
    cannotReadStdin: (message: string) => `cannot read standard input: ${message}`,
    readFromRoot: (file: string, cwd: string, inRoot: string) => `note: ${file} is not in ${cwd}; read ${inRoot} (in the project folder) instead.`,
    cannotRead: (file: string, message: string) => `cannot read ${file}: ${message}`,
    /** The list to import is not there: where it was looked for, and what to do. */
    fileNotFound: (file: string, cwd: string, path: string) =>
      `there is no file ${file}: it was looked for relative to the current folder (${cwd}), as ${path}. Check the name, or give the whole path (e.g. D:\\lists\\subscribers.csv; dragging the file into this window types it).`,
    fileIsFolder: (file: string) => `${file} is a folder, not a file: name the CSV or text file in it.`,
    fileNoPermission: (file: string) => `${file} may not be read by this user: ask whoever owns it, or copy it somewhere you may read.`,
    invalidAddress: (address: string, problem: string) => `invalid address "${address}": ${problem}`,
    nameCut: (max: number, name: string) => `the name is longer than ${max} characters; kept as "${name}".`,
    subscribed: 'subscribed',
    subscribedAgainUnsubscribed: 'subscribed again (had unsubscribed)',
    subscribedAgainBounced: (bounces: number, last: string | null) =>
      `subscribed again (had bounced: ${bounces} hard bounce(s), the last ${last ?? 'unrecorded'}; the count starts again from 0 — make sure the address works now)`,
    subscribedWasPending: 'subscribed (was waiting for the confirmation of a sign-up; now active)',
    alreadySubscribed: 'already subscribed',
    added: (address: string, what: string, name: string | null) => `${address}: ${what}${name ? ` (${name})` : ''}.`,
    stdinLabel: '(standard input)',
    imported: (label: string, encoding: string, r: { added: number; present: number; unsubscribed: number; bounced: number; notActive: number; invalid: number }) =>
      `${label} (${encoding}): ${r.added} added, ${r.present} already present, ${r.unsubscribed} unsubscribed earlier (skipped)` +
      `${r.bounced > 0 ? `, ${r.bounced} bounced earlier (skipped)` : ''}` +
      `${r.notActive > 0 ? `, ${r.notActive} not subscribed in the file's status column (skipped)` : ''}, ${r.invalid} invalid.`,
    skippedUnsubscribed: (place: string, address: string) =>
      `  ${place}: ${address} unsubscribed earlier; not re-subscribed by an import (use \`advisory subscribers add\` if they asked to be).`,
    skippedBounced: (place: string, address: string) =>
      `  ${place}: ${address} bounced earlier (mail to it was refused); not re-subscribed by an import (use \`advisory subscribers add\` once the address works).`,
    skippedNotActive: (place: string, address: string, status: string) => `  ${place}: ${address} is "${status}" in the file; only active rows are imported.`,
    nothingToImport: (label: string, afterHeader: boolean) =>
      `${label}: warning nothing to import: the file has no lines but blank ones and comments${afterHeader ? ' after its header' : ''}.`,
    lineWarning: (place: string, message: string) => `${place}: warning ${message} (shorten it in the file to choose how).`,
    lineInvalid: (place: string, message: string) => `${place}: ${message}. Fix the line and import again (valid lines are not added twice).`,
    column: (name: string, n: number) => `"${name}" (column ${n})`,
    addressFrom: (column: string) => `the address from ${column}`,
    nameFrom: (columns: string) => `the name from ${columns}`,
    noNameColumn: 'no name column',
    statusFrom: (column: string) => `the status from ${column}`,
    ignored: (n: number) => `${n} other column(s) ignored`,
    columnsSentence: (parts: string[]) => `${parts.join(', ')}.`,
    formulaStripped: (address: string) =>
      `warning: the address ${address} starts with a character a spreadsheet runs as a formula; it was stripped in the export, so that row will not import back as the same address.`,
    countWhat: (n: number, status: string | null) => `${n} subscriber(s)${status ? ` (${status})` : ''}`,
    exportedToStdout: (what: string) => `exported ${what} as CSV (UTF-8 with BOM).`,
    exportedTo: (what: string, file: string) => `exported ${what} to ${file} (CSV, UTF-8 with BOM; no unsubscribe tokens).`,
    /** `120 active, 3 pending, …` */
    counts: (parts: Array<[number, SubscriberState]>) => parts.map(([n, s]) => `${n} ${subscriberStateNames('en')[s]}`).join(', '),
    notASubscriber: (address: string) => `${address} is not a subscriber (see \`advisory subscribers list\`).`,
    bouncedAlready: (address: string) => `${address}: bounced earlier; it is sent nothing already (kept as bounced).`,
    alreadyUnsubscribed: (address: string) => `${address}: already unsubscribed.`,
    unsubscribed: (address: string) => `${address}: unsubscribed (kept in the ledger for the audit log; pending e-mails to it are not sent).`,
  },
  {
    usage: (maxName: number, states: string) => [
      '用法：advisory subscribers <add|import|export|list|remove> …',
      '',
      '  add ADDRESS [--name NAME]       订阅一个地址；曾经退订或退信的地址会重新订阅',
      '  import FILE.csv | -             导入 CSV 文件（“-”表示从标准输入读取），编码可以是 UTF-8、GBK/GB18030 或 UTF-16。',
      '                                  有标题行时：按列名找地址列（email、e-mail、email address、mail、address、',
      '                                  邮箱、电子邮箱、邮件地址、电子邮件、邮箱地址），按 name、full name、姓名、名字、',
      '                                  称呼（或 first name + last name）找姓名列；其他列不管。没有标题行时：每行',
      '                                  “地址[,姓名]”。空行和以 # 开头的行跳过。以前退订或退信的地址不会因导入',
      '                                  而重新订阅，状态列标明未订阅的行也不会导入。',
      `                                  姓名超过 ${maxName} 个字的会被截短（给出警告和行号）。`,
      '  export [FILE | -] [--status S]  导出 CSV（UTF-8，带 BOM）：email,name,status,source,created_at,confirmed_at,',
      '                                  unsubscribed_at,bounces（不写 FILE 时输出到标准输出）；不含退订令牌',
      '  list [--status S] [--json]      先列出各状态的人数，再列出所有订阅者（或状态为 S 的订阅者）',
      '  remove ADDRESS                  退订（记录保留，供审计日志使用）',
      '',
      `状态（S）：${states}。订阅者就是电子邮件渠道的收件人，保存在 var/advisory.db 中。`,
      '退出码：0 完成，1 地址无效（导入时：有的行无效，有效的行照常添加；或者文件没有地址列，什么也不添加）',
      '或地址不存在（remove），2 用法错误或文件无法读取。',
    ].join('\n'),
    sayWhat: (actions: string) => `请说明要做什么：${actions}。`,
    unknownAction: (action: string, actions: string) => `没有“${action}”这个操作：请用 ${actions}。`,
    needsFile: '`advisory subscribers import` 需要一个文件（或用 - 表示标准输入）。',
    needsAddress: (action: string) => `\`advisory subscribers ${action}\` 需要一个地址。`,
    unexpected: (arg: string) => `多余的参数“${arg}”。`,
    nameWithAdd: '--name 要和 `add` 一起用（导入时请把姓名放在一列里：“email,name”）。',
    jsonWithList: '--json 要和 `list` 一起用（`export` 输出的是 CSV）。',
    statusWith: '--status 要和 `list` 或 `export` 一起用。',
    notAState: (status: string, states: string) => `--status “${status}”不是有效的状态：请用 ${states} 之一。`,
    cannotReadStdin: (message: string) => `无法读取标准输入：${message}`,
    readFromRoot: (file: string, cwd: string, inRoot: string) => `提示：${cwd} 中没有 ${file}；已改为读取项目文件夹中的 ${inRoot}。`,
    cannotRead: (file: string, message: string) => `无法读取 ${file}：${message}`,
    fileNotFound: (file: string, cwd: string, path: string) =>
      `找不到文件 ${file}：是相对于当前文件夹（${cwd}）查找的，即 ${path}。请检查文件名，或写出完整路径（例如 D:\\名单\\订阅者.csv；把文件拖进这个窗口即可自动填入路径）。`,
    fileIsFolder: (file: string) => `${file} 是一个文件夹，不是文件：请写出其中的 CSV 或文本文件。`,
    fileNoPermission: (file: string) => `当前用户没有权限读取 ${file}：请联系文件的所有者，或把它复制到您有权限读取的地方。`,
    invalidAddress: (address: string, problem: string) => `地址“${address}”无效：${problem}`,
    nameCut: (max: number, name: string) => `姓名超过 ${max} 个字，保留为“${name}”。`,
    subscribed: '已订阅',
    subscribedAgainUnsubscribed: '已重新订阅（之前退订过）',
    subscribedAgainBounced: (bounces: number, last: string | null) =>
      `已重新订阅（之前退信：硬退信 ${bounces} 次，最近一次 ${last ?? '未记录'}；计数从 0 重新开始，请确认这个地址现在能收信）`,
    subscribedWasPending: '已订阅（之前在等待网上订阅的确认，现在已生效）',
    alreadySubscribed: '已经订阅过了',
    added: (address: string, what: string, name: string | null) => `${address}：${what}${name ? `（${name}）` : ''}。`,
    stdinLabel: '（标准输入）',
    imported: (label: string, encoding: string, r: { added: number; present: number; unsubscribed: number; bounced: number; notActive: number; invalid: number }) =>
      `${label}（${encoding}）：新增 ${r.added}，已存在 ${r.present}，以前退订 ${r.unsubscribed}（跳过）` +
      `${r.bounced > 0 ? `，以前退信 ${r.bounced}（跳过）` : ''}` +
      `${r.notActive > 0 ? `，文件状态列标明未订阅 ${r.notActive}（跳过）` : ''}，无效 ${r.invalid}。`,
    skippedUnsubscribed: (place: string, address: string) =>
      `  ${place}: ${address} 以前退订过；导入不会让它重新订阅（如果本人要求订阅，请用 \`advisory subscribers add\`）。`,
    skippedBounced: (place: string, address: string) =>
      `  ${place}: ${address} 以前退信（发给它的邮件被拒收）；导入不会让它重新订阅（确认地址能用后，请用 \`advisory subscribers add\`）。`,
    skippedNotActive: (place: string, address: string, status: string) => `  ${place}: ${address} 在文件中的状态是“${status}”；只导入有效的行。`,
    nothingToImport: (label: string, afterHeader: boolean) => `${label}: 警告 没有可导入的内容：文件${afterHeader ? '在标题行之后' : ''}只有空行和注释。`,
    lineWarning: (place: string, message: string) => `${place}: 警告 ${message}（如要自己决定怎么缩短，请在文件中改短）。`,
    lineInvalid: (place: string, message: string) => `${place}: ${message}。请改好这一行后重新导入（有效的行不会重复添加）。`,
    column: (name: string, n: number) => `“${name}”（第 ${n} 列）`,
    addressFrom: (column: string) => `地址取自${column}`,
    nameFrom: (columns: string) => `姓名取自${columns}`,
    noNameColumn: '没有姓名列',
    statusFrom: (column: string) => `状态取自${column}`,
    ignored: (n: number) => `另有 ${n} 列未使用`,
    columnsSentence: (parts: string[]) => `${parts.join('，')}。`,
    formulaStripped: (address: string) =>
      `警告：地址 ${address} 以电子表格会当作公式执行的字符开头；导出时已去掉这个字符，所以这一行再导入时不会是原来的地址。`,
    countWhat: (n: number, status: string | null) => `${n} 位订阅者${status ? `（${status}）` : ''}`,
    exportedToStdout: (what: string) => `已导出 ${what}，格式为 CSV（UTF-8，带 BOM）。`,
    exportedTo: (what: string, file: string) => `已把 ${what}导出到 ${file}（CSV，UTF-8，带 BOM；不含退订令牌）。`,
    counts: (parts: Array<[number, SubscriberState]>) => parts.map(([n, s]) => `${subscriberStateNames('zh-CN')[s]} ${n}`).join('，'),
    notASubscriber: (address: string) => `${address} 不是订阅者（请查看 \`advisory subscribers list\`）。`,
    bouncedAlready: (address: string) => `${address}：以前已退信；本来就不会再给它发送任何内容（保持“已退信”）。`,
    alreadyUnsubscribed: (address: string) => `${address}：已经退订过了。`,
    unsubscribed: (address: string) => `${address}：已退订（记录保留在账本中供审计；待发给它的邮件不会再发送）。`,
  },
);

/** A subscriber's state as a person reads it (the CSV and JSON keep the code). */
export const subscriberStateNames = messages(
  { active: 'active', pending: 'pending', unsubscribed: 'unsubscribed', bounced: 'bounced' },
  { active: '有效', pending: '待确认', unsubscribed: '已退订', bounced: '已退信' },
);

/** Why a list cannot be read, or a line of it is not imported (delivery/subscriber-list.ts). */
export const listMessages = messages(
  {
    damaged: (encoding: string) =>
      `the file starts as ${encoding} but is not valid ${encoding} further on (a damaged or truncated file?). Save it again from the program that made it, as "CSV UTF-8"`,
    unknownEncoding:
      'the file is neither UTF-8, GBK/GB18030 nor UTF-16 text. Save it again as "CSV UTF-8" (Excel: File → Save As → CSV UTF-8; WPS: 另存为 → CSV, 编码 UTF-8)',
    empty: 'the address is empty',
    tooLong: 'longer than 254 characters',
    forbiddenCharacter: 'contains a space or one of < > ( ) [ ] \\ , ; : " (write the bare address, like name@example.org)',
    noAt: 'has no @ (write it like name@example.org)',
    localPart: 'the part before @ is empty or longer than 64 characters',
    twoAts: 'has more than one @',
    misplacedDot: 'the part before @ has a misplaced dot',
    notADomain: (domain: string) => `"${domain}" is not a mail domain (like example.org)`,
    fullWidth: (char: string, codePoint: string) =>
      `${char === '、' ? 'an enumeration comma' : char === '。' ? 'a Chinese full stop' : 'a full-width'} "${char}" (U+${codePoint}, typed in Chinese input mode)`,
    commaInList: (before: string, where: string, rest: string) =>
      `"${before}" is followed by ${where} and "${rest}": in a list, separate the address and the name with an ordinary comma: ${before},${rest}`,
    /** `sun@example.com，` with nothing after the slipped comma. */
    separatorAtEnd: (before: string, where: string) => `"${before}" is followed by ${where} with no name after it: remove it (the address is ${before})`,
    retype: (where: string[], ascii: string[], fixed: string | null) =>
      `contains ${where.join(' and ')}: retype ${where.length === 1 ? 'it' : 'them'} as ${ascii.map((a) => `"${a}"`).join(' and ')}${fixed ? ` (${fixed})` : ''}`,
    unclosedQuote: 'a quote (") opens here and is never closed, so every line after it was read as part of this one; close the quote',
    noAddressColumn: (found: string, addressNames: string, nameNames: string) =>
      `no column of the header row is an e-mail address column. Found: ${found}. Accepted names for the address column: ${addressNames} (any case); for the name: ${nameNames}, or first name + last name. Rename the address column's header to one of them (or remove the header row: then each line is address,name)`,
    inColumn: (column: string) => ` (column "${column}")`,
    noAddress: (where: string) => `no address${where}`,
    invalid: (raw: string, problem: string) => `invalid address "${raw}": ${problem}`,
    unknownStatus: (status: string, address: string, column: string) =>
      `unknown status "${status}" for ${address} (column "${column}"): rows are imported when it is active, subscribed, enabled, confirmed or empty`,
    nameCut: (address: string, max: number, name: string) => `the name for ${address} is longer than ${max} characters; cut to "${name}"`,
  },
  {
    damaged: (encoding: string) => `文件开头是 ${encoding} 编码，但后面的内容不是有效的 ${encoding}（文件损坏或不完整？）。请用生成它的程序重新另存为“CSV UTF-8”`,
    unknownEncoding: '这个文件既不是 UTF-8、GBK/GB18030，也不是 UTF-16 文本。请重新另存为“CSV UTF-8”（Excel：文件 → 另存为 → CSV UTF-8；WPS：另存为 → CSV，编码 UTF-8）',
    empty: '地址是空的',
    tooLong: '超过了 254 个字符',
    forbiddenCharacter: '含有空格或 < > ( ) [ ] \\ , ; : " 之一（请只写地址本身，例如 name@example.org）',
    noAt: '没有 @（应写成 name@example.org 这样）',
    localPart: '@ 前面的部分是空的，或超过了 64 个字符',
    twoAts: '有不止一个 @',
    misplacedDot: '@ 前面的部分有位置不对的点（.）',
    notADomain: (domain: string) => `“${domain}”不是邮件域名（应像 example.org 这样）`,
    fullWidth: (char: string, codePoint: string) =>
      `${char === '、' ? '顿号' : char === '。' ? '中文句号' : '全角的'}“${char}”（U+${codePoint}，在中文输入法下打出）`,
    commaInList: (before: string, where: string, rest: string) =>
      `“${before}”后面是${where}和“${rest}”：在名单中，地址和姓名之间请用英文逗号分隔：${before},${rest}`,
    separatorAtEnd: (before: string, where: string) => `“${before}”后面多了${where}，后面没有姓名：请删掉它（地址是 ${before}）`,
    retype: (where: string[], ascii: string[], fixed: string | null) =>
      `含有${where.join('和')}：请${where.length === 1 ? '' : '依次'}改为${ascii.map((a) => `“${a}”`).join('和')}${fixed ? `（${fixed}）` : ''}`,
    unclosedQuote: '这里有一个引号（"）开始后一直没有结束，后面的每一行都被当成了这一行的一部分；请补上结束的引号',
    noAddressColumn: (found: string, addressNames: string, nameNames: string) =>
      `标题行中没有电子邮件地址列。现有的列：${found}。地址列可用的列名：${addressNames}（不分大小写）；姓名列：${nameNames}，或 first name + last name。请把地址列的标题改为其中之一（或删除标题行：那样每行就是“地址,姓名”）`,
    inColumn: (column: string) => `（“${column}”列）`,
    noAddress: (where: string) => `没有地址${where}`,
    invalid: (raw: string, problem: string) => `地址“${raw}”无效：${problem}`,
    unknownStatus: (status: string, address: string, column: string) =>
      `${address} 的状态“${status}”无法识别（“${column}”列）：状态为 active、subscribed、enabled、confirmed 或空白的行才会导入`,
    nameCut: (address: string, max: number, name: string) => `${address} 的姓名超过 ${max} 个字，已截为“${name}”`,
  },
);

export const staffMessages = messages(
  {
    usage: (min: number) => [
      'Usage: advisory staff <add|list|remove|passwd> [NAME] [--password-stdin]',
      '',
      '  add NAME          a staff account for the staff pages of `advisory run` (sign-in, preview, status, approve)',
      '  list [--json]     the accounts (names and dates; never the password hashes)',
      '  remove NAME       removes the account; its sessions end at their next request',
      "  passwd NAME       a new password; the account's sessions end",
      '',
      '  The password is asked twice on a terminal (not shown); otherwise read from standard input (its first line),',
      `  as with --password-stdin: printf '%s\\n' "$PW" | advisory staff add wang. At least ${min} characters.`,
      '  Stored as an scrypt hash (random salt) in var/advisory.db; each change is in the audit log (the name only).',
      'Exit codes: 0 done, 1 no such account (remove, passwd) or the name is taken (add), 2 usage or an unacceptable password.',
    ].join('\n'),
    newPassword: (name: string) => `New password for ${name}: `,
    again: 'Again: ',
    differ: 'the two passwords differ; nothing was changed.',
    /** The console's first-account form (server/staff-auth.ts). */
    passwordsDiffer: 'the two passwords differ',
    noPassword: 'no password: give it on standard input (--password-stdin), or run this on a terminal to be asked.',
    nothingChanged: (problem: string) => `${problem}; nothing was changed.`,
    sayWhat: (actions: string) => `say what to do: ${actions}.`,
    unknownAction: (action: string, actions: string) => `unknown action "${action}": use ${actions}.`,
    needsName: (action: string) => `\`advisory staff ${action}\` needs a NAME.`,
    unexpected: (arg: string) => `unexpected argument "${arg}".`,
    passwordStdinWith: '--password-stdin goes with `add` and `passwd`.',
    jsonWithList: '--json goes with `list`.',
    noAccounts: 'no staff accounts (add one: advisory staff add NAME)',
    account: (name: string, added: string, passwordSet: string) => `${name}\tadded ${added}\tpassword set ${passwordSet}`,
    taken: (name: string) => `advisory staff: there is already an account "${name}" (a new password: advisory staff passwd ${name}).`,
    takenNow: (name: string) => `advisory staff: there is already an account "${name}".`,
    added: (name: string) => `added staff account ${name}.`,
    noSuchAccount: (name: string) => `advisory staff: no account "${name}" (advisory staff list shows them).`,
    changed: (name: string) => `changed the password of ${name}; its sessions have ended.`,
    removed: (name: string) => `removed staff account ${name}; its sessions have ended.`,
    tooShort: (min: number) => `a password needs at least ${min} characters (a few words are easier to remember than a short tangle)`,
    tooLong: (max: number) => `a password may have at most ${max} characters`,
    spaces: 'a password may not begin or end with spaces (they are easily lost when typed again)',
    badName: (name: string) => `"${name}" is not a staff name: use 1–64 letters, digits, ".", "_" or "-" (e.g. wang.li or 王丽)`,
  },
  {
    usage: (min: number) => [
      '用法：advisory staff <add|list|remove|passwd> [NAME] [--password-stdin]',
      '',
      '  add NAME          为 `advisory run` 的工作人员页面（登录、预览、状态、批准）添加一个工作人员账号',
      '  list [--json]     列出账号（姓名和日期；从不显示密码哈希）',
      '  remove NAME       删除账号；它的登录会话在下一次请求时结束',
      '  passwd NAME       设置新密码；该账号的登录会话随即结束',
      '',
      '  在终端上会询问两次密码（输入时不显示）；否则从标准输入读取（第一行），',
      `  与 --password-stdin 相同：printf '%s\\n' "$PW" | advisory staff add wang。密码至少 ${min} 个字符。`,
      '  密码以 scrypt 哈希（随机加盐）保存在 var/advisory.db 中；每次变动都记入审计日志（只记姓名）。',
      '退出码：0 完成，1 没有这个账号（remove、passwd）或名字已被占用（add），2 用法错误或密码不符合要求。',
    ].join('\n'),
    newPassword: (name: string) => `${name} 的新密码：`,
    again: '再输一次：',
    differ: '两次输入的密码不一致；没有做任何修改。',
    passwordsDiffer: '两次输入的密码不一致',
    noPassword: '没有密码：请从标准输入提供（--password-stdin），或在终端上运行本命令，按提示输入。',
    nothingChanged: (problem: string) => `${problem}；没有做任何修改。`,
    sayWhat: (actions: string) => `请说明要做什么：${actions}。`,
    unknownAction: (action: string, actions: string) => `没有“${action}”这个操作：请用 ${actions}。`,
    needsName: (action: string) => `\`advisory staff ${action}\` 需要一个 NAME（账号名）。`,
    unexpected: (arg: string) => `多余的参数“${arg}”。`,
    passwordStdinWith: '--password-stdin 要和 `add` 或 `passwd` 一起用。',
    jsonWithList: '--json 要和 `list` 一起用。',
    noAccounts: '还没有工作人员账号（添加一个：advisory staff add NAME）',
    account: (name: string, added: string, passwordSet: string) => `${name}\t添加于 ${added}\t密码设置于 ${passwordSet}`,
    taken: (name: string) => `advisory staff：已经有一个叫“${name}”的账号（要设置新密码：advisory staff passwd ${name}）。`,
    takenNow: (name: string) => `advisory staff：已经有一个叫“${name}”的账号。`,
    added: (name: string) => `已添加工作人员账号 ${name}。`,
    noSuchAccount: (name: string) => `advisory staff：没有“${name}”这个账号（advisory staff list 可列出所有账号）。`,
    changed: (name: string) => `已修改 ${name} 的密码；它的登录会话已结束。`,
    removed: (name: string) => `已删除工作人员账号 ${name}；它的登录会话已结束。`,
    tooShort: (min: number) => `密码至少要有 ${min} 个字符（几个词连起来比一串短而乱的字符更好记）`,
    tooLong: (max: number) => `密码最多 ${max} 个字符`,
    spaces: '密码的开头和结尾不能是空格（再次输入时很容易漏掉）',
    badName: (name: string) => `“${name}”不能用作工作人员账号名：请用 1–64 个字母（任何文字）、数字、“.”、“_”或“-”（例如 wang.li 或 王丽）`,
  },
);
