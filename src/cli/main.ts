#!/usr/bin/env node
/**
 * `advisory` entry point: finds the command, parses its options, checks that a
 * command needing a project runs in one, runs it, and sets process.exitCode.
 * Errors from our taxonomy and faults of the machine (fault-message.ts) print
 * as one clear line; anything else is a bug and prints its stack.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { commands } from './commands/index.js';
import { didYouMean } from '../suggest.js';
import { storeExists, storeLocation } from '../delivery/store/index.js';
import { PROJECT_FILE } from '../config/project-file-name.js';
import { EXIT, type IO } from './command.js';
import { faultError } from './fault-message.js';
import { lang, langFromEnv, parseLang, setLang } from '../i18n/index.js';
import { cliMessages } from '../i18n/messages-cli.js';
import { checkMessages } from '../i18n/messages-check.js';
import { AdvisoryError, ConfigError, ContentError, StateError, UsageError, TemplateError, formatProblem } from '../errors.js';

const GLOBAL_OPTIONS = {
  root: { type: 'string' as const, short: 'C' },
  lang: { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
};

export async function main(argv: string[], io: IO, cwd = process.cwd()): Promise<number> {
  // The dashes first (`—lang en` is `--lang en`), then the language, then the notes about the dashes in it.
  const args = argv.map(undash);
  const chosen = chooseLang(args, io);
  if (typeof chosen === 'string') {
    io.err(chosen);
    return EXIT.USAGE;
  }
  imeDashNotes(argv, args, io);
  const [name, ...rest] = leadingRoot(args);
  // `advisory --root` with no folder after it is an option missing its value, not an unknown command.
  if (name === '--root' || name === '-C' || name === '--root=') {
    io.err(cliMessages().rootNeedsFolder(name.replace(/=$/, '')));
    return EXIT.USAGE;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(globalHelp());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  if (name === '--version' || name === '-V') {
    io.out('advisory 0.1.0');
    return EXIT.OK;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(cliMessages().unknownCommand(name, didYouMean(name, commands.map((c) => c.name))));
    return EXIT.USAGE;
  }
  const command = await entry.load();
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    const missing = /^Option '(-C, )?--root <value>' argument missing/.test(String((err as Error)?.message));
    io.err(missing ? cliMessages().rootNeedsFolder('--root') : `${cliMessages().prefix(name)}${parseProblem(err)}${cliMessages().seeHelp(name)}`);
    return EXIT.USAGE;
  }
  if (parsed.values.help) {
    io.out(`${entry.summary}\n\n${command.usage}\n\n${cliMessages().rootHelp}`);
    return EXIT.OK;
  }
  const root = resolve(cwd, (parsed.values.root as string | undefined) ?? '.');
  if (entry.needsProject) {
    const notAProject = await projectProblem(root);
    if (notAProject) {
      io.err(`${cliMessages().prefix(name)}${notAProject}`);
      return EXIT.USAGE;
    }
  }
  try {
    return await command.run({ root, cwd, values: parsed.values, positionals: parsed.positionals, io });
  } catch (err) {
    return reportError(err, name, io, root);
  }
}

/** Why parseArgs refused the line, in one sentence (Node's own in English, said again from its code in Chinese). */
function parseProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const node = String(e?.message ?? err).replace(/\. To specify.*$/s, '.').replace(/\s*\n\s*/g, ' ');
  // `Unknown option '--x'`, `Option '-C, --root <value>' argument missing`: the option as typed, its long name if it has one
  const option = (/'([^']+)'/.exec(node)?.[1] ?? '').replace(/\s*<value>$/, '').split(/,\s*/).pop() ?? '';
  return cliMessages().parseProblem(String(e?.code ?? ''), option, node);
}

/**
 * The language of every message: `--lang zh|en` anywhere on the line, else the environment
 * (i18n/index.ts). Set before anything prints; an unknown value is a usage error (returned).
 */
function chooseLang(argv: string[], io: IO): string | undefined {
  const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const value = at < 0 ? undefined : argv[at].startsWith('--lang=') ? argv[at].slice('--lang='.length) : argv[at + 1];
  const chosen = value === undefined ? undefined : parseLang(value);
  setLang(chosen ?? langFromEnv(io.env));
  if (at >= 0 && !chosen) return cliMessages().langUnknown(value ?? '');
  return undefined;
}

/** `advisory -C DIR status` (the project named before the command, as git and make take it): moved after the command. */
function leadingRoot(argv: string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  for (;;) {
    const a = argv[i];
    if ((a === '-C' || a === '--root' || a === '--lang') && argv[i + 1] !== undefined) {
      moved.push(a === '--lang' ? a : '--root', argv[i + 1]);
      i += 2;
    } else if (a?.startsWith('--root=') || a?.startsWith('--lang=')) {
      moved.push(a);
      i += 1;
    } else break;
  }
  if (moved.length === 0) return argv;
  const [name, ...rest] = argv.slice(i);
  return name === undefined ? [] : [name, ...rest, ...moved];
}

/**
 * Options typed with a Chinese input method come out with its dashes: `——by` (two U+2014 EM DASH, what
 * Shift+minus gives in Chinese mode), `—by`, `－－by` (U+FF0D), `–by` (an en dash an editor made of `--`).
 * They are read as `--by`, with a note naming the character, so the command does what was meant.
 */
const IME_DASH = /^([\u2014\u2013\uff0d]{1,2})([A-Za-z][\w-]*(=.*)?)$/su;

/** An option typed with an input method's dashes, as meant (`——by` → `--by`); anything else as it is. */
function undash(a: string): string {
  const m = IME_DASH.exec(a);
  return !m ? a : m[2].length === 1 ? `-${m[2]}` : `--${m[2]}`;
}

/** One note per option `undash` changed, naming the character, in the chosen language. */
function imeDashNotes(argv: string[], fixed: string[], io: IO): void {
  argv.forEach((a, i) => {
    const m = IME_DASH.exec(a);
    if (!m) return;
    const t = cliMessages();
    const names = [...m[1]].map((c) => (c === '\u2014' ? t.emDash : c === '\u2013' ? t.enDash : t.fullwidthHyphen));
    io.err(t.imeDash(a, fixed[i], m[1], [...new Set(names)].join(lang() === 'en' ? ', ' : '、'), m[1].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')));
  });
}

/** Why `root` is not a project (neither advisories/ nor a ledger in it), or undefined. */
async function projectProblem(root: string): Promise<string | undefined> {
  const { projectRootProblem } = await import('../content/load.js');
  const problem = projectRootProblem(root);
  // A folder with a ledger in var/, or with the project file advisory.yaml (whose ledger may be a PostgreSQL one), is a project too.
  if (!problem || existsSync(join(root, PROJECT_FILE)) || (await storeExists({ kind: 'sqlite', varDir: join(root, 'var') }))) return undefined;
  // The usual slip: a command typed inside advisories/ itself.
  if (basename(root) === 'advisories' && existsSync(root)) {
    return cliMessages().advisoriesFolderItself(root, dirname(root));
  }
  return problem;
}

/**
 * Prints an error as the exit code's kind wants it and returns that code. `root`
 * (the project) lets a machine fault name the ledger file it is about.
 */
export function reportError(err: unknown, name: string, io: IO, root?: string): number {
  const m = cliMessages();
  const prefix = m.prefix(name);
  if (err instanceof UsageError) {
    // one line: a usage text some messages carry after a blank line is left to --help
    const [first, more] = err.message.split(/\n\n/, 2);
    io.err(`${prefix}${first}${more !== undefined ? m.seeHelp(name) : ''}`);
    return EXIT.USAGE;
  }
  if (err instanceof ContentError) {
    for (const p of err.problems) io.err(formatProblem(p));
    return EXIT.FAILED;
  }
  if (err instanceof TemplateError) {
    // as a problem line of `check` (formatProblem): file:line:column, the severity word, [template]
    io.err(`${err.file}${err.line ? `:${err.line}:${err.column ?? 1}` : ''}: ${checkMessages().error} ${err.message} [template]`);
    return EXIT.FAILED;
  }
  if (err instanceof ConfigError || err instanceof StateError) {
    io.err(`${prefix}${err.message}`);
    return EXIT.CONFIG;
  }
  if (err instanceof AdvisoryError) {
    io.err(`${prefix}${err.message}`);
    return EXIT.FAILED;
  }
  // A locked or damaged ledger, a full or read-only disk: the machine, not a bug. One line, no stack.
  const fault = faultError(err, root === undefined ? {} : { root, ledger: storeLocation({ kind: 'sqlite', varDir: join(root, 'var') }) });
  if (fault) {
    io.err(`${prefix}${fault.message}`);
    return EXIT.CONFIG;
  }
  io.err(m.internalError(name, (err as Error)?.stack ?? String(err)));
  return EXIT.INTERNAL;
}

function globalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const m = cliMessages();
  return [m.tagline, '', m.usage, '', m.commandsHeading, ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), '', m.helpFooter].join('\n');
}

const isEntry = process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;
if (isEntry || process.argv[1]?.endsWith('/advisory') || process.argv[1]?.endsWith('cli/main.js')) {
  // Output piped into a reader that stops early (`advisory publish … | head -2`): the command still finishes its
  // work; what it would have printed to that stream is dropped instead of ending in an EPIPE stack trace.
  const closed = new Set<NodeJS.WriteStream>();
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      closed.add(stream);
    });
  }
  const write = (stream: NodeJS.WriteStream, t: string) => void (closed.has(stream) || stream.write(t.endsWith('\n') ? t : `${t}\n`));
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) (statusShown = false, process.stderr.write('\r\x1b[2K'));
  };
  const io: IO = {
    out: (t) => (clearStatus(), write(process.stdout, t)),
    err: (t) => (clearStatus(), write(process.stderr, t)),
    env: process.env,
    now: () => new Date(),
    ...(process.stdin.isTTY ? (process.stderr.isTTY ? { askHidden } : {}) : { input: readStdin }),
    ...(process.stderr.isTTY && process.env.TERM !== 'dumb'
      ? {
          status: (line: string | null) => {
            if (closed.has(process.stderr)) return;
            if (line === null) return clearStatus();
            statusShown = true;
            process.stderr.write(`\r\x1b[2K${line.slice(0, Math.max(20, (process.stderr.columns ?? 80) - 1))}`);
          },
        }
      : {}),
  };
  main(process.argv.slice(2), io).then(
    (code) => exitWhenDone(code),
    (err) => exitWhenDone(reportError(err, process.argv[2] ?? '', io)),
  );
}

/** How long a finished command may wait for the handles a library still holds before it exits anyway. */
const LINGER_MS = 5_000;

/**
 * The command is done and has said so (every command that serves or works returns only once it has stopped), so
 * nothing a library still holds may keep the process: an `advisory worker` frozen (SIGSTOP) past its lease, then
 * resumed and told to stop, drained, said "stopped after N jobs" and lived on, its ioredis client reconnecting
 * (BullMQ's close cannot end a client between two attempts: taskforcesh/bullmq#4656). The timer is unref'd: a
 * process that ends by itself is not held by it.
 */
function exitWhenDone(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), LINGER_MS).unref();
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A question on standard error, the answer typed on the terminal without echo. */
async function askHidden(question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write(question);
  // readline echoes what is typed through this method: nothing is written while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
