// Writes a ReleasePolicy's status through the status subresource with optimistic concurrency: the PUT carries the
// resourceVersion it was computed from; on 409 Conflict it re-reads the object and computes the status again from
// what it finds, a bounded number of times. Spec and metadata are never written here.
import type * as k8s from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import { RELEASE_POLICY_API, type ReleasePolicy, type ReleasePolicyStatus } from '../../cdk8s/release-policy';

export type StatusApi = Pick<k8s.CustomObjectsApi, 'getNamespacedCustomObject' | 'replaceNamespacedCustomObjectStatus'>;

export interface StatusWrite {
  /** The status was written (false: it was already what the guard would write, or the policy is gone). */
  readonly written: boolean;
  /** 409 Conflicts met on the way: each was followed by a re-read. */
  readonly conflicts: number;
}

const isConflict = (e: unknown) => (e as { code?: number }).code === 409;
const isNotFound = (e: unknown) => (e as { code?: number }).code === 404;

export class PolicyStatusWriter {
  constructor(
    private readonly api: StatusApi,
    /** The field manager the writes are recorded under. */
    private readonly fieldManager: string,
    /** @default 5 */
    private readonly attempts: number = 5,
  ) {}

  /**
   * Computes the status from `from` (the cached object) and writes it; on a conflict, from the object re-read.
   * `compute` returns undefined when there is nothing to write for that version of the object.
   */
  async write(
    from: ReleasePolicy,
    compute: (current: ReleasePolicy) => ReleasePolicyStatus | undefined,
  ): Promise<StatusWrite> {
    const { group, version, plural } = RELEASE_POLICY_API;
    const { namespace, name } = from.metadata;
    let current = from;
    for (let attempt = 1, conflicts = 0; ; attempt++) {
      const status = compute(current);
      if (status === undefined || isDeepStrictEqual(status, current.status)) return { written: false, conflicts };
      try {
        await this.api.replaceNamespacedCustomObjectStatus({
          group,
          version,
          namespace,
          plural,
          name,
          body: { ...current, status },
          fieldManager: this.fieldManager,
        });
        return { written: true, conflicts };
      } catch (e) {
        if (isNotFound(e)) return { written: false, conflicts };
        if (!isConflict(e) || attempt >= this.attempts) throw e;
        conflicts += 1;
        try {
          current = (await this.api.getNamespacedCustomObject({
            group,
            version,
            namespace,
            plural,
            name,
          })) as ReleasePolicy;
        } catch (read) {
          if (isNotFound(read)) return { written: false, conflicts };
          throw read;
        }
      }
    }
  }
}
