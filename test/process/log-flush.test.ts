// The log is written asynchronously; no line may be lost when the process stops. On the real process: every access
// line of a burst answered just before SIGTERM, and the shutdown's own last line, reach stdout before the exit.
import http from 'node:http';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { runService, type ServiceProcess } from './service-process';

const BURST = 400;

let db: TestDatabase;
let service: ServiceProcess | undefined;
beforeAll(async () => {
  db = await createTestDatabase('logflush');
});
afterAll(async () => {
  if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
  await db.drop();
});

function get(agent: http.Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      })
      .on('error', reject);
  });
}

test('every access line of a burst answered just before SIGTERM, and the last line, reach stdout', async () => {
  const env = { DATABASE_URL: db.url, PORT: '0', SHUTDOWN_GRACE_SECONDS: '10', LOG_LEVEL: 'info' };
  expect(await runService(['migrate'], env).exited).toBe(0);
  service = runService(['serve'], env);
  const port = (await service.waitForLine((line) => typeof line.port === 'number')).port as number;

  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const statuses = await Promise.all(Array.from({ length: BURST }, () => get(agent, port, '/healthz')));
  expect(statuses.every((status) => status === 200)).toBe(true);
  // Signalled the moment the last answer arrived, while its access lines may still be queued.
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  agent.destroy();

  const lines = service.lines;
  expect(lines.filter((line) => line.msg === 'request' && line.route === '/healthz')).toHaveLength(BURST);
  expect(lines.at(-1)).toMatchObject({ msg: 'stopped', drained: true });
  // Complete lines only: nothing cut mid-line by the exit.
  expect(service.stdout().endsWith('\n')).toBe(true);
});
