// The synth entry point. `npm run synth` writes gitops/<env>/ for every environment, argocd/ and charts/hello-app;
// `npm run synth -- --check` writes nothing and fails naming every file that differs from what the code produces.
// release/ calls synthEnvironment() after it changes a release record.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ENVIRONMENT_NAMES, environment, type EnvironmentName } from './environments';
import { argocdFiles } from './argocd-manifests';
import { environmentFiles, runningRelease } from './environment-manifests';
import { GITOPS_SOURCE } from './gitops-source';
import { GUARD_FOLDER, guardFiles } from './guard-manifests';
import { CHART_DIR, chartFiles } from './helm-chart';
import { diffFileSet, writeFileSet, type FileSet } from './manifest-files';
import { parseReleaseRecord, RELEASE_RECORD_FILE } from './release-record';

/** A directory of generated files and which of its files the generator owns (and may delete). */
interface Output {
  readonly dir: string;
  readonly files: FileSet;
  readonly owns: (relative: string) => boolean;
}

/** In an environment's directory the generator owns its YAML only: release.json and anything else stay. */
const ownsManifests = (rel: string) => !rel.includes('/') && /\.ya?ml$/.test(rel);

function environmentOutput(name: EnvironmentName, gitopsDir: string): Output {
  const dir = join(gitopsDir, name);
  const recordPath = join(dir, RELEASE_RECORD_FILE);
  const env = environment(name);
  const record = parseReleaseRecord(readFileSync(recordPath, 'utf8'), recordPath);
  return { dir, files: environmentFiles(env, runningRelease(env, record, recordPath)), owns: ownsManifests };
}

/**
 * Rewrites one environment's manifests in `<gitopsDir>/<env>/` from its settings and `<gitopsDir>/<env>/release.json`:
 * deterministic, removes the YAML files it no longer produces, never touches release.json.
 */
export function synthEnvironment(name: EnvironmentName, gitopsDir: string): void {
  const out = environmentOutput(name, gitopsDir);
  writeFileSet(out.dir, out.files, out.owns);
}

/** The chart is versioned with the repository's package. */
function chartVersion(rootDir: string): string {
  return (JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { version: string }).version;
}

function outputs(rootDir: string): Output[] {
  const gitopsDir = join(rootDir, GITOPS_SOURCE.root);
  return [
    ...ENVIRONMENT_NAMES.map((name) => environmentOutput(name, gitopsDir)),
    // The release guard's platform namespace: generated whole, it has no release record.
    { dir: join(gitopsDir, GUARD_FOLDER), files: guardFiles(), owns: ownsManifests },
    { dir: join(rootDir, 'argocd'), files: argocdFiles(), owns: ownsManifests },
    // The chart directory is generated whole.
    { dir: join(rootDir, CHART_DIR), files: chartFiles(chartVersion(rootDir)), owns: () => true },
  ];
}

/** Writes everything the repository holds generated: gitops/<env>/ for each environment, argocd/, charts/hello-app. */
export function synthAll(rootDir: string): void {
  for (const out of outputs(rootDir)) writeFileSet(out.dir, out.files, out.owns);
}

/** The generated files that differ from what the code produces; empty when the committed output is current. */
export function checkAll(rootDir: string): string[] {
  return outputs(rootDir).flatMap((out) => diffFileSet(out.dir, out.files, out.owns));
}

function main(argv: readonly string[]): number {
  // `--root <dir>` points at another checkout (the tests use a temporary copy); by default, this repository.
  const rootAt = argv.indexOf('--root');
  const root = rootAt >= 0 && argv[rootAt + 1] ? resolve(argv[rootAt + 1]!) : resolve(__dirname, '..');
  if (argv.includes('--check')) {
    const differing = checkAll(root);
    if (differing.length > 0) {
      console.error(
        `synth --check: generated output is out of date (run \`npm run synth\` and commit):\n  ${differing.join('\n  ')}`,
      );
      return 1;
    }
    console.log('synth --check: gitops/, argocd/ and charts/ match the code');
    return 0;
  }
  synthAll(root);
  console.log('synth: wrote gitops/, argocd/ and charts/hello-app');
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
