// Drill: five release CLIs run the same decision at once (as re-run or duplicated pipeline jobs do). The remote holds
// every push until all five have decided on the same state, so four lose the race for sure. A lost race is re-decided
// on the new state: one run writes, the others find nothing left to do and say so with exit 0, never 1.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { image, record } from '../release/fixtures';
import { createGitopsRemote, git, type GitopsRemote } from '../support/git-repos';
import { releaseCli, type CliRun, type ReleaseCli } from '../support/release-cli';
import { recordFigures } from './figures';

jest.setTimeout(300_000);

const RUNS = 5;
const verified = image('verified');
const old = image('old');

let remote: GitopsRemote;
let cli: ReleaseCli;
beforeEach(async () => {
  remote = await createGitopsRemote([record('dev', verified, verified), record('staging', old, old)]);
  cli = await releaseCli();
  // The first RUNS pushes wait for each other (up to a minute), so every run decided before any push landed.
  const hook = join(remote.url, 'hooks', 'pre-receive');
  await writeFile(
    hook,
    `#!/bin/sh
n=$(mkdir "$GIT_DIR/arrivals" 2>/dev/null; ls "$GIT_DIR/arrivals" | wc -l)
[ "$n" -ge ${RUNS} ] && exit 0
touch "$GIT_DIR/arrivals/$$"
i=0
while [ "$(ls "$GIT_DIR/arrivals" | wc -l)" -lt ${RUNS} ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
`,
  );
  await chmod(hook, 0o755);
});
afterEach(async () => {
  await remote.cleanup();
  await cli.cleanup();
});

async function race(args: string[]): Promise<{ runs: CliRun[]; commits: string[] }> {
  const base = await remote.head();
  const runs = await Promise.all(
    Array.from({ length: RUNS }, (_, k) => cli.run([...args, '--gitops', remote.url, '--actor', `run ${k}`])),
  );
  const commits = (await git(remote.url, 'rev-list', `${base}..main`)).split('\n').filter(Boolean);
  return { runs, commits };
}

const outcomes = (runs: CliRun[]) => runs.map((r) => r.stdout.split('\n').filter(Boolean).at(-1) ?? r.stderr);

test(`${RUNS} simultaneous promotions dev → staging: one writes, the others exit 0 saying staging already runs it`, async () => {
  const { runs, commits } = await race(['promote', '--from', 'dev', '--to', 'staging']);
  recordFigures('release: races', `${RUNS} simultaneous promotions`, {
    exits: runs.map((r) => r.code).join(' '),
    'commits landed': commits.length,
    'lost races re-decided': runs.filter((r) => /already runs/.test(r.stdout)).length,
  });
  expect({ codes: runs.map((r) => r.code), outcomes: outcomes(runs) }).toMatchObject({
    codes: Array(RUNS).fill(0),
  });
  expect(runs.filter((r) => /already runs/.test(r.stdout))).toHaveLength(RUNS - 1);
  expect(commits).toHaveLength(1);
  const staging = await remote.record('staging');
  expect(staging.current?.image).toBe(verified);
  expect(staging.history.filter((h) => h.action === 'promote')).toHaveLength(1);
});

test(`${RUNS} simultaneous deploys of one build: one writes, the others exit 0 saying dev already runs it`, async () => {
  const build = image('build');
  const { runs, commits } = await race(['deploy', '--env', 'dev', '--image', build]);
  recordFigures('release: races', `${RUNS} simultaneous deploys of one build`, {
    exits: runs.map((r) => r.code).join(' '),
    'commits landed': commits.length,
  });
  expect({ codes: runs.map((r) => r.code), outcomes: outcomes(runs) }).toMatchObject({
    codes: Array(RUNS).fill(0),
  });
  expect(runs.filter((r) => /already runs/.test(r.stdout))).toHaveLength(RUNS - 1);
  expect(commits).toHaveLength(1);
  const dev = await remote.record('dev');
  expect(dev.current?.image).toBe(build);
  expect(dev.history.filter((h) => h.action === 'deploy' && h.image === build)).toHaveLength(1);
});

test(`${RUNS} simultaneous deploys of different builds: each is decided again until it lands, none lost`, async () => {
  const base = await remote.head();
  const builds = Array.from({ length: RUNS }, (_, k) => image(`build-${k}`));
  const runs = await Promise.all(
    builds.map((build, k) =>
      cli.run(['deploy', '--env', 'dev', '--image', build, '--gitops', remote.url, '--actor', `run ${k}`]),
    ),
  );
  const commits = (await git(remote.url, 'rev-list', `${base}..main`)).split('\n').filter(Boolean);
  const dev = await remote.record('dev');
  const deploys = dev.history.filter((h) => h.action === 'deploy' && builds.includes(h.image));
  recordFigures('release: races', `${RUNS} simultaneous deploys of different builds`, {
    exits: runs.map((r) => r.code).join(' '),
    'commits landed': commits.length,
    'lost races re-decided': runs.map((r) => /after (\d+) lost race/.exec(r.stdout)?.[1] ?? '0').join(' '),
  });
  expect({ codes: runs.map((r) => r.code), outcomes: outcomes(runs) }).toMatchObject({
    codes: Array(RUNS).fill(0),
  });
  expect(commits).toHaveLength(RUNS);
  expect(deploys.map((h) => h.image).sort()).toEqual([...builds].sort());
  // The record is consistent: what runs is the newest deploy, and its manifests pin that image.
  expect(dev.current?.image).toBe(deploys.at(-1)?.image);
  expect(await remote.file('gitops/dev/deployment-hello-app.yaml')).toContain(dev.current!.image);
});
