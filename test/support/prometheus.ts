// A real Prometheus for tests: Debian's `prometheus` started on loopback with a generated config and a temporary
// data directory, optionally preloaded with a recorded metric history through `promtool tsdb create-blocks-from`.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for';

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

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
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
  const file = join(dataDir, 'history.om');
  await writeFile(file, openMetrics.endsWith('# EOF\n') ? openMetrics : `${openMetrics}# EOF\n`);
  await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], { maxBuffer: 16 * 1024 * 1024 });
  await rm(file);
  return dataDir;
}

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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitFor(
      'Prometheus to be ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${stderr}`);
        return (await fetch(`${url}/-/ready`)).ok;
      },
      { timeoutMs: 20_000, everyMs: 200, retryErrors: true },
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
        clearTimeout(timer);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
