// The release guard's platform facts, once: its image, namespace, names, port, Lease, timings and where it may
// connect. The guard's constructs (cdk8s/constructs/guard-*.ts) and the guard's own defaults (release/guard) read these.
// Its AWS identity, secret, image repository and the API server's addresses come from settings/ (infra/ creates them).
import { z } from 'zod';
import { guardAwsFacts } from '../settings/derived';
import { ENVIRONMENT_SETTINGS, SHARED_SETTINGS } from '../settings/environments';
import { imageSchema, parseImage } from './release-record';

/** The ECR repository of the release tool's image (the Dockerfile's `release` target); release.yml pushes to it. */
export const RELEASE_IMAGE_REPOSITORY = SHARED_SETTINGS.repositories.release;

const AWS = guardAwsFacts(SHARED_SETTINGS, ENVIRONMENT_SETTINGS[SHARED_SETTINGS.guard.environment]);

/**
 * The guard's image, pinned by digest so that a re-pushed tag can never change what runs the rollbacks: the
 * Dockerfile's `release` target (the service's image family plus git; entrypoint `node dist/release/main.js`, command
 * `guard`), which release.yml builds, scans and pushes to `hello-release` in the service's ECR registry.
 *
 * Upgrading the guard is a reviewed change, not a side effect of a release (it is what rolls releases back): copy
 * the digest release.yml's image job writes to its summary ("Pushed `…/hello-release@sha256:…`") into
 * GUARD_IMAGE_DIGEST, run `npm run synth`, commit; Argo CD rolls the Deployment. The value below is the bootstrap
 * placeholder until the first push.
 */
export const GUARD_IMAGE_DIGEST = 'sha256:171a528a00f8c920494f026c566f7d206e8fdbd13d81eaffe5140b270d5eab72';

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'an IPv4 CIDR such as "10.0.0.0/16"');
const namespaceName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name');

export const guardPlatformSchema = z.strictObject({
  /** The platform namespace the guard runs in (its Lease lives there too). */
  namespace: namespaceName,
  /** Deployment, ServiceAccount, Lease and RBAC objects share this name. */
  name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/),
  /** The release tool's image (same code base as release/), pinned by digest. */
  image: imageSchema.refine(
    (s) => parseImage(s).digest !== undefined,
    'an image pinned by digest: <repository>@sha256:<64 hex>',
  ),
  /** The cluster DNS pods the guard resolves names with. */
  dns: z.strictObject({ namespace: namespaceName, podLabels: z.record(z.string(), z.string()) }),
  replicas: z.number().int().min(2).max(5),
  /** Port of /metrics, /healthz and /readyz. */
  port: z.number().int().min(1024).max(65535),
  /** Each ReleasePolicy's evaluation interval (spec.interval), as synthesized. */
  intervalSeconds: z.number().int().min(5),
  /** Each ReleasePolicy's failed evaluations in a row before a rollback (spec.rollback.afterFailedEvaluations). */
  failuresToRollback: z.number().int().min(1).max(20),
  lease: z.strictObject({
    durationSeconds: z.number().int().min(5),
    renewDeadlineSeconds: z.number().int().min(2),
    retryPeriodSeconds: z.number().int().min(1),
  }),
  resources: z.strictObject({
    requests: z.strictObject({ cpu: z.string(), memory: z.string() }),
    limits: z.strictObject({ cpu: z.string(), memory: z.string() }),
  }),
  /** The Prometheus the gates query, and the namespace and pod labels the NetworkPolicy admits. */
  prometheus: z.strictObject({
    url: z.url(),
    namespace: namespaceName,
    podLabels: z.record(z.string(), z.string()),
    port: z.number().int(),
  }),
  /** The git host the gitops repository lives on (HTTPS), as address ranges: the only egress besides the API and Prometheus. */
  gitHost: z.strictObject({ cidrs: z.array(cidr).min(1), port: z.number().int() }),
  /** The Kubernetes API server's addresses (the EKS control plane ENIs) and port. */
  apiServer: z.strictObject({ cidrs: z.array(cidr).min(1), port: z.number().int() }),
  /** The gitops repository the guard reads and commits to. */
  gitopsRepository: z.string().regex(/^https:\/\/[\w.@:/~-]+\.git$/),
  /** The Secrets Manager secret holding the git token, and the IAM role that may read it (IRSA). */
  gitCredentials: z.strictObject({
    secretName: z.string().min(1),
    roleArn: z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/),
    region: z.string(),
  }),
});
export type GuardPlatform = z.infer<typeof guardPlatformSchema>;

export const GUARD_PLATFORM: GuardPlatform = guardPlatformSchema.parse({
  namespace: AWS.namespace,
  name: AWS.serviceAccountName,
  image: `${AWS.imageRepository}@${GUARD_IMAGE_DIGEST}`,
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
  replicas: 2,
  port: 8081,
  intervalSeconds: 30,
  failuresToRollback: 3,
  lease: { durationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2 },
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  prometheus: {
    url: 'http://kube-prometheus-stack-prometheus.monitoring:9090',
    namespace: 'monitoring',
    podLabels: { 'app.kubernetes.io/name': 'prometheus' },
    port: 9090,
  },
  gitHost: { cidrs: ['140.82.112.0/20', '143.55.64.0/20', '192.30.252.0/22'], port: 443 },
  apiServer: { cidrs: AWS.apiServerCidrs, port: 443 },
  gitopsRepository: AWS.gitopsRepository,
  gitCredentials: { secretName: AWS.gitSecretName, roleArn: AWS.roleArn, region: AWS.region },
});
