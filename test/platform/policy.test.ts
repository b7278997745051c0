// The platform's security and operability rules, one table row each, checked against every environment's
/* eslint-disable @typescript-eslint/no-explicit-any -- the rules read untyped YAML objects on purpose */
// committed objects. A violation names the environment's file, the object and the field.
import { join } from 'node:path';
import { COMMANDS, ENV, HTTP_PORT, LABELS, PATHS } from '../../contract/runtime';
import { ENVIRONMENT_NAMES, environment, type Environment } from '../../cdk8s/environments';
import { environmentObjects } from '../../cdk8s/environment-manifests';
import { FIXTURE_ENVIRONMENT } from '../support/environment-fixture';
import { RELEASE_RECORD_FILE } from '../../cdk8s/release-record';
import { GITOPS_SOURCE } from '../../cdk8s/gitops-source';
import { GUARD_FOLDER } from '../../cdk8s/guard-manifests';
import { GUARD_PLATFORM } from '../../cdk8s/guard-platform';
import { applicationName, migrationJobName, platformApplicationName, workloadName } from '../../cdk8s/names';
import { SYNC_WAVES } from '../../cdk8s/sync-order';
import { RELEASE_READER } from '../../cdk8s/constructs/release-reader-access';
import { readdirSync, readFileSync } from 'node:fs';
import { type Manifest, readManifests, ROOT } from './support/manifests';

type Obj = Manifest['object'];
type Any = Record<string, any>;
interface Ctx {
  readonly env: Environment;
  readonly objects: readonly Obj[];
  readonly release: string;
}
type Rule = (ctx: Ctx) => string[];

const id = (o: Obj) => `${o.kind} '${o.metadata.name}'`;
const find = (ctx: Ctx, kind: string, name?: string): Obj[] =>
  ctx.objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const one = (ctx: Ctx, kind: string, name?: string): Obj => {
  const found = find(ctx, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}`);
  return found[0]!;
};
const check = (cond: boolean, o: Obj, field: string, want: string): string[] =>
  cond ? [] : [`${id(o)}: field '${field}' ${want}`];
const podSpec = (o: Obj): Any => (o.spec as Any).template.spec;
const podTemplates = (ctx: Ctx) => [one(ctx, 'Deployment', workloadName()), one(ctx, 'Job', migrationJobName())];
const containersOf = (o: Obj): [string, Any][] => [
  ...((podSpec(o).initContainers ?? []) as Any[]).map((c, i): [string, Any] => [
    `spec.template.spec.initContainers[${i}]`,
    c,
  ]),
  ...(podSpec(o).containers as Any[]).map((c, i): [string, Any] => [`spec.template.spec.containers[${i}]`, c]),
];
const wave = (o: Obj) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

const RULES: Record<string, Rule> = {
  'the namespace enforces Pod Security restricted': (ctx) => {
    const ns = one(ctx, 'Namespace', ctx.env.namespace);
    return ['enforce', 'audit', 'warn'].flatMap((m) =>
      check(
        ns.metadata.labels?.[`pod-security.kubernetes.io/${m}`] === 'restricted',
        ns,
        `metadata.labels.pod-security.kubernetes.io/${m}`,
        "must be 'restricted'",
      ),
    );
  },
  'every namespaced object lives in the environment namespace': (ctx) =>
    ctx.objects
      .filter((o) => o.kind !== 'Namespace')
      .flatMap((o) =>
        check(o.metadata.namespace === ctx.env.namespace, o, 'metadata.namespace', `must be '${ctx.env.namespace}'`),
      ),
  'the ServiceAccount carries the IRSA role and mounts no token': (ctx) => {
    const sa = one(ctx, 'ServiceAccount');
    return [
      ...check(
        sa.metadata.annotations?.['eks.amazonaws.com/role-arn'] === ctx.env.aws.serviceAccountRoleArn,
        sa,
        'metadata.annotations.eks.amazonaws.com/role-arn',
        `must be '${ctx.env.aws.serviceAccountRoleArn}'`,
      ),
      ...check((sa as Any).automountServiceAccountToken === false, sa, 'automountServiceAccountToken', 'must be false'),
      ...podTemplates(ctx).flatMap((o) =>
        check(
          podSpec(o).automountServiceAccountToken === false,
          o,
          'spec.template.spec.automountServiceAccountToken',
          'must be false',
        ),
      ),
    ];
  },
  'the SecretStore reads AWS Secrets Manager through the service account': (ctx) => {
    const store = one(ctx, 'SecretStore');
    const aws = (store.spec as Any).provider.aws;
    return [
      ...check(
        aws.service === 'SecretsManager' && aws.region === ctx.env.aws.region,
        store,
        'spec.provider.aws',
        `must be SecretsManager in ${ctx.env.aws.region}`,
      ),
      ...check(
        aws.auth?.jwt?.serviceAccountRef?.name === one(ctx, 'ServiceAccount').metadata.name,
        store,
        'spec.provider.aws.auth.jwt.serviceAccountRef.name',
        'must name the IRSA ServiceAccount',
      ),
    ];
  },
  'the ExternalSecret builds the URL from the environment secret; no secret value in git': (ctx) => {
    const es = one(ctx, 'ExternalSecret');
    const spec = es.spec as Any;
    const url: string = Object.values(spec.target.template.data as Record<string, string>)[0]!;
    return [
      ...(spec.data as Any[]).flatMap((d, i) =>
        check(
          d.remoteRef.key === ctx.env.aws.databaseSecretName,
          es,
          `spec.data[${i}].remoteRef.key`,
          `must be '${ctx.env.aws.databaseSecretName}'`,
        ),
      ),
      ...check(
        /^postgresql:\/\/\{\{ \.username \| urlquery \}\}:\{\{ \.password \| urlquery \}\}@\{\{ \.host \}\}:\{\{ \.port \}\}\/\{\{ \.dbname \}\}\?sslmode=verify-full$/.test(
          url,
        ),
        es,
        'spec.target.template.data',
        "must build the URL from the RDS-attached secret's host, port, dbname, username and password, with sslmode=verify-full",
      ),
      ...ctx.objects.flatMap((o) =>
        check(o.kind !== 'Secret' && o.kind !== 'ConfigMap', o, 'kind', 'must not be a Secret or ConfigMap in git'),
      ),
    ];
  },
  'the migration Job runs migrate as a BeforeHookCreation hook with bounded retries and deadline': (ctx) => {
    const job = one(ctx, 'Job', migrationJobName());
    const a = job.metadata.annotations ?? {};
    const spec = job.spec as Any;
    return [
      ...check(
        ['PreSync', 'Sync'].includes(a['argocd.argoproj.io/hook']!),
        job,
        'metadata.annotations.argocd.argoproj.io/hook',
        'must be an Argo CD hook',
      ),
      ...check(
        a['argocd.argoproj.io/hook-delete-policy'] === 'BeforeHookCreation',
        job,
        'metadata.annotations.argocd.argoproj.io/hook-delete-policy',
        "must be 'BeforeHookCreation'",
      ),
      ...check(spec.backoffLimit >= 0 && spec.backoffLimit <= 6, job, 'spec.backoffLimit', 'must be 0..6'),
      ...check(
        spec.activeDeadlineSeconds > 0 && spec.activeDeadlineSeconds <= 3600,
        job,
        'spec.activeDeadlineSeconds',
        'must be set, at most 3600',
      ),
      ...check(
        JSON.stringify(podSpec(job).containers[0].args) === JSON.stringify(COMMANDS.migrate),
        job,
        'spec.template.spec.containers[0].args',
        `must be ${JSON.stringify(COMMANDS.migrate)}`,
      ),
    ];
  },
  'sync waves: secret before migration before workload': (ctx) => {
    const es = one(ctx, 'ExternalSecret');
    const job = one(ctx, 'Job', migrationJobName());
    const dep = one(ctx, 'Deployment', workloadName());
    return [
      ...check(
        wave(one(ctx, 'SecretStore')) < wave(es),
        es,
        'metadata.annotations.argocd.argoproj.io/sync-wave',
        'must come after the SecretStore',
      ),
      ...check(
        wave(es) < wave(job),
        job,
        'metadata.annotations.argocd.argoproj.io/sync-wave',
        'must come after the ExternalSecret',
      ),
      ...check(
        wave(job) < wave(dep),
        dep,
        'metadata.annotations.argocd.argoproj.io/sync-wave',
        'must come after the migration',
      ),
      // A PreSync hook would run before every wave, before the Secret exists on a first sync.
      ...check(
        job.metadata.annotations?.['argocd.argoproj.io/hook'] === 'Sync' || wave(es) === SYNC_WAVES.secret,
        job,
        'metadata.annotations.argocd.argoproj.io/hook',
        'must run inside the waves',
      ),
    ];
  },
  'the Deployment waits for migrations in an init container': (ctx) => {
    const dep = one(ctx, 'Deployment', workloadName());
    const init = (podSpec(dep).initContainers ?? []) as Any[];
    return check(
      init.some((c) => JSON.stringify(c.args) === JSON.stringify(COMMANDS.migrateCheck)),
      dep,
      'spec.template.spec.initContainers',
      `must run ${COMMANDS.migrateCheck.join(' ')}`,
    );
  },
  'probes: startup and liveness on /healthz, readiness on /readyz': (ctx) => {
    const dep = one(ctx, 'Deployment', workloadName());
    const c = podSpec(dep).containers[0];
    const f = 'spec.template.spec.containers[0]';
    return [
      ...check(
        c.startupProbe?.httpGet?.path === PATHS.health,
        dep,
        `${f}.startupProbe.httpGet.path`,
        `must be ${PATHS.health}`,
      ),
      ...check(
        c.livenessProbe?.httpGet?.path === PATHS.health,
        dep,
        `${f}.livenessProbe.httpGet.path`,
        `must be ${PATHS.health}`,
      ),
      ...check(
        c.readinessProbe?.httpGet?.path === PATHS.ready,
        dep,
        `${f}.readinessProbe.httpGet.path`,
        `must be ${PATHS.ready}`,
      ),
    ];
  },
  'every container is hardened and has requests and limits': (ctx) =>
    podTemplates(ctx).flatMap((o) => [
      ...check(
        podSpec(o).securityContext?.runAsNonRoot === true,
        o,
        'spec.template.spec.securityContext.runAsNonRoot',
        'must be true',
      ),
      ...check(
        podSpec(o).securityContext?.seccompProfile?.type === 'RuntimeDefault',
        o,
        'spec.template.spec.securityContext.seccompProfile.type',
        'must be RuntimeDefault',
      ),
      ...containersOf(o).flatMap(([f, c]) => [
        ...check(
          c.securityContext?.readOnlyRootFilesystem === true,
          o,
          `${f}.securityContext.readOnlyRootFilesystem`,
          'must be true',
        ),
        ...check(
          c.securityContext?.allowPrivilegeEscalation === false,
          o,
          `${f}.securityContext.allowPrivilegeEscalation`,
          'must be false',
        ),
        ...check(c.securityContext?.runAsNonRoot === true, o, `${f}.securityContext.runAsNonRoot`, 'must be true'),
        ...check(
          JSON.stringify(c.securityContext?.capabilities?.drop) === '["ALL"]',
          o,
          `${f}.securityContext.capabilities.drop`,
          'must be [ALL]',
        ),
        ...check(
          c.securityContext?.seccompProfile?.type === 'RuntimeDefault',
          o,
          `${f}.securityContext.seccompProfile.type`,
          'must be RuntimeDefault',
        ),
        ...['requests', 'limits'].flatMap((k) =>
          check(
            c.resources?.[k]?.cpu !== undefined && c.resources?.[k]?.memory !== undefined,
            o,
            `${f}.resources.${k}`,
            'must set cpu and memory',
          ),
        ),
      ]),
    ]),
  'the image is pinned, release labels and HELLO_RELEASE match the record': (ctx) =>
    podTemplates(ctx).flatMap((o) => [
      ...check(
        (o.spec as Any).template.metadata.labels[LABELS.release] === ctx.release,
        o,
        `spec.template.metadata.labels.${LABELS.release}`,
        `must be '${ctx.release}'`,
      ),
      ...containersOf(o).flatMap(([f, c]) => [
        ...check(
          /@sha256:[a-f0-9]{64}$|:[\w][\w.-]*$/.test(c.image) && !c.image.endsWith(':latest'),
          o,
          `${f}.image`,
          'must be pinned by digest or version tag',
        ),
        ...check(
          (c.env as Any[]).some((e) => e.name === ENV.release && e.value === ctx.release),
          o,
          `${f}.env.${ENV.release}`,
          `must be '${ctx.release}'`,
        ),
      ]),
    ]),
  'pods spread across zones and roll with zero unavailable': (ctx) => {
    const dep = one(ctx, 'Deployment', workloadName());
    const spec = dep.spec as Any;
    return [
      ...check(
        (podSpec(dep).topologySpreadConstraints ?? []).some(
          (t: Any) => t.topologyKey === 'topology.kubernetes.io/zone',
        ),
        dep,
        'spec.template.spec.topologySpreadConstraints',
        'must spread across topology.kubernetes.io/zone',
      ),
      ...check(
        spec.strategy?.rollingUpdate?.maxUnavailable === 0,
        dep,
        'spec.strategy.rollingUpdate.maxUnavailable',
        'must be 0',
      ),
      ...check(
        spec.replicas === undefined,
        dep,
        'spec.replicas',
        'must be unset (the HorizontalPodAutoscaler owns it)',
      ),
    ];
  },
  'the grace period covers the drain': (ctx) => {
    const dep = one(ctx, 'Deployment', workloadName());
    const drain = Number(
      (podSpec(dep).containers[0].env as Any[]).find((e) => e.name === ENV.shutdownGraceSeconds)?.value,
    );
    return check(
      podSpec(dep).terminationGracePeriodSeconds >= drain + 5,
      dep,
      'spec.template.spec.terminationGracePeriodSeconds',
      `must be at least ${ENV.shutdownGraceSeconds} (${drain}) + 5`,
    );
  },
  'Service, PodDisruptionBudget and HorizontalPodAutoscaler follow the settings': (ctx) => {
    const hpa = one(ctx, 'HorizontalPodAutoscaler');
    const pdb = one(ctx, 'PodDisruptionBudget');
    const svc = one(ctx, 'Service', workloadName());
    const h = hpa.spec as Any;
    return [
      ...check(
        h.minReplicas === ctx.env.replicas.min && h.maxReplicas === ctx.env.replicas.max,
        hpa,
        'spec.minReplicas/maxReplicas',
        `must be ${ctx.env.replicas.min}..${ctx.env.replicas.max}`,
      ),
      ...check(
        h.metrics[0].resource.target.averageUtilization === ctx.env.targetCpuUtilization,
        hpa,
        'spec.metrics[0].resource.target.averageUtilization',
        `must be ${ctx.env.targetCpuUtilization}`,
      ),
      ...check((pdb.spec as Any).maxUnavailable >= 1, pdb, 'spec.maxUnavailable', 'must allow at least one disruption'),
      ...check((svc.spec as Any).ports[0].port === HTTP_PORT, svc, 'spec.ports[0].port', `must be ${HTTP_PORT}`),
    ];
  },
  'an Ingress for the ALB exactly where the environment has a host': (ctx) => {
    const ingresses = find(ctx, 'Ingress');
    if (!ctx.env.ingressHost)
      return ingresses.flatMap((o) => check(false, o, 'kind', 'must not exist without an ingressHost'));
    const ing = one(ctx, 'Ingress');
    return [
      ...check((ing.spec as Any).ingressClassName === 'alb', ing, 'spec.ingressClassName', "must be 'alb'"),
      ...check(
        (ing.spec as Any).rules[0].host === ctx.env.ingressHost,
        ing,
        'spec.rules[0].host',
        `must be '${ctx.env.ingressHost}'`,
      ),
      ...check(
        JSON.stringify((ing.spec as Any).rules[0].http.paths.map((p: Any) => p.path)) ===
          JSON.stringify(['/hello', '/openapi.json', '/docs']),
        ing,
        'spec.rules[0].http.paths',
        'must route only /hello, /openapi.json and /docs: probes and /metrics stay inside the cluster',
      ),
    ];
  },
  'network policies: default deny; in only from the controller, monitoring and ALB subnets; out only to the database and DNS':
    (ctx) => {
      const policies = find(ctx, 'NetworkPolicy');
      const deny = policies.find(
        (p) =>
          JSON.stringify((p.spec as Any).podSelector) === '{}' && !(p.spec as Any).ingress && !(p.spec as Any).egress,
      );
      const out: string[] =
        deny && JSON.stringify((deny.spec as Any).policyTypes) === '["Ingress","Egress"]'
          ? []
          : ['NetworkPolicy (default deny): missing, or not denying both Ingress and Egress'];
      const allowedNs = new Set([
        ctx.env.cluster.ingressControllerNamespace,
        ctx.env.cluster.monitoringNamespace,
        ctx.env.cluster.dns.namespace,
      ]);
      const allowedCidrs = new Set([...ctx.env.aws.loadBalancerCidrs, ...ctx.env.aws.databaseCidrs]);
      for (const p of policies) {
        const spec = p.spec as Any;
        for (const [dir, peers] of [
          ['ingress', 'from'],
          ['egress', 'to'],
        ] as const) {
          (spec[dir] ?? []).forEach((rule: Any, i: number) => {
            out.push(
              ...check(
                Array.isArray(rule[peers]) && rule[peers].length > 0,
                p,
                `spec.${dir}[${i}].${peers}`,
                'must name its peers (empty means everyone)',
              ),
            );
            out.push(
              ...check(
                Array.isArray(rule.ports) && rule.ports.length > 0,
                p,
                `spec.${dir}[${i}].ports`,
                'must name its ports (empty means all)',
              ),
            );
            (rule[peers] ?? []).forEach((peer: Any, j: number) => {
              const f = `spec.${dir}[${i}].${peers}[${j}]`;
              if (peer.ipBlock)
                out.push(
                  ...check(
                    allowedCidrs.has(peer.ipBlock.cidr),
                    p,
                    `${f}.ipBlock.cidr`,
                    'must be a database or load balancer subnet',
                  ),
                );
              else
                out.push(
                  ...check(
                    allowedNs.has(peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']),
                    p,
                    `${f}.namespaceSelector`,
                    'must select the ingress controller, monitoring or DNS namespace',
                  ),
                );
            });
            const ports = (rule.ports ?? []).map((x: Any) => x.port);
            const allowedPorts = dir === 'ingress' ? [HTTP_PORT] : [ctx.env.aws.databasePort, 53];
            out.push(
              ...check(
                ports.every((x: number) => allowedPorts.includes(x)),
                p,
                `spec.${dir}[${i}].ports`,
                `must be within ${allowedPorts.join(', ')}`,
              ),
            );
          });
        }
      }
      const migrationPods = (one(ctx, 'Job', migrationJobName()).spec as Any).template.metadata.labels;
      const egressForJob = policies.filter(
        (p) =>
          (p.spec as Any).egress &&
          Object.entries((p.spec as Any).podSelector.matchLabels ?? {}).every(([k, v]) => migrationPods[k] === v),
      );
      if (egressForJob.length === 0)
        out.push(`Job '${migrationJobName()}': no NetworkPolicy lets it reach the database`);
      return out;
    },
  'the ServiceMonitor scrapes /metrics and keeps the namespace label': (ctx) => {
    const sm = one(ctx, 'ServiceMonitor');
    const spec = sm.spec as Any;
    return [
      ...check(spec.endpoints[0].path === PATHS.metrics, sm, 'spec.endpoints[0].path', `must be ${PATHS.metrics}`),
      ...check(
        !spec.endpoints.some(
          (e: Any) => e.honorLabels || JSON.stringify(e.relabelings ?? e.metricRelabelings ?? []).includes('namespace'),
        ),
        sm,
        'spec.endpoints',
        'must not drop or override the namespace label',
      ),
      ...check(
        Object.entries(ctx.env.cluster.monitoringSelectorLabels).every(([k, v]) => sm.metadata.labels?.[k] === v),
        sm,
        'metadata.labels',
        'must carry the Prometheus Operator selector labels',
      ),
    ];
  },
};

describe.each(ENVIRONMENT_NAMES)('%s', (name) => {
  const dir = join(ROOT, 'gitops', name);
  const record = JSON.parse(readFileSync(join(dir, RELEASE_RECORD_FILE), 'utf8')) as { current: { release: string } };
  const ctx: Ctx = {
    env: environment(name),
    objects: readManifests(dir).map((m) => m.object),
    release: record.current.release,
  };
  test.each(Object.keys(RULES))('%s', (rule) => {
    expect(RULES[rule]!(ctx)).toEqual([]);
  });
});

describe('argocd/', () => {
  const objects = readManifests(join(ROOT, 'argocd')).map((m) => m.object);
  const project = objects.find((o) => o.kind === 'AppProject')!;
  const projectSpec = project.spec as Any;
  const destinations = projectSpec.destinations as { server: string; namespace: string }[];
  const applications = objects.filter((o) => o.kind === 'Application');
  /** Every folder Argo CD must sync: each environment's, and the release guard's platform folder. */
  const synced: [string, string, string][] = [
    ...ENVIRONMENT_NAMES.map((n): [string, string, string] => [
      applicationName(n),
      `gitops/${n}`,
      environment(n).namespace,
    ]),
    [platformApplicationName(), `gitops/${GUARD_FOLDER}`, GUARD_PLATFORM.namespace],
  ];

  test("the AppProject admits only this repository, the environments' namespaces and the guard's, never Argo CD's own", () => {
    expect(projectSpec.sourceRepos).toHaveLength(1);
    expect(destinations.map((d) => d.namespace).sort()).toEqual(
      [...ENVIRONMENT_NAMES.map((n) => environment(n).namespace), GUARD_PLATFORM.namespace].sort(),
    );
    // A project that may deploy into Argo CD's namespace can rewrite Argo CD itself: it would be as good as admin.
    expect(destinations.map((d) => d.namespace)).not.toContain(GITOPS_SOURCE.argocdNamespace);
    // Cluster-scoped: the environments' Namespaces and the guard's ReleasePolicy CRD, nothing else.
    expect(projectSpec.clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace' },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
    ]);
  });

  test('every folder of gitops/ is synced by exactly one Application of the project', () => {
    const folders = readdirSync(join(ROOT, 'gitops'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `gitops/${d.name}`);
    expect(folders.sort()).toEqual(synced.map(([, path]) => path).sort());
    expect(applications.map((a) => (a.spec as Any).source.path).sort()).toEqual(folders.sort());
    expect(applications.every((a) => (a.spec as Any).project === project.metadata.name)).toBe(true);
  });

  test.each(synced)(
    'Application %s syncs %s automatically (prune, self-heal, retries with backoff) without the release record',
    (name, path, namespace) => {
      const app = applications.find((o) => o.metadata.name === name);
      expect(app).toBeDefined();
      const spec = app!.spec as Any;
      expect({
        path: spec.source.path,
        exclude: spec.source.directory.exclude,
        repo: spec.source.repoURL,
        ns: spec.destination.namespace,
      }).toEqual({
        path,
        exclude: RELEASE_RECORD_FILE,
        repo: projectSpec.sourceRepos[0],
        ns: namespace,
      });
      expect(spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(spec.syncPolicy.retry.limit).toBeGreaterThan(0);
      expect(spec.syncPolicy.retry.backoff.factor).toBeGreaterThan(1);
      expect((app!.metadata as Any).finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    },
  );

  test.each(synced)(
    'everything Application %s syncs lands where the AppProject admits it (else the sync fails)',
    (name) => {
      const spec = applications.find((o) => o.metadata.name === name)!.spec as Any;
      const admitted = (ns: string) =>
        destinations.some((d) => d.namespace === ns && d.server === spec.destination.server);
      const clusterScoped = (o: Obj) =>
        (projectSpec.clusterResourceWhitelist as Any[]).some(
          (w) => w.kind === o.kind && w.group === (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''),
        );
      const refused = readManifests(join(ROOT, spec.source.path as string))
        .map((m) => m.object)
        .filter((o) => (o.metadata.namespace === undefined ? !clusterScoped(o) : !admitted(o.metadata.namespace)))
        .map((o) => `${id(o)} in namespace '${o.metadata.namespace ?? '(cluster)'}'`);
      expect(refused).toEqual([]);
      expect(admitted(spec.destination.namespace as string)).toBe(true);
    },
  );

  test("the guard's access in Argo CD's namespace is applied with the AppProject, not synced: a read-only Role, its binding and argocd-cm's health-check key", () => {
    // The release jobs' read access to their Applications is test/platform/release-reader-access.test.ts's.
    const inArgoCd = objects.filter(
      (o) =>
        o.metadata.namespace === GITOPS_SOURCE.argocdNamespace &&
        !['AppProject', 'Application'].includes(o.kind) &&
        !o.metadata.name.startsWith(RELEASE_READER),
    );
    // Besides the Role and its binding, only argocd-cm's one key for the ReleasePolicy health check (applied server-side).
    expect(inArgoCd.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Role', 'RoleBinding']);
    expect(Object.keys((inArgoCd.find((o) => o.kind === 'ConfigMap') as Any).data as object)).toEqual([
      'resource.customizations.health.release.hello-app.dev_ReleasePolicy',
    ]);
    const rules = (inArgoCd.find((o) => o.kind === 'Role') as Any).rules as Any[];
    // Read only: the guard's Events go on its ReleasePolicies, in the environments' namespaces.
    expect(rules.flatMap((r) => r.verbs as string[]).sort()).toEqual(['get', 'list', 'watch']);
  });
});

describe('a broken object is reported with its name and field', () => {
  // The fixture environment's objects, synthesized here: the rules are checked apart from the live settings.
  const image = `${FIXTURE_ENVIRONMENT.aws.imageRepository}@sha256:${'c'.repeat(64)}`;
  const objects = environmentObjects(FIXTURE_ENVIRONMENT, { image, release: 'r1' }) as unknown as Obj[];
  const ctx: Ctx = { env: FIXTURE_ENVIRONMENT, objects, release: 'x' };
  const clean: Ctx = { ...ctx, objects: structuredClone(objects), release: 'r1' };

  test('the untouched fixture objects break no rule', () => {
    expect(Object.values(RULES).flatMap((rule) => rule(clean))).toEqual([]);
  });

  const dep = objects.find((o) => o.kind === 'Deployment')!;
  podSpec(dep).containers[0].securityContext.readOnlyRootFilesystem = false;
  (dep.spec as Any).strategy.rollingUpdate.maxUnavailable = 1;

  test.each([
    [
      'every container is hardened and has requests and limits',
      `Deployment 'hello-app': field 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem' must be true`,
    ],
    [
      'pods spread across zones and roll with zero unavailable',
      `Deployment 'hello-app': field 'spec.strategy.rollingUpdate.maxUnavailable' must be 0`,
    ],
    [
      'the image is pinned, release labels and HELLO_RELEASE match the record',
      `Deployment 'hello-app': field 'spec.template.metadata.labels.${LABELS.release}' must be 'x'`,
    ],
  ])('%s', (rule, message) => {
    expect(RULES[rule]!(ctx)).toContain(message);
  });
});
