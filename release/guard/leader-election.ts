// Leader election through one coordination.k8s.io/v1 Lease, with the semantics of client-go's leaderelection:
// a candidate takes the Lease only after it has seen the holder's renewTime unchanged for leaseDurationSeconds
// (measured on its own clock, so clock skew between nodes does not matter), every write carries the
// resourceVersion it read (a lost race is a 409 Conflict), the leader steps down when it has not renewed within
// its renew deadline, and it gives the Lease up on shutdown so a successor need not wait out the duration.
import * as k8s from '@kubernetes/client-node';
import type { LeaseSettings } from './guard-settings';

export interface LeaseApi {
  readNamespacedLease(p: { name: string; namespace: string }): Promise<k8s.V1Lease>;
  createNamespacedLease(p: { namespace: string; body: k8s.V1Lease }): Promise<k8s.V1Lease>;
  replaceNamespacedLease(p: { name: string; namespace: string; body: k8s.V1Lease }): Promise<k8s.V1Lease>;
}

export interface ElectorOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** Called when this replica starts or stops leading. */
  readonly onChange?: (leading: boolean) => void;
  /** Called with each failed API call, for logs. */
  readonly onError?: (message: string) => void;
}

const httpCode = (e: unknown): number | undefined => (e as { code?: number }).code;
const micro = (ms: number) => new k8s.V1MicroTime(ms);

export class LeaseElector {
  private readonly now: () => number;
  /** The holder and renewTime last read, and when (our clock) they last changed. */
  private observed = '';
  private observedAt = 0;
  private renewedAt = Number.NEGATIVE_INFINITY;
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** The holder named by the Lease when last read ('' when free or unknown). */
  holder = '';
  /** Whether the last round got an answer from the API server (readiness). */
  reachable = false;

  constructor(
    private readonly api: LeaseApi,
    readonly settings: LeaseSettings,
    private readonly options: ElectorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * True while this replica may act: it holds the Lease and renewed it within the renew deadline. Checked again
   * right before every write, so a leader cut off from the API server stops acting before anyone can take over.
   */
  isLeader(): boolean {
    return this.leading && !this.stopped && this.now() - this.renewedAt < this.settings.renewDeadlineMs;
  }

  /** One round: read the Lease, then create it, renew it, take it over, or observe the holder. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { name, namespace, identity } = this.settings;
    const now = this.now();
    let lease: k8s.V1Lease | undefined;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (e) {
      if (httpCode(e) !== 404)
        return this.settle(false, `reading Lease ${namespace}/${name} failed: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!lease) {
      const body: k8s.V1Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: this.spec(now, undefined),
      };
      return this.write(() => this.api.createNamespacedLease({ namespace, body }), now);
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.holder = holder;
    const seen = `${holder}|${String(spec.renewTime)}`;
    if (seen !== this.observed) {
      this.observed = seen;
      this.observedAt = now;
    }
    const durationMs = (spec.leaseDurationSeconds ?? this.settings.leaseDurationSeconds) * 1000;
    if (holder !== '' && holder !== identity && now < this.observedAt + durationMs) return this.lose();
    const body: k8s.V1Lease = { ...lease, spec: this.spec(now, spec) };
    return this.write(() => this.api.replaceNamespacedLease({ name, namespace, body }), now);
  }

  /** Runs rounds every retry period until stopped. */
  start(): void {
    const round = async () => {
      if (this.stopped) return;
      await this.tryAcquireOrRenew();
      if (!this.stopped) this.timer = setTimeout(() => void (this.running = round()), this.settings.retryPeriodMs);
    };
    this.running = round();
  }

  /** Stops the rounds and, if leading, hands the Lease back (holder cleared) so a successor takes it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    if (!this.leading) return;
    this.setLeading(false);
    const { name, namespace, identity } = this.settings;
    try {
      const lease = await this.api.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== identity) return;
      const now = this.now();
      await this.api.replaceNamespacedLease({
        name,
        namespace,
        body: {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: '',
            leaseDurationSeconds: 1,
            renewTime: micro(now),
            acquireTime: micro(now),
          },
        },
      });
    } catch (e) {
      this.options.onError?.(`releasing Lease ${namespace}/${name} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  private spec(now: number, previous: k8s.V1LeaseSpec | undefined): k8s.V1LeaseSpec {
    const mine = previous?.holderIdentity === this.settings.identity;
    const transitions = previous?.leaseTransitions ?? 0;
    return {
      holderIdentity: this.settings.identity,
      leaseDurationSeconds: this.settings.leaseDurationSeconds,
      acquireTime: mine && previous?.acquireTime ? previous.acquireTime : micro(now),
      renewTime: micro(now),
      leaseTransitions: previous === undefined ? 0 : mine ? transitions : transitions + 1,
    };
  }

  private async write(call: () => Promise<k8s.V1Lease>, now: number): Promise<boolean> {
    try {
      const lease = await call();
      this.renewedAt = now;
      this.holder = this.settings.identity;
      this.observed = `${this.settings.identity}|${String(lease.spec?.renewTime)}`;
      this.observedAt = now;
      return this.settle(true);
    } catch (e) {
      // 409: another candidate wrote first (AlreadyExists on create, Conflict on a stale resourceVersion).
      if (httpCode(e) === 409) return this.lose();
      return this.settle(
        false,
        `writing Lease ${this.settings.namespace}/${this.settings.name} failed: ${(e as Error).message.split('\n')[0]}`,
      );
    }
  }

  /** Someone else holds the Lease: whatever we thought, we do not lead. */
  private lose(): boolean {
    this.reachable = true;
    this.setLeading(false);
    return false;
  }

  /** A round that could not reach the API server keeps a leader leading only until its renew deadline passes. */
  private settle(succeeded: boolean, error?: string): boolean {
    if (error) this.options.onError?.(error);
    this.reachable = error === undefined;
    this.setLeading(succeeded || (this.leading && this.now() - this.renewedAt < this.settings.renewDeadlineMs));
    return this.leading;
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.options.onChange?.(leading);
  }
}
