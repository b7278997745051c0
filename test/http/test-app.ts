// The Hello API as HTTP tests call it: createApp with a given users repository, an injected clock, captured log
// lines and the supertest agent. api.ts puts it on a real PostgreSQL; startInMemoryApi on a Map, for the tests of
// routes, validation and problem+json answers, which need no database.
import { Writable } from 'node:stream';
import type { Express } from 'express';
import supertest from 'supertest';
import { createApp } from '../../service/app';
import { Lifecycle } from '../../service/health';
import { createLogger, type Logger } from '../../service/logger';
import { createHttpMetrics, type HttpMetrics } from '../../service/metrics';
import type { DataReadiness, UsersRepository } from '../../service/users';
import { InMemoryUsersRepository } from '../support/in-memory-users';

export interface TestApp {
  readonly app: Express;
  readonly request: ReturnType<typeof supertest>;
  readonly metrics: HttpMetrics;
  readonly lifecycle: Lifecycle;
  /** Every JSON log line written so far. */
  readonly logs: string[];
  /** Moves the injected clock. */
  setNow(iso: string): void;
}

export interface TestAppOptions {
  /** @default '2024-06-15T12:00:00Z' */
  readonly now?: string;
  readonly timeZone?: string;
}

/** A logger whose JSON lines are collected in `logs`. */
export function capturedLogger(): { logger: Logger; logs: string[] } {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('info', sink), logs };
}

export function createTestApp(
  parts: { users: UsersRepository; readiness: () => Promise<DataReadiness> } & ReturnType<typeof capturedLogger>,
  options: TestAppOptions = {},
): TestApp {
  let now = new Date(options.now ?? '2024-06-15T12:00:00Z');
  const metrics = createHttpMetrics({ release: 'test-release', processMetrics: false });
  const lifecycle = new Lifecycle();
  const app = createApp({
    users: parts.users,
    readiness: parts.readiness,
    logger: parts.logger,
    metrics,
    lifecycle,
    clock: () => now,
    release: 'test-release',
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  return {
    app,
    request: supertest(app),
    metrics,
    lifecycle,
    logs: parts.logs,
    setNow: (iso) => {
      now = new Date(iso);
    },
  };
}

/** The API on an in-memory repository: always ready, nothing to close. */
export function startInMemoryApi(options: TestAppOptions = {}): TestApp & { close(): Promise<void> } {
  const users = new InMemoryUsersRepository();
  const api = createTestApp({ users, readiness: () => Promise.resolve({ ready: true }), ...capturedLogger() }, options);
  return { ...api, close: () => Promise.resolve() };
}
