// The slice of cluster state the release checks judge, as plain data: what Argo CD says about an environment's
// Application, the Deployment's rollout, and the restarts of the release's pods.

/**
 * Argo CD's current or most recent operation (`status.operationState`). Only a sync operation that `Succeeded` says
 * a revision was applied: `status.sync.revision` is merely what Argo CD last compared the cluster against.
 */
export interface OperationState {
  /** Running, Terminating, Succeeded, Failed or Error. */
  readonly phase?: string;
  readonly message?: string;
  /** The revision the operation syncs: `syncResult.revision`, else the requested `operation.sync.revision`. */
  readonly revision?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

export interface ApplicationState {
  readonly syncStatus?: string;
  /** The revision Argo CD compared against (`status.sync.revision`): known long before it is applied. */
  readonly syncRevision?: string;
  readonly healthStatus?: string;
  readonly healthMessage?: string;
  readonly operation?: OperationState;
}

export interface DeploymentState {
  readonly generation?: number;
  readonly observedGeneration?: number;
  readonly desired: number;
  readonly total: number;
  readonly updated: number;
  readonly ready: number;
  readonly available: number;
  readonly images: readonly string[];
  /** The Progressing condition's reason, e.g. NewReplicaSetAvailable, ProgressDeadlineExceeded. */
  readonly progressingReason?: string;
}

export interface PodState {
  readonly name: string;
  readonly containers: readonly { readonly name: string; readonly image: string; readonly restartCount: number }[];
}

export interface ClusterState {
  /** Undefined when the object does not exist. */
  readonly application?: ApplicationState;
  readonly deployment?: DeploymentState;
  readonly pods: readonly PodState[];
}

/** How a live revision relates to the revision the record was pushed in. */
export type RevisionRelation = 'same' | 'descendant' | 'older-or-unrelated' | 'unknown';

/** A revision that is, or comes after, the pushed one: it carries the pushed change. */
export function contains(relation: RevisionRelation): boolean {
  return relation === 'same' || relation === 'descendant';
}

/** Operation phases that are over; anything else (Running, Terminating) is still in flight. */
export const FINISHED_PHASES: readonly string[] = ['Succeeded', 'Failed', 'Error'];
