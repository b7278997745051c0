// Runs the real service process (service/main.ts through tsx on this Node) and follows its JSON log lines.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { childEnv } from '../support/child-env';

const ROOT = path.resolve(__dirname, '../..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly lines: Array<Record<string, unknown>>;
  readonly stderr: () => string;
  readonly stdout: () => string;
  /** Resolves with the first log line matching, or rejects when the process exits first. */
  waitForLine(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

export function runService(args: string[], env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/main.ts', ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lines: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  // Only the lines completed by each chunk are parsed: re-parsing all of stdout per chunk made a long, chatty run
  // (thousands of request lines) quadratic.
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    const complete = (partial + chunk).split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      if (!text.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // not a JSON log line
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const wake of waiters) wake();
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  return {
    child,
    lines,
    stderr: () => err,
    stdout: () => out,
    exited,
    waitForLine: (match) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found) {
            waiters.delete(check);
            resolve(found);
          } else if (done || child.exitCode !== null) {
            waiters.delete(check);
            reject(new Error(`the service exited before the expected log line; stderr: ${err}\nstdout: ${out}`));
          }
        };
        waiters.add(check);
        check();
      }),
  };
}
