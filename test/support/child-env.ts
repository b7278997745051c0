// The environment of a process a test starts: clean (a developer's DATABASE_URL or LOG_LEVEL never leaks in), yet
// it finds its binaries, has a home, and keeps its temp files in the run's own TMPDIR (global-setup.ts), where the
// teardown checks that nothing is left.
export function childEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const inherited = ['TMPDIR', 'TSX_DISABLE_CACHE'].flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    ...Object.fromEntries(inherited),
    ...extra,
  };
}
