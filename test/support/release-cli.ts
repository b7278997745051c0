// The release tool as the pipeline runs it: `release/main.ts` through tsx on this Node, a real process with a temp
// dir of its own (so its workspaces can be counted), giving back the exit code and the exact text it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface CliRun {
  /** The exit code, or null when a signal ended the process. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ReleaseCli {
  /** The TMPDIR every run of this instance gets. */
  readonly tmp: string;
  /** Starts a run in its own process group (so a test can kill the run with everything it started). */
  start(args: readonly string[], env?: Record<string, string>): { child: ChildProcess; done: Promise<CliRun> };
  run(args: readonly string[], env?: Record<string, string>): Promise<CliRun>;
  /** Names in the runs' TMPDIR starting with `hello-gitops-`: the workspaces left there. */
  workspaces(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export async function releaseCli(): Promise<ReleaseCli> {
  const tmp = await mkdtemp(join(tmpdir(), 'release-cli-'));
  const cli: ReleaseCli = {
    tmp,
    start(args, env = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'release/main.ts', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TMPDIR: tmp, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const done = new Promise<CliRun>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
      return { child, done };
    },
    run: (args, env) => cli.start(args, env).done,
    workspaces: async () => (await readdir(tmp)).filter((n) => n.startsWith('hello-gitops-')).sort(),
    cleanup: () => rm(tmp, { recursive: true, force: true }),
  };
  return cli;
}

/** Control characters other than the newline ending a line: what must never reach a terminal or a log. */
export const CONTROL = /(?!\n)\p{Cc}/u;
