// `npm run bench` takes its settings from the environment; its only argument is --help. Anything else is refused
// before a database is created or a server started.

export const USAGE = `usage: npm run bench [-- --help]

Loads GET and PUT /hello/<username> (10,000 users) against the ceilings and the service, interleaved in short
slices, and prints requests/s, p50/p99, CPU per request and each target's ratio to both ceilings.

Settings (environment):
  BENCH_TARGETS         comma list of targets besides the two ceilings, or "all"   (default: service)
  BENCH_CASES           GET,PUT                                                     (default: GET,PUT)
  BENCH_SECONDS         measured seconds per case and target                        (default: 10)
  BENCH_WARMUP_SECONDS  warm-up seconds per case and target                         (default: 3)
  BENCH_SLICES          slices each measurement is cut into, interleaved            (default: 5)
  BENCH_CONNECTIONS     concurrent connections                                      (default: 32)
  BENCH_ROUNDS          repetitions, in alternating order                           (default: 1)
  BENCH_ADMIN_URL       PostgreSQL maintenance URL that creates the bench databases
  BENCH_CHECKOUTS       name=dir,...: other checkouts of this repository as targets
`;

export type Arguments = { readonly help: true } | { readonly help: false } | { readonly error: string };

export function parseArguments(argv: readonly string[]): Arguments {
  const [first, ...rest] = argv;
  if (first === undefined) return { help: false };
  if ((first === '--help' || first === '-h') && rest.length === 0) return { help: true };
  const unknown = first === '--help' || first === '-h' ? rest[0]! : first;
  return { error: `bench: unknown argument "${unknown}"` };
}
