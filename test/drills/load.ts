// Bounded closed-loop HTTP load for the drills: a number of clients, each on its own keep-alive connection, sending
// the next request as soon as the previous one is answered, every outcome timed. A request with no answer within
// the hang limit is abandoned and counted as hung, so a stuck service fails the drill instead of stalling it.
import http from 'node:http';

export interface DrillRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string | Buffer;
  readonly headers?: http.OutgoingHttpHeaders;
}

export interface Outcome {
  readonly request: DrillRequest;
  readonly client: number;
  /** performance.now() when the request was sent. */
  readonly sentAt: number;
  /** How long until the answer (or the error, or the hang limit). */
  readonly ms: number;
  readonly status?: number;
  readonly headers?: http.IncomingHttpHeaders;
  readonly body?: string;
  /** A connection error code, or 'HUNG' when nothing came back within the hang limit. */
  readonly error?: string;
}

export const HUNG = 'HUNG';

/** Sends one request on `agent` and resolves with its outcome; never rejects. */
export function send(
  agent: http.Agent,
  port: number,
  request: DrillRequest,
  options: { hangLimitMs?: number; client?: number } = {},
): Promise<Outcome> {
  const { hangLimitMs = 10_000, client = 0 } = options;
  const sentAt = performance.now();
  const done = (rest: Partial<Outcome>): Outcome => ({
    request,
    client,
    sentAt,
    ms: performance.now() - sentAt,
    ...rest,
  });
  return new Promise((resolve) => {
    const headers: http.OutgoingHttpHeaders = { ...request.headers };
    if (request.body !== undefined) {
      if (headers['content-type'] === undefined) headers['content-type'] = 'application/json';
      // Node's client frames a DELETE or OPTIONS body with no length at all, so the server would read the body
      // as the next request: say the length, as any real client does.
      headers['content-length'] = Buffer.byteLength(request.body);
    }
    const req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, agent, headers });
    const timer = setTimeout(() => {
      resolve(done({ error: HUNG }));
      req.destroy();
    }, hangLimitMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve(done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve(done({ error: error.code ?? error.message }));
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(done({ error: error.code ?? error.message }));
    });
    req.end(request.body);
  });
}

export interface LoadOptions {
  readonly port: number;
  readonly clients: number;
  /** The n-th request of a client. */
  readonly next: (client: number, n: number) => DrillRequest;
  /** @default 10_000 */
  readonly hangLimitMs?: number;
  /** Called with each outcome as it lands. */
  readonly onOutcome?: (outcome: Outcome) => void;
}

export interface RunningLoad {
  readonly outcomes: Outcome[];
  /** Stops sending and resolves once every client's last request is answered (or abandoned). */
  stop(): Promise<Outcome[]>;
}

export function startLoad(options: LoadOptions): RunningLoad {
  const outcomes: Outcome[] = [];
  let stopping = false;
  const clients = Array.from({ length: options.clients }, async (_, client) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let n = 0; !stopping; n++) {
      const outcome = await send(agent, options.port, options.next(client, n), {
        client,
        ...(options.hangLimitMs ? { hangLimitMs: options.hangLimitMs } : {}),
      });
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
      // A refused connection would spin this loop hot: back off a little.
      if (outcome.error && outcome.error !== HUNG) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    agent.destroy();
  });
  return {
    outcomes,
    stop: async () => {
      stopping = true;
      await Promise.all(clients);
      return outcomes;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A process metric (prom-client's default metrics) read from the service's /metrics. */
export async function processMetric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (!line) throw new Error(`no ${name} in /metrics`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}
