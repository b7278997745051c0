// The `migrate` command's arguments, parsed without side effects so every accepted and rejected form is testable.

export type MigrateCommand =
  | { readonly mode: 'apply'; readonly waitSeconds: number }
  | { readonly mode: 'check'; readonly waitSeconds: number }
  | { readonly mode: 'mark-rolled-back'; readonly migration: string; readonly waitSeconds: number }
  | { readonly mode: 'help' };

export const MIGRATE_USAGE = [
  'usage: migrate [--wait [SECONDS]]              apply pending migrations',
  '       migrate --help                          this text (also -h)',
  '       migrate --check [--wait [SECONDS]]      exit 0 only when every migration is applied',
  '       migrate --mark-rolled-back MIGRATION    mark a failed attempt rolled back so it is retried',
  '--wait retries until the database is reachable (and, with --check, migrated) or SECONDS pass',
  '(default: MIGRATE_WAIT_SECONDS, else 60).',
].join('\n');

const DEFAULT_WAIT_SECONDS = 60;
const SECONDS = /^\d{1,6}$/;

/** `envWait` is MIGRATE_WAIT_SECONDS as read from the environment (undefined when unset). */
export function parseMigrateArgs(
  args: readonly string[],
  envWait: string | undefined,
): { ok: true; command: MigrateCommand } | { ok: false; error: string } {
  // Asking for help is never an error, whatever else the command line holds.
  if (args.some((a) => a === '--help' || a === '-h')) return { ok: true, command: { mode: 'help' } };
  let check = false;
  let wait: number | undefined;
  let rolledBack: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--check' && !check) check = true;
    else if (arg === '--wait' && wait === undefined) {
      const next = args[i + 1];
      if (next !== undefined && SECONDS.test(next)) {
        wait = Number(next);
        i++;
      } else {
        if (envWait !== undefined && !SECONDS.test(envWait)) {
          return { ok: false, error: `MIGRATE_WAIT_SECONDS must be a whole number of seconds, got '${envWait}'` };
        }
        wait = envWait === undefined ? DEFAULT_WAIT_SECONDS : Number(envWait);
      }
    } else if (arg.startsWith('--wait=') && wait === undefined && SECONDS.test(arg.slice(7))) {
      wait = Number(arg.slice(7));
    } else if (arg === '--mark-rolled-back' && rolledBack === undefined && /^[\w-]+$/.test(args[i + 1] ?? '')) {
      rolledBack = args[++i]!;
    } else return { ok: false, error: `migrate: unexpected argument '${arg}'` };
  }
  if (rolledBack !== undefined) {
    if (check) return { ok: false, error: 'migrate: --mark-rolled-back cannot be combined with --check' };
    return { ok: true, command: { mode: 'mark-rolled-back', migration: rolledBack, waitSeconds: wait ?? 0 } };
  }
  return { ok: true, command: { mode: check ? 'check' : 'apply', waitSeconds: wait ?? 0 } };
}
