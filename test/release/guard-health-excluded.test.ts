// `verify` judges the release Argo CD applied, not the guard's view of the one before: the ReleasePolicy's health
// (Progressing through a new release's analysis window, Degraded after a rollback) counts in the Application's
// health in Argo CD, but not in the cluster checks. Through the real client-node reader against the API double.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesClusterReader } from '../../release/cluster/cluster-reader';
import { judgeCluster } from '../../release/cluster/cluster-checks';
import { ENVIRONMENTS } from '../../cdk8s/environments';
import { releaseId } from '../../cdk8s/release-record';
import { KubeApiDouble } from '../support/kube-api-double';
import { kubeConfig } from '../guard/guard-harness';
import { application, deployment } from './cluster-objects';
import { image } from './fixtures';

const api = new KubeApiDouble();
let dir: string;
let reader: KubernetesClusterReader;
const v3 = image('v3');
const revision = 'c'.repeat(40);

/** dev's Application once Argo CD applied v3: the given health for the Deployment and for the guard's policy. */
function show(deploymentHealth: string, policyHealth: string, policyMessage: string): void {
  const app = application('dev', { revision, finishedAt: new Date().toISOString() }) as {
    status: Record<string, unknown>;
  } & Parameters<KubeApiDouble['put']>[0];
  const rank = ['Healthy', 'Progressing', 'Degraded'];
  const worst = rank[Math.max(rank.indexOf(deploymentHealth), rank.indexOf(policyHealth))]!;
  app.status.health = { status: worst, ...(worst === policyHealth ? { message: policyMessage } : {}) };
  app.status.resources = [
    { group: 'apps', kind: 'Deployment', name: 'hello-app', health: { status: deploymentHealth } },
    { kind: 'Service', name: 'hello-app', health: { status: 'Healthy' } },
    { kind: 'ConfigMap', name: 'no-health' },
    {
      group: 'release.hello-app.dev',
      kind: 'ReleasePolicy',
      name: 'hello-app',
      health: { status: policyHealth, message: policyMessage },
    },
  ];
  api.clear();
  api.put(app, deployment('dev', { image: v3, release: releaseId(v3) }));
}

const healthCheck = async () => {
  const read = await reader.read({ env: 'dev', namespace: ENVIRONMENTS.dev.namespace, release: releaseId(v3) });
  if (read.kind !== 'state') throw new Error(read.error);
  const checks = judgeCluster(read.state, {
    application: 'hello-app-dev',
    image: v3,
    release: releaseId(v3),
    revision,
    relation: 'same',
  });
  return checks.find((c) => c.check === 'argocd-health')!;
};

beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'guard-health-'));
  reader = new KubernetesClusterReader(kubeConfig(await api.writeKubeconfig(dir)));
});
afterAll(async () => {
  await api.stop();
  await rm(dir, { recursive: true, force: true });
});

test('the previous release rolled back (policy Degraded) does not fail a new, healthy one', async () => {
  show('Healthy', 'Degraded', 'rolled back 9b74c9897bac to 1f0e3dad9990');
  expect(await healthCheck()).toMatchObject({ outcome: 'pass', detail: 'health Healthy' });
});

test('a new release inside its analysis window (policy Progressing) does not keep verify waiting', async () => {
  show('Healthy', 'Progressing', 'live for 40 s, inside its 2m analysis window');
  expect((await healthCheck()).outcome).toBe('pass');
});

test('a Degraded workload still fails the release', async () => {
  show('Degraded', 'Progressing', 'live for 40 s');
  expect(await healthCheck()).toMatchObject({ outcome: 'fail', detail: 'health Degraded' });
});
