// Turns one object built from placeholders (helm-placeholders.ts) into a Helm template: scalar placeholders become
// `{{ $.Values.x | toJson }}`, text mixing literals and placeholders becomes a printf, a list placeholder makes its
// array element a `range`, a map placeholder merges the values map in. Literal `{{` (External Secrets and
// Prometheus templates) passes through as a quoted string, so Helm leaves it alone.
import { toYaml } from './manifest-files';
import { PLACEHOLDER, REQUIRED_VALUES } from './helm-placeholders';

interface Context {
  readonly exprs: string[];
  readonly ranges: { readonly list: string; readonly body: string }[];
  /** The list whose element is being rendered inside a range (its placeholder becomes `.`). */
  readonly element?: string;
}

const TOKEN = (n: number) => `HELMEXPR${n}X`;
const RANGE = (n: number) => `HELMRANGE${n}X`;

function valueRef(path: string): string {
  const required = Object.values(REQUIRED_VALUES) as string[];
  return required.includes(path) ? `(required "set the '${path}' value" $.Values.${path})` : `$.Values.${path}`;
}

/** A Go template expression for a string that contains placeholders or template braces. */
function stringExpr(s: string, ctx: Context): string {
  const parts: string[] = [];
  const args: string[] = [];
  let last = 0;
  for (const m of s.matchAll(PLACEHOLDER)) {
    parts.push(s.slice(last, m.index).replaceAll('%', '%%'));
    const [, kind, path] = m;
    if (kind === 'map') throw new Error(`map value '${path}' used inside text '${s}': pass the map whole`);
    args.push(
      kind === 'list' && path === ctx.element ? '.' : kind === 'list' ? `(join "," $.Values.${path})` : valueRef(path!),
    );
    parts.push('%v');
    last = m.index + m[0].length;
  }
  parts.push(s.slice(last).replaceAll('%', '%%'));
  const fmt = parts.join('');
  if (args.length === 1 && fmt === '%v') return args[0]!;
  return args.length === 0 ? JSON.stringify(s) : `(printf ${JSON.stringify(fmt)} ${args.join(' ')})`;
}

function expr(ctx: Context, e: string): string {
  ctx.exprs.push(e);
  return TOKEN(ctx.exprs.length - 1);
}

/** The lists a value's placeholders name; with `nested` false, not those inside a nested array (its own range). */
function listsIn(value: unknown, found = new Set<string>(), nested = true): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) if (m[1] === 'list') found.add(m[2]!);
  } else if (Array.isArray(value)) {
    if (nested) value.forEach((v) => listsIn(v, found, nested));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => listsIn(v, found, nested));
  }
  return found;
}

function walk(value: unknown, ctx: Context): unknown {
  if (typeof value === 'string') {
    return value.includes('{{') || new RegExp(PLACEHOLDER.source).test(value)
      ? expr(ctx, `${stringExpr(value, ctx)} | toJson`)
      : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => {
      const lists = [...listsIn(item, new Set(), false)].filter((l) => l !== ctx.element);
      if (lists.length === 0) return walk(item, ctx);
      if (lists.length > 1)
        throw new Error(`one array element uses several lists (${lists.join(', ')}): not expressible as one range`);
      const body = render(item, { ...ctx, element: lists[0] });
      ctx.ranges.push({ list: lists[0]!, body });
      return RANGE(ctx.ranges.length - 1);
    });
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const maps = entries.filter(([k]) => k.startsWith('@@hvmap:')).map(([k]) => k.slice('@@hvmap:'.length, -2));
    if (maps.length > 0) {
      const literal = entries
        .filter(([k]) => !k.startsWith('@@hvmap:'))
        .map(([k, v]) => {
          if (typeof v !== 'string')
            throw new Error(`map '${maps.join(', ')}' merged with a non-string value at '${k}'`);
          return `${JSON.stringify(k)} ${stringExpr(v, ctx)}`;
        });
      return expr(ctx, `mustMerge (dict ${literal.join(' ')}) ${maps.map((m) => `$.Values.${m}`).join(' ')} | toJson`);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, walk(v, ctx)]));
  }
  return value;
}

/** Renders a value as template text; the context collects its expressions and ranges. */
function render(value: unknown, parent: Context): string {
  const ctx: Context = { exprs: [], ranges: [], element: parent.element };
  let text = toYaml(walk(value, ctx));
  text = text.replace(/^( *)- HELMRANGE(\d+)X$/gm, (_, indent: string, n: string) => {
    const { list, body } = ctx.ranges[Number(n)]!;
    const item = body
      .trimEnd()
      .split('\n')
      .map((line, i) => (i === 0 ? `${indent}- ${line}` : `${indent}  ${line}`));
    return [`${indent}{{- range $.Values.${list} }}`, ...item, `${indent}{{- end }}`].join('\n');
  });
  return text.replace(/HELMEXPR(\d+)X/g, (_, n: string) => `{{ ${ctx.exprs[Number(n)]} }}`);
}

// A pinned image: by digest or by a version tag, never `latest` (the same rule as release-record.ts parseImage).
const PINNED = '(@sha256:[a-f0-9]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$';

/** The template of one object; `condition` wraps it in an `if` on that values path. */
export function helmTemplate(object: unknown, condition?: string): string {
  const body = render(object, { exprs: [], ranges: [] });
  const checks = [...listsIn(object)].map(
    (l) => `{{- if empty $.Values.${l} }}{{ fail "values: '${l}' must list at least one entry" }}{{- end }}\n`,
  );
  if (JSON.stringify(object).includes(`@@hv:${REQUIRED_VALUES.image}@@`)) {
    const image = valueRef(REQUIRED_VALUES.image);
    checks.unshift(
      `{{- if or (not (regexMatch ${JSON.stringify(PINNED)} ${image})) (hasSuffix ":latest" ${image}) }}` +
        `{{ fail "values: 'image' must be pinned by digest (@sha256:...) or a version tag, never latest" }}{{- end }}\n`,
    );
  }
  const text = checks.join('') + body;
  return condition ? `{{- if $.Values.${condition} }}\n${text}{{- end }}\n` : text;
}
