// TEST DOUBLE of the Kubernetes API server (no API server can run on this machine): a tiny generic object store
// over HTTP that serves recorded API objects to the REAL @kubernetes/client-node client through a generated
// kubeconfig. GET / LIST (equality label selectors) / POST (409 AlreadyExists) / PUT (resourceVersion → 409
// Conflict) / DELETE, for any group, version and plural; plus switches to make it fail like a real server can.
// It stores what it is given; Argo CD's controller moving an Application through its states on a push is
// test/release/argo-cd-sync.ts, whose header says where it is simpler than the real one.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** /api/v1/namespaces/ns/pods[/name] or /apis/group/version/namespaces/ns/plural[/name] */
const PATH =
  /^\/(?:api\/(?<coreVersion>v1)|apis\/(?<group>[^/]+)\/(?<version>[^/]+))\/namespaces\/(?<ns>[^/]+)\/(?<plural>[^/]+)(?:\/(?<name>[^/]+))?$/;

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<KubeObject> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as KubeObject;
}

function matches(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=').filter(Boolean) as [string, string];
    return labels?.[k] === v;
  });
}

export class KubeApiDouble {
  private readonly objects = new Map<string, KubeObject>();
  private server?: Server;
  private version = 1000;
  /** Requests seen, as "METHOD path", for assertions. */
  readonly requests: string[] = [];
  /** When set, every request is answered with this HTTP status (e.g. 503 for an API server in trouble). */
  failWith?: number;
  /** With failWith: only requests whose path matches fail (say, Argo CD's API group while Leases still work). */
  failOnly?: RegExp;
  url = '';

  private key(prefix: string, ns: string, plural: string, name: string): string {
    return `${prefix}|${ns}|${plural}|${name}`;
  }

  /** Stores objects as the API server would hold them; `plural` is derived as lowercase kind + "s". */
  put(...objects: KubeObject[]): void {
    for (const o of objects) {
      const prefix = o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`;
      const plural = `${o.kind.toLowerCase()}s`;
      const stored = { ...o, metadata: { ...o.metadata, resourceVersion: String(++this.version), uid: randomUUID() } };
      this.objects.set(this.key(prefix, o.metadata.namespace ?? 'default', plural, o.metadata.name), stored);
    }
  }

  clear(): void {
    this.objects.clear();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r) ?? r(undefined));
  }

  /** Writes a kubeconfig pointing at this double; pass its path as KUBECONFIG. */
  /** client-node refuses plain http unless TLS verification is off, hence insecure-skip-tls-verify. */
  async writeKubeconfig(dir: string): Promise<string> {
    const path = join(dir, 'kubeconfig.yaml');
    await writeFile(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: double, cluster: {server: "' + this.url + '", insecure-skip-tls-verify: true}}]',
        'users: [{name: tester, user: {token: test-token}}]',
        'contexts: [{name: double, context: {cluster: double, user: tester}}]',
        'current-context: double',
        '',
      ].join('\n'),
    );
    return path;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    this.requests.push(`${req.method} ${url.pathname}`);
    if (this.failWith && (!this.failOnly || this.failOnly.test(url.pathname)))
      return status(res, this.failWith, 'ServiceUnavailable', 'the API server double is set to fail');
    const m = PATH.exec(url.pathname);
    if (!m?.groups) return status(res, 404, 'NotFound', `the double does not serve ${url.pathname}`);
    const { coreVersion, group, version, ns, plural, name } = m.groups;
    const prefix = coreVersion ? `core/${coreVersion}` : `${group}/${version}`;
    const key = (n: string) => this.key(prefix, ns!, plural!, n);
    switch (req.method) {
      case 'GET': {
        if (name) {
          const o = this.objects.get(key(name));
          return o ? send(res, 200, o) : status(res, 404, 'NotFound', `${plural} "${name}" not found`);
        }
        const items = [...this.objects.entries()]
          .filter(([k]) => k.startsWith(`${prefix}|${ns}|${plural}|`))
          .map(([, o]) => o)
          .filter((o) => matches(o.metadata.labels, url.searchParams.get('labelSelector')));
        const kind = items[0]?.kind ?? plural!.replace(/s$/, '').replace(/^./, (c) => c.toUpperCase());
        return send(res, 200, {
          apiVersion: coreVersion ?? `${group}/${version}`,
          kind: `${kind}List`,
          metadata: { resourceVersion: String(this.version) },
          items,
        });
      }
      case 'POST': {
        const body = await readBody(req);
        if (this.objects.has(key(body.metadata.name)))
          return status(res, 409, 'AlreadyExists', `${plural} "${body.metadata.name}" already exists`);
        const created = {
          ...body,
          metadata: {
            ...body.metadata,
            namespace: ns,
            resourceVersion: String(++this.version),
            uid: randomUUID(),
            creationTimestamp: new Date().toISOString(),
          },
        };
        this.objects.set(key(body.metadata.name), created);
        return send(res, 201, created);
      }
      case 'PUT': {
        const body = await readBody(req);
        const existing = this.objects.get(key(name!));
        if (!existing) return status(res, 404, 'NotFound', `${plural} "${name}" not found`);
        if (body.metadata.resourceVersion !== existing.metadata.resourceVersion) {
          return status(
            res,
            409,
            'Conflict',
            `Operation cannot be fulfilled on ${plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          );
        }
        const updated = { ...body, metadata: { ...body.metadata, resourceVersion: String(++this.version) } };
        this.objects.set(key(name!), updated);
        return send(res, 200, updated);
      }
      case 'DELETE': {
        const existed = this.objects.delete(key(name!));
        return existed
          ? send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' })
          : status(res, 404, 'NotFound', `${plural} "${name}" not found`);
      }
      case undefined:
      default:
        return status(res, 405, 'MethodNotAllowed', `${req.method} is not supported by the double`);
    }
  }
}
