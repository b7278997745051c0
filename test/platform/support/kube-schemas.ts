// Offline validation of synthesized objects: the JSON schemas of `kubernetes-models` and `@kubernetes-models/*`
// (Kubernetes, Argo CD, External Secrets, Prometheus Operator), plus the check those validators skip: fields the
// schema does not define, found by walking the models' TypeScript declarations with the compiler API. The project's
// own kind (ReleasePolicy) is checked against its committed CRD's schema, closed against unknown fields.
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { RELEASE_POLICY_API, RELEASE_POLICY_API_VERSION } from '../../../cdk8s/release-policy';
import { committedCrd, crdValidator } from './crd-validator';

interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string };
}

const CRD_PACKAGES: Record<string, string> = {
  'argoproj.io': '@kubernetes-models/argo-cd',
  'external-secrets.io': '@kubernetes-models/external-secrets',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/** The module holding the model of an apiVersion/kind. */
export function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = CRD_PACKAGES[group!];
  if (pkg) return `${pkg}/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

export function describe(obj: ObjectRef): string {
  return `${obj.kind} '${obj.metadata?.name ?? '?'}' (${obj.apiVersion})`;
}

let releasePolicyErrors: ((obj: unknown) => string[]) | undefined;

/** Schema errors of one object, as "<object>: <path> <message>" lines. */
export async function schemaErrors(obj: ObjectRef): Promise<string[]> {
  if (obj.apiVersion === RELEASE_POLICY_API_VERSION && obj.kind === RELEASE_POLICY_API.kind) {
    releasePolicyErrors ??= crdValidator(
      committedCrd(RELEASE_POLICY_API.group, RELEASE_POLICY_API.kind),
      RELEASE_POLICY_API.version,
    );
    return releasePolicyErrors(obj).map((e) => `${describe(obj)}: field '${e}'`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modelModule(obj.apiVersion, obj.kind))) as Record<string, unknown>;
  } catch {
    return [`${describe(obj)}: no schema for this apiVersion and kind`];
  }
  const Model = mod[obj.kind] as new (data: unknown) => { validate(): void };
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    const details = (e as { errors?: { instancePath: string; message?: string }[] }).errors;
    return details?.length
      ? details.map((d) => `${describe(obj)}: field '${d.instancePath || '/'}' ${d.message ?? 'is invalid'}`)
      : [`${describe(obj)}: ${(e as Error).message}`];
  }
}

let checker: { program: ts.Program; file: ts.SourceFile } | undefined;
const typeCache = new Map<string, ts.Type>();

/** The declared TypeScript type of a model (`I<Kind>` from its module), through one shared compiler program. */
function modelType(apiVersion: string, kind: string): ts.Type {
  const key = `${apiVersion}/${kind}`;
  const cached = typeCache.get(key);
  if (cached) return cached;
  // One program that imports every model the suite may ask for is built lazily on the first call.
  if (!checker) {
    const modules = [
      ['v1', 'Namespace'],
      ['v1', 'ServiceAccount'],
      ['v1', 'Service'],
      ['apps/v1', 'Deployment'],
      ['batch/v1', 'Job'],
      ['policy/v1', 'PodDisruptionBudget'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['networking.k8s.io/v1', 'Ingress'],
      ['networking.k8s.io/v1', 'NetworkPolicy'],
      ['external-secrets.io/v1', 'SecretStore'],
      ['external-secrets.io/v1', 'ExternalSecret'],
      ['monitoring.coreos.com/v1', 'ServiceMonitor'],
      ['monitoring.coreos.com/v1', 'PrometheusRule'],
      ['monitoring.coreos.com/v1', 'PodMonitor'],
      ['argoproj.io/v1alpha1', 'AppProject'],
      ['argoproj.io/v1alpha1', 'Application'],
      ['rbac.authorization.k8s.io/v1', 'Role'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
      ['v1', 'ConfigMap'],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ];
    const source = modules
      .map(
        ([v, k], i) =>
          `import type { I${k} as T${i} } from '${modelModule(v!, k!)}';\nexport declare const v_${v!.replace(/[^a-z0-9]/gi, '_')}_${k}: T${i};`,
      )
      .join('\n');
    const root = join(dirname(require.resolve('kubernetes-models/package.json')), '..', '..');
    const fileName = join(root, '__platform_models__.ts');
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (f) => (f === fileName ? source : readFile(f));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => f === fileName || fileExists(f);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (f, lang) => (f === fileName ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang));
    const program = ts.createProgram([fileName], options, host);
    checker = { program, file: program.getSourceFile(fileName)! };
  }
  const tc = checker.program.getTypeChecker();
  const name = `v_${apiVersion.replace(/[^a-z0-9]/gi, '_')}_${kind}`;
  const symbol = tc.getSymbolsInScope(checker.file, ts.SymbolFlags.Variable).find((s) => s.name === name);
  if (!symbol) throw new Error(`no declared model for ${apiVersion} ${kind}: add it to kube-schemas.ts`);
  const type = tc.getTypeOfSymbolAtLocation(symbol, checker.file);
  typeCache.set(key, type);
  return type;
}

function walkUnknown(tc: ts.TypeChecker, value: unknown, type: ts.Type, path: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const parts = type.isUnion()
    ? type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)))
    : [type];
  // A union of an object and an array of it (JSONSchemaProps' `items`): follow the member that fits the value.
  const objects = parts.filter((t) => t.flags & ts.TypeFlags.Object);
  const objectType = objects.find((t) => tc.isArrayType(t) === Array.isArray(value)) ?? objects[0];
  if (!objectType) return; // a primitive or `any` in the declaration: nothing to check below
  if (Array.isArray(value)) {
    const element = tc.isArrayType(objectType) ? tc.getTypeArguments(objectType as ts.TypeReference)[0] : undefined;
    if (element) value.forEach((v, i) => walkUnknown(tc, v, element, `${path}[${i}]`, out));
    return;
  }
  const index = tc.getIndexTypeOfType(objectType, ts.IndexKind.String);
  // An empty interface is how the models spell an opaque value (JSON, JSONSchemaPropsOrArray): nothing to check.
  if (!index && objectType.getProperties().length === 0) return;
  for (const [key, v] of Object.entries(value)) {
    const prop = objectType.getProperty(key);
    if (prop) walkUnknown(tc, v, tc.getTypeOfSymbol(prop), `${path}.${key}`, out);
    else if (index) walkUnknown(tc, v, index, `${path}.${key}`, out);
    else out.push(`${path}.${key}`);
  }
}

/** Fields of an object that its schema does not define (a typo the JSON-schema validators let through). */
export function unknownFields(obj: ObjectRef): string[] {
  // The project's own kind: its schema check above already refuses fields the CRD does not define.
  if (obj.apiVersion === RELEASE_POLICY_API_VERSION) return [];
  const out: string[] = [];
  const type = modelType(obj.apiVersion, obj.kind);
  walkUnknown(checker!.program.getTypeChecker(), obj, type, '', out);
  return out.map((f) => `${describe(obj)}: unknown field '${f.slice(1)}'`);
}
