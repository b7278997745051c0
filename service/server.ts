// The HTTP server's lifetime: listen, and stop gracefully — readiness off, no new connections, every request already
// received answered, keep-alive connections closed — within a deadline.
import http, { type RequestListener } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Lifecycle } from './health';
import type { Logger } from './logger';

export interface RunningServer {
  readonly server: http.Server;
  readonly port: number;
}

/**
 * Keep-alive outlives a load balancer's idle timeout (60 s on AWS ALB), so the balancer, not this server, closes
 * idle connections: otherwise it may send a request on a socket the server is closing, and answer its client 502.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function startServer(app: RequestListener, port: number, host?: string): Promise<RunningServer> {
  const server = http.createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
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
