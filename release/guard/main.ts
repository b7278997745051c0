#!/usr/bin/env node
// `release guard`: the in-cluster operator. Wires the real parts (Kubernetes API, Prometheus, git, cdk8s synth),
// serves /metrics /healthz /readyz, logs JSON lines, and on SIGTERM or SIGINT finishes the reconcile in flight
// and hands its Lease back before exiting.
import * as k8s from '@kubernetes/client-node';
import pino from 'pino';
import { ENVIRONMENTS } from '../../cdk8s/environments';
import { KubernetesClusterReader, loadKubeConfig } from '../cluster/cluster-reader';
import { cdk8sSynth } from '../default-synth';
import { PrometheusProvider } from '../gates/prometheus-provider';
import { removeStaleWorkspaces } from '../gitops/stale-workspaces';
import { ReleaseGuard } from './guard';
import { GUARD_USAGE, parseGuardCommand, type GuardInvocation } from './guard-args';
import { GUARD_CONTROLLER, KubernetesEventSink } from './guard-events';
import { GuardMetrics } from './guard-metrics';
import { PolicyInformers } from './policy-informer';
import { PolicyStatusWriter } from './policy-status-writer';
import { startGuardServer } from './guard-server';

export async function runGuard(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let invocation: GuardInvocation;
  try {
    invocation = parseGuardCommand(argv, env);
  } catch (e) {
    // Exit 2: the guard could not start, so it decides nothing (as the release tool's "could not decide").
    process.stderr.write(`release guard: ${(e as Error).message}\n\n${GUARD_USAGE}\n`);
    return 2;
  }
  if ('help' in invocation) {
    process.stdout.write(`${GUARD_USAGE}\n`);
    return 0;
  }
  const cmd = invocation;
  await removeStaleWorkspaces();
  const identity = cmd.settings.lease.identity;
  const log = pino({
    base: { component: 'release-guard', identity },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  const kc = loadKubeConfig();
  const metrics = new GuardMetrics();
  const namespaces = new Map(cmd.settings.environments.map((e) => [e, ENVIRONMENTS[e].namespace] as const));
  const guard = new ReleaseGuard({
    settings: cmd.settings,
    policies: (onChange) => new PolicyInformers(kc, { namespaces, onChange, onError: (m) => log.warn({}, m) }),
    statusWriter: new PolicyStatusWriter(kc.makeApiClient(k8s.CustomObjectsApi), GUARD_CONTROLLER),
    leases: kc.makeApiClient(k8s.CoordinationV1Api),
    events: new KubernetesEventSink(kc.makeApiClient(k8s.EventsV1Api), identity, (m) => log.warn({}, m)),
    reader: new KubernetesClusterReader(kc),
    provider: new PrometheusProvider({ url: cmd.prometheusUrl }),
    release: {
      gitops: cmd.gitops,
      ...(cmd.branch ? { branch: cmd.branch } : {}),
      synth: cdk8sSynth,
      actor: `${GUARD_CONTROLLER} ${identity}`,
    },
    metrics,
    log,
  });
  const server = await startGuardServer(cmd.port, metrics, guard, cmd.metricsAddress);
  log.info(
    {
      port: server.port,
      metricsAddress: cmd.metricsAddress,
      environments: cmd.settings.environments,
      lease: cmd.settings.lease,
    },
    'release guard started',
  );
  guard.start();
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info({ signal }, 'stopping: finishing the reconcile in flight and releasing the Lease');
  await guard.stop();
  await server.close();
  log.info({}, 'release guard stopped');
  return 0;
}

if (require.main === module) {
  runGuard(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`release guard: unexpected failure: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
