#!/usr/bin/env node
// The release tool's entry point: parses the command, wires the real parts (git, cdk8s synth, Prometheus,
// the Kubernetes API), removes the workspaces killed runs left behind, runs the action, prints a table or JSON,
// writes the GitHub job summary, sets the exit code.
import { printableLine } from '../contract/printable-text';
import type { ActionResult, ReleaseContext } from './actions/action';
import { deploy } from './actions/deploy';
import { promote } from './actions/promote';
import { rollback } from './actions/rollback';
import { status } from './actions/status';
import { verify } from './actions/verify';
import { durationMs } from '../contract/duration';
import { GUARD_COMMAND, parseCommand, UsageError, USAGE, type Command } from './cli/args';
import { KubernetesClusterReader, loadKubeConfig } from './cluster/cluster-reader';
import { kubernetesPolicyLookup } from './cluster/policy-reader';
import { cdk8sSynth } from './default-synth';
import { exitCode } from './gates/outcomes';
import { PrometheusProvider } from './gates/prometheus-provider';
import { removeStaleWorkspaces } from './gitops/stale-workspaces';
import { runGuard } from './guard/main';
import { appendJobSummary } from './report/job-summary';
import { actionText } from './report/text-report';

/** A wrong command line: the "could not decide" code, so a pipeline never reads a typo as a failed gate. */
const EXIT_USAGE = 2;

function run(cmd: Exclude<Command, { command: 'help' }>): Promise<ActionResult> {
  const ctx: ReleaseContext = {
    gitops: cmd.gitops,
    ...(cmd.branch ? { branch: cmd.branch } : {}),
    synth: cdk8sSynth,
    ...(cmd.actor ? { actor: cmd.actor } : {}),
  };
  switch (cmd.command) {
    case 'deploy':
      return deploy(ctx, { env: cmd.env, image: cmd.image, ...(cmd.version ? { version: cmd.version } : {}) });
    case 'promote':
      return promote(ctx, { from: cmd.from, to: cmd.to });
    case 'rollback':
      return rollback(ctx, { env: cmd.env, reason: cmd.reason, ...(cmd.to ? { to: cmd.to } : {}) });
    case 'status':
      return status(ctx, kubernetesPolicyLookup(loadKubeConfig()));
    case 'verify':
      return verify(ctx, {
        env: cmd.env,
        provider: new PrometheusProvider({ url: cmd.prometheusUrl }),
        cluster: new KubernetesClusterReader(loadKubeConfig()),
        slo: {
          ...(cmd.window ? { window: cmd.window } : {}),
          ...(cmd.interval ? { interval: cmd.interval } : {}),
          ...(cmd.minSamples ? { minSamples: cmd.minSamples } : {}),
        },
        clusterTimeoutMs: durationMs(cmd.clusterTimeout),
        pollMs: durationMs(cmd.poll),
        // On stderr, so that --json output stays one document.
        onWait: (what) => process.stderr.write(`release verify ${cmd.env}: waiting for ${what}\n`),
      });
  }
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // The guard is a long-running operator with options of its own (release/guard/guard-args.ts).
  if (argv[0] === GUARD_COMMAND) return runGuard(argv.slice(1), env);
  let cmd: Command;
  try {
    cmd = parseCommand(argv, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    // The message may quote the command line back: each of its lines is printed as printable text only.
    process.stderr.write(`release: ${e.message.split('\n').map(printableLine).join('\n')}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (cmd.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  await removeStaleWorkspaces();
  const result = await run(cmd);
  process.stdout.write(cmd.json ? `${JSON.stringify(result, null, 2)}\n` : `${actionText(result)}\n`);
  if (env.GITHUB_STEP_SUMMARY) await appendJobSummary(env.GITHUB_STEP_SUMMARY, result);
  return exitCode(result.outcome);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`release: unexpected failure: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
