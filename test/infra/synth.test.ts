// The drift check behind `npm run infra:synth -- --check`: the committed templates match what the app synthesizes,
// and a template edited by hand or left from a stack that no longer exists is named.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTemplates, templateFiles, TEMPLATES_DIR } from '../../infra/synth';
import { ROOT } from '../platform/support/manifests';

const files = templateFiles();
const committed = join(ROOT, TEMPLATES_DIR);

test('the committed templates are what the app synthesizes', () => {
  expect(checkTemplates(committed, files)).toEqual([]);
});

test('a template edited by hand and one left from a removed stack are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infra-templates-'));
  try {
    cpSync(committed, dir, { recursive: true });
    writeFileSync(join(dir, 'HelloApp-dev.template.json'), '{}\n');
    writeFileSync(join(dir, 'HelloApp-gone.template.json'), '{}\n');
    expect(checkTemplates(dir, files)).toEqual([
      `${join(dir, 'HelloApp-dev.template.json')} (differs)`,
      `${join(dir, 'HelloApp-gone.template.json')} (stale)`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
