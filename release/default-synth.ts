// The synthesizer the CLI uses: cdk8s/synth.ts's synthEnvironment, the one writer of an environment's manifests.
import { synthEnvironment } from '../cdk8s/synth';
import type { Synthesizer } from './steps/synthesize';

export const cdk8sSynth: Synthesizer = (env, gitopsDir) => synthEnvironment(env, gitopsDir);
