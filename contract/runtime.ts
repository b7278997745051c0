// The service's runtime contract: the facts the service, the platform (cdk8s) and the release tool must agree on.
// One module, imported by all three, so a port, a path or a metric name is written exactly once.

/** The application's name: Kubernetes object names, the `app.kubernetes.io/name` label, the Helm chart. */
export const APP_NAME = 'hello-app';

/** The HTTP port the service listens on inside its container (and by default on a developer's machine). */
export const HTTP_PORT = 8080;

/**
 * The numeric, non-root user and group the image runs as: the Dockerfile's `USER` (which cannot import this; a test
 * keeps the two equal) and the pods' runAsUser, runAsGroup and fsGroup.
 */
export const RUN_AS = { uid: 10001, gid: 10001 } as const;

/** Operating endpoints. Probes, scrapes and docs use these paths; they are not part of the public API's SLO. */
export const PATHS = {
  health: '/healthz',
  ready: '/readyz',
  metrics: '/metrics',
  openapi: '/openapi.json',
  docs: '/docs',
} as const;

/** The image's commands (docs/architecture.md, "Runtime contract of the image"). */
export const COMMANDS = {
  serve: ['serve'],
  migrate: ['migrate'],
  /** Exits 0 only when the database is reachable and every migration is applied, waiting up to the timeout. */
  migrateCheck: ['migrate', '--check', '--wait'],
} as const;

/** Environment variables the image reads. The service validates them at startup (service/config.ts). */
export const ENV = {
  databaseUrl: 'DATABASE_URL',
  port: 'PORT',
  timeZone: 'TZ_NAME',
  logLevel: 'LOG_LEVEL',
  /** The release id of the running image; every metric carries it as the `release` label. */
  release: 'HELLO_RELEASE',
  /** Seconds the service waits for in-flight requests after SIGTERM before closing. */
  shutdownGraceSeconds: 'SHUTDOWN_GRACE_SECONDS',
  migrateWaitSeconds: 'MIGRATE_WAIT_SECONDS',
  /** Where the embedded database (PGlite) keeps its files when DATABASE_URL is unset. */
  dataDir: 'DATA_DIR',
} as const;

/** Prometheus metric and label names the service exports and the gates and alerts query. */
export const METRICS = {
  requestsTotal: 'http_requests_total',
  requestDuration: 'http_request_duration_seconds',
  labels: { method: 'method', route: 'route', statusCode: 'status_code', release: 'release' },
  /** Seconds. Resolves 1 ms to 500 ms finely (the p99 gate's range), then coarser up to 10 s. */
  durationBuckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 1, 2.5, 5, 10],
} as const;

/**
 * What the public entry (the Ingress) routes to the service: the API and its documentation. Probes and metrics stay
 * inside the cluster (the kubelet, the load balancer's health check and Prometheus reach pods directly).
 */
export const PUBLIC_ROUTES = [
  { path: '/hello', match: 'Prefix' },
  { path: PATHS.openapi, match: 'Exact' },
  { path: PATHS.docs, match: 'Prefix' },
] as const;

/** The route label values of the operating endpoints, which the SLO queries leave out. */
export const OPERATING_ROUTES = [PATHS.health, PATHS.ready, PATHS.metrics] as const;

/** Kubernetes label keys used across the platform: each key is written here only. */
export const LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  version: 'app.kubernetes.io/version',
  environment: 'hello-app.dev/environment',
  release: 'hello-app.dev/release',
} as const;
