// Reads the repository's pipeline files for the pipeline tests: workflows and local actions, the Dockerfile, .dockerignore, the
// Makefile and package.json, plus the `npm run` commands each of them names.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export function read(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

export function workflowFiles(): string[] {
  return readdirSync(path.join(ROOT, '.github', 'workflows'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `.github/workflows/${f}`);
}

/** The repository's own (local) actions: `.github/actions/<name>/action.yml`. */
export function localActionFiles(): string[] {
  return readdirSync(path.join(ROOT, '.github', 'actions'))
    .sort()
    .map((name) => `.github/actions/${name}/action.yml`);
}

interface PackageJson {
  engines?: { node?: string };
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function packageJson(): PackageJson {
  return JSON.parse(read('package.json')) as PackageJson;
}

/**
 * The npm scripts a text invokes: `npm run x`, `npm run-script x`, and the `npm start` / `npm test` shorthands.
 * Options before the script name (`npm run --silent x`) are skipped.
 */
export function npmScriptsNamed(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bnpm\s+(?:run|run-script)\s+(?:--?[\w-]+\s+)*([\w:.-]+)/g)) names.add(m[1]!);
  for (const m of text.matchAll(/\bnpm\s+(start|test)\b/g)) names.add(m[1]!);
  return [...names].sort();
}

/** A Dockerfile's instructions: keyword and arguments, comments dropped and continuation lines joined. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** Index of the build stage (0-based) the instruction belongs to; -1 before the first FROM. */
  readonly stage: number;
}

export function dockerInstructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && /^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  let stage = -1;
  return logical.map((l) => {
    const [keyword = '', ...rest] = l.split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') stage += 1;
    return { keyword: upper, args: rest.join(' '), stage };
  });
}

/** The Makefile's targets and, for each, its recipe lines. */
export function makeTargets(text: string): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const target = /^([a-z][a-z0-9-]*):(?!=)/.exec(line);
    if (target) {
      current = [];
      targets.set(target[1]!, current);
    } else if (line.startsWith('\t') && current) {
      current.push(line.trim());
    } else if (!line.startsWith('\t')) {
      current = undefined;
    }
  }
  return targets;
}

/**
 * Whether a .dockerignore keeps `file` (a repository-relative path) out of the build context: the last matching
 * pattern wins, `!` re-includes, a pattern matching a folder excludes what is inside it. Enough of Docker's rules
 * (`*`, `**`, `?`, leading `/`) for this repository's file.
 */
export function dockerIgnores(patterns: readonly string[], file: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+/, '').replace(/\/+$/, '');
    const re = new RegExp(`^${globToRegExp(pattern)}(/.*)?$`);
    if (re.test(file)) ignored = !negate;
  }
  return ignored;
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

export function dockerIgnorePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
