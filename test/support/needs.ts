// A test module's declaration that it needs something from outside Node and npm (external-needs.ts). Called at
// module scope, by a test file or by the support module that starts the thing (database.ts, prometheus.ts): when
// the run found it missing, needs-environment.ts holds the file's tests back instead of letting them fail.
import type { ExternalNeedName } from './external-needs';

/** Where the declarations of the running test file are kept: its own global, which the test environment reads. */
export const NEEDS_KEY = Symbol.for('hello-app.test-needs');

export function needs(...names: ExternalNeedName[]): void {
  const scope = globalThis as { [NEEDS_KEY]?: Set<ExternalNeedName> };
  const declared = (scope[NEEDS_KEY] ??= new Set());
  for (const name of names) declared.add(name);
}
