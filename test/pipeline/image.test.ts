// The Dockerfile keeps its promises (pinned base, the same build as CI, pruned, non-root, no secrets, the runtime
// contract's commands), .dockerignore keeps tests, manifests and secrets out, and the compose stack runs the image
// as Kubernetes does.
import { parse } from 'yaml';
import { DEFAULT_RUN_AS_USER } from '../../cdk8s/constructs/pod-hardening';
import { COMMANDS } from '../../contract/runtime';
import { dockerIgnorePatterns, dockerIgnores, dockerInstructions, read } from './repo';

const dockerfile = read('Dockerfile');
const instructions = dockerInstructions(dockerfile);
const finalStage = Math.max(...instructions.map((i) => i.stage));
const inFinal = (keyword: string) => instructions.filter((i) => i.stage === finalStage && i.keyword === keyword);
const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const globalArgs = new Map(
  instructions
    .filter((i) => i.stage === -1 && i.keyword === 'ARG')
    .map((i) => {
      const [name = '', value = ''] = i.args.split('=');
      return [name, value] as const;
    }),
);
/** A FROM's image with global ARGs substituted; stage names (FROM build) stay as they are. */
const baseOf = (args: string) =>
  args
    .split(/\s+/)[0]!
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a?: string, b?: string) => globalArgs.get((a ?? b)!) ?? '');

describe('Dockerfile', () => {
  const froms = instructions.filter((i) => i.keyword === 'FROM');
  const stageNames = froms.flatMap((f) => /\s+AS\s+(\S+)/i.exec(f.args)?.[1] ?? []);

  test('is multi-stage and every external base is the official Node 24 image pinned by digest', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      const base = baseOf(from.args);
      if (stageNames.includes(base)) continue;
      expect(base).toMatch(/^node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
    }
  });

  test('says how to refresh the pinned digest', () => {
    expect(dockerfile).toMatch(/docker buildx imagetools inspect node:24/);
  });

  test('builds with the same npm commands as .ci/run, then prunes dev dependencies', () => {
    const ci = read('.ci/run');
    const build = runs.join('\n');
    for (const command of ['npm ci', 'npm run build']) {
      expect(build).toContain(command);
      expect(ci).toContain(command);
    }
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(build.indexOf('npm run build')).toBeLessThan(build.indexOf('npm prune'));
  });

  test('runs as a numeric, non-root user in the final stage', () => {
    const users = inFinal('USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0]!.args.split(':');
    expect(Number(uid)).toBeGreaterThan(0);
    expect(uid).toMatch(/^\d+$/);
    if (gid !== undefined) expect(gid).toMatch(/^[1-9]\d*$/);
  });

  test('runs as the same user id the Kubernetes manifests set (runAsUser)', () => {
    expect(inFinal('USER').map((u) => u.args)).toEqual([`${DEFAULT_RUN_AS_USER}:${DEFAULT_RUN_AS_USER}`]);
  });

  test('the final stage only copies build output from the build stage, nothing from the context', () => {
    const copies = inFinal('COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) expect(c.args).toMatch(/^--from=\w+\s/);
    expect(copies.map((c) => c.args.split(/\s+/)[1])).toEqual(
      expect.arrayContaining(['/app/node_modules', '/app/dist', '/app/prisma/migrations']),
    );
  });

  test('copies no secrets and bakes none into the image', () => {
    const copied = instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map((i) => i.args);
    for (const c of copied) expect(c).not.toMatch(/\.env\b|\.npmrc|\.pem\b|\.key\b|id_rsa|credentials|kubeconfig/i);
    const settings = instructions.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG').map((i) => i.args);
    for (const s of settings) expect(s).not.toMatch(/(TOKEN|PASSWORD|SECRET|API_KEY|DATABASE_URL)\s*=/i);
  });

  test('serves by default and offers the runtime contract commands', () => {
    expect(inFinal('ENTRYPOINT').map((i) => JSON.parse(i.args) as unknown)).toEqual([['node', 'dist/service/main.js']]);
    expect(inFinal('CMD').map((i) => JSON.parse(i.args) as unknown)).toEqual([[...COMMANDS.serve]]);
    expect(dockerfile).toContain(`docker run IMAGE ${COMMANDS.migrate.join(' ')}`);
    expect(inFinal('EXPOSE').map((i) => i.args)).toEqual(['8080']);
  });
});

describe('.dockerignore', () => {
  const patterns = dockerIgnorePatterns(read('.dockerignore'));

  test.each([
    '.git/HEAD',
    '.github/workflows/ci.yml',
    'node_modules/express/package.json',
    'dist/service/main.js',
    'test/support/database.ts',
    'service/birthday.test.ts',
    'gitops/dev/deployment.yaml',
    'charts/hello-app/values.yaml',
    'argocd/applications.yaml',
    '.data/pglite/PG_VERSION',
    '.env',
    '.env.local',
    'service/.env',
    '.npmrc',
    'deploy/tls.key',
    'service/tls.key',
    'cdk8s/.env',
    'release/id_rsa',
    'prisma/generated/client.ts',
  ])('keeps %s out of the build context', (file) => {
    expect(dockerIgnores(patterns, file)).toBe(true);
  });

  test.each([
    'package.json',
    'package-lock.json',
    'prisma.config.ts',
    'tsconfig.json',
    'tsconfig.build.json',
    'scripts/generate-prisma-client.sh',
    'prisma/schema.prisma',
    'prisma/migrations/20250101000000_init/migration.sql',
    'contract/runtime.ts',
    'service/main.ts',
    'cdk8s/environments.ts',
    'cdk8s/constructs/external-secret.ts',
    'release/cli.ts',
    'release/gitops/workspace.ts',
    'release/cluster/kubeconfig.ts',
    'service/secrets-free.ts',
  ])('lets the build see %s', (file) => {
    expect(dockerIgnores(patterns, file)).toBe(false);
  });
});

describe('docker-compose.yml', () => {
  interface Service {
    image?: string;
    command?: string[];
    read_only?: boolean;
    tmpfs?: string[];
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    volumes?: string[];
  }
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
  const s = compose.services;

  test('runs PostgreSQL, a one-shot migration, the API after it, and Prometheus', () => {
    expect(Object.keys(s).sort()).toEqual(['api', 'migrate', 'postgres', 'prometheus']);
    expect(s.migrate?.command).toEqual([...COMMANDS.migrate]);
    expect(s.migrate?.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(s.api?.command).toEqual([...COMMANDS.serve]);
    expect(s.api?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
  });

  test('runs the app containers with a read-only root filesystem and a tmpfs /tmp', () => {
    for (const name of ['api', 'migrate']) {
      expect(s[name]).toMatchObject({ read_only: true, tmpfs: ['/tmp'] });
      expect(s[name]?.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
    }
  });

  test("Prometheus scrapes the API's /metrics", () => {
    const mount = s.prometheus?.volumes?.find((v) => v.endsWith(':/etc/prometheus/prometheus.yml:ro'));
    expect(mount).toBeDefined();
    const config = parse(read(mount!.split(':')[0]!.replace(/^\.\//, ''))) as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    expect(config.scrape_configs[0]).toMatchObject({
      metrics_path: '/metrics',
      static_configs: [{ targets: ['api:8080'] }],
    });
  });
});
