import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleWorkspaces } from './stale-workspaces';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'stale-workspaces-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

test("removes the workspaces of ended processes, keeps a live process's and anything not named as a workspace", async () => {
  const dead = `hello-gitops-${deadPid()}-AbC123`;
  const live = `hello-gitops-${process.ppid}-XyZ789`;
  const legacy = 'hello-gitops-Qw3rTy';
  const other = 'gitops-remote-123-abcdef';
  for (const name of [dead, live, legacy, other]) await mkdir(join(dir, name, 'work'), { recursive: true });

  expect(await removeStaleWorkspaces(dir)).toEqual([dead]);
  expect((await readdir(dir)).sort()).toEqual([other, legacy, live].sort());
});

test("a workspace named with this process's own id is from an earlier process that had the id: removed at start", async () => {
  const mine = `hello-gitops-${process.pid}-AbC123`;
  await mkdir(join(dir, mine));
  expect(await removeStaleWorkspaces(dir)).toEqual([mine]);
});
