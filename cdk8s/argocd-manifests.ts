// The Argo CD objects for every environment (argocd/), from the gitops source and the environments' settings.
import { App, Chart } from 'cdk8s';
import { APP_NAME, LABELS } from '../contract/runtime';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from './environments';
import { ArgoCdApps } from './constructs/argo-cd-apps';
import { GITOPS_SOURCE, type GitopsSource } from './gitops-source';
import { manifestFiles, type FileSet, type KubeObject } from './manifest-files';
import { applicationName, MANAGED_BY, projectName } from './names';

export function argocdObjects(source: GitopsSource = GITOPS_SOURCE): KubeObject[] {
  const app = new App();
  const chart = new Chart(app, 'argocd', { disableResourceNameHashes: true });
  new ArgoCdApps(chart, 'Apps', {
    project: projectName(),
    argocdNamespace: source.argocdNamespace,
    repoURL: source.repoURL,
    targetRevision: source.targetRevision,
    labels: { [LABELS.partOf]: APP_NAME, [LABELS.managedBy]: MANAGED_BY },
    targets: ENVIRONMENT_NAMES.map((name) => ({
      application: applicationName(name),
      path: `${source.root}/${name}`,
      server: ENVIRONMENTS[name].cluster.server,
      namespace: ENVIRONMENTS[name].namespace,
      labels: { [LABELS.environment]: name },
    })),
  });
  return chart.toJson() as KubeObject[];
}

export function argocdFiles(source: GitopsSource = GITOPS_SOURCE): FileSet {
  return manifestFiles(argocdObjects(source));
}
