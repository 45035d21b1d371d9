import type { Command, IO } from '../command.js';
import { localTime } from '../../delivery/local-time.js';
import { EXIT } from '../command.js';
import { UsageError } from '../../errors.js';
import { hashPassword, PASSWORD_MIN, passwordProblem, staffNameProblem } from '../../delivery/staff.js';
import { withRuntime } from '../runtime.js';
import { staffMessages } from '../../i18n/messages-people.js';

const usage = () => staffMessages().usage(PASSWORD_MIN);

const ACTIONS = ['add', 'list', 'remove', 'passwd'];

/** The new password: typed twice on a terminal, else the first line of standard input. */
async function newPassword(io: IO, name: string, fromStdin: boolean): Promise<string> {
  const m = staffMessages();
  let password: string;
  if (!fromStdin && io.askHidden) {
    password = await io.askHidden(m.newPassword(name));
    const again = await io.askHidden(m.again);
    if (again !== password) throw new UsageError(m.differ);
  } else {
    if (!io.input) throw new UsageError(m.noPassword);
    password = (await io.input()).split(/\r?\n/)[0];
  }
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(m.nothingChanged(problem));
  return password;
}

export const staffCommand: Command = {
  name: 'staff',
  get usage() {
    return usage();
  },
  options: { 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ root, values, positionals, io }) {
    const m = staffMessages();
    const [action, name, ...extra] = positionals;
    if (!action) throw new UsageError(`${m.sayWhat(ACTIONS.join(', '))}\n\n${usage()}`);
    if (!ACTIONS.includes(action)) throw new UsageError(`${m.unknownAction(action, ACTIONS.join(', '))}\n\n${usage()}`);
    if (action !== 'list' && !name) throw new UsageError(`${m.needsName(action)}\n\n${usage()}`);
    if (extra.length > 0 || (action === 'list' && name)) throw new UsageError(`${m.unexpected(extra[0] ?? name)}\n\n${usage()}`);
    if (values['password-stdin'] && action !== 'add' && action !== 'passwd') throw new UsageError(m.passwordStdinWith);
    if (values.json && action !== 'list') throw new UsageError(m.jsonWithList);
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
          else if (accounts.length === 0) io.out(m.noAccounts);
          else for (const a of accounts) io.out(m.account(a.name, localTime(a.createdAt), localTime(a.passwordChangedAt)));
          return EXIT.OK;
        }
        case 'add': {
          if (await store.staffAccount(clean!)) {
            io.err(m.taken(clean!));
            return EXIT.FAILED;
          }
          const hash = await hashPassword(await newPassword(io, clean!, values['password-stdin'] === true));
          if (!(await store.addStaff(clean!, hash, now))) {
            io.err(m.takenNow(clean!));
            return EXIT.FAILED;
          }
          io.out(m.added(clean!));
          return EXIT.OK;
        }
        case 'passwd': {
          if (!(await store.staffAccount(clean!))) {
            io.err(m.noSuchAccount(clean!));
            return EXIT.FAILED;
          }
          const hash = await hashPassword(await newPassword(io, clean!, values['password-stdin'] === true));
          await store.setStaffPassword(clean!, hash, now);
          io.out(m.changed(clean!));
          return EXIT.OK;
        }
        default: {
          if (!(await store.removeStaff(clean!, now))) {
            io.err(m.noSuchAccount(clean!));
            return EXIT.FAILED;
          }
          io.out(m.removed(clean!));
          return EXIT.OK;
        }
      }
    });
  },
};
