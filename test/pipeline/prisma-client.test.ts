// The generated Prisma client is the same wherever it is generated: the image's build stage runs `prisma generate`
// (npm ci's postinstall) before any tsconfig.json is in place, and what it writes there is what the image runs.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './repo';

const run = promisify(execFile);

/** Every relative module specifier in a TypeScript file's code (not its doc comments): `from "./x.js"`, `import("./x.js")`. */
const relativeImports = (source: string) =>
  [...source.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/(?:from\s+|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)].map(
    (m) => m[1]!,
  );

describe('the generated Prisma client', () => {
  let dir: string;
  beforeAll(async () => {
    // A folder with the schema and nothing else: no tsconfig.json here or above it, as in the image's build stage.
    dir = await mkdtemp(path.join(tmpdir(), 'hello-prisma-generate-'));
    await copyFile(path.join(ROOT, 'prisma', 'schema.prisma'), path.join(dir, 'schema.prisma'));
    await run(path.join(ROOT, 'node_modules', '.bin', 'prisma'), ['generate', '--schema', 'schema.prisma'], {
      cwd: dir,
      // Generation never runs the schema engine; the CLI only insists that one exists (as in the postinstall script).
      // Its config loader (jiti) would otherwise leave a compile cache in the run's TMPDIR.
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: path.join(ROOT, 'package.json'), JITI_FS_CACHE: 'false' },
    });
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('imports its own files as .js without a tsconfig.json, so the code tsc compiles from it runs under node', async () => {
    const files = (await readdir(path.join(dir, 'generated'), { recursive: true })).filter((f) => f.endsWith('.ts'));
    const specifiers = (
      await Promise.all(files.map(async (f) => relativeImports(await readFile(path.join(dir, 'generated', f), 'utf8'))))
    ).flat();
    expect(specifiers).toContain('./internal/class.js');
    expect(specifiers.filter((s) => !s.endsWith('.js'))).toEqual([]);
  });
});
