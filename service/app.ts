// The Express application, built from explicit dependencies so tests construct it without globals.
import express, { type Express } from 'express';
import helmet from 'helmet';
import { PATHS } from '../contract/runtime';
import { type Clock, systemClock, todayInZone } from './birthday';
import type { ConnectionLimits } from './connection-limits';
import { Lifecycle, mountHealth } from './health';
import { mountHelloRoutes } from './hello-routes';
import { type Logger, observeRequests } from './logger';
import type { HttpMetrics } from './metrics';
import { mountOpenApi } from './openapi';
import { notFound, problemHandler } from './problem';
import { requireConformingRequest } from './protocol-conformance';
import type { DataReadiness, UsersRepository } from './users';

export interface AppDeps {
  readonly users: UsersRepository;
  readonly readiness: () => Promise<DataReadiness>;
  readonly logger: Logger;
  readonly metrics: HttpMetrics;
  /** The IANA zone whose date is "today". @default 'UTC' */
  readonly timeZone?: string;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Shared with the server's stop sequence. @default a new Lifecycle */
  readonly lifecycle?: Lifecycle;
  /** The release id shown as the OpenAPI document's version. @default 'dev' */
  readonly release?: string;
  /** Sheds requests past the server's connection and pipelining bounds (the same object the server attaches). */
  readonly limits?: ConnectionLimits;
}

export function createApp(deps: AppDeps): Express {
  const { logger, metrics } = deps;
  const lifecycle = deps.lifecycle ?? new Lifecycle();
  const app = express();

  app.disable('x-powered-by');
  // Nothing reads the client's address or protocol, so forwarded headers are not trusted: no spoofable input.
  app.set('trust proxy', false);
  // Exact paths: `/Hello/x` and `/hello/x/` are not the resource `/hello/x`.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // Greetings change daily and bodies are tiny: hashing every response for an ETag would cost more than it saves.
  app.set('etag', false);

  app.use(observeRequests(logger, metrics));
  app.use(requireConformingRequest);
  if (deps.limits) app.use(deps.limits.guard);
  app.use(
    helmet({
      contentSecurityPolicy: {
        // The service speaks plain HTTP behind its ingress; upgrading /docs' assets to https would break the UI.
        directives: { upgradeInsecureRequests: null },
      },
    }),
  );

  mountHealth(app, { readiness: deps.readiness, lifecycle, logger });
  app.get(PATHS.metrics, async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  mountOpenApi(app, deps.release ?? 'dev');
  mountHelloRoutes(app, { users: deps.users, today: todayInZone(deps.timeZone ?? 'UTC', deps.clock ?? systemClock) });

  app.use(notFound);
  app.use(problemHandler(logger));
  return app;
}
