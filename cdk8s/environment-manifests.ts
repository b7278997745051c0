// One environment's manifests from its settings and its release record: the pure step between the data and the
// files (synth.ts writes them; the tests and the Helm chart generator read them).
import { App } from 'cdk8s';
import type { Environment } from './environments';
import { HelloEnvironment, type RunningRelease } from './hello-environment';
import { manifestFiles, type FileSet, type KubeObject } from './manifest-files';
import { releasePolicyObjects } from './release-policy-manifests';
import { parseImage, type ReleaseRecord } from './release-record';

/** What the record says runs, checked against the environment: pinned, and from the environment's repository. */
export function runningRelease(env: Environment, record: ReleaseRecord, where: string): RunningRelease {
  if (record.environment !== env.name) {
    throw new Error(`${where}: field 'environment' is '${record.environment}', expected '${env.name}'`);
  }
  if (!record.current) {
    throw new Error(
      `${where}: field 'current' is absent: nothing to run yet; deploy a first release with the release tool`,
    );
  }
  const { image, release } = record.current;
  const ref = parseImage(image);
  if (ref.repository !== env.aws.imageRepository) {
    throw new Error(
      `${where}: field 'current.image' is from '${ref.repository}', but environment '${env.name}' runs only images from '${env.aws.imageRepository}'`,
    );
  }
  return { image, release };
}

/** The objects of one environment, in construct order. */
export function environmentObjects(env: Environment, running: RunningRelease): KubeObject[] {
  const app = new App();
  const chart = new HelloEnvironment(app, env.name, { environment: env, running });
  return chart.toJson() as KubeObject[];
}

/** gitops/<env>/: the workload (what the Helm chart also holds) and the release guard's ReleasePolicy for it. */
export function environmentFiles(env: Environment, running: RunningRelease): FileSet {
  return manifestFiles([...environmentObjects(env, running), ...releasePolicyObjects(env)]);
}
