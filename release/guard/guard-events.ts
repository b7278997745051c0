// Kubernetes Events (events.k8s.io/v1) on an environment's ReleasePolicy, one for each verdict and action the guard
// takes, so `kubectl describe releasepolicy` and the resource's view in Argo CD show why a release was held or rolled
// back. A failed Event write is logged and swallowed: reporting must never stop a decision.
import * as k8s from '@kubernetes/client-node';
import type { EnvironmentName } from '../../cdk8s/environments';
import { RELEASE_POLICY_API, RELEASE_POLICY_API_VERSION } from '../../cdk8s/release-policy';

/** The controller name Events carry (reportingController), also the guard's field manager and actor prefix. */
export const GUARD_CONTROLLER = 'hello-app.dev/release-guard';

export const EVENT_REASONS = [
  'ReleaseHealthy',
  'ReleaseHeld',
  'ReleaseBreach',
  'RollbackCommitted',
  'RollbackNotDone',
] as const;
export type EventReason = (typeof EVENT_REASONS)[number];

/** The ReleasePolicy an Event is about. */
export interface PolicyRef {
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string;
}

export interface GuardEvent {
  readonly env: EnvironmentName;
  readonly policy: PolicyRef;
  readonly reason: EventReason;
  readonly type: 'Normal' | 'Warning';
  /** The verb: what the guard did ('Evaluate' or 'Rollback'). */
  readonly action: 'Evaluate' | 'Rollback';
  readonly note: string;
}

export interface EventSink {
  emit(event: GuardEvent): Promise<void>;
}

export interface EventsApi {
  createNamespacedEvent(p: { namespace: string; body: k8s.EventsV1Event }): Promise<k8s.EventsV1Event>;
}

/** Notes are capped by the API server at 1 kB. */
const NOTE_LIMIT = 1024;

export class KubernetesEventSink implements EventSink {
  private sequence = 0;

  constructor(
    private readonly api: EventsApi,
    /** This replica's identity (reportingInstance). */
    private readonly instance: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  async emit(e: GuardEvent): Promise<void> {
    const now = Date.now();
    const { name: policy, namespace } = e.policy;
    // Named like client-go's recorder: the object's name and a unique suffix.
    const name = `${policy}.${now.toString(16)}${(++this.sequence).toString(16).padStart(4, '0')}`;
    const body: k8s.EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: new k8s.V1MicroTime(now),
      reportingController: GUARD_CONTROLLER,
      reportingInstance: this.instance,
      action: e.action,
      reason: e.reason,
      type: e.type,
      note: e.note.length > NOTE_LIMIT ? `${e.note.slice(0, NOTE_LIMIT - 1)}…` : e.note,
      regarding: {
        apiVersion: RELEASE_POLICY_API_VERSION,
        kind: RELEASE_POLICY_API.kind,
        name: policy,
        namespace,
        ...(e.policy.uid ? { uid: e.policy.uid } : {}),
      },
    };
    try {
      await this.api.createNamespacedEvent({ namespace, body });
    } catch (err) {
      this.onError(
        `recording Event ${e.reason} on ReleasePolicy ${namespace}/${policy} failed: ${(err as Error).message.split('\n')[0]}`,
      );
    }
  }
}
