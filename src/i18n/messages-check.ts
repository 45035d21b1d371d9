/**
 * `advisory check`'s frame around the problems: the severity word of each line (the `file:line:column:`
 * before it and the `[rule]` after it are never translated), the summary, and the notes after the problems.
 */
import { messages } from './index.js';

export const checkMessages = messages(
  {
    error: 'error',
    warning: 'warning',
    contentProblems: (errors: number, lines: string) => `${errors} problem(s) in content:\n${lines}`,
  },
  {
    error: '错误',
    warning: '警告',
    contentProblems: (errors: number, lines: string) => `内容中有 ${errors} 个错误：\n${lines}`,
  },
);

