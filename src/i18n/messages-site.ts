/**
 * What building, deploying and rolling back the website says when it cannot (channels/website/site/:
 * deploy.ts, lock.ts, sites.ts), writing a preview folder (preview/write.ts) and a write the disk refused
 * (fs/write-atomic.ts). Paths, build ids, marker files and commands stay as written.
 */
import { messages } from './index.js';

export const siteMessages = messages(
  {
    notASymlink: (link: string) => `${link} is a real folder, not the symlink advisory deploys through. Move it away and build again.`,
    nothingDeployed: 'There is no deployed website to roll back: run `advisory build` or publish first.',
    oldestKept: (build: string, kept: number) => `Build ${build} is the oldest one kept (${kept} kept); there is nothing earlier to roll back to.`,
    siteLocked: (file: string) => `Another process has been building the site for over a minute (lock ${file}). Wait for it, or remove the file if that process is gone.`,
    outIsFile: (out: string) => `${out} is a file, not a folder: name an empty or new folder with --out`,
    outNotEmpty: (out: string, count: number, shown: string, marker: string) =>
      `${out} is not empty (${count} ${count === 1 ? 'entry' : 'entries'}: ${shown}) and is not an earlier \`advisory build --out\` (no ${marker} file): name an empty or new folder with --out; nothing was written`,
    changedDuringBuild: (id: string) => `advisories/${id} changed during the build: build again`,
    previewNotEmpty: (dir: string, marker: string) => `${dir} is not empty and is not an earlier preview (no ${marker} file): choose an empty folder with --out.`,
    shortWrite: (file: string, bytes: number) => `Writing ${file}: the disk accepted 0 of the ${bytes} bytes still to write. Free some space and try again.`,
  },
  {
    notASymlink: (link: string) => `${link} 是一个真实的文件夹，而不是 advisory 部署网站用的符号链接。请把它移到别处，然后重新生成。`,
    nothingDeployed: '还没有部署过网站，没有可回退的版本：请先运行 `advisory build` 或发布一次。',
    oldestKept: (build: string, kept: number) => `版本 ${build} 已经是保留的最早版本（共保留 ${kept} 个）；没有更早的版本可以回退。`,
    siteLocked: (file: string) => `另一个进程生成网站已超过一分钟（锁文件 ${file}）。请等它完成；如果那个进程已经不在了，请删除这个文件。`,
    outIsFile: (out: string) => `${out} 是一个文件，不是文件夹：请用 --out 指定一个空的或新的文件夹`,
    outNotEmpty: (out: string, count: number, shown: string, marker: string) =>
      `${out} 不是空的（有 ${count} 项：${shown}），也不是之前 \`advisory build --out\` 生成的（没有 ${marker} 文件）：请用 --out 指定一个空的或新的文件夹；没有写入任何内容`,
    changedDuringBuild: (id: string) => `生成期间 advisories/${id} 有改动：请重新生成`,
    previewNotEmpty: (dir: string, marker: string) => `${dir} 不是空的，也不是之前生成的预览（没有 ${marker} 文件）：请用 --out 选一个空文件夹。`,
    shortWrite: (file: string, bytes: number) => `写入 ${file} 时，磁盘一个字节也没有接受（还剩 ${bytes} 字节）。请腾出一些空间后再试。`,
  },
);
