// Liveness and readiness. Liveness never touches the database (a database outage must not restart every pod);
// readiness is the data layer's answer, and turns false for good the moment shutdown begins.
import type { Express } from 'express';
import { PATHS } from '../contract/runtime';
import type { Logger } from './logger';
import { sendProblem } from './problem';
import type { DataReadiness } from './users';

/** Whether the process is shutting down; the server's stop sequence flips it, readiness reads it. */
export class Lifecycle {
  #shuttingDown = false;

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  beginShutdown(): void {
    this.#shuttingDown = true;
  }
}

export interface HealthDeps {
  readonly readiness: () => Promise<DataReadiness>;
  readonly lifecycle: Lifecycle;
  readonly logger: Logger;
}

export function mountHealth(app: Express, { readiness, lifecycle, logger }: HealthDeps): void {
  app.get(PATHS.health, (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The reason goes to the log when it changes (not on every probe); the body stays generic.
  let lastReason: string | undefined;
  app.get(PATHS.ready, async (_req, res) => {
    let state: DataReadiness = lifecycle.shuttingDown
      ? { ready: false, reason: 'shutting down' }
      : await readiness().catch((error: unknown) => ({ ready: false as const, reason: String(error) }));
    // Shutdown may have begun while the data layer answered.
    if (lifecycle.shuttingDown) state = { ready: false, reason: 'shutting down' };
    if (state.ready) {
      if (lastReason !== undefined) logger.info('ready');
      lastReason = undefined;
      res.setHeader('Cache-Control', 'no-store');
      res.json({ status: 'ready' });
      return;
    }
    if (state.reason !== lastReason) logger.warn({ reason: state.reason }, 'not ready');
    lastReason = state.reason;
    res.setHeader('Cache-Control', 'no-store');
    sendProblem(res, 503, lifecycle.shuttingDown ? 'The service is shutting down.' : 'The service is not ready.');
  });
}
