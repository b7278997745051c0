// release.yml's job for an environment reads the cluster as its Kubernetes group (infra/'s access entry): the
// committed Roles must let it make every call `release verify` and `release status` make, and nothing else. The
// release tool runs against the Kubernetes API double; each request it made is authorized here against the
// committed Roles and RoleBindings the way Kubernetes' RBAC does (simpler: no ClusterRoles, no aggregation, no
// non-resource URLs, which these manifests do not use).
/* eslint-disable @typescript-eslint/no-explicit-any -- RBAC objects read from YAML */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ENVIRONMENT_NAMES, ENVIRONMENTS, type EnvironmentName } from '../../cdk8s/environments';
import { applicationName } from '../../cdk8s/names';
import { RELEASE_POLICY_API, RELEASE_POLICY_API_VERSION } from '../../cdk8s/release-policy';
import { KubernetesClusterReader } from '../../release/cluster/cluster-reader';
import { kubernetesPolicyLookup } from '../../release/cluster/policy-reader';
import { KubeApiDouble } from '../support/kube-api-double';
import { readManifests, ROOT } from './support/manifests';

interface Attributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name?: string;
}

const rbac = ['gitops/dev', 'gitops/staging', 'gitops/prod', 'argocd']
  .flatMap((d) => readManifests(join(ROOT, d)).map((m) => m.object as any))
  .filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding');

/** Whether a user in `group` may do `a`: some RoleBinding in the namespace gives the group a Role with a rule for it. */
function allowed(group: string, a: Attributes): boolean {
  const roles = rbac
    .filter((b) => b.kind === 'RoleBinding' && b.metadata.namespace === a.namespace)
    .filter((b) => b.subjects.some((s: any) => s.kind === 'Group' && s.name === group))
    .map((b) =>
      rbac.find((r) => r.kind === 'Role' && r.metadata.namespace === a.namespace && r.metadata.name === b.roleRef.name),
    );
  return roles.some((role) =>
    (role?.rules ?? []).some(
      (r: any) =>
        r.apiGroups.includes(a.group) &&
        r.resources.includes(a.resource) &&
        r.verbs.includes(a.verb) &&
        (r.resourceNames === undefined || (a.name !== undefined && r.resourceNames.includes(a.name))),
    ),
  );
}

/** A request's RBAC attributes, from its path (namespaced resources only, as the release tool reads). */
function attributesOf(method: string, path: string): Attributes {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!m || method !== 'GET') throw new Error(`not a namespaced read: ${method} ${path}`);
  return {
    verb: m[4] ? 'get' : 'list',
    group: m[1] ?? '',
    namespace: m[2]!,
    resource: m[3]!,
    ...(m[4] ? { name: m[4] } : {}),
  };
}

const group = (env: EnvironmentName) => ENVIRONMENTS[env].aws.releaseGroup;

describe.each(ENVIRONMENT_NAMES)('release job for %s', (env) => {
  const api = new KubeApiDouble().withStatusSubresource(RELEASE_POLICY_API_VERSION, RELEASE_POLICY_API.plural);
  let dir: string;
  let calls: Attributes[];
  beforeAll(async () => {
    await api.start();
    dir = await mkdtemp(join(tmpdir(), 'release-reader-'));
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(await api.writeKubeconfig(dir));
    const namespace = ENVIRONMENTS[env].namespace;
    // What verify reads each poll, and what status reads for the environment.
    await new KubernetesClusterReader(kc).read({ env, namespace, release: 'r1' });
    await kubernetesPolicyLookup(kc)(env, namespace);
    calls = api.answered.map((r) => attributesOf(r.method, r.path));
  });
  afterAll(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('may make every call the release tool makes for it', () => {
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.filter((c) => !allowed(group(env), c))).toEqual([]);
  });

  test("may not read another environment's namespace or Application, nor write its own", () => {
    for (const other of ENVIRONMENT_NAMES.filter((e) => e !== env)) {
      const theirs = ENVIRONMENTS[other].namespace;
      for (const c of calls) {
        const elsewhere =
          c.namespace === 'argocd' ? { ...c, name: applicationName(other) } : { ...c, namespace: theirs };
        expect(allowed(group(env), elsewhere)).toBe(false);
      }
    }
    for (const c of calls)
      for (const verb of ['create', 'update', 'patch', 'delete', 'watch'])
        expect(allowed(group(env), { ...c, verb })).toBe(false);
  });
});

test('the release groups are bound to nothing but read verbs', () => {
  const verbs = rbac
    .filter((r) => r.kind === 'Role' && r.metadata.name.startsWith('hello-app-release-reader'))
    .flatMap((r) => r.rules.flatMap((rule: any) => rule.verbs as string[]));
  expect(new Set(verbs)).toEqual(new Set(['get', 'list']));
});
