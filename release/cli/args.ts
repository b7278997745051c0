// The command line, parsed once into a typed command: unknown options are rejected, values are validated with
// the same schemas the steps use, and a bad argument names itself.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { durationSchema, ENVIRONMENT_NAMES, ENVIRONMENTS, sloSchema } from '../../cdk8s/environments';
import { actorSchema, imageSchema, reasonSchema, versionSchema } from '../../cdk8s/release-record';
import { branchNameSchema, gitopsSourceSchema } from '../gitops/repository-names';

export const USAGE = `usage: release <command> [options]
  deploy   --env dev --image <repository>@sha256:<digest> [--version <tag>]
  verify   --env <env> [--prometheus-url <url>] [--window 2m] [--interval 20s] [--min-samples N]
           [--cluster-timeout 10m] [--poll 5s]
  promote  --from <env> --to <env>
  rollback --env <env> [--to <image>] --reason "<text>"
  status
  guard    --gitops <path|url> --prometheus-url <url> [options]   the in-cluster operator: re-checks live
           releases with the same gates and rolls back through git (release guard --help)
  help     this text (also --help, -h)
common:    [--gitops <path|url>] [--branch <name>] [--json] [--actor <who>]
exit codes: 0 passed/done, 1 a gate failed or the action was refused, 2 the tool could not decide or the command
            line is wrong (never 1: a typo must not read as a failed gate, which rolls back)`;

/** The command that runs the guard, with options of its own (release/guard/guard-args.ts). */
export const GUARD_COMMAND = 'guard';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** This repository's gitops/ folder: the default target. */
export const DEFAULT_GITOPS = resolve(__dirname, '../../gitops');

const env = z.enum(ENVIRONMENT_NAMES);
const duration = durationSchema;
const common = {
  gitops: gitopsSourceSchema.default(DEFAULT_GITOPS),
  branch: branchNameSchema.optional(),
  json: z.boolean().default(false),
  actor: actorSchema.optional(),
};

const command = z.discriminatedUnion('command', [
  z.strictObject({
    command: z.literal('deploy'),
    env: z.literal('dev', { error: "deploy takes builds into dev only; other environments get images with 'promote'" }),
    image: imageSchema,
    version: versionSchema.optional(),
    ...common,
  }),
  z.strictObject({
    command: z.literal('verify'),
    env,
    prometheusUrl: z.url({ error: 'a URL such as http://prometheus:9090 (--prometheus-url or PROMETHEUS_URL)' }),
    window: duration.optional(),
    interval: duration.optional(),
    minSamples: z.coerce.number().int().min(1).max(100).optional(),
    clusterTimeout: duration.default('10m'),
    poll: duration.default('5s'),
    ...common,
  }),
  z.strictObject({ command: z.literal('promote'), from: env, to: env, ...common }),
  z.strictObject({
    command: z.literal('rollback'),
    env,
    to: imageSchema.optional(),
    reason: reasonSchema.pipe(z.string().min(1, 'give the reason for the rollback')),
    ...common,
  }),
  z.strictObject({ command: z.literal('status'), ...common }),
  z.strictObject({ command: z.literal('help') }),
]);
export type Command = z.infer<typeof command>;
export const COMMAND_NAMES: readonly string[] = command.options.map((o) => o.shape.command.value);

const STRING_OPTIONS = [
  'env',
  'image',
  'version',
  'prometheus-url',
  'window',
  'interval',
  'min-samples',
  'cluster-timeout',
  'poll',
  'from',
  'to',
  'reason',
  'gitops',
  'branch',
  'actor',
] as const;
const OPTIONS: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
  ...Object.fromEntries(STRING_OPTIONS.map((o) => [o, { type: 'string' as const }])),
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function parseCommand(argv: readonly string[], environment: NodeJS.ProcessEnv = process.env): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // Asking for help is never an error, whatever else the command line holds.
  if (parsed.values.help === true) return { command: 'help' };
  const [name, ...extra] = parsed.positionals;
  if (!name) throw new UsageError('no command given');
  if (!COMMAND_NAMES.includes(name)) throw new UsageError(`unknown command '${name}'`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const values: Record<string, unknown> = { command: name };
  for (const [k, v] of Object.entries(parsed.values)) values[camel(k)] = v;
  if (name === 'verify' && values.prometheusUrl === undefined && environment.PROMETHEUS_URL)
    values.prometheusUrl = environment.PROMETHEUS_URL;
  if (values.actor === undefined && environment.GITHUB_ACTIONS)
    values.actor = `github-actions ${environment.GITHUB_REPOSITORY ?? ''} run ${environment.GITHUB_RUN_ID ?? ''} by ${environment.GITHUB_ACTOR ?? ''}`;
  const result = command.safeParse(values);
  if (!result.success) {
    throw new UsageError(
      result.error.issues
        .map((i) =>
          i.path.length
            ? `--${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`
            : i.message,
        )
        .join('\n'),
    );
  }
  if (result.data.command === 'verify') checkSlo(result.data);
  return result.data;
}

/** verify's window options replace parts of the environment's SLO: together they must still make a valid one. */
function checkSlo(cmd: Extract<Command, { command: 'verify' }>): void {
  const overrides = {
    ...(cmd.window ? { window: cmd.window } : {}),
    ...(cmd.interval ? { interval: cmd.interval } : {}),
    ...(cmd.minSamples ? { minSamples: cmd.minSamples } : {}),
  };
  const slo = sloSchema.safeParse({ ...ENVIRONMENTS[cmd.env].slo, ...overrides });
  if (!slo.success)
    throw new UsageError(
      slo.error.issues
        .map(
          (i) =>
            `--${String(i.path[0] ?? 'window').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message} (${cmd.env}'s window is ${overrides.window ?? ENVIRONMENTS[cmd.env].slo.window})`,
        )
        .join('\n'),
    );
}
