// The ReleasePolicy's Argo CD health check, run the way Argo CD runs it: health.lua with a real Lua 5.1 (Argo CD's
// gopher-lua is Lua 5.1) in a sandbox holding only what Argo CD gives a script, against every fixture its
// health_test.yaml names (Argo CD's own format). The fixtures are valid ReleasePolicies and cover every state.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HEALTH_CHECK_DIR, HEALTH_CUSTOMIZATION_KEY } from '../../cdk8s/argocd-health';
import { parseReleasePolicySpec, RELEASE_POLICY_API } from '../../cdk8s/release-policy';
import { needs } from '../support/needs';
import { committedCrd, crdValidator } from './support/crd-validator';
import { readManifests, ROOT } from './support/manifests';

needs('lua');

const dir = join(ROOT, HEALTH_CHECK_DIR);
interface HealthTest {
  healthStatus: { status: string; message: string };
  inputPath: string;
}
const tests = (parse(readFileSync(join(dir, 'health_test.yaml'), 'utf8')) as { tests: HealthTest[] }).tests;
const fixture = (path: string): unknown => parse(readFileSync(join(dir, path), 'utf8'));

function luaString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\0/g, '\\0')}"`;
}

/** A JSON-like value as a Lua table constructor (arrays 1-based), as Argo CD hands the object to the script. */
function luaValue(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return luaString(v);
  if (Array.isArray(v)) return `{${v.map(luaValue).join(', ')}}`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `[${luaString(k)}] = ${luaValue(x)}`)
    .join(', ')}}`;
}

/** Runs health.lua on one object; the script sees `obj` and the base, string, table and math libraries only. */
function health(obj: unknown): { status: string; message: string } {
  const driver = `
local check = assert(loadfile(${luaString(join(dir, 'health.lua'))}))
setfenv(check, { obj = ${luaValue(obj)}, ipairs = ipairs, pairs = pairs, next = next, type = type,
  tostring = tostring, tonumber = tonumber, error = error, pcall = pcall, string = string, table = table, math = math })
local hs = check()
io.write(tostring(hs.status), "\\n", tostring(hs.message))`;
  const out = execFileSync('lua5.1', ['-'], { input: driver, encoding: 'utf8' });
  const [status, ...message] = out.split('\n');
  return { status: status!, message: message.join('\n') };
}

test('health_test.yaml names every fixture, and the fixtures cover every status and every condition', () => {
  const fixtures = readdirSync(join(dir, 'testdata')).map((f) => `testdata/${f}`);
  expect(tests.map((t) => t.inputPath).sort()).toEqual(fixtures.sort());
  expect(new Set(tests.map((t) => t.healthStatus.status))).toEqual(
    new Set(['Healthy', 'Progressing', 'Degraded', 'Suspended']),
  );
  const trueConditions = tests.flatMap(
    (t) =>
      (fixture(t.inputPath) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions
        ?.filter((c) => c.status === 'True' || c.type === 'Ready')
        .map((c) => c.type) ?? [],
  );
  expect(new Set(trueConditions)).toEqual(new Set(['Ready', 'Healthy', 'Breaching', 'Holding', 'RolledBack']));
});

test('every fixture is a ReleasePolicy the committed CRD accepts', () => {
  const validate = crdValidator(
    committedCrd(RELEASE_POLICY_API.group, RELEASE_POLICY_API.kind),
    RELEASE_POLICY_API.version,
  );
  expect(tests.flatMap((t) => validate(fixture(t.inputPath)).map((e) => `${t.inputPath}: ${e}`))).toEqual([]);
  // The rules the API server checks with CEL, which no validator here evaluates: the zod schema checks them.
  for (const t of tests) parseReleasePolicySpec((fixture(t.inputPath) as { spec: unknown }).spec, t.inputPath);
});

test.each(tests.map((t) => [t.inputPath, t] as const))('%s', (_path, t) => {
  expect(health(fixture(t.inputPath))).toEqual(t.healthStatus);
});

test('argocd-cm carries exactly this health.lua under the key Argo CD reads for the kind', () => {
  const cm = readManifests(join(ROOT, 'argocd')).find(
    (m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === 'argocd-cm',
  )!.object as unknown as { data: Record<string, string> };
  expect(HEALTH_CUSTOMIZATION_KEY).toBe('resource.customizations.health.release.hello-app.dev_ReleasePolicy');
  expect(cm.data).toEqual({ [HEALTH_CUSTOMIZATION_KEY]: readFileSync(join(dir, 'health.lua'), 'utf8') });
});
