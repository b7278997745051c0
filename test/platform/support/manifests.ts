// Reading synthesized output back for the tests: the committed YAML of gitops/<env>/ and argocd/, and Helm output.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..');

export interface Manifest {
  readonly file: string;
  readonly object: {
    apiVersion: string;
    kind: string;
    metadata: {
      name: string;
      namespace?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    [k: string]: unknown;
  };
}

export function parseYamlStream(text: string, file: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as Manifest['object'] | null;
    })
    .filter((o): o is Manifest['object'] => o !== null)
    .map((object) => ({ file, object }));
}

/** Every object in the YAML files of a directory (not recursive). */
export function readManifests(dir: string): Manifest[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => parseYamlStream(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}
