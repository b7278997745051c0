// The service's configuration: environment variables validated once at startup; a bad value stops the process
// with one line naming the variable (and never echoing its value, which may be a secret).
import { z } from 'zod';
import { DRAIN_SECONDS, ENV, HTTP_PORT } from '../contract/runtime';
import { isKnownTimeZone, TIME_ZONE_FORMAT } from '../contract/time-zone';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimitsOptions } from './connection-limits';
import { LOG_LEVELS, type LogLevel } from './logger';
import { DEFAULT_TIMEOUTS, type ServerTimeouts } from './server';

export interface Config {
  /** Unset: the embedded database under `dataDir`. */
  readonly databaseUrl?: string;
  readonly port: number;
  readonly timeZone: string;
  readonly logLevel: LogLevel;
  readonly release: string;
  readonly shutdownGraceSeconds: number;
  readonly dataDir: string;
  readonly http: { readonly timeouts: ServerTimeouts; readonly limits: ConnectionLimitsOptions };
}

/** A configuration value is invalid. The message is one line: `<VARIABLE> <what it must be>`. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    rule: string,
  ) {
    super(`invalid configuration: ${variable} ${rule}`);
    this.name = 'ConfigError';
  }
}

const integer = (min: number, max: number, rule: string) =>
  z
    .string()
    .regex(/^\d+$/, rule)
    .transform(Number)
    .refine((n) => n >= min && n <= max, rule);
const seconds = (max: number) => integer(1, max, `must be an integer number of seconds from 1 to ${max}`);

// One schema per variable, each with the sentence that ends up after the variable's name in the error line.
const rules = {
  [ENV.databaseUrl]: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), 'must be a postgresql:// URL')
    .optional(),
  [ENV.port]: integer(0, 65535, 'must be an integer from 0 to 65535').default(HTTP_PORT),
  [ENV.timeZone]: z.string().refine(isKnownTimeZone, `must be ${TIME_ZONE_FORMAT}`).default('UTC'),
  [ENV.logLevel]: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  [ENV.release]: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1 to 128 letters, digits, ".", "_" or "-"')
    .default('dev'),
  [ENV.shutdownGraceSeconds]: seconds(3600).default(DRAIN_SECONDS),
  [ENV.dataDir]: z.string().default('.data'),
  [ENV.httpHeadersTimeoutSeconds]: seconds(600).default(DEFAULT_TIMEOUTS.headersMs / 1000),
  [ENV.httpRequestTimeoutSeconds]: seconds(600).default(DEFAULT_TIMEOUTS.requestMs / 1000),
  [ENV.httpKeepAliveTimeoutSeconds]: seconds(600).default(DEFAULT_TIMEOUTS.keepAliveMs / 1000),
  [ENV.httpIdleTimeoutSeconds]: seconds(600).default(DEFAULT_TIMEOUTS.idleMs / 1000),
  [ENV.httpMaxConnections]: integer(1, 100_000, 'must be an integer from 1 to 100000').default(
    DEFAULT_CONNECTION_LIMITS.maxConnections,
  ),
  [ENV.httpPipelineDepth]: integer(1, 1_000, 'must be an integer from 1 to 1000').default(
    DEFAULT_CONNECTION_LIMITS.pipelineDepth,
  ),
};

/** Reads and validates the environment. Unset and empty variables take their defaults. Throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const value = <K extends keyof typeof rules>(name: K): z.output<(typeof rules)[K]> => {
    const raw = env[name];
    const parsed = rules[name].safeParse(raw === '' ? undefined : raw);
    if (!parsed.success) throw new ConfigError(name, parsed.error.issues[0]?.message ?? 'is invalid');
    return parsed.data as z.output<(typeof rules)[K]>;
  };
  const databaseUrl = value(ENV.databaseUrl);
  return {
    ...(databaseUrl ? { databaseUrl } : {}),
    port: value(ENV.port),
    timeZone: value(ENV.timeZone),
    logLevel: value(ENV.logLevel),
    release: value(ENV.release),
    shutdownGraceSeconds: value(ENV.shutdownGraceSeconds),
    dataDir: value(ENV.dataDir),
    http: {
      timeouts: {
        headersMs: value(ENV.httpHeadersTimeoutSeconds) * 1000,
        requestMs: value(ENV.httpRequestTimeoutSeconds) * 1000,
        keepAliveMs: value(ENV.httpKeepAliveTimeoutSeconds) * 1000,
        idleMs: value(ENV.httpIdleTimeoutSeconds) * 1000,
      },
      limits: {
        maxConnections: value(ENV.httpMaxConnections),
        pipelineDepth: value(ENV.httpPipelineDepth),
      },
    },
  };
}
