// The release guard's platform namespace (gitops/platform/): schema-valid like the rest of gitops/, and a policy
// test for each of its rules: two hardened replicas, least-privilege RBAC, egress only to the Kubernetes API,
// Prometheus and the git host, git credentials only as an ExternalSecret reference.
/* eslint-disable @typescript-eslint/no-explicit-any -- the rules read untyped YAML objects on purpose */
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../../cdk8s/environments';
import { GuardAccess } from '../../cdk8s/constructs/guard-access';
import { GuardWorkload } from '../../cdk8s/constructs/guard-workload';
import { GITOPS_SOURCE } from '../../cdk8s/gitops-source';
import { GUARD_COMPONENT, GUARD_FOLDER, guardArgoCdObjects, guardPlatformObjects } from '../../cdk8s/guard-manifests';
import { GUARD_PLATFORM, guardPlatformSchema } from '../../cdk8s/guard-platform';
import { readManifests, ROOT, type Manifest } from './support/manifests';
import { schemaErrors, unknownFields } from './support/kube-schemas';

type Obj = Manifest['object'] & { spec?: any; rules?: any[] };
const manifests = readManifests(join(ROOT, 'gitops', GUARD_FOLDER));
const objects = manifests.map((m) => m.object as Obj);
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
/** Its access in Argo CD's namespace, committed to argocd/ (applied with the AppProject, never synced). */
const inArgoCd = readManifests(join(ROOT, 'argocd'))
  .map((m) => m.object as Obj)
  .filter(
    (o) =>
      o.metadata.namespace === GITOPS_SOURCE.argocdNamespace &&
      o.kind.startsWith('Role') &&
      o.metadata.labels?.['app.kubernetes.io/component'] === GUARD_COMPONENT,
  );
const p = GUARD_PLATFORM;

test('the committed gitops/platform/ and argocd/ hold what the code produces for the guard', () => {
  const names = (os: readonly { kind: string; metadata: { name: string } }[]) =>
    os.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  expect(names(objects)).toEqual(names(guardPlatformObjects()));
  expect(names(inArgoCd)).toEqual(names(guardArgoCdObjects()));
  expect(objects.filter((o) => o.metadata.namespace === GITOPS_SOURCE.argocdNamespace)).toEqual([]);
});

test('every object passes its schema and has no undefined field', async () => {
  expect((await Promise.all(objects.map((o) => schemaErrors(o)))).flat()).toEqual([]);
  expect(objects.flatMap((o) => unknownFields(o))).toEqual([]);
});

test('everything lives in the platform namespace, which enforces Pod Security restricted', () => {
  const ns = ofKind('Namespace')[0]!;
  expect(ns.metadata.name).toBe(p.namespace);
  expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  // Cluster-scoped: the Namespace and the ReleasePolicy CRD only.
  expect(objects.filter((o) => o.metadata.namespace === undefined).map((o) => o.kind)).toEqual([
    'CustomResourceDefinition',
    'Namespace',
  ]);
  const elsewhere = objects.filter(
    (o) =>
      o.metadata.namespace !== undefined &&
      !['Role', 'RoleBinding'].includes(o.kind) &&
      o.metadata.namespace !== p.namespace,
  );
  expect(elsewhere.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
});

test('the Deployment runs two replicas hardened like the service, probing /healthz and /readyz', () => {
  const d = ofKind('Deployment')[0]!;
  expect(d.spec.replicas).toBe(2);
  const pod = d.spec.template.spec;
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  const c = pod.containers[0];
  expect(c.securityContext).toMatchObject({
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
  });
  expect(c.image).toMatch(/(@sha256:[a-f0-9]{64}|:[0-9][\w.-]*)$/);
  expect(c.image).not.toMatch(/:latest$/);
  expect(c.resources.requests).toBeDefined();
  expect(c.resources.limits).toBeDefined();
  expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path]).toEqual(['/healthz', '/readyz']);
  expect(c.args[0]).toBe('guard');
  expect(c.env.find((e: { name: string }) => e.name === 'POD_NAME').valueFrom.fieldRef.fieldPath).toBe('metadata.name');
  // Its git token comes from the ExternalSecret's Secret, never a literal.
  const header = c.env.find((e: { name: string }) => e.name === 'GIT_CONFIG_VALUE_0');
  expect(header.valueFrom.secretKeyRef.name).toBe(ofKind('ExternalSecret')[0]!.spec.target.name);
});

test('RBAC is namespaced and least-privilege: read Applications, Deployments and ReleasePolicies, write only ReleasePolicy status, create Events, one Lease', () => {
  expect(objects.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
  const roles = [...ofKind('Role'), ...inArgoCd.filter((o) => o.kind === 'Role')];
  const byNs = Object.fromEntries(roles.map((r) => [r.metadata.namespace!, r.rules!]));
  expect(Object.keys(byNs).sort()).toEqual(
    ['argocd', ...ENVIRONMENT_NAMES.map((e) => ENVIRONMENTS[e].namespace), p.namespace].sort(),
  );
  const verbs = (ns: string, group: string, resource: string) =>
    byNs[ns]!.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource))
      .flatMap((r) => r.verbs as string[])
      .sort();
  expect(verbs('argocd', 'argoproj.io', 'applications')).toEqual(['get', 'list', 'watch']);
  for (const env of ENVIRONMENT_NAMES) {
    const ns = ENVIRONMENTS[env].namespace;
    // Exactly these rules in each environment: the ReleasePolicy's spec is read, only its status is written.
    expect(byNs[ns]).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['release.hello-app.dev'], resources: ['releasepolicies'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['release.hello-app.dev'], resources: ['releasepolicies/status'], verbs: ['update', 'patch'] },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
  }
  const lease = byNs[p.namespace]!;
  expect(lease.find((r) => r.verbs.includes('update'))).toMatchObject({
    resources: ['leases'],
    resourceNames: [p.name],
  });
  for (const r of roles.flatMap((role) => role.rules!)) {
    expect([...r.verbs, ...r.resources, ...r.apiGroups]).not.toContain('*');
    expect(r.verbs).not.toContain('delete');
  }
  for (const b of [...ofKind('RoleBinding'), ...inArgoCd.filter((o) => o.kind === 'RoleBinding')])
    expect((b as any).subjects).toEqual([{ kind: 'ServiceAccount', name: p.name, namespace: p.namespace }]);
});

test('network: default-deny; egress only to the API server, Prometheus, the git host and DNS', () => {
  const policies = ofKind('NetworkPolicy');
  expect(policies.find((n) => n.metadata.name === 'default-deny')!.spec).toEqual({
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
  });
  const egress = policies.flatMap(
    (n) => (n.spec.egress ?? []) as { to: Record<string, any>[]; ports: { port: number }[] }[],
  );
  const cidrs = egress.flatMap((e) => e.to.filter((t) => t.ipBlock).map((t) => t.ipBlock.cidr as string)).sort();
  expect(cidrs).toEqual([...p.apiServer.cidrs, ...p.gitHost.cidrs].sort());
  const namespaces = egress
    .flatMap((e) =>
      e.to
        .filter((t) => t.namespaceSelector)
        .map((t) => t.namespaceSelector.matchLabels['kubernetes.io/metadata.name'] as string),
    )
    .sort();
  expect(namespaces).toEqual([p.dns.namespace, p.prometheus.namespace].sort());
  expect(egress.every((e) => e.ports.length > 0)).toBe(true);
  expect(egress.flatMap((e) => e.to).some((t) => t.ipBlock?.cidr === '0.0.0.0/0' || Object.keys(t).length === 0)).toBe(
    false,
  );
});

test('git credentials: an ExternalSecret through the IRSA ServiceAccount, no Secret or value in git', () => {
  expect(ofKind('Secret')).toEqual([]);
  const es = ofKind('ExternalSecret')[0]!;
  expect(es.spec.data).toEqual([
    { secretKey: 'token', remoteRef: { key: p.gitCredentials.secretName, property: 'token' } },
  ]);
  expect(ofKind('SecretStore')[0]!.spec.provider.aws.auth.jwt.serviceAccountRef.name).toBe(p.name);
  expect(ofKind('ServiceAccount')[0]!.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
    p.gitCredentials.roleArn,
  );
});

test("the guard's image must be pinned by digest: a re-pushed tag must not change what runs the rollbacks", () => {
  expect(guardPlatformSchema.safeParse(GUARD_PLATFORM).success).toBe(true);
  const tagged = guardPlatformSchema.safeParse({
    ...GUARD_PLATFORM,
    image: GUARD_PLATFORM.image.replace(/@sha256:.*/, ':0.1.0'),
  });
  expect(tagged.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
    'image: an image pinned by digest: <repository>@sha256:<64 hex>',
  ]);
});

describe('the constructs refuse unsafe combinations, naming the props', () => {
  const chart = () => new Chart(new App(), 'c');
  test('a single replica', () => {
    expect(
      () =>
        new GuardWorkload(chart(), 'w', {
          name: 'g',
          namespace: 'p',
          image: 'r/i:1.0.0',
          serviceAccountName: 'g',
          labels: {},
          selector: {},
          replicas: 1,
          port: 8081,
          args: [],
          env: {},
          gitHeader: { secretName: 's', key: 'k', host: 'h' },
          resources: { requests: { cpu: '1', memory: '1Mi' }, limits: { cpu: '1', memory: '1Mi' } },
        }),
    ).toThrow(/'replicas' is 1/);
  });
  test("sharing an environment's namespace", () => {
    expect(
      () =>
        new GuardAccess(chart(), 'a', {
          name: 'g',
          namespace: 'hello-dev',
          roleArn: 'arn:aws:iam::123456789012:role/x',
          argocdNamespace: 'argocd',
          environmentNamespaces: ['hello-dev'],
          leaseName: 'g',
        }),
    ).toThrow(/'namespace' \(hello-dev\) must be the guard's own/);
  });
});
