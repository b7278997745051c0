// The Dockerfile keeps its promises (pinned base, the same build as CI, a bundled service without a node_modules
// tree, non-root, no secrets, the runtime contract's commands; a release target with git for the guard, which the
// guard's Deployment runs), .dockerignore keeps tests, manifests and secrets out, and the compose stack runs the
// image as Kubernetes does. scripts/image-test.sh builds and runs the image itself.
import { parse } from 'yaml';
import { TMP_MOUNT } from '../../cdk8s/constructs/pod-hardening';
import { registryHost } from '../../settings/derived';
import { SHARED_SETTINGS } from '../../settings/environments';
import { GUARD_FOLDER } from '../../cdk8s/guard-manifests';
import { GUARD_PLATFORM, RELEASE_IMAGE_REPOSITORY } from '../../cdk8s/guard-platform';
import { COMMANDS, RUN_AS } from '../../contract/runtime';
import { dockerIgnorePatterns, dockerIgnores, dockerInstructions, read, type Instruction } from './repo';

const dockerfile = read('Dockerfile');
const instructions = dockerInstructions(dockerfile);
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
const froms = instructions.filter((i) => i.keyword === 'FROM');
const stageNames = froms.map((f) => /\s+AS\s+(\S+)/i.exec(f.args)?.[1] ?? '');

/** The stages a target is built from, itself last: FROM <stage> inherits everything that stage holds. */
function chain(target: string): number[] {
  const stage = stageNames.indexOf(target);
  if (stage < 0) throw new Error(`the Dockerfile has no stage '${target}'`);
  const parent = stageNames.indexOf(baseOf(froms[stage]!.args));
  return parent >= 0 ? [...chain(stageNames[parent]!), stage] : [stage];
}
/** A target's instructions of one kind, its ancestors' first. */
const inTarget = (target: string, keyword: string) =>
  instructions.filter((i) => chain(target).includes(i.stage) && i.keyword === keyword);
/** What the image of a target runs with: the last ENTRYPOINT, CMD, USER… along its chain. */
const effective = (target: string, keyword: string) => inTarget(target, keyword).at(-1)?.args;
const json = (args: string | undefined) => (args === undefined ? undefined : (JSON.parse(args) as unknown));

const SERVICE = 'runtime';
const RELEASE = 'release';
const TARGETS = [SERVICE, RELEASE] as const;

describe('Dockerfile', () => {
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

  test('builds with the same npm commands as .ci/run, checks both entry points, then prunes dev dependencies', () => {
    const ci = read('.ci/run');
    const build = runs.join('\n');
    for (const command of ['npm ci', 'npm run build']) {
      expect(build).toContain(command);
      expect(ci).toContain(command);
    }
    expect(build).toContain('test -f dist/service/main.js');
    expect(build).toContain('test -f dist/release/main.js');
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(build.indexOf('npm run build')).toBeLessThan(build.indexOf('npm prune'));
  });

  test('one image family: the service and the release tool are targets on the same base, the service last (the default)', () => {
    expect(stageNames.at(-1)).toBe(SERVICE);
    const [service, release] = TARGETS.map(chain);
    const shared = service!.filter((s) => release!.includes(s));
    expect(shared.length).toBeGreaterThan(0);
    // Neither target is built on the build stage: its dev dependencies, sources and npm cache stay behind.
    for (const target of TARGETS) expect(chain(target)).not.toContain(stageNames.indexOf('build'));
  });

  test.each(TARGETS)(
    "%s runs as a numeric, non-root user: the runtime contract's user and group, which the manifests set (runAsUser)",
    (target) => {
      const users = inTarget(target, 'USER');
      expect(users).toHaveLength(1);
      const [uid, gid] = users[0]!.args.split(':');
      expect(uid).toMatch(/^[1-9]\d*$/);
      if (gid !== undefined) expect(gid).toMatch(/^[1-9]\d*$/);
      expect(effective(target, 'USER')).toBe(`${RUN_AS.uid}:${RUN_AS.gid}`);
    },
  );

  const copiedFrom = (target: string) => inTarget(target, 'COPY').map((c) => c.args.split(/\s+/));

  test.each(TARGETS)('%s only copies build output from the build stage, nothing from the context', (target) => {
    const copies = copiedFrom(target);
    expect(copies.length).toBeGreaterThan(0);
    for (const [from] of copies) expect(from).toBe('--from=build');
  });

  test('the service carries its bundle and no node_modules tree; the release tool the production dependencies', () => {
    const sources = (target: string) => copiedFrom(target).map((c) => c[1]);
    expect(sources(SERVICE)).toEqual(['/app/build/runtime']);
    expect(sources(RELEASE)).toEqual(expect.arrayContaining(['/app/node_modules', '/app/dist']));
    // The bundle is made while the build stage still has its dev dependencies (esbuild), before they are pruned.
    const build = runs.join('\n');
    expect(build.indexOf('npm run bundle')).toBeGreaterThan(build.indexOf('npm run build'));
    expect(build.indexOf('npm run bundle')).toBeLessThan(build.indexOf('npm prune'));
  });

  test('without DATABASE_URL the service keeps its embedded database under the /tmp mount the pods are given', () => {
    const dataDir = inTarget(SERVICE, 'ENV')
      .map((i) => /^DATA_DIR=(\S+)$/.exec(i.args)?.[1])
      .find((v) => v !== undefined);
    expect(dataDir?.startsWith(`${TMP_MOUNT.mountPath}/`)).toBe(true);
    // Owned by the image's user, so a volume mounted there (`docker run -v data:/tmp/hello-data`) is writable.
    const chown = inTarget(SERVICE, 'RUN').find((i) => i.args.includes('$DATA_DIR'))?.args;
    expect(chown).toContain(`chown ${effective(SERVICE, 'USER')} "$DATA_DIR"`);
  });

  test('npm trusts the optional npm-ca build secret in the build stage only, and nothing bakes it into a layer', () => {
    const mounting = instructions.filter((i) => i.keyword === 'RUN' && i.args.includes('type=secret'));
    expect(mounting.length).toBeGreaterThan(0);
    for (const run of mounting) {
      expect(stageNames[run.stage]).toBe('build');
      expect(run.args).toMatch(/--mount=type=secret,id=npm-ca,required=false\s/);
      expect(run.args).not.toMatch(/\b(cp|cat|tee|mv)\b[^&]*\/run\/secrets/);
    }
  });

  test('copies no secrets and bakes none into the image', () => {
    const copied = instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map((i) => i.args);
    for (const c of copied) expect(c).not.toMatch(/\.env\b|\.npmrc|\.pem\b|\.key\b|id_rsa|credentials|kubeconfig/i);
    const settings = instructions.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG').map((i) => i.args);
    for (const s of settings) expect(s).not.toMatch(/(TOKEN|PASSWORD|SECRET|API_KEY|DATABASE_URL)\s*=/i);
  });

  test('the service serves by default, offers the runtime contract commands, and installs no packages', () => {
    expect(json(effective(SERVICE, 'ENTRYPOINT'))).toEqual(['node', 'dist/service/main.js']);
    expect(json(effective(SERVICE, 'CMD'))).toEqual([...COMMANDS.serve]);
    expect(dockerfile).toContain(`docker run IMAGE ${COMMANDS.migrate.join(' ')}`);
    expect(inTarget(SERVICE, 'EXPOSE').map((i) => i.args)).toEqual(['8080']);
    expect(
      inTarget(SERVICE, 'RUN')
        .map((i) => i.args)
        .join('\n'),
    ).not.toMatch(/apt-get/);
  });

  test("the release target runs the release tool (package.json's bin), the guard by default", () => {
    const bins = Object.values((JSON.parse(read('package.json')) as { bin: Record<string, string> }).bin);
    expect(bins).toHaveLength(1);
    expect(json(effective(RELEASE, 'ENTRYPOINT'))).toEqual(['node', bins[0]]);
    expect(json(effective(RELEASE, 'CMD'))).toEqual(['guard']);
    // A probe for the service's port would mark every guard container unhealthy.
    expect(inTarget(RELEASE, 'HEALTHCHECK')).toEqual([]);
  });

  test("the release target adds Debian's git and CA certificates with apt, without recommends or package lists", () => {
    const apt = inTarget(RELEASE, 'RUN')
      .map((i) => i.args)
      .filter((r) => r.includes('apt-get'));
    expect(apt).toHaveLength(1);
    expect(apt[0]).toMatch(
      /^apt-get update && apt-get install --yes --no-install-recommends git ca-certificates && rm -rf \/var\/lib\/apt\/lists\/\*$/,
    );
    // Installed as root, before the image drops to the non-root user.
    const at = (i: Instruction | undefined) => instructions.indexOf(i!);
    expect(at(inTarget(RELEASE, 'RUN').find((i) => i.args.includes('apt-get')))).toBeLessThan(
      at(inTarget(RELEASE, 'USER')[0]),
    );
  });

  test('git needs no writes outside /tmp on a read-only root: HOME is the /tmp mount the manifests give', () => {
    expect(inTarget(RELEASE, 'ENV').map((i) => i.args)).toContain(`HOME=${TMP_MOUNT.mountPath}`);
  });

  test("the guard's Deployment runs the release target from hello-release in the service's registry, pinned by digest", () => {
    const deployment = parse(read(`gitops/${GUARD_FOLDER}/deployment-${GUARD_PLATFORM.name}.yaml`)) as {
      spec: {
        template: {
          spec: {
            containers: {
              image: string;
              command?: string[];
              args: string[];
              env: { name: string; value?: string }[];
              volumeMounts: { mountPath: string }[];
            }[];
          };
        };
      };
    };
    const c = deployment.spec.template.spec.containers[0]!;
    // No command: the image's ENTRYPOINT runs the release tool, and the arguments start with the target's CMD.
    expect(c.command).toBeUndefined();
    expect(c.args[0]).toBe((json(effective(RELEASE, 'CMD')) as string[])[0]);
    const registry = registryHost(SHARED_SETTINGS);
    expect(c.image).toMatch(
      new RegExp(`^${registry.replace(/\./g, '\\.')}/${RELEASE_IMAGE_REPOSITORY}@sha256:[0-9a-f]{64}$`),
    );
    expect(c.image).toBe(GUARD_PLATFORM.image);
    expect(c.volumeMounts.map((m) => m.mountPath)).toContain(TMP_MOUNT.mountPath);
  });
});

describe('.dockerignore', () => {
  const patterns = dockerIgnorePatterns(read('.dockerignore'));

  test.each([
    '.git/HEAD',
    '.github/workflows/ci.yml',
    'node_modules/express/package.json',
    'dist/service/main.js',
    'build/runtime/dist/service/main.js',
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
    'scripts/bundle-service.sh',
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
