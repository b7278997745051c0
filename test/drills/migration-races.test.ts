// Drill: migrations under contention and failure. Four real `migrate` processes started at once on a fresh
// database apply each migration exactly once; a failing migration leaves the whole schema as it was and
// `migrate --check` failing; an applied migration whose file was edited is refused.
import { cpSync, mkdtempSync, mkdirSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { migrateCommand } from '../../service/migrate';
import { defaultMigrationsDir, loadMigrations } from '../../service/migrations';
import { runService } from '../process/service-process';
import { createTestDatabase, query, type TestDatabase } from '../support/database';
import { ms, recordFigures } from './figures';

jest.setTimeout(90_000);

const RUNS = 4;
const logger = pino({ level: 'silent' });
/** Holds this file's copies of the migrations; removed with everything in it. */
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'hello-drill-migrations-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every table, column, type and index of the public schema, as text to compare. */
async function schemaOf(url: string): Promise<string> {
  const columns = await query<{ c: string }>(
    url,
    `SELECT table_name || '.' || column_name || ':' || data_type AS c FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1`,
  );
  const indexes = await query<{ c: string }>(
    url,
    `SELECT indexdef AS c FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
  );
  const triggers = await query<{ c: string }>(
    url,
    `SELECT tgname AS c FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`,
  );
  return [...columns, ...indexes, ...triggers].map((r) => r.c).join('\n');
}

/** This repository's migrations in a folder of our own, to add to and edit. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(scratch, 'migrations-'));
  cpSync(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase('migrations');
});
afterEach(async () => {
  await db.drop();
});

test(`${RUNS} migrate processes at once apply each migration exactly once, and --check then passes`, async () => {
  const started = performance.now();
  const runs = Array.from({ length: RUNS }, () => runService(['migrate'], { DATABASE_URL: db.url, LOG_LEVEL: 'info' }));
  const codes = await Promise.all(runs.map((r) => r.exited));
  const seconds = performance.now() - started;
  const counts = await query<{ migration_name: string; n: number }>(
    db.url,
    `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL
     GROUP BY migration_name ORDER BY 1`,
  );
  const applied = runs.map((r) => Number(r.lines.find((l) => l.msg === 'migrations applied')?.applied ?? 0));
  const check = runService(['migrate', '--check'], { DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
  const checkCode = await check.exited;
  recordFigures('migrations', `${RUNS} concurrent migrate processes`, {
    'exit codes': codes.join(' '),
    'applied per run': applied.join(' '),
    'rows per migration': counts.map((c) => c.n).join(' '),
    'migrate --check exit': checkCode,
    'wall ms': ms(seconds),
  });

  expect(codes).toEqual(Array(RUNS).fill(0));
  expect(counts).toEqual(loadMigrations().map((m) => ({ migration_name: m.name, n: 1 })));
  expect(applied.reduce((sum, n) => sum + n, 0)).toBe(loadMigrations().length);
  expect(checkCode).toBe(0);
});

test('a failing migration leaves the schema as it was and --check failing', async () => {
  const dir = copyOfMigrations();
  const options = { databaseUrl: db.url, logger, migrationsDir: dir };
  expect(await migrateCommand([], options)).toBe(0);
  const before = await schemaOf(db.url);
  // Changes three kinds of object, then fails: all of it must be rolled back together.
  mkdirSync(path.join(dir, '29990101000000_broken'));
  writeFileSync(
    path.join(dir, '29990101000000_broken', 'migration.sql'),
    `CREATE TABLE drill_extra (id int);\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX users_dob ON users (date_of_birth);\nSELECT 1 / 0;\n`,
  );
  const code = await migrateCommand([], options);
  const after = await schemaOf(db.url);
  const checkCode = await migrateCommand(['--check'], options);
  recordFigures('migrations', 'a failing migration', {
    'migrate exit': code,
    'schema unchanged': String(after === before),
    'migrate --check exit': checkCode,
  });
  expect(code).toBe(1);
  expect(after).toBe(before);
  expect(checkCode).toBe(1);
});

test('an edited, already-applied migration is refused, and --check fails', async () => {
  const dir = copyOfMigrations();
  const options = { databaseUrl: db.url, logger, migrationsDir: dir };
  expect(await migrateCommand([], options)).toBe(0);
  const before = await schemaOf(db.url);
  const first = loadMigrations(dir)[0]!;
  appendFileSync(path.join(dir, first.name, 'migration.sql'), '\nALTER TABLE users ADD COLUMN edited text;\n');
  const code = await migrateCommand([], options);
  const checkCode = await migrateCommand(['--check'], options);
  const after = await schemaOf(db.url);
  recordFigures('migrations', 'an edited applied migration', {
    'migrate exit': code,
    'schema unchanged': String(after === before),
    'migrate --check exit': checkCode,
  });
  expect(code).toBe(1);
  expect(checkCode).toBe(1);
  expect(after).toBe(before);
});
