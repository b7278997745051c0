// What real `release guard` processes run against in the process-level tests: the Kubernetes API double showing the
// live release and the environment's ReleasePolicy, a real gitops remote holding the release record, a scrape
// target standing in for the release's pods, and a real Prometheus scraping it. One setup, one teardown.
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentName } from '../../cdk8s/environments';
import type { ReleaseRecord } from '../../cdk8s/release-record';
import { removeStaleWorkspaces } from '../../release/gitops/stale-workspaces';
import { createGitopsRemote, type GitopsRemote } from '../support/git-repos';
import type { KubeApiDouble } from '../support/kube-api-double';
import { startPrometheus, type TestPrometheus } from '../support/prometheus';
import { NAMESPACE, showLive, showPolicy } from './guard-harness';
import { stopGuard, type GuardProcess } from './guard-process';

export interface GuardWorldOptions {
  readonly env: EnvironmentName;
  /** The image the environment's Application shows as live. */
  readonly live: string;
  readonly record: ReleaseRecord;
  /** The release's pods, as Prometheus scrapes them; the world listens on it and closes it. */
  readonly release: Server;
}

export interface GuardWorld {
  /** A folder of the test's own, removed at the end; the kubeconfig is in it. */
  readonly dir: string;
  readonly kubeconfig: string;
  readonly remote: GitopsRemote;
  readonly prometheus: TestPrometheus;
  /** Stops the guards still running, then takes everything down and removes what the guards left. */
  stop(guards: readonly GuardProcess[]): Promise<void>;
}

/** Starts `api` and the rest around it; the policy has the test timings of `showPolicy`. */
export async function startGuardWorld(api: KubeApiDouble, o: GuardWorldOptions): Promise<GuardWorld> {
  await api.start();
  const dir = await mkdtemp(join(tmpdir(), 'guard-world-'));
  const kubeconfig = await api.writeKubeconfig(dir);
  showLive(api, o.env, o.live);
  showPolicy(api, o.env);
  const remote = await createGitopsRemote([o.record]);
  await new Promise<void>((r) => o.release.listen(0, '127.0.0.1', r));
  const prometheus = await startPrometheus({
    targets: [
      {
        job: 'hello-app',
        address: `127.0.0.1:${(o.release.address() as { port: number }).port}`,
        labels: { namespace: NAMESPACE(o.env) },
      },
    ],
    scrapeInterval: '1s',
  });
  return {
    dir,
    kubeconfig,
    remote,
    prometheus,
    async stop(guards) {
      // SIGTERM, as Kubernetes stops a pod: the guard waits for its git commands and removes its workspace. A
      // SIGKILL here would leave a `git clone` it started writing into the workspace while it is being removed.
      await Promise.all(guards.map((g) => stopGuard(g)));
      // A guard a test killed with SIGKILL left its workspace; the next guard would remove it at start, as this does.
      await removeStaleWorkspaces();
      await prometheus.stop();
      o.release.closeAllConnections();
      await new Promise((r) => o.release.close(r));
      await remote.cleanup();
      await api.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
