// The guard's operating endpoints: /metrics for Prometheus, /healthz (the loops are turning) and /readyz (started,
// able to reach the Kubernetes API, and, when leading, able to evaluate; the body says why not) for the kubelet.
import { createServer, type Server } from 'node:http';
import { PATHS } from '../../contract/runtime';
import type { GuardMetrics } from './guard-metrics';

export interface Probes {
  /** The process is making progress: its loops ran recently. */
  healthy(): boolean;
  /** It has started, its last Lease round reached the API server, and (leading) it can evaluate. */
  ready(): boolean;
  /** Why it is not ready, for the /readyz body. */
  notReadyBecause?(): string | undefined;
}

export interface GuardServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startGuardServer(
  port: number,
  metrics: GuardMetrics,
  probes: Probes,
  host: string,
): Promise<GuardServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://guard').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === PATHS.metrics) {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    const probe = path === PATHS.health ? probes.healthy() : path === PATHS.ready ? probes.ready() : undefined;
    if (probe === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const why = probe || path !== PATHS.ready ? undefined : probes.notReadyBecause?.();
    res
      .writeHead(probe ? 200 : 503, { 'content-type': 'text/plain' })
      .end(probe ? 'ok\n' : `not ok${why ? `: ${why}` : ''}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
