import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleWorkspaces } from './stale-workspaces';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'stale-workspaces-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;
/** A workspace folder's name as this host's processes make it. */
const workspace = (pid: number, suffix = 'AbC123') => `hello-gitops-${hostname()}-${pid}-${suffix}`;

test("removes this host's workspaces of ended processes; keeps a live process's, another host's, other names", async () => {
  const dead = workspace(deadPid());
  const live = workspace(process.ppid, 'XyZ789');
  const otherHost = `hello-gitops-elsewhere.example-${deadPid()}-AbC123`;
  const legacy = 'hello-gitops-Qw3rTy';
  const other = 'gitops-remote-123-abcdef';
  for (const name of [dead, live, otherHost, legacy, other]) await mkdir(join(dir, name, 'work'), { recursive: true });

  expect(await removeStaleWorkspaces(dir)).toEqual([dead]);
  expect((await readdir(dir)).sort()).toEqual([other, otherHost, legacy, live].sort());
});

test("a workspace named with this process's own id is from an earlier process that had the id: removed at start", async () => {
  const mine = workspace(process.pid);
  await mkdir(join(dir, mine));
  expect(await removeStaleWorkspaces(dir)).toEqual([mine]);
});
