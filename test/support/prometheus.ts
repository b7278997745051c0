// A real Prometheus for tests: Debian's `prometheus` started on loopback with a generated config and a temporary
// data directory, optionally preloaded with a recorded metric history through `promtool tsdb create-blocks-from`.
// A test file that imports this module needs both binaries, and is held back where they are missing.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { needs } from './needs';
import { waitFor } from './wait-for';

needs('prometheus');

const run = promisify(execFile);

export interface ScrapeTarget {
  readonly job: string;
  /** host:port */
  readonly address: string;
  /** Static labels attached to every series scraped from the target (e.g. namespace). */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface TestPrometheus {
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

function config(targets: readonly ScrapeTarget[], scrapeInterval: string): string {
  const jobs = targets.map((t) =>
    [
      `  - job_name: ${JSON.stringify(t.job)}`,
      `    scrape_interval: ${scrapeInterval}`,
      `    static_configs:`,
      `      - targets: [${JSON.stringify(t.address)}]`,
      `        labels: ${JSON.stringify(t.labels ?? {})}`,
    ].join('\n'),
  );
  return `global:\n  scrape_interval: ${scrapeInterval}\n  evaluation_interval: ${scrapeInterval}\nscrape_configs:\n${jobs.join('\n') || '  []'}\n`;
}

/** Writes an OpenMetrics history (timestamps in seconds, `# EOF` appended) into a new data directory as TSDB blocks. */
export async function createBlocks(openMetrics: string): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'prom-data-'));
  try {
    const file = join(dataDir, 'history.om');
    await writeFile(file, openMetrics.endsWith('# EOF\n') ? openMetrics : `${openMetrics}# EOF\n`);
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], {
      maxBuffer: 16 * 1024 * 1024,
    });
    await rm(file);
    return dataDir;
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/** Starts Prometheus on `dataDir` (a new one by default), which it owns from then on: stop() removes it. */
export async function startPrometheus(
  options: { targets?: readonly ScrapeTarget[]; scrapeInterval?: string; dataDir?: string } = {},
): Promise<TestPrometheus> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'prom-data-')));
  const configFile = join(dataDir, 'prometheus.yml');
  await writeFile(configFile, config(options.targets ?? [], options.scrapeInterval ?? '1s'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=30d',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  // 'error' (it could not be spawned) or 'exit': either way nothing of it runs any more.
  let ended = false;
  const exited = new Promise<void>((resolve) => {
    const end = () => {
      ended = true;
      resolve();
    };
    child.once('exit', end);
    child.once('error', (e) => {
      stderr += e.message;
      end();
    });
  });
  // The data directory is removed only once the process is gone: removing it under a live Prometheus that is
  // still writing its WAL fails half-way and leaves the folder behind.
  const stop = async () => {
    if (!ended) {
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (!ended) child.kill('SIGKILL');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  // A Prometheus that exits (or never starts) fails the start at once, not after the readiness timeout.
  const died = exited.then(() => {
    throw new Error(`prometheus exited ${child.exitCode ?? child.signalCode}: ${stderr}`);
  });
  died.catch(() => undefined);
  try {
    await Promise.race([
      died,
      waitFor('Prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok, {
        timeoutMs: 20_000,
        everyMs: 200,
        retryErrors: true,
      }),
    ]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, dataDir, stop };
}
