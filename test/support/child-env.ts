// The environment of a process a test starts: clean (a developer's DATABASE_URL or LOG_LEVEL never leaks in), yet
// it finds its binaries, has a home, and keeps its temp files in the run's own TMPDIR (global-setup.ts), where the
// teardown checks that nothing is left.
export function childEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...(process.env.TMPDIR === undefined ? {} : { TMPDIR: process.env.TMPDIR }),
    ...extra,
  };
}
