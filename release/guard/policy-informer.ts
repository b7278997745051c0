// The guard's view of its ReleasePolicies: one client-node informer (list, then watch from the list's
// resourceVersion) per environment namespace the guard watches — its RBAC is namespaced, so no cluster-wide watch.
// A watch that fails is restarted after a delay with a fresh list; every change is handed to the guard at once.
import * as k8s from '@kubernetes/client-node';
import type { EnvironmentName } from '../../cdk8s/environments';
import { RELEASE_POLICY_API, type ReleasePolicy } from '../../cdk8s/release-policy';

export interface PolicyInformerOptions {
  /** The namespace each watched environment's policy lives in. */
  readonly namespaces: ReadonlyMap<EnvironmentName, string>;
  /** Called with the environment whose namespace saw a policy added, changed or deleted. */
  readonly onChange: (env: EnvironmentName) => void;
  readonly onError: (message: string) => void;
  /** @default 5000 */
  readonly restartDelayMs?: number;
}

type PolicyObject = ReleasePolicy & k8s.KubernetesObject;

export class PolicyInformers {
  private readonly informers = new Map<EnvironmentName, k8s.Informer<PolicyObject> & k8s.ObjectCache<PolicyObject>>();
  private readonly restarts = new Set<NodeJS.Timeout>();
  private readonly synced = new Set<EnvironmentName>();
  private stopped = false;

  constructor(
    kc: k8s.KubeConfig,
    private readonly options: PolicyInformerOptions,
  ) {
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const { group, version, plural } = RELEASE_POLICY_API;
    for (const [env, namespace] of options.namespaces) {
      // Synced means: the last list succeeded and no error came since (a relist that finds nothing new calls no handler).
      const list = async () => {
        const listed = (await api.listNamespacedCustomObject({
          group,
          version,
          namespace,
          plural,
        })) as k8s.KubernetesListObject<PolicyObject>;
        this.synced.add(env);
        return listed;
      };
      const informer = k8s.makeInformer<PolicyObject>(
        kc,
        `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
        list,
      );
      const changed = () => options.onChange(env);
      informer.on('add', changed);
      informer.on('update', changed);
      informer.on('delete', changed);
      informer.on('error', (err: unknown) => {
        this.synced.delete(env);
        options.onError(
          `watching ReleasePolicies in ${namespace} failed: ${(err as Error)?.message?.split('\n')[0] ?? String(err)}; restarting`,
        );
        this.restart(env, informer);
      });
      this.informers.set(env, informer);
    }
  }

  private restart(env: EnvironmentName, informer: k8s.Informer<PolicyObject>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.restarts.delete(timer);
      if (this.stopped) return;
      informer.start().catch(() => this.restart(env, informer));
    }, this.options.restartDelayMs ?? 5000);
    this.restarts.add(timer);
  }

  /** Starts every informer; resolves once each has listed its namespace (or failed to, and will retry). */
  async start(): Promise<void> {
    await Promise.all(
      [...this.informers].map(async ([env, informer]) => {
        try {
          await informer.start();
        } catch (e) {
          this.options.onError(`listing ReleasePolicies for ${env} failed: ${(e as Error).message.split('\n')[0]}`);
          this.restart(env, informer);
        }
      }),
    );
  }

  /** True once the environment's namespace was listed and its watch is running. */
  hasSynced(env: EnvironmentName): boolean {
    return this.synced.has(env);
  }

  /** The ReleasePolicies cached for an environment's namespace, by name. */
  policies(env: EnvironmentName): readonly ReleasePolicy[] {
    const namespace = this.options.namespaces.get(env);
    return [...(this.informers.get(env)?.list(namespace) ?? [])].sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.restarts) clearTimeout(t);
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
