// The constructs reject invalid combinations when they are built, naming the props, their values and the fix.
import { App, Chart, Testing } from 'cdk8s';
import { HelloWorkload, type HelloWorkloadProps } from '../../cdk8s/constructs/workload';
import { MigrationJob } from '../../cdk8s/constructs/migration-job';
import { NetworkPolicies, type NetworkPoliciesProps } from '../../cdk8s/constructs/network-policies';
import { HelloIngress } from '../../cdk8s/constructs/ingress';
import { Availability } from '../../cdk8s/constructs/availability';
import { ArgoCdApps } from '../../cdk8s/constructs/argo-cd-apps';

// A plain App: Testing.app() makes an output folder in TMPDIR per call, and these tests never write one.
const chart = () => new Chart(new App(), 'test');
const resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '384Mi' } };
const pod = { a: '1' };
const workload: HelloWorkloadProps = {
  name: 'w',
  namespace: 'n',
  image: 'r/x:v1',
  release: 'v1',
  serviceAccountName: 's',
  databaseUrl: { name: 'DATABASE_URL', value: 'x' },
  resources,
  labels: pod,
  selector: pod,
  podLabels: pod,
};
const policies: NetworkPoliciesProps = {
  namespace: 'n',
  servingPods: pod,
  databaseClients: pod,
  httpPort: 8080,
  databasePort: 5432,
  databaseCidrs: ['10.0.0.0/24'],
  clientNamespaces: ['kube-system'],
  dns: { namespace: 'kube-system', podLabels: { k: 'v' } },
};

test.each([
  [
    'a grace period shorter than the drain',
    () => new HelloWorkload(chart(), 'w', { ...workload, shutdownGraceSeconds: 30, terminationGracePeriodSeconds: 30 }),
    /'terminationGracePeriodSeconds' \(30\) must be at least 'shutdownGraceSeconds' \(30\) \+ 5: raise it to 35/,
  ],
  [
    'a progress deadline shorter than the migration wait',
    () => new HelloWorkload(chart(), 'w', { ...workload, migrateWaitSeconds: 900 }),
    /'progressDeadlineSeconds' \(600\) must be greater than .*'migrateWaitSeconds' \(900\)/,
  ],
  [
    "a memory limit below the API's measured peak plus margin",
    () =>
      new HelloWorkload(chart(), 'w', {
        ...workload,
        resources: { ...resources, limits: { cpu: '1', memory: '256Mi' } },
      }),
    /'resources.limits.memory' \(256Mi\) is below the API's measured peak plus margin: raise it to at least 326Mi/,
  ],
  [
    'a selector the pods do not carry',
    () => new HelloWorkload(chart(), 'w', { ...workload, selector: { b: '2' } }),
    /'selector' label b=2 is not among 'podLabels'/,
  ],
  [
    'unbounded migration retries',
    () => new MigrationJob(chart(), 'j', { ...workload, backoffLimit: 50 }),
    /'backoffLimit' is 50/,
  ],
  [
    'a migration deadline of a day',
    () => new MigrationJob(chart(), 'j', { ...workload, activeDeadlineSeconds: 86400 }),
    /'activeDeadlineSeconds' is 86400/,
  ],
  [
    'no database subnets',
    () => new NetworkPolicies(chart(), 'p', { ...policies, databaseCidrs: [] }),
    /'databaseCidrs' is empty/,
  ],
  [
    'a database CIDR of everything',
    () => new NetworkPolicies(chart(), 'p', { ...policies, databaseCidrs: ['0.0.0.0/0'] }),
    /CIDR '0.0.0.0\/0' allows every address/,
  ],
  [
    'no clients at all',
    () => new NetworkPolicies(chart(), 'p', { ...policies, clientNamespaces: [] }),
    /'clientNamespaces' and 'clientCidrs' are both empty/,
  ],
  [
    'an ALB deregistration delay beyond the drain',
    () =>
      new HelloIngress(chart(), 'i', {
        name: 'i',
        namespace: 'n',
        host: 'a.b',
        serviceName: 's',
        deregistrationDelaySeconds: 60,
      }),
    /'deregistrationDelaySeconds' \(60\) exceeds 'podDrainSeconds' \(20\)/,
  ],
  [
    'a disruption budget allowing none',
    () =>
      new Availability(chart(), 'a', {
        name: 'a',
        namespace: 'n',
        deploymentName: 'd',
        selector: pod,
        minReplicas: 1,
        maxReplicas: 2,
        targetCpuUtilization: 70,
        maxUnavailable: 0,
      }),
    /'maxUnavailable' is 0/,
  ],
  [
    'two environments in one namespace',
    () =>
      new ArgoCdApps(chart(), 'a', {
        project: 'p',
        argocdNamespace: 'argocd',
        repoURL: 'https://x/y.git',
        targetRevision: 'main',
        targets: [
          { application: 'a', path: 'g/a', server: 's', namespace: 'n' },
          { application: 'b', path: 'g/b', server: 's', namespace: 'n' },
        ],
      }),
    /two targets deploy to namespace 'n'/,
  ],
  [
    "a target in Argo CD's own namespace",
    () =>
      new ArgoCdApps(chart(), 'a', {
        project: 'p',
        argocdNamespace: 'argocd',
        repoURL: 'https://x/y.git',
        targetRevision: 'main',
        targets: [{ application: 'a', path: 'g/a', server: 's', namespace: 'argocd' }],
      }),
    /target 'a' deploys to 'argocdNamespace' \(argocd\)/,
  ],
])('rejects %s', (_, build, message) => {
  expect(build).toThrow(message);
});

test('the defaults build: required zone spread, Sync hook, default-deny', () => {
  const c = chart();
  new HelloWorkload(c, 'w', workload);
  new MigrationJob(c, 'j', workload);
  new NetworkPolicies(c, 'p', policies);
  const objects = Testing.synth(c);
  const deployment = objects.find((o) => o.kind === 'Deployment');
  expect(deployment.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
  expect(objects.find((o) => o.kind === 'Job').metadata.annotations['argocd.argoproj.io/hook']).toBe('Sync');
  expect(objects.find((o) => o.metadata.name === 'hello-app-default-deny').spec).toEqual({
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
  });
});
