/**
 * Regression (issue 8): run by mistake inside advisories/, `build`, `status` and
 * `subscribers list` quietly made a new, empty var/ (and ledger) there. A
 * command that needs a project (`needsProject`) now refuses a folder with
 * neither advisories/ nor var/advisory.db: exit 2, naming the folder and
 * --root, and nothing is written. `new` and `schema` work anywhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { commands } from '../../src/cli/commands/index.js';
import { tmpProject } from '../delivery/helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'advisory-not-a-project-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(root: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], { out: (t) => out.push(t), err: (t) => err.push(t), env: { LOG_LEVEL: 'silent', ADVISORY_LANG: 'en' }, now: () => new Date('2014-09-28T02:00:00Z') });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Each command that needs a project, with arguments that would otherwise get it going. */
const invocations: Record<string, string[]> = {
  build: ['build'],
  status: ['status'],
  subscribers: ['subscribers', 'list'],
  staff: ['staff', 'list'],
  run: ['run', '--port', '0'],
  publish: ['publish', '2014-national-day', '--now'],
  approve: ['approve', '2014-national-day', '--by', 'someone'],
  retry: ['retry', '--failed'],
  rollback: ['rollback', 'website'],
  channels: ['channels', 'verify'],
  preview: ['preview'],
  plan: ['plan'],
  check: ['check'],
  calendar: ['calendar', '2027'],
  migrate: ['migrate'],
  worker: ['worker'],
};

describe('a command that needs a project, outside one', () => {
  it('is declared on exactly the commands that read or write project state (not `new`, not `schema`)', () => {
    expect(commands.filter((c) => c.needsProject).map((c) => c.name).sort()).toEqual(Object.keys(invocations).sort());
  });

  for (const [name, args] of Object.entries(invocations)) {
    it(`${name}: exit 2 naming the folder and --root; no var/ is created`, async () => {
      const r = await cli(dir, ...args);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`advisory ${name}: there is no advisories/ folder in ${dir}: run the command inside your project folder (the one that holds advisories/), or name it with --root DIR; to start a new project there, run \`advisory new <id>\``);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('typed inside a project\'s advisories/ folder: says so and names the project folder', async () => {
    const project = tmpProject();
    try {
      const inside = join(project, 'advisories');
      for (const args of [['build'], ['status'], ['subscribers', 'list']]) {
        const r = await cli(inside, ...args);
        expect(r.code).toBe(2);
        expect(r.err).toBe(`advisory ${args[0]}: there is no advisories/ folder in ${inside}, which looks like the advisories/ folder itself: run the command in ${project}, or name it with --root ${project}`);
      }
      expect(existsSync(join(inside, 'var'))).toBe(false);
      expect(existsSync(join(project, 'var'))).toBe(false);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('a folder that is not there: exit 2, and it is not created', async () => {
    const missing = join(dir, 'no-such-folder');
    const r = await cli(missing, 'status');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the folder .*no-such-folder does not exist: .*--root DIR/);
    expect(existsSync(missing)).toBe(false);
  });

  it('--help still works anywhere', async () => {
    const r = await cli(dir, 'status', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Deliveries by state/);
  });
});

describe('what still counts as a project', () => {
  it('a folder with only a ledger (var/advisory.db, no advisories/): the state commands work', async () => {
    const project = tmpProject();
    try {
      expect((await cli(project, 'subscribers', 'add', 'a@example.org')).code).toBe(0);
      rmSync(join(project, 'advisories'), { recursive: true });
      const r = await cli(project, 'subscribers', 'list');
      expect(r.code).toBe(0);
      expect(r.out).toContain('a@example.org');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('commands that work anywhere', () => {
  it('`schema` prints the schemas in any folder', async () => {
    const r = await cli(dir, 'schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toHaveProperty(['campaign.schema.json']);
  });

  it('`new` starts a project in an empty folder', async () => {
    mkdirSync(join(dir, 'start'));
    const r = await cli(join(dir, 'start'), 'new', '2025-spring-festival', '--holiday', 'spring-festival', '--year', '2025');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'start/advisories/2025-spring-festival/campaign.yaml'))).toBe(true);
  });
});
