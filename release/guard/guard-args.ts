// `release guard` options: flags first, then the environment the Deployment sets (cdk8s/guard-platform.ts), then
// the platform's defaults. Invalid input throws one line per bad option, naming the flag, before anything starts:
// a guard started with a value it cannot use would run blind.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { GUARD_PLATFORM } from '../../cdk8s/guard-platform';
import { durationMs } from '../../contract/duration';
import { GUARD_ENV } from '../../contract/guard';
import { branchNameSchema, gitopsSourceSchema } from '../gitops/repository-names';
import { guardSettingsSchema, type GuardSettings } from './guard-settings';

/** Where /metrics, /healthz and /readyz listen unless told otherwise: every interface, as the kubelet's probes and
 * Prometheus reach the pod by its IP. */
export const DEFAULT_METRICS_ADDRESS = '0.0.0.0';

const p = GUARD_PLATFORM;
export const GUARD_USAGE = `usage: release guard --gitops <path|url> --prometheus-url <url> [options]
  reconciles each watched environment's ReleasePolicy: re-checks the live release against the policy's gates
  every spec.interval, writes what it saw to the policy's status, and after spec.rollback.afterFailedEvaluations
  failed evaluations in a row commits a rollback to the last verified image. Only the Lease holder acts.
  The policy (thresholds, window, counting rules, interval, suspend) lives in the ReleasePolicy, not in flags.
  --help, -h                  this text
  --env ${ENVIRONMENT_NAMES.join(',')}      environments whose namespaces to watch for ReleasePolicies (default: all)
  --lease-namespace ${p.namespace} --lease-name ${p.name} --identity <pod name>
  --lease-duration ${p.lease.durationSeconds}s --renew-deadline ${p.lease.renewDeadlineSeconds}s --retry-period ${p.lease.retryPeriodSeconds}s
  --port ${p.port} (0: any free port) --metrics-address ${DEFAULT_METRICS_ADDRESS} (127.0.0.1: this host only)
  --branch <name>
durations: 500ms, 30s, 5m, 1h
environment: ${Object.values(GUARD_ENV).join(', ')}`;

/** What a command line asks for: the guard with its settings, or its usage. */
export type GuardInvocation = { readonly help: true } | GuardCommand;

export interface GuardCommand {
  readonly settings: GuardSettings;
  readonly prometheusUrl: string;
  readonly gitops: string;
  readonly branch?: string;
  readonly port: number;
  /** The address /metrics, /healthz and /readyz bind to. */
  readonly metricsAddress: string;
}

const OPTIONS = [
  'env',
  'lease-namespace',
  'lease-name',
  'identity',
  'lease-duration',
  'renew-deadline',
  'retry-period',
  'port',
  'metrics-address',
  'branch',
  'gitops',
  'prometheus-url',
] as const;
type Option = (typeof OPTIONS)[number];

const PARSE_OPTIONS = {
  ...(Object.fromEntries(OPTIONS.map((o) => [o, { type: 'string' }])) as Record<Option, { type: 'string' }>),
  help: { type: 'boolean', short: 'h' },
} as const;

/** The flag behind each validated field, so an error names what the person typed. */
const FLAG_OF: Readonly<Record<string, Option>> = {
  environments: 'env',
  'lease.namespace': 'lease-namespace',
  'lease.name': 'lease-name',
  'lease.identity': 'identity',
  'lease.leaseDurationSeconds': 'lease-duration',
  'lease.renewDeadlineMs': 'renew-deadline',
  'lease.retryPeriodMs': 'retry-period',
  prometheusUrl: 'prometheus-url',
  gitops: 'gitops',
  branch: 'branch',
  port: 'port',
  metricsAddress: 'metrics-address',
};

function flagOf(path: readonly PropertyKey[]): string {
  const keys = path.map(String);
  for (let n = keys.length; n > 0; n -= 1) {
    const flag = FLAG_OF[keys.slice(0, n).join('.')];
    if (flag) return `--${flag}`;
  }
  return keys.join('.') || '(options)';
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: PARSE_OPTIONS });
  } catch (e) {
    // node's message goes on to explain `--`; the first sentence names the option, which is what matters.
    throw new Error((e as Error).message.split('. ')[0]!.replace(/^Unknown option/, 'unknown option'), { cause: e });
  }
}

export function parseGuardCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): GuardInvocation {
  const { values: v, positionals } = parseFlags(argv);
  // Asking for help is never an error, whatever else the command line holds.
  if (v.help === true) return { help: true };
  if (positionals.length) throw new Error(`unexpected argument '${positionals[0]}'`);
  const s = (k: Option) => v[k];
  const invalid = (k: Option, e: unknown) => new Error(`--${k}: ${(e as Error).message}`, { cause: e });
  const ms = (k: Option, fallback: number) => {
    const raw = s(k);
    if (raw === undefined) return fallback;
    try {
      return durationMs(raw);
    } catch (e) {
      throw invalid(k, e);
    }
  };
  const num = (k: Option, fallback: number) => (s(k) === undefined ? fallback : Number(s(k)));
  const leaseMs = ms('lease-duration', p.lease.durationSeconds * 1000);
  const candidate = {
    environments: (s('env') ?? ENVIRONMENT_NAMES.join(',')).split(',').map((e) => e.trim()),
    lease: {
      namespace: s('lease-namespace') ?? env[GUARD_ENV.podNamespace] ?? p.namespace,
      name: s('lease-name') ?? p.name,
      identity: s('identity') ?? env[GUARD_ENV.podName] ?? `${hostname()}-${process.pid}`,
      leaseDurationSeconds: leaseMs / 1000,
      renewDeadlineMs: ms('renew-deadline', p.lease.renewDeadlineSeconds * 1000),
      retryPeriodMs: ms('retry-period', p.lease.retryPeriodSeconds * 1000),
    },
  };
  const settings = guardSettingsSchema.safeParse(candidate);
  const rest = z
    .strictObject({
      prometheusUrl: z.url({ error: 'a URL such as http://prometheus:9090 (--prometheus-url or PROMETHEUS_URL)' }),
      gitops: z
        .string()
        .min(1, 'a gitops repository path or URL (--gitops or GITOPS_REPOSITORY)')
        .pipe(gitopsSourceSchema),
      branch: branchNameSchema.optional(),
      port: z.number().int().min(0).max(65535),
      metricsAddress: z.union([z.ipv4(), z.ipv6()], { error: 'an IP address such as 0.0.0.0 or 127.0.0.1' }),
    })
    .safeParse({
      prometheusUrl: s('prometheus-url') ?? env[GUARD_ENV.prometheusUrl],
      gitops: s('gitops') ?? env[GUARD_ENV.gitops] ?? '',
      branch: s('branch'),
      port: num('port', p.port),
      metricsAddress: s('metrics-address') ?? DEFAULT_METRICS_ADDRESS,
    });
  const issues = [...(settings.success ? [] : settings.error.issues), ...(rest.success ? [] : rest.error.issues)];
  if (issues.length || !settings.success || !rest.success)
    throw new Error(issues.map((i) => `${flagOf(i.path)}: ${i.message}`).join('\n'));
  const { branch, ...parsed } = rest.data;
  return { settings: settings.data, ...parsed, ...(branch ? { branch } : {}) };
}
