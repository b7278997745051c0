// The process entry point: `serve` (the default) runs the API, `migrate [--check] [--wait SECONDS]` the migrations.
import { APP_NAME } from '../contract/runtime';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';
import { ConnectionLimits } from './connection-limits';
import { openDatabase } from './database';
import { Lifecycle } from './health';
import { stdoutDestination } from './log-destination';
import { createLogger, flushLogs, type Logger } from './logger';
import { createHttpMetrics } from './metrics';
import { migrateCommand } from './migrate';
import { startServer, stopServer } from './server';

const USAGE = `usage: ${APP_NAME} [serve | migrate [--check] [--wait SECONDS] | --help]   (migrate --help for more)`;
/** Exit code of a configuration or usage error, told apart from a runtime failure (1). */
const EXIT_USAGE = 2;

async function main(argv: readonly string[]): Promise<number> {
  const [command = 'serve', ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'serve' && command !== 'migrate') {
    process.stderr.write(`${APP_NAME}: unknown command '${command}'\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  const logDestination = stdoutDestination();
  const logger = createLogger(config.logLevel, logDestination);
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });
  if (command === 'migrate') {
    return migrateCommand(args, {
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      dataDir: config.dataDir,
      logger,
    });
  }
  if (args.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_USAGE;
  }
  return serve(config, logger, logDestination.dropped);
}

/** Runs the API until SIGTERM or SIGINT, then drains and closes. Resolves to the exit code. */
async function serve(config: Config, logger: Logger, droppedLogLines: () => number): Promise<number> {
  // A signal during startup is remembered and honoured as soon as the server is up, instead of killing the process
  // while the embedded database may be writing.
  let signalled: NodeJS.Signals | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signal = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  const handle = (received: NodeJS.Signals) => {
    if (signalled === undefined) {
      signalled = received;
      onSignal(received);
    } else if (received === 'SIGINT') {
      process.exit(130); // a second Ctrl-C: the developer does not want to wait
    }
    // A repeated SIGTERM (a wrapper forwarding it again) must not cut the drain short: it is ignored.
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);

  const graceMs = config.shutdownGraceSeconds * 1000;
  const database = await openDatabase({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    logger,
  });
  const lifecycle = new Lifecycle();
  const limits = new ConnectionLimits(config.http.limits);
  const app = createApp({
    users: database.users,
    readiness: () => database.readiness(),
    logger,
    metrics: createHttpMetrics({ release: config.release, droppedLogLines }),
    timeZone: config.timeZone,
    lifecycle,
    release: config.release,
    limits,
  });
  let running;
  try {
    running = await startServer(app, config.port, undefined, { timeouts: config.http.timeouts, limits });
  } catch (error) {
    await database.close();
    throw error;
  }
  logger.info(
    { port: running.port, database: database.kind, release: config.release, timeZone: config.timeZone },
    `listening on port ${running.port}`,
  );

  const received = await signal;
  const started = Date.now();
  logger.info({ signal: received, graceMs }, 'shutting down: readiness off, draining requests');
  // The whole shutdown must fit in the grace period; past it, leave rather than be killed mid-write.
  setTimeout(() => {
    logger.error({ graceMs }, 'shutdown exceeded the grace period');
    process.exit(1);
  }, graceMs).unref();
  // Draining gets the grace period less a margin to close the database.
  const { drained } = await stopServer(running, {
    lifecycle,
    logger,
    graceMs: Math.max(graceMs - 2_000, graceMs / 2),
    idleLingerMs: Math.min(5_000, graceMs / 4),
  });
  await database.close();
  logger.info({ drained, ms: Date.now() - started }, 'stopped');
  // Log lines leave asynchronously: every one, this last included, reaches stdout before the exit.
  await flushLogs(logger);
  return drained ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${APP_NAME}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
