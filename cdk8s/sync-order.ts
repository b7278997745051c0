// The order Argo CD applies an environment's objects in: sync waves and the migration hook, written once.
// Waves run in the Sync phase, lowest first, each waiting for the previous one to be healthy.

const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';
const HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** Which step of an environment's sync an object belongs to. */
export const SYNC_WAVES = {
  /** Custom resource definitions, before any object of their kinds (the platform Application's first step). */
  definitions: -5,
  /** The namespace, before anything lives in it. */
  namespace: -4,
  /** Identity and isolation: ServiceAccount, NetworkPolicies. */
  foundation: -3,
  /** The SecretStore, which the ExternalSecret needs. */
  secretStore: -2,
  /** The ExternalSecret: the database Secret exists (Argo CD waits for it to be healthy) before the migration runs. */
  secret: -1,
  /** The migration Job. */
  migration: 0,
  /** The workload and everything around it, only after the migration finished. */
  workload: 1,
  /**
   * The release guard's ReleasePolicy, last: Argo CD waits for each wave to be healthy before the next, and a policy
   * is Progressing until the guard has judged the release the earlier waves deploy, so nothing may come after it.
   */
  policy: 2,
} as const;
export type SyncStep = keyof typeof SYNC_WAVES;

/** The Argo CD hook phases a Job may run in. */
export type HookPhase = 'PreSync' | 'Sync';

export function syncWave(step: SyncStep): Record<string, string> {
  return { [WAVE]: String(SYNC_WAVES[step]) };
}

/** A hook in the given phase, deleted just before its next run (its logs stay until then). */
export function hook(phase: HookPhase, step: SyncStep): Record<string, string> {
  return { ...syncWave(step), [HOOK]: phase, [HOOK_DELETE_POLICY]: 'BeforeHookCreation' };
}

/** Never pruned nor deleted with the Application: losing the object from git must not delete it (and everything in it). */
export function neverPrune(): Record<string, string> {
  return { [SYNC_OPTIONS]: 'Prune=false,Delete=false' };
}

/**
 * Applied even when the kind is not served yet: the CRD comes from another Application (gitops/platform/), and without
 * this Argo CD's dry run fails the whole sync until it exists; the sync is retried and the object lands once it does.
 */
export function skipDryRunOnMissingResource(): Record<string, string> {
  return { [SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' };
}
