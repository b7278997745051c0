// The slice of cluster state the release checks judge, as plain data: what Argo CD says about an environment's
// Application, the Deployment's rollout, and the restarts of the release's pods.

export interface ApplicationState {
  readonly syncStatus?: string;
  readonly syncRevision?: string;
  readonly healthStatus?: string;
  readonly healthMessage?: string;
  readonly operationPhase?: string;
  readonly operationMessage?: string;
  readonly operationRevision?: string;
  readonly operationFinishedAt?: string;
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
