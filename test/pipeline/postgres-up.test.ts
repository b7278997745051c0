// scripts/postgres-up.sh against this machine's real PostgreSQL: a server that already accepts the tests'
// connection, or one that is not the script's to manage, is never changed. The commands that would change a server
// (runuser → ALTER USER, pg_ctlcluster) are replaced on PATH by stand-ins that only record that they were called.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN_URL } from '../support/database';
import { ROOT } from './repo';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'postgres-up-'));
  for (const command of ['runuser', 'pg_ctlcluster']) {
    const stub = `#!/bin/sh\necho "${command} $*" >>"${dir}/calls"\nexit 1\n`;
    writeFileSync(path.join(dir, command), stub, { mode: 0o755 });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function postgresUp(adminUrl: string) {
  rmSync(path.join(dir, 'calls'), { force: true });
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/postgres-up.sh')], {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, PG_ADMIN_URL: adminUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
  let calls = '';
  try {
    calls = readFileSync(path.join(dir, 'calls'), 'utf8');
  } catch {
    // nothing was called
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

test('a server that already accepts the connection is left as it is: no password set, no restart', () => {
  const r = postgresUp(ADMIN_URL);
  expect(r).toMatchObject({ status: 0, calls: '' });
  expect(r.stdout).toContain('left as it is');
});

test('a running server that refuses the connection is not changed; the script says how to point the tests at it', () => {
  const url = new URL(ADMIN_URL);
  url.username = 'no_such_role_for_postgres_up';
  const r = postgresUp(url.toString());
  expect(r).toMatchObject({ status: 1, calls: '' });
  expect(r.stderr).toMatch(/^postgres-up: PG_ADMIN_URL does not accept connections/);
});
