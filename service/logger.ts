// Structured JSON logs (pino) and the per-request observer: a request id per request, one access line per response
// and the request metrics, from a single `finish` listener. Never logs bodies, paths or dates of birth.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import pino from 'pino';
import { APP_NAME } from '../contract/runtime';
import { serializeError } from './error-serializer';
import { stdoutDestination } from './log-destination';
import type { HttpMetrics } from './metrics';
import { routeLabel } from './metrics';

export type Logger = pino.Logger;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const REQUEST_ID_HEADER = 'x-request-id';
/** An incoming request id is honoured only when it is short and plain, so it cannot flood or forge log lines. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A logger writing one JSON line per event (an `err` field always through `serializeError`), by default to stdout asynchronously with a bounded backlog
 * (`stdoutDestination`); `flushLogs` in the shutdown path writes whatever is still queued.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: APP_NAME },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: (error: unknown) => serializeError(error) },
    },
    destination ?? stdoutDestination(),
  );
}

/**
 * Resolves once every line logged so far has been handed to the destination (the OS, for stdout), or after
 * `timeoutMs` when stdout does not drain: a stalled reader must not hold up the exit.
 */
export function flushLogs(logger: Logger, timeoutMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    try {
      // A write error (stdout closed) must not hold up the exit either: the lines are lost either way.
      logger.flush(() => done());
    } catch {
      done();
    }
  });
}

/** The caller's request id when it is acceptable, else a fresh one. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
}

/** The request id of a request being answered (set by `observeRequests`). */
export function requestIdOf(res: Response): string | undefined {
  const id: unknown = res.locals.requestId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Middleware: assigns the request id (echoed in the response header) and, when the response finishes, records its
 * metrics and writes one access line with the route pattern — not the path, which holds the username.
 */
export function observeRequests(logger: Logger, metrics: HttpMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    const requestId = requestIdFor(req.headers[REQUEST_ID_HEADER]);
    res.locals.requestId = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.record(req, res, seconds);
      logger.info(
        {
          requestId,
          method: req.method,
          route: routeLabel(req, res),
          status: res.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
        },
        'request',
      );
    });
    next();
  };
}
