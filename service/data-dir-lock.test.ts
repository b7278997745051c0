// One process per embedded data folder: a live holder is named, a dead one's lock is taken over.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataDirInUse, lockDataDir } from './data-dir-lock';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'hello-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockFile = () => path.join(dir, 'hello-app.lock');
/** PID 1 exists on every Linux machine and is never this test's process. */
const LIVE_OTHER_PID = 1;
/** Far above pid_max (4,194,304): no process has it. */
const DEAD_PID = 99_999_999;

test('a folder held by a live process is refused, naming its PID', () => {
  writeFileSync(lockFile(), `${LIVE_OTHER_PID}\n`);
  expect(() => lockDataDir(dir)).toThrow(DataDirInUse);
  expect(() => lockDataDir(dir)).toThrow(`in use by PID ${LIVE_OTHER_PID}`);
  expect(readFileSync(lockFile(), 'utf8')).toBe(`${LIVE_OTHER_PID}\n`);
});

test.each([
  ['a dead process', `${DEAD_PID}\n`],
  ['this very PID (a container restarted as PID 1 again)', `${process.pid}\n`],
  ['a torn write', ''],
])('a lock left by %s is taken over', (_label, content) => {
  writeFileSync(lockFile(), content);
  const lock = lockDataDir(dir);
  expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
  lock.release();
  expect(() => readFileSync(lockFile())).toThrow();
});

test('release leaves a lock that another process took since alone', () => {
  const lock = lockDataDir(dir);
  writeFileSync(lockFile(), `${LIVE_OTHER_PID}\n`);
  lock.release();
  expect(readFileSync(lockFile(), 'utf8')).toBe(`${LIVE_OTHER_PID}\n`);
});
