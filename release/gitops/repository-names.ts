// What the release tool and the guard accept as the gitops repository and its branch, checked where the arguments
// are parsed: both values end up on git's command line, and a value git would read as an option (`--upload-pack=…`
// runs a command) or a branch name git refuses must be a clear usage error before anything is cloned.
import { z } from 'zod';

/** Longer than any path, URL or branch name a repository host takes. */
const NAME_LIMIT = 4096;
const BRANCH_LIMIT = 255;

export const gitopsSourceSchema = z
  .string()
  .min(1, 'a gitops repository path or URL')
  .max(NAME_LIMIT, `a path or URL of at most ${NAME_LIMIT} characters`)
  .refine((v) => !v.startsWith('-'), "a path or URL, not an option: git would read a value starting with '-' as one")
  .refine((v) => !/\p{Cc}/u.test(v), 'a path or URL without control characters');

/**
 * A branch name as `git check-ref-format --branch` accepts it (test/release/repository-names.test.ts holds the rule
 * against git itself; git's shorthand '@' and C1 control codes are refused too): no component starting with '.' or
 * ending with '.lock'; no '..', '@{', '//', control characters, space or any of ~ ^ : ? * [ \; not 'HEAD' or '@'; not
 * starting with '-' or '/'; not ending with '/' or '.'.
 */
export const branchNameSchema = z
  .string()
  .min(1, 'a branch name')
  .max(BRANCH_LIMIT, `a branch name of at most ${BRANCH_LIMIT} characters`)
  .refine(isBranchName, 'not a branch name git accepts (see git check-ref-format)');

function isBranchName(name: string): boolean {
  if (name === '@' || name === 'HEAD' || name.startsWith('-')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  if (/[\p{Cc} ~^:?*[\\]/u.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}
