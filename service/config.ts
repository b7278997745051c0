// The service's configuration: environment variables validated once at startup; a bad value stops the process
// with one line naming the variable (and never echoing its value, which may be a secret).
import { z } from 'zod';
import { ENV, HTTP_PORT } from '../contract/runtime';
import { isKnownTimeZone, TIME_ZONE_FORMAT } from '../contract/time-zone';
import { LOG_LEVELS, type LogLevel } from './logger';

export interface Config {
  /** Unset: the embedded database under `dataDir`. */
  readonly databaseUrl?: string;
  readonly port: number;
  readonly timeZone: string;
  readonly logLevel: LogLevel;
  readonly release: string;
  readonly shutdownGraceSeconds: number;
  readonly dataDir: string;
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
  [ENV.shutdownGraceSeconds]: integer(1, 3600, 'must be an integer number of seconds from 1 to 3600').default(20),
  [ENV.dataDir]: z.string().default('.data'),
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
  };
}
