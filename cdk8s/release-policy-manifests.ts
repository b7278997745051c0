// Each environment's ReleasePolicy, derived from the settings the gates and alerts read (environments.ts) and the
// guard's platform facts (guard-platform.ts): thresholds, window and counting rules are written once, there.
import { App, Chart } from 'cdk8s';
import { ReleasePolicyObject } from './constructs/release-policy';
import type { Environment, GatePolicy } from './environments';
import { GITOPS_SOURCE } from './gitops-source';
import { GUARD_PLATFORM, type GuardPlatform } from './guard-platform';
import type { KubeObject } from './manifest-files';
import { applicationName, commonLabels, workloadName } from './names';
import type { ReleasePolicySpecInput } from './release-policy';

/** A gate's counting rules, without `noData`: for a live release missing data always holds. */
function counting({ noData: _holds, ...rules }: GatePolicy) {
  return rules;
}

/** The spec of an environment's ReleasePolicy. */
export function releasePolicySpec(env: Environment, guard: GuardPlatform = GUARD_PLATFORM): ReleasePolicySpecInput {
  const { slo } = env;
  return {
    environment: env.name,
    application: { name: applicationName(env.name), namespace: GITOPS_SOURCE.argocdNamespace },
    interval: `${guard.intervalSeconds}s`,
    suspend: false,
    analysis: { window: slo.window, interval: slo.interval, minSamples: slo.minSamples },
    gates: {
      traffic: { threshold: slo.minRequestsPerSecond, ...counting(slo.gates.traffic) },
      errorRatio: { threshold: slo.maxErrorRatio, ...counting(slo.gates.errorRatio) },
      latencyP99: { threshold: slo.maxP99LatencySeconds, ...counting(slo.gates.latencyP99) },
    },
    rollback: { afterFailedEvaluations: guard.failuresToRollback },
  };
}

/** The ReleasePolicy object of an environment (gitops/<env>/, beside the workload it guards). */
export function releasePolicyObjects(env: Environment, guard: GuardPlatform = GUARD_PLATFORM): KubeObject[] {
  const chart = new Chart(new App(), `${env.name}-policy`, { disableResourceNameHashes: true });
  new ReleasePolicyObject(chart, 'ReleasePolicy', {
    name: workloadName(),
    namespace: env.namespace,
    labels: commonLabels(env.name),
    spec: releasePolicySpec(env, guard),
  });
  return chart.toJson() as KubeObject[];
}
