// The release guard's platform namespace (gitops/platform/): the ReleasePolicy CRD, Namespace, ServiceAccount and
// Roles, NetworkPolicies, git credentials and the Deployment, all from cdk8s/guard-platform.ts and the environments'
// settings. Its access in Argo CD's own namespace (read Applications, write Events on them) goes to argocd/ instead, applied with the
// AppProject: an Application allowed to deploy into Argo CD's namespace could rewrite Argo CD itself.
import { App, Chart } from 'cdk8s';
import { APP_NAME, LABELS } from '../contract/runtime';
import { GuardAccess } from './constructs/guard-access';
import { GuardGitSecret } from './constructs/guard-git-secret';
import { GuardObservability } from './constructs/guard-observability';
import { GuardNetworkPolicy } from './constructs/guard-network-policy';
import { GuardWorkload } from './constructs/guard-workload';
import { ReleasePolicyCrd } from './constructs/release-policy-crd';
import { HelloNamespace } from './constructs/namespace';
import { ENVIRONMENT_NAMES, ENVIRONMENTS, seconds } from './environments';
import { GITOPS_SOURCE, type GitopsSource } from './gitops-source';
import { GUARD_ENV } from '../contract/guard';
import { GUARD_PLATFORM, type GuardPlatform } from './guard-platform';
import { manifestFiles, type FileSet, type KubeObject } from './manifest-files';
import { MANAGED_BY } from './names';

/** The folder of gitops/ the guard's objects are written to. */
export const GUARD_FOLDER = 'platform';
/** The guard's `app.kubernetes.io/component` label value (its pods, objects and Argo CD Application). */
export const GUARD_COMPONENT = 'release-guard';
const GIT_HEADER_KEY = 'http-extraheader';

/** The labels the Prometheus Operator selects by: the environments share one Prometheus, and so does the guard. */
function monitoringSelectorLabels(): Record<string, string> {
  const all = [
    ...new Set(ENVIRONMENT_NAMES.map((e) => JSON.stringify(ENVIRONMENTS[e].cluster.monitoringSelectorLabels))),
  ];
  if (all.length !== 1)
    throw new Error(
      `the environments select monitoring objects by different labels (${all.join(', ')}): say which the guard uses`,
    );
  return JSON.parse(all[0]!) as Record<string, string>;
}

/** Everything the guard needs, wherever it lives. */
export function guardObjects(p: GuardPlatform = GUARD_PLATFORM, source: GitopsSource = GITOPS_SOURCE): KubeObject[] {
  const app = new App();
  const chart = new Chart(app, 'guard', { disableResourceNameHashes: true });
  const selector = { [LABELS.name]: p.name, [LABELS.component]: GUARD_COMPONENT };
  const labels = { ...selector, [LABELS.partOf]: APP_NAME, [LABELS.managedBy]: MANAGED_BY };
  new HelloNamespace(chart, 'Namespace', { name: p.namespace, labels });
  // The guard's own API: the environments' Applications sync ReleasePolicies, the guard reconciles them.
  new ReleasePolicyCrd(chart, 'ReleasePolicyCrd', { labels });
  const access = new GuardAccess(chart, 'Access', {
    name: p.name,
    namespace: p.namespace,
    roleArn: p.gitCredentials.roleArn,
    argocdNamespace: source.argocdNamespace,
    environmentNamespaces: ENVIRONMENT_NAMES.map((e) => ENVIRONMENTS[e].namespace),
    leaseName: p.name,
    labels,
  });
  new GuardNetworkPolicy(chart, 'Network', {
    namespace: p.namespace,
    podSelector: selector,
    metricsPort: p.port,
    apiServer: p.apiServer,
    prometheus: p.prometheus,
    gitHost: p.gitHost,
    dns: p.dns,
    labels,
  });
  const secretName = `${p.name}-git`;
  new GuardGitSecret(chart, 'Git', {
    namespace: p.namespace,
    region: p.gitCredentials.region,
    serviceAccountName: access.serviceAccountName,
    remoteSecretName: p.gitCredentials.secretName,
    name: secretName,
    headerKey: GIT_HEADER_KEY,
    labels,
  });
  new GuardWorkload(chart, 'Workload', {
    name: p.name,
    namespace: p.namespace,
    image: p.image,
    serviceAccountName: access.serviceAccountName,
    labels,
    selector,
    replicas: p.replicas,
    port: p.port,
    args: [
      `--lease-duration=${p.lease.durationSeconds}s`,
      `--renew-deadline=${p.lease.renewDeadlineSeconds}s`,
      `--retry-period=${p.lease.retryPeriodSeconds}s`,
      `--port=${p.port}`,
    ],
    env: { [GUARD_ENV.prometheusUrl]: p.prometheus.url, [GUARD_ENV.gitops]: p.gitopsRepository },
    gitHeader: { secretName, key: GIT_HEADER_KEY, host: new URL(p.gitopsRepository).host },
    resources: p.resources,
  });
  new GuardObservability(chart, 'Monitoring', {
    name: p.name,
    namespace: p.namespace,
    podSelector: selector,
    portName: 'metrics',
    labels: { ...labels, ...monitoringSelectorLabels() },
    windows: Object.fromEntries(ENVIRONMENT_NAMES.map((e) => [e, seconds(ENVIRONMENTS[e].slo.window)])),
    intervalSeconds: p.intervalSeconds,
    leaseSeconds: p.lease.durationSeconds,
  });
  return chart.toJson() as KubeObject[];
}

const inArgoCd = (source: GitopsSource) => (o: KubeObject) => o.metadata.namespace === source.argocdNamespace;

/** What the platform Application syncs from gitops/platform/: everything but the objects in Argo CD's namespace. */
export function guardPlatformObjects(
  p: GuardPlatform = GUARD_PLATFORM,
  source: GitopsSource = GITOPS_SOURCE,
): KubeObject[] {
  return guardObjects(p, source).filter((o) => !inArgoCd(source)(o));
}

/** The guard's Role and RoleBinding in Argo CD's namespace, written to argocd/ with the AppProject. */
export function guardArgoCdObjects(
  p: GuardPlatform = GUARD_PLATFORM,
  source: GitopsSource = GITOPS_SOURCE,
): KubeObject[] {
  return guardObjects(p, source).filter(inArgoCd(source));
}

export function guardFiles(p: GuardPlatform = GUARD_PLATFORM): FileSet {
  return manifestFiles(guardPlatformObjects(p));
}
