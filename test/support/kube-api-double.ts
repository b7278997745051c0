// TEST DOUBLE of the Kubernetes API server (no API server can run on this machine): a small generic object store
// over HTTP that serves API objects to the REAL @kubernetes/client-node client through a generated kubeconfig, for
// any group, version and plural: GET, LIST (equality label selectors), WATCH (a stream of ADDED/MODIFIED/DELETED from
// a resourceVersion, as informers use it), POST (409 AlreadyExists), PUT (a stale resourceVersion → 409 Conflict),
// DELETE. Kinds declared with `withStatusSubresource` behave as custom resources with a status subresource do:
// `PUT …/status` changes only the status, a spec write never changes the status, `metadata.generation` starts at 1
// and moves only when the spec changes, and an update without a resourceVersion is refused (422), as for every
// custom resource. Switches make it fail like a real server can.
// Simpler than the real API server: one global resourceVersion counter (as etcd's), no PATCH, no field or set-based
// selectors, no admission, defaulting or schema validation, no bookmarks and no watch expiry (410 Gone never comes:
// the whole event history is kept), and a watch stays open until the client or the double closes it. It stores what
// it is given; Argo CD's controller moving an Application through its states on a push is test/release/argo-cd-sync.ts,
// whose header says where it is simpler than the real one.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** One request the double answered. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
interface Change {
  readonly rv: number;
  readonly type: WatchEventType;
  /** The collection: "<prefix>|<namespace>|<plural>". */
  readonly collection: string;
  readonly object: KubeObject;
}
interface Watcher {
  readonly collection: string;
  readonly selector: string | null;
  readonly res: ServerResponse;
}

/** /api/v1/namespaces/ns/pods[/name] or /apis/group/version/namespaces/ns/plural[/name[/status]] */
const PATH =
  /^\/(?:api\/(?<coreVersion>v1)|apis\/(?<group>[^/]+)\/(?<version>[^/]+))\/namespaces\/(?<ns>[^/]+)\/(?<plural>[^/]+)(?:\/(?<name>[^/]+)(?:\/(?<sub>status))?)?$/;

function failure(res: ServerResponse, code: number, reason: string, message: string): void {
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

/** Everything but metadata and status: what moves `metadata.generation` when it changes. */
function specOf(o: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

const conflict = (plural: string, name: string) =>
  `Operation cannot be fulfilled on ${plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`;

export class KubeApiDouble {
  private readonly objects = new Map<string, KubeObject>();
  private readonly changes: Change[] = [];
  private readonly watchers = new Set<Watcher>();
  /** "<group/version>|<plural>" of the kinds that have a status subresource. */
  private readonly statusSubresources = new Set<string>();
  private readonly beforeHandlers: { match: RegExp; run: () => void }[] = [];
  private server?: Server;
  private version = 1000;
  /** Requests seen, as "METHOD path", for assertions. */
  readonly requests: string[] = [];
  /** Requests answered, with their status code (a 409 shows here). */
  readonly answered: SeenRequest[] = [];
  /** When set, every request is answered with this HTTP status (e.g. 503 for an API server in trouble). */
  failWith?: number;
  /** With failWith: only requests whose path matches fail (say, Argo CD's API group while Leases still work). */
  failOnly?: RegExp;
  url = '';

  private key(prefix: string, ns: string, plural: string, name: string): string {
    return `${prefix}|${ns}|${plural}|${name}`;
  }

  private static prefixOf(apiVersion: string): string {
    return apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`;
  }

  /** Declares a kind (by apiVersion and plural) as a custom resource with the status subresource. */
  withStatusSubresource(apiVersion: string, plural: string): this {
    this.statusSubresources.add(`${KubeApiDouble.prefixOf(apiVersion)}|${plural}`);
    return this;
  }

  /** Runs `run` once, just before the next request whose "METHOD path" matches: a concurrent writer, say. */
  before(match: RegExp, run: () => void): void {
    this.beforeHandlers.push({ match, run });
  }

  private record(type: WatchEventType, key: string, object: KubeObject): void {
    const collection = key.slice(0, key.lastIndexOf('|'));
    const change: Change = { rv: Number(object.metadata.resourceVersion), type, collection, object };
    this.changes.push(change);
    for (const w of this.watchers) this.deliver(w, change);
  }

  private deliver(w: Watcher, c: Change): void {
    if (c.collection === w.collection && matches(c.object.metadata.labels, w.selector))
      w.res.write(`${JSON.stringify({ type: c.type, object: c.object })}\n`);
  }

  /**
   * Stores objects as the API server would hold them, as if another client wrote them (watchers see the change);
   * `plural` is derived as lowercase kind + "s" unless given. A kind with a status subresource gets a generation, and
   * keeps its status when the object written has none (a test may still seed one).
   */
  put(...objects: KubeObject[]): void {
    for (const o of objects) this.putAs(`${o.kind.toLowerCase()}s`, o);
  }

  /** put() with an explicit plural (kinds whose plural is not kind + "s", e.g. releasepolicies). */
  putAs(plural: string, o: KubeObject): KubeObject {
    const prefix = KubeApiDouble.prefixOf(o.apiVersion);
    const key = this.key(prefix, o.metadata.namespace ?? 'default', plural, o.metadata.name);
    const existing = this.objects.get(key);
    const custom = this.statusSubresources.has(`${prefix}|${plural}`);
    const generation = custom
      ? !existing
        ? 1
        : (existing.metadata.generation ?? 1) + (isDeepStrictEqual(specOf(existing), specOf(o)) ? 0 : 1)
      : o.metadata.generation;
    // Another client's write of a custom resource is a spec write: it leaves the status as it was.
    const keptStatus = custom && !('status' in o) && existing?.status !== undefined ? { status: existing.status } : {};
    const stored: KubeObject = {
      ...o,
      ...keptStatus,
      metadata: {
        ...o.metadata,
        resourceVersion: String(++this.version),
        uid: existing?.metadata.uid ?? randomUUID(),
        creationTimestamp: existing?.metadata.creationTimestamp ?? new Date().toISOString(),
        ...(generation !== undefined ? { generation } : {}),
      },
    };
    this.objects.set(key, stored);
    this.record(existing ? 'MODIFIED' : 'ADDED', key, stored);
    return stored;
  }

  /** The stored object, as a GET would return it. */
  get(apiVersion: string, namespace: string, plural: string, name: string): KubeObject | undefined {
    return this.objects.get(this.key(KubeApiDouble.prefixOf(apiVersion), namespace, plural, name));
  }

  clear(): void {
    for (const [key, o] of [...this.objects]) {
      this.objects.delete(key);
      this.record('DELETED', key, { ...o, metadata: { ...o.metadata, resourceVersion: String(++this.version) } });
    }
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
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
    const line = `${req.method} ${url.pathname}`;
    this.requests.push(line);
    const hook = this.beforeHandlers.findIndex((h) => h.match.test(line));
    if (hook >= 0) this.beforeHandlers.splice(hook, 1)[0]!.run();
    res.on('finish', () =>
      this.answered.push({ method: req.method ?? '', path: url.pathname, status: res.statusCode }),
    );
    if (this.failWith && (!this.failOnly || this.failOnly.test(url.pathname)))
      return failure(res, this.failWith, 'ServiceUnavailable', 'the API server double is set to fail');
    const m = PATH.exec(url.pathname);
    if (!m?.groups) return failure(res, 404, 'NotFound', `the double does not serve ${url.pathname}`);
    const { coreVersion, group, version, ns, plural, name, sub } = m.groups;
    const prefix = coreVersion ? `core/${coreVersion}` : `${group}/${version}`;
    const key = (n: string) => this.key(prefix, ns!, plural!, n);
    const hasStatus = this.statusSubresources.has(`${prefix}|${plural}`);
    if (sub && !hasStatus) return failure(res, 404, 'NotFound', `${plural} have no status subresource in the double`);
    switch (req.method) {
      case 'GET': {
        if (name) {
          const o = this.objects.get(key(name));
          return o ? send(res, 200, o) : failure(res, 404, 'NotFound', `${plural} "${name}" not found`);
        }
        const selector = url.searchParams.get('labelSelector');
        if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1')
          return this.watch(res, `${prefix}|${ns}|${plural}`, selector, url.searchParams.get('resourceVersion'));
        const items = [...this.objects.entries()]
          .filter(([k]) => k.startsWith(`${prefix}|${ns}|${plural}|`))
          .map(([, o]) => o)
          .filter((o) => matches(o.metadata.labels, selector));
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
          return failure(res, 409, 'AlreadyExists', `${plural} "${body.metadata.name}" already exists`);
        // A custom resource is created without status: only the status subresource writes it.
        const { status: _dropped, ...created } = body;
        const stored = this.putAs(plural!, {
          ...(hasStatus ? created : body),
          metadata: { ...body.metadata, namespace: ns },
        });
        return send(res, 201, stored);
      }
      case 'PUT': {
        const body = await readBody(req);
        const existing = this.objects.get(key(name!));
        if (!existing) return failure(res, 404, 'NotFound', `${plural} "${name}" not found`);
        const rv = body.metadata?.resourceVersion;
        if (hasStatus && !rv)
          return failure(
            res,
            422,
            'Invalid',
            `${plural} "${name}": metadata.resourceVersion must be specified for an update`,
          );
        if (rv !== existing.metadata.resourceVersion) return failure(res, 409, 'Conflict', conflict(plural!, name!));
        // The status subresource writes the status alone; the main resource everything but the status.
        const next = !hasStatus
          ? body
          : sub
            ? { ...existing, status: body.status }
            : {
                ...body,
                metadata: { ...body.metadata, generation: existing.metadata.generation },
                status: existing.status,
              };
        if (next.status === undefined) delete next.status;
        return send(res, 200, this.putAs(plural!, next));
      }
      case 'DELETE': {
        const existing = this.objects.get(key(name!));
        if (!existing) return failure(res, 404, 'NotFound', `${plural} "${name}" not found`);
        this.objects.delete(key(name!));
        const gone = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(++this.version) } };
        this.record('DELETED', key(name!), gone);
        return send(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
      }
      case undefined:
      default:
        return failure(res, 405, 'MethodNotAllowed', `${req.method} is not supported by the double`);
    }
  }

  /** A watch: the changes after `from` (or every object as ADDED when none is given), then each new one. */
  private watch(res: ServerResponse, collection: string, selector: string | null, from: string | null): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // The client's request resolves on the headers; an idle watch would otherwise never send them.
    res.flushHeaders();
    const w: Watcher = { collection, selector, res };
    if (from && from !== '0') {
      for (const c of this.changes.filter((c) => c.rv > Number(from))) this.deliver(w, c);
    } else {
      for (const [k, o] of this.objects)
        if (k.startsWith(`${collection}|`)) this.deliver(w, { rv: 0, type: 'ADDED', collection, object: o });
    }
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }
}
