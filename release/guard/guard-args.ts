// `release guard` options: flags first, then the environment the Deployment sets (cdk8s/guard-platform.ts), then
// the platform's defaults. Invalid input throws one message per bad option, naming it.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { GUARD_ENV, GUARD_PLATFORM } from '../../cdk8s/guard-platform';
import { durationMs, guardSettingsSchema, type GuardSettings } from './guard-settings';

export const GUARD_USAGE = `usage: release guard --gitops <path|url> --prometheus-url <url> [options]
  re-checks each environment's live release against its SLO with verify's gates; after --failures failed
  evaluations in a row, commits a rollback to the last verified image. Only the Lease holder acts.
  --help, -h               this text
  --env dev,staging,prod   environments to watch (default: all)
  --interval 30s           time between evaluations of one environment
  --failures 3             consecutive failed evaluations that make a rollback
  --window 2m --slo-interval 20s --min-samples 3   replace parts of the environments' SLO
  --lease-namespace ns --lease-name name --identity id
  --lease-duration 15s --renew-deadline 10s --retry-period 2s
  --port 8081 (0: any free port) --branch <name>
environment: ${Object.values(GUARD_ENV).join(', ')}`;

/** What a command line asks for: the guard with its settings, or its usage. */
export type GuardInvocation = { readonly help: true } | GuardCommand;

export interface GuardCommand {
  readonly settings: GuardSettings;
  readonly prometheusUrl: string;
  readonly gitops: string;
  readonly branch?: string;
  readonly port: number;
}

const OPTIONS = [
  'env',
  'interval',
  'failures',
  'window',
  'slo-interval',
  'min-samples',
  'lease-namespace',
  'lease-name',
  'identity',
  'lease-duration',
  'renew-deadline',
  'retry-period',
  'port',
  'branch',
  'gitops',
  'prometheus-url',
] as const;

const PARSE_OPTIONS = {
  ...(Object.fromEntries(OPTIONS.map((o) => [o, { type: 'string' }])) as Record<
    (typeof OPTIONS)[number],
    { type: 'string' }
  >),
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseGuardCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): GuardInvocation {
  const { values: v, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: PARSE_OPTIONS,
  });
  // Asking for help is never an error, whatever else the command line holds.
  if (v.help === true) return { help: true };
  if (positionals.length) throw new Error(`unexpected argument '${positionals[0]}'`);
  const s = (k: (typeof OPTIONS)[number]) => v[k];
  const ms = (k: (typeof OPTIONS)[number], fallback: number) => {
    const raw = s(k);
    if (raw === undefined) return fallback;
    try {
      return durationMs(raw);
    } catch (e) {
      throw new Error(`--${k}: ${(e as Error).message}`, { cause: e });
    }
  };
  const num = (k: (typeof OPTIONS)[number], fallback: number) => (s(k) === undefined ? fallback : Number(s(k)));
  const p = GUARD_PLATFORM;
  const leaseMs = ms('lease-duration', p.lease.durationSeconds * 1000);
  const candidate = {
    environments: (s('env') ?? ENVIRONMENT_NAMES.join(',')).split(',').map((e) => e.trim()),
    intervalMs: ms('interval', p.intervalSeconds * 1000),
    failuresToRollback: num('failures', p.failuresToRollback),
    slo: {
      ...(s('window') ? { window: s('window') } : {}),
      ...(s('slo-interval') ? { interval: s('slo-interval') } : {}),
      ...(s('min-samples') ? { minSamples: Number(s('min-samples')) } : {}),
    },
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
      gitops: z.string().min(1, 'a gitops repository path or URL (--gitops or GITOPS_REPOSITORY)'),
      port: z.number().int().min(0).max(65535),
    })
    .safeParse({
      prometheusUrl: s('prometheus-url') ?? env[GUARD_ENV.prometheusUrl],
      gitops: s('gitops') ?? env[GUARD_ENV.gitops] ?? '',
      port: num('port', p.port),
    });
  const issues = [...(settings.success ? [] : settings.error.issues), ...(rest.success ? [] : rest.error.issues)];
  if (issues.length || !settings.success || !rest.success)
    throw new Error(issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'));
  return { settings: settings.data, ...rest.data, ...(s('branch') ? { branch: s('branch')! } : {}) };
}
