// The Argo CD side: an AppProject fenced to this repository and its targets' namespaces (the environments' and the
// release guard's platform namespace), and one Application per target syncing its gitops/ folder automatically
// (prune, self-heal, retries with backoff). An environment's release record lives in the same directory and is
// excluded: it is data for the release tool, not a manifest.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { RELEASE_RECORD_FILE } from '../release-record';

const ARGO_API = 'argoproj.io/v1alpha1';

export interface ArgoCdTarget {
  /** The Application's name. */
  readonly application: string;
  /** The folder in the repository, e.g. gitops/dev. */
  readonly path: string;
  readonly server: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
}

export interface ArgoCdAppsProps {
  readonly project: string;
  readonly argocdNamespace: string;
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly targets: readonly ArgoCdTarget[];
  /** @default no labels */
  readonly labels?: Record<string, string>;
  /** Sync attempts after a failure. @default 5 */
  readonly retryLimit?: number;
  /** First retry delay, doubled each time up to `retryMaxDuration`. @default '10s' */
  readonly retryBackoff?: string;
  /** @default '3m' */
  readonly retryMaxDuration?: string;
  /** The cluster-scoped kinds the targets may hold (everything else must be namespaced). @default Namespace only */
  readonly clusterResources?: readonly { readonly group: string; readonly kind: string }[];
}

export class ArgoCdApps extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdAppsProps) {
    super(scope, id);
    const retryLimit = props.retryLimit ?? 5;
    if (!Number.isInteger(retryLimit) || retryLimit < 1 || retryLimit > 20) {
      throw new Error(`'retryLimit' is ${retryLimit}: use 1 to 20 (a first sync waits for the database Secret)`);
    }
    if (props.targets.length === 0) throw new Error(`'targets' is empty: list at least one environment`);
    const namespaces = props.targets.map((t) => t.namespace);
    const duplicate = namespaces.find((ns, i) => namespaces.indexOf(ns) !== i);
    if (duplicate) throw new Error(`two targets deploy to namespace '${duplicate}': each environment needs its own`);
    const intoArgoCd = props.targets.find((t) => t.namespace === props.argocdNamespace);
    if (intoArgoCd) {
      throw new Error(
        `target '${intoArgoCd.application}' deploys to 'argocdNamespace' (${props.argocdNamespace}): a project that may deploy into Argo CD's namespace can rewrite Argo CD; give the target its own namespace`,
      );
    }

    new ApiObject(this, 'Project', {
      apiVersion: ARGO_API,
      kind: 'AppProject',
      metadata: { name: props.project, namespace: props.argocdNamespace, labels: props.labels },
      spec: {
        description: 'Hello App: one Application per environment and one for the release guard, synced from gitops/',
        sourceRepos: [props.repoURL],
        destinations: props.targets.map((t) => ({ server: t.server, namespace: t.namespace })),
        // Exactly the cluster-scoped kinds the targets hold: their Namespaces, and the CRD the platform defines.
        clusterResourceWhitelist: props.clusterResources ?? [{ group: '', kind: 'Namespace' }],
        orphanedResources: { warn: true },
      },
    });

    for (const t of props.targets) {
      new ApiObject(this, t.application, {
        apiVersion: ARGO_API,
        kind: 'Application',
        metadata: {
          name: t.application,
          namespace: props.argocdNamespace,
          labels: { ...props.labels, ...t.labels },
          // Deleting the Application deletes what it deployed (and only that).
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          project: props.project,
          source: {
            repoURL: props.repoURL,
            targetRevision: props.targetRevision,
            path: t.path,
            directory: { recurse: false, exclude: RELEASE_RECORD_FILE },
          },
          destination: { server: t.server, namespace: t.namespace },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['PruneLast=true'],
            retry: {
              limit: retryLimit,
              backoff: {
                duration: props.retryBackoff ?? '10s',
                factor: 2,
                maxDuration: props.retryMaxDuration ?? '3m',
              },
            },
          },
          revisionHistoryLimit: 10,
        },
      });
    }
  }
}
