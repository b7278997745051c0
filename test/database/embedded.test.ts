// The embedded database: PGlite in a data folder, migrated at open, reached through the same pg + Prisma path, and
// still holding its data after close and reopen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openDatabase } from '../../service/database';
import { startEmbeddedPostgres } from '../../service/embedded-database';
import { migrateCommand } from '../../service/migrate';
import { loadMigrations } from '../../service/migrations';
import { query } from '../support/database';

jest.setTimeout(120_000); // PGlite's first start initialises a cluster: seconds, on a slow machine tens of them

const dataDir = mkdtempSync(path.join(tmpdir(), 'hello-embedded-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the embedded database', () => {
  it('is migrated at open, persists across close and reopen, and reports itself', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const first = await openDatabase({ dataDir, logger });
    expect(first.kind).toBe('embedded');
    expect(lines.some((line) => line.includes('using the embedded database'))).toBe(true);
    expect(await first.readiness()).toEqual({ ready: true });
    await first.users.saveDateOfBirth('kept', '1988-02-29');
    await first.users.saveDateOfBirth('kept', '1988-03-01');
    await Promise.all(['a', 'b', 'c'].map((key, i) => first.users.saveDateOfBirth(`many${key}`, `1970-01-0${i + 1}`)));
    expect(await first.users.findDateOfBirth('kept')).toBe('1988-03-01');
    await first.close();
    await first.close(); // idempotent

    const second = await openDatabase({ dataDir, logger: pino({ level: 'silent' }) });
    try {
      expect(await second.users.findDateOfBirth('kept')).toBe('1988-03-01');
      expect(await Promise.all(['a', 'b', 'c'].map((key) => second.users.findDateOfBirth(`many${key}`)))).toEqual([
        '1970-01-01',
        '1970-01-02',
        '1970-01-03',
      ]);
      expect(await second.users.findDateOfBirth('nobody')).toBeUndefined();
    } finally {
      await second.close();
    }
  });

  it('migrate --check without DATABASE_URL checks the embedded database', async () => {
    const logger = pino({ level: 'silent' });
    expect(await migrateCommand(['--check'], { dataDir, logger })).toBe(0);
    const fresh = mkdtempSync(path.join(tmpdir(), 'hello-embedded-fresh-'));
    try {
      expect(await migrateCommand(['--check'], { dataDir: fresh, logger })).toBe(1);
      expect(await migrateCommand([], { dataDir: fresh, logger })).toBe(0);
      expect(await migrateCommand(['--check'], { dataDir: fresh, logger })).toBe(0);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('records its migrations in _prisma_migrations like a real server', async () => {
    const embedded = await startEmbeddedPostgres(dataDir, pino({ level: 'silent' }));
    try {
      const rows = await query<{ migration_name: string; checksum: string }>(
        embedded.url,
        'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY 1',
      );
      expect(rows).toEqual(loadMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    } finally {
      await embedded.close();
    }
  });
});
