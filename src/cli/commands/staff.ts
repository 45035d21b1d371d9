import type { Command, IO } from '../command.js';
import { EXIT } from '../command.js';
import { UsageError } from '../../errors.js';
import { hashPassword, PASSWORD_MIN, passwordProblem, staffNameProblem } from '../../delivery/staff.js';
import { withRuntime } from '../runtime.js';

const usage = [
  'Usage: advisory staff <add|list|remove|passwd> [NAME] [--password-stdin]',
  '',
  '  add NAME          a staff account for the staff pages of `advisory run` (sign-in, preview, status, approve)',
  '  list [--json]     the accounts (names and dates; never the password hashes)',
  '  remove NAME       removes the account; its sessions end at their next request',
  '  passwd NAME       a new password; the account\'s sessions end',
  '',
  `  The password is asked twice on a terminal (not shown); otherwise read from standard input (its first line),`,
  `  as with --password-stdin: printf '%s\\n' "$PW" | advisory staff add wang. At least ${PASSWORD_MIN} characters.`,
  '  Stored as an scrypt hash (random salt) in var/advisory.db; each change is in the audit log (the name only).',
  'Exit codes: 0 done, 1 no such account (remove, passwd) or the name is taken (add), 2 usage or an unacceptable password.',
].join('\n');

const ACTIONS = ['add', 'list', 'remove', 'passwd'];

/** The new password: typed twice on a terminal, else the first line of standard input. */
async function newPassword(io: IO, name: string, fromStdin: boolean): Promise<string> {
  let password: string;
  if (!fromStdin && io.askHidden) {
    password = await io.askHidden(`New password for ${name}: `);
    const again = await io.askHidden('Again: ');
    if (again !== password) throw new UsageError('the two passwords differ; nothing was changed.');
  } else {
    if (!io.input) throw new UsageError('no password: give it on standard input (--password-stdin), or run this on a terminal to be asked.');
    password = (await io.input()).split(/\r?\n/)[0];
  }
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(`${problem}; nothing was changed.`);
  return password;
}

export const staffCommand: Command = {
  name: 'staff',
  usage,
  options: { 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    const [action, name, ...extra] = positionals;
    if (!action) throw new UsageError(`say what to do: ${ACTIONS.join(', ')}.\n\n${usage}`);
    if (!ACTIONS.includes(action)) throw new UsageError(`unknown action "${action}": use ${ACTIONS.join(', ')}.\n\n${usage}`);
    if (action !== 'list' && !name) throw new UsageError(`\`advisory staff ${action}\` needs a NAME.\n\n${usage}`);
    if (extra.length > 0 || (action === 'list' && name)) throw new UsageError(`unexpected argument "${extra[0] ?? name}".\n\n${usage}`);
    if (values['password-stdin'] && action !== 'add' && action !== 'passwd') throw new UsageError('--password-stdin goes with `add` and `passwd`.');
    if (values.json && action !== 'list') throw new UsageError('--json goes with `list`.');
    const clean = name?.trim().normalize('NFC');
    if (clean !== undefined && action === 'add') {
      const problem = staffNameProblem(clean);
      if (problem) throw new UsageError(problem);
    }
    return withRuntime({ root, io }, async (rt) => {
      const store = await rt.store();
      const now = io.now();
      switch (action) {
        case 'list': {
          const accounts = (await store.staffAccounts()).map((a) => ({ name: a.name, createdAt: a.createdAt, passwordChangedAt: a.updatedAt }));
          if (values.json) io.out(JSON.stringify(accounts, null, 2));
          else if (accounts.length === 0) io.out('no staff accounts (add one: advisory staff add NAME)');
          else for (const a of accounts) io.out(`${a.name}\tadded ${a.createdAt}\tpassword set ${a.passwordChangedAt}`);
          return EXIT.OK;
        }
        case 'add': {
          if (await store.staffAccount(clean!)) {
            io.err(`advisory staff: there is already an account "${clean}" (a new password: advisory staff passwd ${clean}).`);
            return EXIT.FAILED;
          }
          const hash = await hashPassword(await newPassword(io, clean!, values['password-stdin'] === true));
          if (!(await store.addStaff(clean!, hash, now))) {
            io.err(`advisory staff: there is already an account "${clean}".`);
            return EXIT.FAILED;
          }
          io.out(`added staff account ${clean}.`);
          return EXIT.OK;
        }
        case 'passwd': {
          if (!(await store.staffAccount(clean!))) {
            io.err(`advisory staff: no account "${clean}" (advisory staff list shows them).`);
            return EXIT.FAILED;
          }
          const hash = await hashPassword(await newPassword(io, clean!, values['password-stdin'] === true));
          await store.setStaffPassword(clean!, hash, now);
          io.out(`changed the password of ${clean}; its sessions have ended.`);
          return EXIT.OK;
        }
        default: {
          if (!(await store.removeStaff(clean!, now))) {
            io.err(`advisory staff: no account "${clean}" (advisory staff list shows them).`);
            return EXIT.FAILED;
          }
          io.out(`removed staff account ${clean}; its sessions have ended.`);
          return EXIT.OK;
        }
      }
    });
  },
};
