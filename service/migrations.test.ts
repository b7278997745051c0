import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type AppliedMigration,
  checksumOf,
  loadMigrations,
  matchesChecksum,
  type Migration,
  planMigrations,
} from './migrations';

const migration = (name: string, sql = `-- ${name}\nSELECT 1;\n`): Migration => ({
  name,
  sql,
  checksum: checksumOf(sql),
});
const applied = (m: Migration, over: Partial<AppliedMigration> = {}): AppliedMigration => ({
  migrationName: m.name,
  checksum: m.checksum,
  finishedAt: new Date('2026-01-01T00:00:01Z'),
  rolledBackAt: null,
  startedAt: new Date('2026-01-01T00:00:00Z'),
  logs: null,
  ...over,
});

const a = migration('20260101000000_a');
const b = migration('20260102000000_b');
const c = migration('20260103000000_c');

describe('planMigrations', () => {
  const cases: Array<[string, Migration[], AppliedMigration[], string[], RegExp[], string[]]> = [
    ['a fresh database has everything pending, in order', [a, b, c], [], [a.name, b.name, c.name], [], []],
    ['only the unapplied tail is pending', [a, b, c], [applied(a), applied(b)], [c.name], [], []],
    ['an up-to-date database has nothing pending', [a, b], [applied(a), applied(b)], [], [], []],
    [
      'an edited applied migration is a problem',
      [{ ...a, sql: 'SELECT 2;', checksum: checksumOf('SELECT 2;') }, b],
      [applied(a)],
      [b.name],
      [/20260101000000_a was edited after it was applied/],
      [],
    ],
    [
      'a recorded failure blocks, naming the migration and its error',
      [a, b],
      [applied(a), applied(b, { finishedAt: null, logs: 'Database error code: 42601\n\nsyntax error' })],
      [b.name],
      [/20260102000000_b failed .*Database error code: 42601/],
      [],
    ],
    [
      'a failure marked rolled back no longer blocks and the migration is pending again',
      [a, b],
      [applied(a), applied(b, { finishedAt: null, rolledBackAt: new Date() })],
      [b.name],
      [],
      [],
    ],
    ['a migration applied by a newer release is reported, not fatal', [a], [applied(a), applied(b)], [], [], [b.name]],
  ];
  it.each(cases)('%s', (_name, local, history, pending, problems, unknown) => {
    const plan = planMigrations(local, history);
    expect(plan.pending.map((m) => m.name)).toEqual(pending);
    expect(plan.problems).toHaveLength(problems.length);
    problems.forEach((pattern, i) => expect(plan.problems[i]).toMatch(pattern));
    expect(plan.unknown).toEqual(unknown);
  });
});

describe('checksums', () => {
  it('are the sha256 hex of the file, as Prisma Migrate records them', () => {
    const [first] = loadMigrations();
    const file = readFileSync(path.join(__dirname, '..', 'prisma', 'migrations', first!.name, 'migration.sql'));
    expect(first!.checksum).toBe(createHash('sha256').update(file).digest('hex'));
    expect(first!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('still match when only line endings changed', () => {
    const lf = 'CREATE TABLE x ();\nSELECT 1;\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(matchesChecksum(crlf, checksumOf(lf))).toBe(true);
    expect(matchesChecksum(lf, checksumOf(crlf))).toBe(true);
    expect(matchesChecksum('CREATE TABLE y ();\n', checksumOf(lf))).toBe(false);
  });
});

describe('loadMigrations', () => {
  it('finds the repository migrations in timestamp order', () => {
    const names = loadMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names).toEqual([...names].sort());
    expect(names[0]).toMatch(/^\d{14}_create_users$/);
  });
});
