// The migrate command against a real PostgreSQL: exactly-once under concurrency, Prisma's bookkeeping, refusals,
// transactional failure, and --check / --wait.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { applyMigrations, migrateCommand } from '../../service/migrate';
import { checksumOf, loadMigrations } from '../../service/migrations';
import { createTestDatabase, query, type TestDatabase } from '../support/database';
import { waitFor } from '../support/wait-for';

const logger = pino({ level: 'silent' });
const CLOSED_PORT_URL = 'postgresql://postgres:postgres@127.0.0.1:1/none';

/** Holds this file's migrations folders; removed with everything in it. */
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'hello-migrations-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A migrations folder of our own, to edit and break without touching prisma/migrations. */
function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(scratch, 'migrations-'));
  for (const [name, sql] of Object.entries(files)) writeMigration(dir, name, sql);
  return dir;
}
function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}
const tableExists = async (url: string, table: string) =>
  (await query<{ t: string | null }>(url, `SELECT to_regclass('${table}')::text AS t`))[0]!.t !== null;

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase('migrate');
});
afterEach(async () => {
  await db.drop();
});

describe('migrate', () => {
  it('applies every migration once and records each as Prisma Migrate does', async () => {
    expect(await migrateCommand([], { databaseUrl: db.url, logger })).toBe(0);
    const rows = await query<Record<string, unknown>>(
      db.url,
      'SELECT * FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const local = loadMigrations();
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.logs, r.rolled_back_at])).toEqual(
      local.map((m) => [m.name, m.checksum, 1, null, null]),
    );
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect((row.finished_at as Date).getTime()).toBeGreaterThanOrEqual((row.started_at as Date).getTime());
    }
    // Prisma's own column types, so its CLI reads the table as its own.
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      db.url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`)).toEqual([
      'id character varying NO',
      'checksum character varying NO',
      'finished_at timestamp with time zone YES',
      'migration_name character varying NO',
      'logs text YES',
      'rolled_back_at timestamp with time zone YES',
      'started_at timestamp with time zone NO',
      'applied_steps_count integer NO',
    ]);
    expect(await migrateCommand([], { databaseUrl: db.url, logger })).toBe(0);
    expect(await query(db.url, 'SELECT 1 FROM "_prisma_migrations"')).toHaveLength(local.length);
  });

  it('creates the users table as schema.prisma describes it', async () => {
    await applyMigrations(db.url, { logger });
    const columns = await query<Record<string, unknown>>(
      db.url,
      `SELECT column_name, data_type, character_maximum_length AS len, datetime_precision AS precision, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      {
        column_name: 'username',
        data_type: 'character varying',
        len: 64,
        precision: null,
        is_nullable: 'NO',
        column_default: null,
      },
      {
        column_name: 'date_of_birth',
        data_type: 'date',
        len: null,
        precision: 0,
        is_nullable: 'NO',
        column_default: null,
      },
      {
        column_name: 'updated_at',
        data_type: 'timestamp with time zone',
        len: null,
        precision: 3,
        is_nullable: 'NO',
        column_default: 'CURRENT_TIMESTAMP',
      },
    ]);
    const [pk] = await query<{ conname: string }>(
      db.url,
      `SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = 'users'::regclass`,
    );
    expect(pk!.conname).toBe('users_pkey');
  });

  it('two concurrent runs apply each migration exactly once', async () => {
    const [first, second] = await Promise.all([
      applyMigrations(db.url, { logger }),
      applyMigrations(db.url, { logger }),
    ]);
    const names = loadMigrations().map((m) => m.name);
    expect([...first, ...second].sort()).toEqual(names);
    const counts = await query<{ migration_name: string; n: number }>(
      db.url,
      'SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name ORDER BY 1',
    );
    expect(counts).toEqual(names.map((migration_name) => ({ migration_name, n: 1 })));
  });

  it('refuses to run when an applied migration was edited, and --check fails', async () => {
    const dir = migrationsFolder({ '20260101000000_a': 'CREATE TABLE a (id int);\n' });
    expect(await migrateCommand([], { databaseUrl: db.url, logger, migrationsDir: dir })).toBe(0);
    writeFileSync(path.join(dir, '20260101000000_a', 'migration.sql'), 'CREATE TABLE a (id bigint);\n');
    writeMigration(dir, '20260102000000_b', 'CREATE TABLE b (id int);\n');
    expect(await migrateCommand([], { databaseUrl: db.url, logger, migrationsDir: dir })).toBe(1);
    expect(await tableExists(db.url, 'b')).toBe(false);
    expect(await migrateCommand(['--check'], { databaseUrl: db.url, logger, migrationsDir: dir })).toBe(1);
  });

  it('a failing migration leaves the schema as it was, is recorded as failed, and blocks until marked rolled back', async () => {
    const dir = migrationsFolder({
      '20260101000000_a': 'CREATE TABLE a (id int);\n',
      '20260102000000_b': 'CREATE TABLE b (id int);\nALTER TABLE a ADD COLUMN note text;\nSELECT 1 / 0;\n',
    });
    const options = { databaseUrl: db.url, logger, migrationsDir: dir };
    expect(await migrateCommand([], options)).toBe(1);
    expect(await tableExists(db.url, 'a')).toBe(true);
    expect(await tableExists(db.url, 'b')).toBe(false);
    expect(
      await query(db.url, `SELECT 1 FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'note'`),
    ).toEqual([]);
    const [failed] = await query<Record<string, unknown>>(
      db.url,
      `SELECT finished_at, applied_steps_count, logs FROM "_prisma_migrations" WHERE migration_name = '20260102000000_b'`,
    );
    expect(failed).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(failed!.logs).toMatch(/22012[\s\S]*division by zero/);

    expect(await migrateCommand(['--check'], options)).toBe(1);
    writeMigration(dir, '20260102000000_b', 'CREATE TABLE b (id int);\n');
    expect(await migrateCommand([], options)).toBe(1); // still blocked: someone must look at the failure first
    expect(await migrateCommand(['--mark-rolled-back', '20260102000000_b'], options)).toBe(0);
    expect(await migrateCommand([], options)).toBe(0);
    expect(await tableExists(db.url, 'b')).toBe(true);
    expect(await migrateCommand(['--check'], options)).toBe(0);
    const [row] = await query<{ checksum: string }>(
      db.url,
      `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = '20260102000000_b' AND finished_at IS NOT NULL`,
    );
    expect(row!.checksum).toBe(checksumOf(readFileSync(path.join(dir, '20260102000000_b', 'migration.sql'), 'utf8')));
  });
});

describe('migrate --check', () => {
  it('fails while migrations are pending and passes once they are applied', async () => {
    expect(await migrateCommand(['--check'], { databaseUrl: db.url, logger })).toBe(1);
    await applyMigrations(db.url, { logger });
    expect(await migrateCommand(['--check'], { databaseUrl: db.url, logger })).toBe(0);
  });

  it('fails when the database cannot be reached', async () => {
    expect(await migrateCommand(['--check'], { databaseUrl: CLOSED_PORT_URL, logger })).toBe(1);
  });

  it('--wait keeps checking until another run has migrated the database', async () => {
    const lines: string[] = [];
    const recording = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const checking = migrateCommand(['--check', '--wait', '20'], { databaseUrl: db.url, logger: recording });
    // Migrate only after the check has seen the pending state, so the test covers waiting, not a lucky first look.
    await waitFor('the check to see pending migrations', () =>
      lines.some((line) => line.includes('migration(s) pending')),
    );
    await applyMigrations(db.url, { logger });
    expect(await checking).toBe(0);
  });

  it('--wait gives up with a failure when the database stays unreachable', async () => {
    expect(await migrateCommand(['--check', '--wait', '1'], { databaseUrl: CLOSED_PORT_URL, logger })).toBe(1);
  });

  it('rejects unknown flags with usage (exit 2)', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await migrateCommand(['--force'], { databaseUrl: db.url, logger })).toBe(2);
      expect(stderr.mock.calls.join('')).toMatch(/usage: migrate/);
    } finally {
      stderr.mockRestore();
    }
  });
});
