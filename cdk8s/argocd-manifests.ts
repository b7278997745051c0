// The Argo CD objects (argocd/), from the gitops source, the environments' settings and the guard's platform: the
// AppProject, one Application per environment and one for the release guard's platform folder, the guard's
// access in Argo CD's own namespace, which no Application may deploy, each environment's release job's read access
// to its Application, and the ReleasePolicy health check's key of argocd-cm.
import { App, Chart } from 'cdk8s';
import { APP_NAME, LABELS } from '../contract/runtime';
import { argocdHealthConfig } from './argocd-health';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from './environments';
import { ArgoCdApps, type ArgoCdTarget } from './constructs/argo-cd-apps';
import { ReleaseReaderApplicationAccess } from './constructs/release-reader-access';
import { GITOPS_SOURCE, type GitopsSource } from './gitops-source';
import { GUARD_COMPONENT, GUARD_FOLDER, guardArgoCdObjects, guardPlatformObjects } from './guard-manifests';
import { GUARD_PLATFORM, type GuardPlatform } from './guard-platform';
import { manifestFiles, type FileSet, type KubeObject } from './manifest-files';
import { applicationName, MANAGED_BY, platformApplicationName, projectName } from './names';

/** The cluster the guard runs in: the environments' own, since it reads them through its in-cluster API access. */
function guardServer(): string {
  const servers = [...new Set(ENVIRONMENT_NAMES.map((name) => ENVIRONMENTS[name].cluster.server))];
  if (servers.length !== 1) {
    throw new Error(
      `the release guard watches every environment through one cluster's API, but 'cluster.server' differs between environments (${servers.join(', ')}): run a guard per cluster`,
    );
  }
  return servers[0]!;
}

/** The cluster-scoped kinds Argo CD syncs: each environment's Namespace, and whatever the platform folder defines. */
function clusterResources(guard: GuardPlatform, source: GitopsSource): { group: string; kind: string }[] {
  const kinds = new Map([['/Namespace', { group: '', kind: 'Namespace' }]]);
  for (const o of guardPlatformObjects(guard, source).filter((o) => o.metadata.namespace === undefined)) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
    kinds.set(`${group}/${o.kind}`, { group, kind: o.kind });
  }
  return [...kinds.values()];
}

export function argocdObjects(
  source: GitopsSource = GITOPS_SOURCE,
  guard: GuardPlatform = GUARD_PLATFORM,
): KubeObject[] {
  const app = new App();
  const chart = new Chart(app, 'argocd', { disableResourceNameHashes: true });
  new ArgoCdApps(chart, 'Apps', {
    project: projectName(),
    argocdNamespace: source.argocdNamespace,
    repoURL: source.repoURL,
    targetRevision: source.targetRevision,
    labels: { [LABELS.partOf]: APP_NAME, [LABELS.managedBy]: MANAGED_BY },
    clusterResources: clusterResources(guard, source),
    targets: [
      ...ENVIRONMENT_NAMES.map((name): ArgoCdTarget => ({
        application: applicationName(name),
        path: `${source.root}/${name}`,
        server: ENVIRONMENTS[name].cluster.server,
        namespace: ENVIRONMENTS[name].namespace,
        labels: { [LABELS.environment]: name },
      })),
      {
        application: platformApplicationName(),
        path: `${source.root}/${GUARD_FOLDER}`,
        server: guardServer(),
        namespace: guard.namespace,
        labels: { [LABELS.component]: GUARD_COMPONENT },
      },
    ],
  });
  // release.yml's job for each environment reads that environment's Application, and no other.
  for (const name of ENVIRONMENT_NAMES) {
    new ReleaseReaderApplicationAccess(chart, `ReleaseReader-${name}`, {
      environment: name,
      application: applicationName(name),
      argocdNamespace: source.argocdNamespace,
      group: ENVIRONMENTS[name].aws.releaseGroup,
      labels: { [LABELS.partOf]: APP_NAME, [LABELS.managedBy]: MANAGED_BY, [LABELS.environment]: name },
    });
  }
  return [...(chart.toJson() as KubeObject[]), ...guardArgoCdObjects(guard, source), argocdHealthConfig(source)];
}

export function argocdFiles(source: GitopsSource = GITOPS_SOURCE): FileSet {
  return manifestFiles(argocdObjects(source));
}
