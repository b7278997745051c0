// Bounds what one client, or many, can make the process hold: concurrent connections per process and outstanding
// (pipelined) requests per connection. Excess is answered at once with 503 + Retry-After and the connection closed,
// so it costs a few bytes instead of starving the clients already served.
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { OPERATING_ROUTES } from '../contract/runtime';
import { sendProblem } from './problem';

export interface ConnectionLimitsOptions {
  /** Connections served at once; the next ones are answered 503 on their first request and closed. */
  readonly maxConnections: number;
  /** Requests one connection may have outstanding at once; past it, 503 and the connection closes. */
  readonly pipelineDepth: number;
}

/**
 * A pod's share: an idle connection costs tens of KiB, so 500 of them stay well inside the pods' memory limits
 * (docs/drills.md). Browsers and load balancers do not pipeline; 16 outstanding requests is more than any needs.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimitsOptions = { maxConnections: 500, pipelineDepth: 16 };

/** Seconds a shed client is told to wait: the limit frees up as soon as any connection closes. */
export const SHED_RETRY_AFTER_SECONDS = 1;
/**
 * Connections past the limit still accepted so they can be told 503; past these, the kernel's accept is answered by
 * closing the socket at once (Node's `maxConnections`), so even a flood of idle connections keeps fds bounded.
 */
const SHED_HEADROOM = 64;
/** A shed connection that sends no request within this is closed: it must not hold a descriptor for long. */
const SHED_LINGER_MS = 2_000;

const OPERATING_PATHS: ReadonlySet<string> = new Set(OPERATING_ROUTES);

export class ConnectionLimits {
  private open = 0;
  private readonly shed = new WeakSet<Socket>();
  private readonly outstanding = new WeakMap<Socket, number>();
  /** Connections already told 503 + close: whatever else they queued is left to the close, unanswered. */
  private readonly refused = new WeakSet<Socket>();

  constructor(readonly options: ConnectionLimitsOptions) {}

  /** Counts the server's connections and marks the ones past the limit. Call once, before it listens. */
  attach(server: http.Server): void {
    server.maxConnections = this.options.maxConnections + SHED_HEADROOM;
    server.prependListener('connection', (socket: Socket) => {
      this.open += 1;
      socket.once('close', () => (this.open -= 1));
      if (this.open <= this.options.maxConnections) return;
      this.shed.add(socket);
      const timer = setTimeout(() => socket.destroy(), SHED_LINGER_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    });
  }

  /** Connections open now, the shed ones included. */
  get connections(): number {
    return this.open;
  }

  /** Middleware, first in the chain: answers excess requests before any route spends work on them. */
  readonly guard = (req: Request, res: Response, next: NextFunction): void => {
    const socket = req.socket;
    // The answer already queued on this connection ends it, and a client retries what came after on a new one
    // (RFC 9112 §9.3.2): spending a response, a log line and a metric on each would let a flood buy work.
    if (this.refused.has(socket)) return;
    const depth = (this.outstanding.get(socket) ?? 0) + 1;
    this.outstanding.set(socket, depth);
    res.once('close', () => this.outstanding.set(socket, (this.outstanding.get(socket) ?? 1) - 1));
    if (this.shed.has(socket)) {
      if (OPERATING_PATHS.has(req.path)) {
        // The kubelet's probes and Prometheus' scrape open new connections: a saturated pod must still say it is
        // alive (or a liveness failure would restart it under load) and be measured. Answered, then closed.
        res.setHeader('Connection', 'close');
        next();
      } else {
        this.refuse(socket, res, 'The service is at its connection limit; retry later.');
      }
    } else if (depth > this.options.pipelineDepth) {
      // A client pipelining this deep is flooding, not browsing: the requests before this one are answered, this
      // one is refused, and the connection closes after its answer.
      this.refuse(socket, res, `More than ${this.options.pipelineDepth} requests are outstanding on this connection.`);
    } else {
      next();
    }
  };

  private refuse(socket: Socket, res: Response, detail: string): void {
    this.refused.add(socket);
    res.setHeader('Retry-After', String(SHED_RETRY_AFTER_SECONDS));
    res.setHeader('Connection', 'close');
    sendProblem(res, 503, detail);
  }
}
