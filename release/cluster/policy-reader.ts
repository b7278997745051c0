// Reads each environment's ReleasePolicy (spec.suspend and the status the guard wrote) for `release status`. A
// cluster that cannot be reached within the timeout is reported as data, never as a failure of the command.
import * as k8s from '@kubernetes/client-node';
import type { EnvironmentName } from '../../cdk8s/environments';
import { RELEASE_POLICY_API, type ReleasePolicy, type ReleasePolicyStatus } from '../../cdk8s/release-policy';

/** What the cluster says of one environment's ReleasePolicy. */
export type PolicyView =
  | {
      readonly state: 'found';
      readonly name: string;
      readonly suspended: boolean;
      readonly generation?: number;
      readonly status?: ReleasePolicyStatus;
    }
  | { readonly state: 'absent' }
  | { readonly state: 'unreachable'; readonly error: string };

export type PolicyLookup = (env: EnvironmentName, namespace: string) => Promise<PolicyView>;

/** Looks policies up through the Kubernetes API, each read bounded by `timeoutMs`. */
export function kubernetesPolicyLookup(kc: k8s.KubeConfig, timeoutMs = 5000): PolicyLookup {
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const { group, version, plural } = RELEASE_POLICY_API;
  return async (env, namespace) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const list = (await Promise.race([
        api.listNamespacedCustomObject({ group, version, namespace, plural }),
        timeout,
      ])) as { items?: ReleasePolicy[] };
      const policy = (list.items ?? [])
        .filter((p) => p.spec?.environment === env)
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
      if (!policy) return { state: 'absent' };
      return {
        state: 'found',
        name: policy.metadata.name,
        suspended: policy.spec.suspend === true,
        ...(policy.metadata.generation !== undefined ? { generation: policy.metadata.generation } : {}),
        ...(policy.status ? { status: policy.status } : {}),
      };
    } catch (e) {
      const err = e as Error & { code?: number };
      // No such kind yet (the CRD is not installed) is the same as no policy.
      if (err.code === 404) return { state: 'absent' };
      return {
        state: 'unreachable',
        error: `${err.code ? `HTTP ${err.code}: ` : ''}${err.message.split('\n')[0]}`.slice(0, 300),
      };
    } finally {
      clearTimeout(timer);
    }
  };
}
