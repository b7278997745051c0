// Where Argo CD finds the synthesized environments: the repository, the branch and the layout. Validated like the
// environment settings, so a bad value fails synth naming the field.
import { z } from 'zod';
import { gitHubRepositoryUrl } from '../settings/derived';
import { SHARED_SETTINGS } from '../settings/environments';

export const gitopsSourceSchema = z.strictObject({
  /** The repository holding gitops/<env>/ (this one, or a dedicated gitops repository). */
  repoURL: z.string().regex(/^(https:\/\/|git@)[\w.@:/~-]+\.git$/, 'a git repository URL ending in .git'),
  /** The branch Argo CD follows. */
  targetRevision: z.string().min(1),
  /** The folder holding one directory per environment. */
  root: z.string().regex(/^[a-z0-9][a-z0-9/_-]*$/, 'a relative folder such as "gitops"'),
  /** The namespace Argo CD runs in (its Applications and AppProjects live there). */
  argocdNamespace: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name'),
});
export type GitopsSource = z.infer<typeof gitopsSourceSchema>;

function parse(value: unknown): GitopsSource {
  const result = gitopsSourceSchema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(
    result.error.issues.map((i) => `gitops source: field '${i.path.join('.')}': ${i.message}`).join('\n'),
  );
}

export const GITOPS_SOURCE: GitopsSource = parse({
  repoURL: gitHubRepositoryUrl(SHARED_SETTINGS),
  targetRevision: SHARED_SETTINGS.github.mainBranch,
  root: 'gitops',
  argocdNamespace: 'argocd',
});
