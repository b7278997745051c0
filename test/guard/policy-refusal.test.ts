// A ReleasePolicy the guard cannot follow is said so in its own status and nothing is evaluated under it: one that
// names another environment than its namespace's, and a second policy for an environment that has one already.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { RELEASE_POLICY_API, RELEASE_POLICY_API_VERSION, type ReleasePolicy } from '../../cdk8s/release-policy';
import { createGitopsRemote, type GitopsRemote } from '../support/git-repos';
import { waitFor } from '../support/wait-for';
import { kubeConfig, NAMESPACE, policyApi, showPolicy, startGuard, testPolicySpec } from './guard-harness';

jest.setTimeout(60_000);
const api = policyApi();
let kc: k8s.KubeConfig;
let dir: string;
let remote: GitopsRemote;

const stored = (name: string) =>
  api.get(RELEASE_POLICY_API_VERSION, NAMESPACE('dev'), RELEASE_POLICY_API.plural, name) as unknown as ReleasePolicy;
const ready = (name: string) => stored(name)?.status?.conditions?.find((c) => c.type === 'Ready');

beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'policy-refusal-'));
  kc = kubeConfig(await api.writeKubeconfig(dir));
  remote = await createGitopsRemote();
});
afterAll(async () => {
  await api.stop();
  await remote?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

test('a policy for another environment, and a second one for the same environment, are not Ready and drive nothing', async () => {
  const policy = (name: string, environment: 'dev' | 'prod') =>
    api.putAs(RELEASE_POLICY_API.plural, {
      apiVersion: RELEASE_POLICY_API_VERSION,
      kind: RELEASE_POLICY_API.kind,
      metadata: { name, namespace: NAMESPACE('dev') },
      spec: { ...testPolicySpec('dev'), environment },
    });
  policy('a-for-prod', 'prod');
  showPolicy(api, 'dev');
  policy('z-second', 'dev');
  const guard = startGuard({ kc, gitops: remote.url, prometheusUrl: 'http://127.0.0.1:9' }, 'dev');
  try {
    await waitFor('both refusals', () => ready('a-for-prod') !== undefined && ready('z-second') !== undefined, {
      timeoutMs: 30_000,
      everyMs: 50,
    });
    expect(ready('a-for-prod')).toMatchObject({ status: 'False', reason: 'EnvironmentMismatch' });
    expect(ready('a-for-prod')!.message).toMatch(
      /spec.environment is 'prod', but namespace hello-dev is environment 'dev'/,
    );
    expect(ready('z-second')).toMatchObject({ status: 'False', reason: 'Duplicate' });
    expect(ready('z-second')!.message).toMatch(/'hello-app' already guards dev/);
    // The one it follows is evaluated and Ready.
    await waitFor('the followed policy to be Ready', () => ready('hello-app')?.status === 'True', {
      timeoutMs: 30_000,
      everyMs: 50,
    });
    expect(stored('a-for-prod').status?.lastEvaluation).toBeUndefined();
  } finally {
    await guard.guard.stop();
  }
});
