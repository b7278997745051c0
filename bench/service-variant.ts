// The real service (createApp over openDatabase, wired as service/main.ts wires it) with one data-layer lever
// switched, so the benchmark can measure what each lever is worth. Environment: DATABASE_URL, PORT, and
// BENCH_CACHE_ENTRIES (0 = no cache), BENCH_HOT_READ (prepared | unnamed | prisma), BENCH_PRISMA_STATEMENTS
// (prepared | unnamed), BENCH_WRITE (raw | upsert), LOG_LEVEL.
import { createApp } from '../service/app';
import { openDatabase } from '../service/database';
import { Lifecycle } from '../service/health';
import { createLogger, type LogLevel } from '../service/logger';
import { createHttpMetrics } from '../service/metrics';
import { startServer } from '../service/server';
import type { HotRead, WriteWith } from '../service/users-store';

async function main(): Promise<void> {
  const logger = createLogger((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info');
  const database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL!,
    dataDir: '.data',
    logger,
    cacheEntries: Number(process.env.BENCH_CACHE_ENTRIES ?? 10_000),
    hotRead: (process.env.BENCH_HOT_READ as HotRead | undefined) ?? 'prepared',
    preparePrismaStatements: process.env.BENCH_PRISMA_STATEMENTS !== 'unnamed',
    writeWith: (process.env.BENCH_WRITE as WriteWith | undefined) ?? 'raw',
  });
  const app = createApp({
    users: database.users,
    readiness: () => database.readiness(),
    logger,
    metrics: createHttpMetrics({ release: 'bench' }),
    lifecycle: new Lifecycle(),
  });
  const running = await startServer(app, Number(process.env.PORT ?? 0), '127.0.0.1');
  logger.info({ port: running.port }, 'listening');
  process.on('SIGTERM', () => {
    running.server.closeAllConnections();
    running.server.close();
    void database.close().then(() => process.exit(0));
  });
}

void main();
