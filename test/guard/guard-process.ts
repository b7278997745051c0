// Runs `release guard` as a real process (release/guard/main.ts through tsx on this Node) and follows its JSON
// log lines, each stamped with the test's clock when it arrived.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { childEnv } from '../support/child-env';

const ROOT = resolve(__dirname, '../..');

export interface GuardProcess {
  readonly identity: string;
  readonly child: ChildProcess;
  readonly lines: Array<Record<string, unknown> & { receivedAt: number }>;
  readonly exited: Promise<number | string>;
  output(): string;
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown> & { receivedAt: number }>;
}

export function runGuardProcess(identity: string, args: string[], env: Record<string, string>): GuardProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'release/guard/main.ts', '--identity', identity, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: GuardProcess['lines'] = [];
  let out = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete) {
      try {
        lines.push({ ...(JSON.parse(text) as Record<string, unknown>), receivedAt: Date.now() });
      } catch {
        // not a log line
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | string>((r) =>
    child.on('exit', (code, signal) => r(code ?? signal ?? 'unknown')),
  );
  return {
    identity,
    child,
    lines,
    exited,
    output: () => out,
    async waitForLine(match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(
            `${identity}: no matching log line (${child.exitCode !== null ? `exited ${child.exitCode}` : 'timed out'}); output:\n${out.slice(-3000)}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** Lease timings of a test guard: a 2 s lease, given up after 1.5 s without renewal, tried every 200 ms. */
export const TEST_LEASE = { seconds: 2, renewDeadline: '1500ms', retryMs: 200 } as const;

/** The command line of a test guard: one environment, the gitops remote, Prometheus, the test Lease, any free port. */
export function testGuardArgs(o: { env: string; gitops: string; prometheusUrl: string }): string[] {
  return [
    ...['--env', o.env, '--gitops', o.gitops, '--prometheus-url', o.prometheusUrl],
    ...['--lease-namespace', 'hello-platform', '--lease-duration', `${TEST_LEASE.seconds}s`],
    ...['--renew-deadline', TEST_LEASE.renewDeadline, '--retry-period', `${TEST_LEASE.retryMs}ms`, '--port', '0'],
  ];
}

/** Kubernetes' default termination grace period. */
const GRACE_MS = 30_000;

/**
 * Stops a guard as Kubernetes stops its pod: SIGTERM, SIGKILL after the grace period. On SIGTERM the guard waits for
 * its git commands and removes its workspace; a SIGKILL would leave a `git clone` it started still writing into the
 * workspace while a test removes it.
 */
export async function stopGuard(g: GuardProcess): Promise<void> {
  if (g.child.exitCode !== null || g.child.signalCode !== null) return;
  g.child.kill('SIGTERM');
  const timer = setTimeout(() => g.child.kill('SIGKILL'), GRACE_MS);
  await g.exited;
  clearTimeout(timer);
}
