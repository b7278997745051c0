// The real service process for a drill: a fresh, migrated PostgreSQL database (optionally reached through a TCP
// proxy the drill can cut), the process started on a free port and waited for, and stopped however it ended up.
import pino from 'pino';
import { applyMigrations } from '../../service/migrate';
import { TcpProxy } from '../database/tcp-proxy';
import { runService, type ServiceProcess } from '../process/service-process';
import { ADMIN_URL, createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait-for';

export interface DrillService {
  readonly db: TestDatabase;
  readonly process: ServiceProcess;
  readonly port: number;
  /** Present when started `behindProxy`: cut it to take the database away from the service only. */
  readonly proxy?: TcpProxy;
  stop(): Promise<void>;
}

export interface DrillServiceOptions {
  readonly label: string;
  readonly behindProxy?: boolean;
  /** Extra environment (LOG_LEVEL, SHUTDOWN_GRACE_SECONDS...). @default LOG_LEVEL warn */
  readonly env?: Record<string, string>;
  /** Another instance on the same database instead of a fresh one. */
  readonly db?: TestDatabase;
}

export async function startDrillService(options: DrillServiceOptions): Promise<DrillService> {
  let db = options.db;
  if (!db) {
    db = await createTestDatabase(options.label);
    await applyMigrations(db.url, { logger: pino({ level: 'silent' }) });
  }
  let proxy: TcpProxy | undefined;
  if (options.behindProxy) {
    const admin = new URL(ADMIN_URL);
    proxy = new TcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    await proxy.start();
  }
  const port = await freePort();
  const child = runService(['serve'], {
    DATABASE_URL: proxy ? proxy.urlFor(db.url) : db.url,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  await Promise.race([
    waitFor(
      `the ${options.label} service to listen`,
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return res?.ok;
      },
      { timeoutMs: 30_000, everyMs: 100 },
    ),
    child.exited.then((code) => {
      throw new Error(`the service exited (${code}) before listening: ${child.stderr()}${child.stdout()}`);
    }),
  ]);
  const ownDb = options.db === undefined;
  return {
    db,
    process: child,
    port,
    ...(proxy ? { proxy } : {}),
    async stop() {
      if (child.child.exitCode === null && child.child.signalCode === null) {
        child.child.kill('SIGTERM');
        const timer = setTimeout(() => child.child.kill('SIGKILL'), 15_000);
        await child.exited;
        clearTimeout(timer);
      }
      await proxy?.stop();
      if (ownDb) await db.drop();
    },
  };
}
