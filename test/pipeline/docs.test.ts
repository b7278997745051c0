// What README.md and docs/*.md tell a reader to run or open exists: every npm script, make target and release
// subcommand in their code, every repository path in their code, and every relative link (with its #anchor).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_NAMES } from '../../cdk8s/environments';
import { COMMAND_NAMES, GUARD_COMMAND } from '../../release/cli/args';
import { ROOT, makeTargets, npmScriptsNamed, packageJson, read } from './repo';

const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/** The text a reader would type or look up: fenced blocks and inline code spans, nothing of the prose. */
function codeOf(markdown: string): string[] {
  // Diagrams (Mermaid) break lines with <br/> and escape angle brackets.
  const blocks = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) =>
    m[1]!.replaceAll('<br/>', '\n').replaceAll('&lt;', '<').replaceAll('&gt;', '>'),
  );
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  return [...blocks, ...[...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!)];
}

/** Markdown links outside code: [text](target). */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '').replace(/`[^`\n]+`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
const anchorsOf = (markdown: string) =>
  new Set([...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!)));

const TOP_LEVEL = new Set(readdirSync(ROOT));
const FILES = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean);
const BASENAMES = new Set(FILES.map((f) => path.basename(f)));

/** Whether a repository path named in the docs exists; `<env>` stands for each environment, `<x>` and `*` for any. */
function pathExists(named: string): boolean {
  const clean = named.replace(/[.,:;)]+$/, '').replace(/\/$/, '');
  if (clean.includes('<env>')) return ENVIRONMENT_NAMES.every((env) => pathExists(clean.replaceAll('<env>', env)));
  if (/[<*]/.test(clean)) {
    const pattern = new RegExp(`^${clean.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/<[^>]+>|\*/g, '[^/]+')}(/|$)`);
    return FILES.some((f) => pattern.test(f));
  }
  return existsSync(path.join(ROOT, clean));
}

/** Words of the docs' code that name a path in this repository: the first segment is a top-level entry. */
function repositoryPaths(code: string): string[] {
  return code
    .split(/[\s'"=()[\]]+/)
    .filter((w) => /^\.?[\w-]+(\.[\w-]+)*\/\S*$/.test(w) && TOP_LEVEL.has(w.split('/')[0]!))
    .filter((w) => !w.includes('…'));
}

/** A bare file name such as `release.yml`: some file in the repository has it. */
function bareFileNames(code: string): string[] {
  return code
    .split(/\s+/)
    .filter((w) => /^[\w.-]+\.(ts|js|json|ya?ml|md|sh|lua|sql|prisma)$/.test(w) && !w.startsWith('*'));
}

const scripts = Object.keys(packageJson().scripts ?? {});
const targets = [...makeTargets(read('Makefile')).keys()];
const releaseCommands = [...COMMAND_NAMES, GUARD_COMMAND];

describe.each(DOCS)('%s', (doc) => {
  const text = read(doc);
  const code = codeOf(text);

  test('names only npm scripts that exist', () => {
    expect(npmScriptsNamed(code.join('\n')).filter((s) => !scripts.includes(s))).toEqual([]);
  });

  test('names only make targets that exist', () => {
    const named = code.flatMap((c) => [...c.matchAll(/(?:^|[\s;&|(])make ([a-z][\w*-]*)/g)].map((m) => m[1]!));
    const exists = (t: string) => targets.some((target) => new RegExp(`^${t.replaceAll('*', '.+')}$`).test(target));
    expect(named.filter((t) => !exists(t))).toEqual([]);
  });

  test('names only release subcommands that exist', () => {
    const named = code.flatMap((c) =>
      // A command starts its line (or follows ; && |): a diagram's "one commit per release decision" is no command.
      [...c.matchAll(/(?:^|[;&|]\s*)(?:npm run release --|release) ([a-z][\w-]*)/gm)].map((m) => m[1]!),
    );
    expect(named.filter((c) => !releaseCommands.includes(c))).toEqual([]);
  });

  test('names only repository paths and file names that exist', () => {
    const paths = code.flatMap(repositoryPaths).filter((p) => !pathExists(p));
    const names = code.flatMap(bareFileNames).filter((n) => !BASENAMES.has(n) && !pathExists(n));
    expect([...paths, ...names]).toEqual([]);
  });

  test('links only to files and headings that exist', () => {
    const broken = linksOf(text)
      .filter((l) => !/^[a-z]+:/i.test(l))
      .filter((link) => {
        const [file, anchor] = link.split('#') as [string, string | undefined];
        const target = file ? path.join(path.dirname(doc), file) : doc;
        if (!existsSync(path.join(ROOT, target))) return true;
        return anchor !== undefined && target.endsWith('.md') && !anchorsOf(read(target)).has(anchor);
      });
    expect(broken).toEqual([]);
  });
});
