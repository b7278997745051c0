// The AWS CDK app: the shared stack and one stack per environment, built from settings/. cdk-nag's AwsSolutions
// pack and the CDK's own CloudFormation rules run at synth and fail it; acknowledgements sit beside the resource
// with their reason.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENVIRONMENT_SETTINGS, SHARED_SETTINGS } from '../settings/environments';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentName,
  type EnvironmentSettings,
  type SharedSettings,
} from '../settings/schema';
import { EnvironmentStack } from './environment-stack';
import { SharedStack } from './shared-stack';

export interface InfraApp {
  readonly app: App;
  readonly shared: SharedStack;
  readonly environments: Record<EnvironmentName, EnvironmentStack>;
}

/** The stack name of the shared stack, and of each environment's. */
export const SHARED_STACK_NAME = 'HelloApp-Shared';
export const environmentStackName = (name: EnvironmentName) => `HelloApp-${name}`;

export function buildApp(
  shared: SharedSettings = SHARED_SETTINGS,
  environments: Readonly<Record<EnvironmentName, EnvironmentSettings>> = ENVIRONMENT_SETTINGS,
  outdir?: string,
): InfraApp {
  const app = new App({
    outdir,
    // No version metadata in the templates: they are committed and must not change with the CDK's own version.
    analyticsReporting: false,
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const sharedStack = new SharedStack(app, SHARED_STACK_NAME, { shared, environments });
  const stacks = Object.fromEntries(
    ENVIRONMENT_NAMES.map((name) => [
      name,
      new EnvironmentStack(app, environmentStackName(name), { settings: environments[name], shared }),
    ]),
  ) as Record<EnvironmentName, EnvironmentStack>;
  return { app, shared: sharedStack, environments: stacks };
}
