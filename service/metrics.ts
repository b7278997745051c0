// Prometheus metrics of one app instance: its own registry (tests stay isolated), default process metrics, and the
// request counter and duration histogram the SLO gates and alerts query (names, labels, buckets from the contract).
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { METRICS } from '../contract/runtime';

/** The route label of a request no route matched, so raw paths never become label values. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface HttpMetrics {
  readonly registry: Registry;
  /** Records one finished response: its count and duration under its route pattern. */
  readonly record: (req: Request, res: Response, seconds: number) => void;
}

export interface HttpMetricsOptions {
  /** The running release id: a default label on every metric. */
  readonly release: string;
  /** Process metrics (CPU, memory, event loop lag, GC). Tests that build many apps turn them off. @default true */
  readonly processMetrics?: boolean;
  /** Log lines dropped so far because stdout did not keep up (the log destination's count). @default none */
  readonly droppedLogLines?: () => number;
}

/** Log lines the process dropped rather than stall on a slow stdout: non-zero means the logs have gaps. */
export const LOG_LINES_DROPPED = 'log_lines_dropped_total';

type Observers = { count: Counter.Internal; duration: Histogram.Internal<string> };

export function createHttpMetrics({
  release,
  processMetrics = true,
  droppedLogLines,
}: HttpMetricsOptions): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ [METRICS.labels.release]: release });
  if (processMetrics) collectDefaultMetrics({ register: registry });
  if (droppedLogLines) {
    let reported = 0;
    new Counter({
      name: LOG_LINES_DROPPED,
      help: 'Log lines dropped because stdout did not keep up; the service never waits for its log reader.',
      registers: [registry],
      // Read at scrape time: the destination counts drops as they happen, the counter catches up here.
      collect() {
        const total = droppedLogLines();
        this.inc(total - reported);
        reported = total;
      },
    });
  }

  const labelNames = [METRICS.labels.method, METRICS.labels.route, METRICS.labels.statusCode];
  const requests = new Counter({
    name: METRICS.requestsTotal,
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });
  const durations = new Histogram({
    name: METRICS.requestDuration,
    help: 'Time from receiving an HTTP request to finishing its response, in seconds.',
    labelNames,
    buckets: [...METRICS.durationBuckets],
    registers: [registry],
  });

  // prom-client hashes a label object on every observation; the children for a label set are cached instead, so a
  // request costs two map lookups. The key space is bounded: methods × route patterns × status codes.
  const children = new Map<string, Observers>();
  const observersFor = (method: string, route: string, status: string): Observers => {
    const key = `${method} ${route} ${status}`;
    let observers = children.get(key);
    if (!observers) {
      observers = { count: requests.labels(method, route, status), duration: durations.labels(method, route, status) };
      children.set(key, observers);
    }
    return observers;
  };

  const record = (req: Request, res: Response, seconds: number): void => {
    const observers = observersFor(req.method, routeLabel(req, res), String(res.statusCode));
    observers.count.inc();
    observers.duration.observe(seconds);
  };

  return { registry, record };
}

/**
 * The route pattern that answered (`/hello/:username`), the label a mounted part set (`res.locals.route`), or
 * `unmatched`. Read when the response finishes, so it costs nothing while routing.
 */
export function routeLabel(req: Request, res: Response): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return route;
  const mounted: unknown = res.locals.route;
  return typeof mounted === 'string' ? mounted : UNMATCHED_ROUTE;
}
