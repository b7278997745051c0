// The Makefile is a thin layer of aliases: each target runs an npm script that exists (or docker), and help lists
// every target.
import { makeTargets, npmScriptsNamed, packageJson, read } from './repo';

const makefile = read('Makefile');
const targets = makeTargets(makefile);

test('offers the targets the docs name', () => {
  const expected = ['help', 'dev', 'test', 'lint', 'synth', 'bench', 'image', 'drills'];
  const release = ['release-deploy', 'release-verify', 'release-promote', 'release-rollback', 'release-status'];
  expect([...targets.keys()]).toEqual(expect.arrayContaining([...expected, ...release]));
});

test.each([...targets.entries()].filter(([name]) => name !== 'help'))(
  '%s is a thin alias over npm or docker',
  (_name, recipe) => {
    const commands = recipe.filter((line) => !line.startsWith('@test ') && !line.startsWith('@echo '));
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^(npm|docker) /);
  },
);

test('names only npm scripts that exist', () => {
  const scripts = Object.keys(packageJson().scripts ?? {});
  expect(npmScriptsNamed(makefile).filter((s) => !scripts.includes(s))).toEqual([]);
});

test('help documents every target', () => {
  const documented = [...makefile.matchAll(/^([a-z][a-z-]*):.*## /gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual([...targets.keys()].sort());
});
