// The entry point the AWS CDK CLI runs (cdk.json): `npx cdk deploy <stack>` synthesizes the same app that
// `npm run infra:synth` commits, into the CLI's own output directory.
import { buildApp } from './app';

buildApp().app.synth();
