// TEST DOUBLE of Argo CD's application controller for one environment: it follows the bare gitops remote the way
// Argo CD follows a branch and moves the Application and the Deployment in the Kubernetes API double through the
// states Argo CD really shows for our manifests. On a push that changes the environment's manifests:
//   1. comparison: `status.sync` turns OutOfSync at the new revision; the last operation is still the old one;
//   2. auto-sync: `operationState.phase` Running for the new revision, the migration Job (Sync hook, wave 0) running,
//      while the Deployment (wave 1) is untouched: the old image stays fully rolled out;
//   3a. the hook fails: the operation ends Failed with Argo CD's message; the old image keeps running; or
//   3b. wave 1 is applied: the operation ends Succeeded with `syncResult.revision`, Synced, health Progressing while
//      the Deployment (new generation, observed at once) rolls out;
//   4. the rollout completes: Healthy, the release's pods run.
// A push that changes only the release record (excluded from the Application's source) moves `sync.revision` and
// starts no operation. Simpler than the real controller: it polls the remote instead of a refresh/webhook; commits
// are synced one at a time, the newest after the running one (Argo CD never interrupts an auto-sync either); waves
// before the hook, retries, self-heal and pruning are not modelled; health follows the Deployment alone.
import { parseReleaseRecord, RELEASE_RECORD_FILE } from '../../cdk8s/release-record';
import type { EnvironmentName } from '../../cdk8s/environments';
import { migrationJobName, workloadName } from '../../cdk8s/names';
import type { KubeApiDouble } from '../support/kube-api-double';
import { git, type GitopsRemote } from '../support/git-repos';
import { application, deployment, pod, type AppStatus } from './cluster-objects';

export interface SyncBehaviour {
  /** How long the migration hook runs at least. @default 200 */
  readonly hookMs?: number;
  /**
   * Keep the hook running until the Application has been read this many times since it started, so that a test sees
   * a client poll during the hook however slow the machine is. @default 0
   */
  readonly hookUntilReads?: number;
  /** When set, the hook's Job fails with this message (the backoff limit reached, say). */
  readonly hookFailure?: string;
  /** How long the Deployment takes to roll out once applied. @default 500 */
  readonly rolloutMs?: number;
}

const HOOK = `batch/Job/${migrationJobName()}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ArgoCdSync {
  /** What the double showed, one line per state, for assertions and failure messages. */
  readonly states: string[] = [];
  private synced = '';
  private lastOperation: AppStatus = { revision: '' };
  private generation = 1;
  /** What the Deployment runs: changes only when wave 1 is applied. */
  private live = { image: '', release: '' };
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly api: KubeApiDouble,
    private readonly remote: GitopsRemote,
    private readonly env: EnvironmentName,
    private readonly behaviour: SyncBehaviour = {},
  ) {}

  /** Shows the remote's head as synced and healthy, then follows the remote. */
  async start(): Promise<void> {
    const head = await this.remote.head();
    this.live = await this.releaseAt(head);
    this.synced = head;
    this.lastOperation = { revision: head, finishedAt: new Date().toISOString() };
    this.show({ ...this.lastOperation }, 'complete');
    this.running = this.follow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      const head = await this.remote.head();
      if (head !== this.synced) await this.sync(head);
      await sleep(100);
    }
  }

  private async releaseAt(rev: string): Promise<{ image: string; release: string }> {
    const text = await git(this.remote.url, 'show', `${rev}:gitops/${this.env}/${RELEASE_RECORD_FILE}`);
    const current = parseReleaseRecord(text, this.env).current;
    if (!current) throw new Error(`the double has nothing to run at ${rev}`);
    return { image: current.image, release: current.release };
  }

  private async manifestsChanged(from: string, to: string): Promise<boolean> {
    const folder = `gitops/${this.env}`;
    const diff = await git(
      this.remote.url,
      'diff',
      '--name-only',
      from,
      to,
      '--',
      folder,
      `:(exclude)${folder}/${RELEASE_RECORD_FILE}`,
    );
    return diff !== '';
  }

  private async sync(rev: string): Promise<void> {
    if (!(await this.manifestsChanged(this.synced, rev))) {
      this.synced = rev;
      this.show({ ...this.lastOperation, revision: rev, operationRevision: this.lastOperation.revision }, 'complete');
      return;
    }
    const after = await this.releaseAt(rev);
    const startedAt = new Date().toISOString();
    const previous = {
      ...this.lastOperation,
      operationRevision: this.lastOperation.operationRevision ?? this.lastOperation.revision,
    };
    this.show({ ...previous, revision: rev, sync: 'OutOfSync' }, 'complete');
    await sleep(100);
    const running: AppStatus = {
      revision: rev,
      sync: 'OutOfSync',
      phase: 'Running',
      startedAt,
      message: `waiting for completion of hook ${HOOK}`,
      resources: [
        {
          kind: 'Job',
          name: migrationJobName(),
          status: 'Synced',
          message: 'job.batch/hello-app-migrate created',
          hookPhase: 'Running',
        },
      ],
    };
    const readsBefore = this.applicationReads();
    this.show(running, 'complete');
    await sleep(this.behaviour.hookMs ?? 200);
    while (!this.stopped && this.applicationReads() - readsBefore < (this.behaviour.hookUntilReads ?? 0))
      await sleep(50);
    this.synced = rev;
    if (this.behaviour.hookFailure) {
      this.lastOperation = {
        ...running,
        phase: 'Failed',
        finishedAt: new Date().toISOString(),
        message: `one or more synchronization tasks completed unsuccessfully, reason: ${this.behaviour.hookFailure}`,
        resources: [
          {
            kind: 'Job',
            name: migrationJobName(),
            status: 'Synced',
            message: this.behaviour.hookFailure,
            hookPhase: 'Failed',
          },
        ],
      };
      this.show(this.lastOperation, 'complete');
      return;
    }
    this.generation += 1;
    this.lastOperation = {
      revision: rev,
      sync: 'Synced',
      health: 'Progressing',
      phase: 'Succeeded',
      startedAt,
      finishedAt: new Date().toISOString(),
      resources: [
        {
          kind: 'Job',
          name: migrationJobName(),
          status: 'Synced',
          message: 'Reached expected number of succeeded pods',
          hookPhase: 'Succeeded',
        },
        { kind: 'Deployment', name: workloadName(), status: 'Synced', message: 'deployment.apps/hello-app configured' },
      ],
    };
    this.live = after;
    this.show(this.lastOperation, 'rolling');
    await sleep(this.behaviour.rolloutMs ?? 500);
    this.lastOperation = { ...this.lastOperation, health: 'Healthy' };
    this.show(this.lastOperation, 'complete');
  }

  private applicationReads(): number {
    return this.api.requests.filter((r) => r.startsWith('GET ') && r.includes('/applications/')).length;
  }

  private show(app: AppStatus, rollout: 'rolling' | 'complete'): void {
    const { image, release } = this.live;
    this.api.clear();
    this.api.put(
      application(this.env, app),
      deployment(this.env, {
        image,
        release,
        desired: 1,
        generation: this.generation,
        ...(rollout === 'rolling' ? { updated: 0, total: 2 } : {}),
      }),
      pod(this.env, `hello-app-${release}-x1`, image, release),
    );
    this.states.push(
      `sync ${app.sync ?? 'Synced'} @${app.revision.slice(0, 7)}, operation ${app.phase ?? 'Succeeded'} @${(app.operationRevision ?? app.revision).slice(0, 7)}, health ${app.health ?? 'Healthy'}, runs ${release} (${rollout})`,
    );
  }
}
