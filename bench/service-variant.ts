// The real service (createApp over the production data-layer parts, wired as service/database.ts wires them) with one
// lever switched, so the benchmark can measure what each is worth. The variants live here, not in service/: the
// service keeps one path per operation. Environment: DATABASE_URL, PORT, LOG_LEVEL, and
// BENCH_CACHE_ENTRIES (0 = no cache), BENCH_READ (prepared | unnamed | prisma), BENCH_WRITE (batched | single |
// upsert), BENCH_BATCHES_IN_FLIGHT, BENCH_PRISMA_STATEMENTS (prepared | unnamed).
import { createApp } from '../service/app';
import { createPool, createPrismaClient } from '../service/database';
import { Lifecycle } from '../service/health';
import { createLogger, type LogLevel } from '../service/logger';
import { createHttpMetrics } from '../service/metrics';
import { startServer } from '../service/server';
import type { UsersRepository } from '../service/users';
import { CachedUsersRepository } from '../service/users-cache';
import { listenForUserChanges } from '../service/user-changes';
import { PostgresUsersRepository, saveBatchStatement } from '../service/users-store';

const env = process.env;

async function main(): Promise<void> {
  const logger = createLogger((env.LOG_LEVEL as LogLevel | undefined) ?? 'info');
  const url = env.DATABASE_URL!;
  const pool = createPool(url, 10, true);
  const prisma = createPrismaClient(pool, env.BENCH_PRISMA_STATEMENTS !== 'unnamed');
  const shipped = new PostgresUsersRepository(
    prisma,
    pool,
    env.BENCH_READ !== 'unnamed',
    ...(env.BENCH_BATCHES_IN_FLIGHT ? [Number(env.BENCH_BATCHES_IN_FLIGHT)] : []),
  );
  const store: UsersRepository = {
    // Prisma's own read: what the hot read replaced.
    findDateOfBirth:
      env.BENCH_READ === 'prisma'
        ? async (key) => {
            const user = await prisma.user.findUnique({ where: { username: key }, select: { dateOfBirth: true } });
            return user?.dateOfBirth.toISOString().slice(0, 10);
          }
        : (key) => shipped.findDateOfBirth(key),
    saveDateOfBirth:
      env.BENCH_WRITE === 'single'
        ? // One statement (the service's, with one row) per request: no coalescing.
          async (key, dateOfBirth) => void (await prisma.$executeRaw(saveBatchStatement([{ key, dateOfBirth }])))
        : env.BENCH_WRITE === 'upsert'
          ? // Prisma's native upsert per request: what the raw statement replaced.
            async (key, dateOfBirth) => {
              const value = new Date(`${dateOfBirth}T00:00:00.000Z`);
              await prisma.user.upsert({
                where: { username: key },
                create: { username: key, dateOfBirth: value },
                update: { dateOfBirth: value },
                select: { username: true },
              });
            }
          : (key, dateOfBirth) => shipped.saveDateOfBirth(key, dateOfBirth),
  };
  const entries = Number(env.BENCH_CACHE_ENTRIES ?? 10_000);
  const changes = entries > 0 ? listenForUserChanges(url, logger) : undefined;
  await changes?.ready;
  const app = createApp({
    users: changes ? new CachedUsersRepository(store, changes, entries) : store,
    readiness: () => Promise.resolve({ ready: true }),
    logger,
    metrics: createHttpMetrics({ release: 'bench' }),
    lifecycle: new Lifecycle(),
  });
  const running = await startServer(app, Number(env.PORT ?? 0), '127.0.0.1');
  logger.info({ port: running.port }, 'listening');
  process.on('SIGTERM', () => {
    running.server.closeAllConnections();
    running.server.close();
    void Promise.all([changes?.close(), prisma.$disconnect()])
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}

void main();
