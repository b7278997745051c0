// `npm run infra:synth` writes the CloudFormation templates to infra/templates/ (committed, so reviewers see every
// AWS change); `npm run infra:synth -- --check` writes nothing and fails naming each template that differs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { diffFileSet, writeFileSet, type FileSet } from '../cdk8s/manifest-files';
import { buildApp } from './app';

export const TEMPLATES_DIR = 'infra/templates';

/** Every stack's template, as `<stack name>.template.json`, from one synthesis (nag and validation included). */
export function templateFiles(): FileSet {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-synth-'));
  try {
    const { app } = buildApp(undefined, undefined, outdir);
    const assembly = app.synth();
    const files: FileSet = new Map();
    for (const stack of assembly.stacks) {
      files.set(`${stack.stackName}.template.json`, readFileSync(join(outdir, stack.templateFile), 'utf8') + '\n');
    }
    return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const ownsTemplates = (rel: string) => !rel.includes('/') && rel.endsWith('.template.json');

/** The template files under `dir` that differ from `files`: changed, missing, or left from a stack now gone. */
export function checkTemplates(dir: string, files: FileSet): string[] {
  return diffFileSet(dir, files, ownsTemplates);
}

function main(argv: readonly string[]): number {
  const dir = resolve(__dirname, '..', TEMPLATES_DIR);
  const files = templateFiles();
  if (argv.includes('--check')) {
    const differing = checkTemplates(dir, files);
    if (differing.length > 0) {
      console.error(
        `infra:synth --check: templates are out of date (run \`npm run infra:synth\` and commit):\n  ${differing.join('\n  ')}`,
      );
      return 1;
    }
    console.log(`infra:synth --check: ${TEMPLATES_DIR}/ matches the code`);
    return 0;
  }
  writeFileSet(dir, files, ownsTemplates);
  console.log(`infra:synth: wrote ${files.size} templates to ${TEMPLATES_DIR}/`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
