// Synthesizes the AWS CDK app from fixture settings into a temporary directory that the caller removes, so a
// test file pays for one synthesis (validation plugins included) and leaves nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type InfraApp } from '../../infra/app';
import { FIXTURE_ENVIRONMENTS, FIXTURE_SHARED } from './aws-settings-fixture';

export function synthFixtureApp(
  shared = FIXTURE_SHARED,
  environments = FIXTURE_ENVIRONMENTS,
): InfraApp & { cleanup: () => void } {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-test-'));
  const cleanup = () => rmSync(outdir, { recursive: true, force: true });
  try {
    const built = buildApp(shared, environments, outdir);
    built.app.synth(); // runs cdk-nag and the CloudFormation rules: a finding throws here
    return { ...built, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}
