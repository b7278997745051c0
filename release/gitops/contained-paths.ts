// Keeps every path the release tool reads or writes inside its working copy. The repository decides what its
// folders are, and a symlink committed there (gitops/dev → /home/runner/…) would make the tool read and write
// wherever it points; so a folder on the way to an environment, the folder itself and everything in it must be
// real folders and regular files.
import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';

export class UncontainedPath extends Error {
  override name = 'UncontainedPath';
}

const FIX = 'the release tool reads and writes only real folders and files inside its working copy; remove it from the gitops repository';

function kind(e: Dirent | Awaited<ReturnType<typeof lstat>>): string | undefined {
  if (e.isSymbolicLink()) return 'a symlink';
  if (e.isFile() || e.isDirectory()) return undefined;
  return 'neither a file nor a folder';
}

/**
 * `root/dir` once checked: each folder from `root` down to it is a real folder (a missing one is fine: it will be
 * created as one), and nothing inside it is a symlink or a special file. Throws UncontainedPath naming the path.
 */
export async function containedDir(root: string, dir: string): Promise<string> {
  const refuse = async (path: string, what: string) => {
    const target = what === 'a symlink' ? ` to ${await readlink(path).catch(() => '?')}` : '';
    throw new UncontainedPath(`${relative(root, path)} is ${what}${target}: ${FIX}`);
  };
  let path = root;
  for (const part of dir.split('/').filter(Boolean)) {
    path = join(path, part);
    const stat = await lstat(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (!stat) return join(root, dir);
    const bad = kind(stat) ?? (stat.isDirectory() ? undefined : 'not a folder');
    if (bad) await refuse(path, bad);
  }
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    const bad = kind(entry);
    if (bad) await refuse(join(entry.parentPath, entry.name), bad);
  }
  return path;
}
