// A log reader that stops draining stdout must not stall the service: the real process, its stdout a pipe nobody
// reads, keeps answering every request (lines past the bounded backlog are dropped, never waited for).
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { runService } from './service-process';

const ROOT = path.resolve(__dirname, '../..');
/** Enough access lines (~250 bytes each) to fill a 64 KiB pipe many times over. */
const REQUESTS = 4_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('stalledout');
});
afterAll(async () => {
  await db.drop();
});

function get(agent: http.Agent, port: number, route: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: route, agent, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${route} within 5 s`)));
    req.on('error', reject);
  });
}

test('with nobody reading its stdout, the service still answers every request', async () => {
  const env = { DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'info', PATH: process.env.PATH ?? '', HOME: '/tmp' };
  expect(await runService(['migrate'], env).exited).toBe(0);
  // The port comes from the first stdout lines; after that nothing reads stdout again.
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/main.ts', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let text = '';
      const onData = (chunk: Buffer): void => {
        text += chunk.toString('utf8');
        const match = /"port":(\d+)/.exec(text);
        if (match) {
          child.stdout.off('data', onData);
          child.stdout.pause();
          resolve(Number(match[1]));
        }
      };
      child.stdout.on('data', onData);
      child.on('exit', (code) => reject(new Error(`service exited (${code}) before listening`)));
    });

    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    let answered = 0;
    for (let i = 0; i < REQUESTS; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => get(agent, port, '/hello/nobody')));
      answered += batch.filter((status) => status === 404).length;
    }
    agent.destroy();
    expect(answered).toBe(REQUESTS);
  } finally {
    child.kill('SIGKILL');
  }
});
