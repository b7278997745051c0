// Runs git as a child process with a fixed identity and no prompts; a non-zero exit becomes a GitError that
// carries the command and git's own words, so a step can tell a rejected push from a broken network.
import { execFile } from 'node:child_process';

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    const said = stderr.trim().split('\n').map((l) => l.trim()).filter((l) => l && l !== 'Done' && !l.startsWith('To '));
    super(`git ${args.join(' ')} failed (exit ${code}): ${said.join(' | ').slice(-600)}`);
    this.name = 'GitError';
  }
}

/** Who the tool commits as unless the environment names someone (e.g. the CI bot). */
export const DEFAULT_IDENTITY = { name: 'hello-release', email: 'hello-release@users.noreply.github.com' };

export function gitEnv(): NodeJS.ProcessEnv {
  const env = process.env;
  return {
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME ?? DEFAULT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL ?? DEFAULT_IDENTITY.email,
    GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME ?? DEFAULT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL ?? DEFAULT_IDENTITY.email,
  };
}

export function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, env: gitEnv(), maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new GitError(args, typeof error.code === 'number' ? error.code : null, `${stderr}${stdout}`));
      else resolve(stdout);
    });
  });
}
