// One environment's objects: the environment's settings and its current release in, every construct out.
// Settings are data (environments.ts); this file only wires them to the constructs, with no per-environment branch.
import { Chart } from 'cdk8s';
import { type Construct } from 'constructs';
import { DRAIN_SECONDS, ENV, HTTP_PORT } from '../contract/runtime';
import type { Environment } from './environments';
import {
  appSelectorLabels,
  COMPONENTS,
  commonLabels,
  componentLabels,
  databaseSecretName,
  DATABASE_URL_KEY,
  HTTP_PORT_NAME,
  migrationJobName,
  releasePodLabels,
  secretStoreName,
  selectorLabels,
  workloadName,
} from './names';
import { Availability } from './constructs/availability';
import { DatabaseSecret } from './constructs/database-secret';
import type { HelloPodProps } from './constructs/hello-container';
import { HelloIngress } from './constructs/ingress';
import { MigrationJob } from './constructs/migration-job';
import { HelloNamespace } from './constructs/namespace';
import { NetworkPolicies } from './constructs/network-policies';
import { ReleaseReaderAccess } from './constructs/release-reader-access';
import { Observability } from './constructs/observability';
import { HelloServiceAccount } from './constructs/service-account';
import { HelloWorkload } from './constructs/workload';

/** What runs: the pinned image and the release id its pods and metrics carry. */
export interface RunningRelease {
  readonly image: string;
  readonly release: string;
}

export interface HelloEnvironmentProps {
  readonly environment: Environment;
  readonly running: RunningRelease;
}

export class HelloEnvironment extends Chart {
  constructor(scope: Construct, id: string, props: HelloEnvironmentProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const env = props.environment;
    const { image, release } = props.running;
    const namespace = env.namespace;
    const labels = commonLabels(env.name);
    const api = componentLabels(env.name, COMPONENTS.api);

    new HelloNamespace(this, 'Namespace', { name: namespace, labels });
    const account = new HelloServiceAccount(this, 'ServiceAccount', {
      name: env.aws.serviceAccountName,
      namespace,
      roleArn: env.aws.serviceAccountRoleArn,
      labels,
    });
    // What release.yml's job for this environment reads while it verifies a release (its EKS access entry's group).
    new ReleaseReaderAccess(this, 'ReleaseReader', { namespace, group: env.aws.releaseGroup, labels });
    new NetworkPolicies(this, 'NetworkPolicies', {
      namespace,
      labels,
      servingPods: selectorLabels(env.name, COMPONENTS.api),
      databaseClients: appSelectorLabels(env.name),
      httpPort: HTTP_PORT,
      databasePort: env.aws.databasePort,
      databaseCidrs: env.aws.databaseCidrs,
      clientNamespaces: [env.cluster.ingressControllerNamespace, env.cluster.monitoringNamespace],
      clientCidrs: env.aws.loadBalancerCidrs,
      dns: env.cluster.dns,
    });
    const secret = new DatabaseSecret(this, 'DatabaseSecret', {
      namespace,
      labels,
      region: env.aws.region,
      serviceAccountName: account.name,
      remoteSecretName: env.aws.databaseSecretName,
      storeName: secretStoreName(),
      secretName: databaseSecretName(),
      urlKey: DATABASE_URL_KEY,
    });
    // The migration Job and the workload run the same image, release, identity, database URL and settings.
    const pods = {
      namespace,
      image,
      release,
      serviceAccountName: account.name,
      databaseUrl: secret.urlEnv,
      resources: env.resources,
      env: { [ENV.logLevel]: env.logLevel, [ENV.timeZone]: env.timeZone },
    } satisfies Partial<HelloPodProps>;
    new MigrationJob(this, 'Migration', {
      ...pods,
      name: migrationJobName(),
      labels: componentLabels(env.name, COMPONENTS.migration),
      podLabels: releasePodLabels(env.name, COMPONENTS.migration, release),
    });
    new HelloWorkload(this, 'Workload', {
      ...pods,
      name: workloadName(),
      labels: api,
      selector: selectorLabels(env.name, COMPONENTS.api),
      podLabels: releasePodLabels(env.name, COMPONENTS.api, release),
      shutdownGraceSeconds: DRAIN_SECONDS,
    });
    new Availability(this, 'Availability', {
      name: workloadName(),
      namespace,
      labels: api,
      deploymentName: workloadName(),
      selector: selectorLabels(env.name, COMPONENTS.api),
      minReplicas: env.replicas.min,
      maxReplicas: env.replicas.max,
      targetCpuUtilization: env.targetCpuUtilization,
    });
    if (env.ingressHost !== undefined) {
      new HelloIngress(this, 'Ingress', {
        name: workloadName(),
        namespace,
        labels: api,
        host: env.ingressHost,
        serviceName: workloadName(),
        podDrainSeconds: DRAIN_SECONDS,
      });
    }
    new Observability(this, 'Observability', {
      name: workloadName(),
      namespace,
      slo: env.slo,
      serviceSelector: selectorLabels(env.name, COMPONENTS.api),
      portName: HTTP_PORT_NAME,
      labels: { ...api, ...env.cluster.monitoringSelectorLabels },
    });
  }
}
