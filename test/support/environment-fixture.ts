// One environment for rule tests, apart from the live settings: Kubernetes-side values of its own, joined with the
// fixture AWS settings (another account, region, names and CIDRs), so a rule test never leans on production data.
import { parseEnvironment, type Environment } from '../../cdk8s/environments';
import { FIXTURE_ENVIRONMENTS, FIXTURE_SHARED } from './aws-settings-fixture';

const gate = { failureLimit: 2, consecutiveErrorLimit: 2, noData: 'hold' } as const;

/** The Kubernetes-side settings, as a settings module would write them (a fresh copy per call). */
export const fixtureEnvironmentRaw = () => ({
  name: 'dev',
  cluster: {
    server: 'https://cluster.example.test',
    ingressControllerNamespace: 'ingress-ctl',
    monitoringNamespace: 'observe',
    monitoringSelectorLabels: { prometheus: 'fixture' },
    dns: { namespace: 'dns-system', podLabels: { app: 'dns' } },
  },
  replicas: { min: 2, max: 5 },
  targetCpuUtilization: 60,
  resources: { requests: { cpu: '50m', memory: '192Mi' }, limits: { cpu: '200m', memory: '400Mi' } },
  ingressHost: 'hello.fixture.test',
  timeZone: 'UTC',
  logLevel: 'warn',
  slo: {
    maxErrorRatio: 0.02,
    maxP99LatencySeconds: 0.4,
    minRequestsPerSecond: 0.2,
    window: '3m',
    interval: '30s',
    minSamples: 4,
    gates: { traffic: gate, errorRatio: gate, latencyP99: gate },
  },
});

export const FIXTURE_ENVIRONMENT: Environment = parseEnvironment(
  'dev',
  fixtureEnvironmentRaw(),
  FIXTURE_ENVIRONMENTS.dev,
  FIXTURE_SHARED,
);
