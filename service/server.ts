// The HTTP server's lifetime: listen, and stop gracefully — readiness off, no new connections, every request already
// received answered, keep-alive connections closed — within a deadline.
import http, { type RequestListener } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ConnectionLimits } from './connection-limits';
import type { Lifecycle } from './health';
import type { Logger } from './logger';
import { closeInStages } from './staged-close';

export interface RunningServer {
  readonly server: http.Server;
  readonly port: number;
}

/** The server's timeouts, each deliberate: together they bound how long any client can hold a connection. */
export interface ServerTimeouts {
  /** A request's headers must arrive within this. */
  readonly headersMs: number;
  /** A whole request, headers and body, must arrive within this. */
  readonly requestMs: number;
  /**
   * An idle keep-alive connection is closed after this. It should outlive a load balancer's idle timeout (60 s on
   * AWS ALB), so the balancer, not this server, closes idle connections: otherwise it may send a request on a socket
   * the server is closing, and answer its client 502.
   */
  readonly keepAliveMs: number;
  /** A connection on which no byte moves for this long (a client that stopped reading its answer) is closed. */
  readonly idleMs: number;
}

export interface ServerOptions {
  /** @default DEFAULT_TIMEOUTS */
  readonly timeouts?: ServerTimeouts;
  /** Connection and pipelining bounds, attached to the server before it listens. @default none */
  readonly limits?: ConnectionLimits;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 15_000,
  keepAliveMs: 65_000,
  idleMs: 30_000,
};

/** How often Node looks for requests past their headers or request timeout: the precision of both. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export async function startServer(
  app: RequestListener,
  port: number,
  host?: string,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs,
      // Node requires the request timeout to be at least the headers timeout.
      requestTimeout: Math.max(timeouts.requestMs, timeouts.headersMs),
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, timeouts.headersMs),
    },
    app,
  );
  server.timeout = timeouts.idleMs;
  closeInStages(server);
  options.limits?.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

export interface StopOptions {
  readonly lifecycle: Lifecycle;
  readonly logger: Logger;
  /** How long in-flight requests may take before their connections are cut. */
  readonly graceMs: number;
  /**
   * How long a keep-alive connection may stay idle once shutdown began before it is closed. @default 1000
   */
  readonly idleLingerMs?: number;
}

export interface StopResult {
  /** True when every connection ended by itself before the deadline; false when some were cut. */
  readonly drained: boolean;
}

/**
 * Stops the server. Node's `http.Server#close` would also destroy every idle keep-alive socket at once, racing a
 * request a client is writing onto one of them (the client sees a reset for a request it already sent). Instead:
 * stop listening only, answer every later request on an open connection with `Connection: close` so clients leave
 * after it, and close sockets that stay idle past a short linger.
 */
export async function stopServer({ server }: RunningServer, options: StopOptions): Promise<StopResult> {
  const { lifecycle, logger, graceMs, idleLingerMs = 1_000 } = options;
  lifecycle.beginShutdown();
  server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  });

  const timers: NodeJS.Timeout[] = [];
  const drained = await new Promise<boolean>((resolve) => {
    NetServer.prototype.close.call(server, () => resolve(true));
    timers.push(
      setTimeout(() => {
        server.closeIdleConnections();
        timers.push(setInterval(() => server.closeIdleConnections(), Math.max(50, idleLingerMs / 4)));
      }, idleLingerMs),
      setTimeout(() => resolve(false), graceMs),
    );
  });
  for (const timer of timers) clearTimeout(timer);
  if (!drained) {
    logger.warn({ graceMs }, 'requests still in flight at the shutdown deadline; closing their connections');
    server.closeAllConnections();
  }
  return { drained };
}
