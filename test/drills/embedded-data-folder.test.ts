// Drill: two embedded-mode processes on one data folder. The second refuses to start with one line naming the
// first's PID (it would otherwise acknowledge writes the first one's files later overwrite); after the first is
// killed with SIGKILL, its stale lock does not block the next start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runService, type ServiceProcess } from '../process/service-process';
import { ms, recordFigures } from './figures';

jest.setTimeout(240_000); // PGlite initialises a cluster on the first start: tens of seconds on a slow machine

const dataDir = mkdtempSync(path.join(tmpdir(), 'hello-drill-embedded-'));
const started: ServiceProcess[] = [];
afterAll(async () => {
  for (const service of started) {
    if (service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): ServiceProcess {
  const service = runService(['serve'], { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  started.push(service);
  return service;
}
const listening = (line: Record<string, unknown>) => typeof line.port === 'number' && line.msg !== undefined;

test('a second instance on the same data folder refuses to start, naming the first; a stale lock does not block', async () => {
  const first = start();
  await first.waitForLine(listening);

  const refusedAt = performance.now();
  const second = start();
  // Serving is the failure: do not wait for an exit that will not come.
  const secondExit = await Promise.race([
    second.exited,
    second.waitForLine(listening).then(
      () => 'served',
      () => second.exited,
    ),
  ]);
  const refusalMs = performance.now() - refusedAt;
  const refusal = second.stderr().trim();

  first.child.kill('SIGKILL');
  await first.exited;
  const third = start();
  const thirdUp = await third.waitForLine(listening).then(
    () => true,
    () => false,
  );
  recordFigures('HTTP edge', 'embedded: second instance on one data folder', {
    'second exit code': secondExit,
    'refused after ms': ms(refusalMs),
    'start after kill -9 of the holder': thirdUp ? 'ok' : 'blocked',
  });

  expect(secondExit).toBe(1);
  expect(refusal.split('\n')).toHaveLength(1);
  expect(refusal).toContain(`in use by PID ${first.child.pid}`);
  expect(thirdUp).toBe(true);
  third.child.kill('SIGTERM');
  expect(await third.exited).toBe(0);
});
