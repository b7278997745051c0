// One container of the hello-app image, as every pod of the app runs it: the pinned image, a command from the
// runtime contract, the database URL and the common environment, hardened and with resource requests and limits;
// and the props every construct whose pods run it (the workload, the migration Job) takes.
import { k8s } from 'cdk8s-plus-28';
import { ENV } from '../../contract/runtime';
import { containerSecurityContext, TMP_MOUNT } from './pod-hardening';

export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** What a construct whose pods run the hello-app image needs: its objects' identity and the container's inputs. */
export interface HelloPodProps {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  /** The release id: the service labels its metrics with it. */
  readonly release: string;
  readonly serviceAccountName: string;
  readonly databaseUrl: k8s.EnvVar;
  readonly resources: ContainerResources;
  /** Labels of the construct's own objects (the Deployment and its Service, the Job). */
  readonly labels: Record<string, string>;
  /** Labels of the pods (the workload's: its selector + release). */
  readonly podLabels: Record<string, string>;
  /** Application environment variables (log level, time zone...), after the common ones. @default none */
  readonly env?: Record<string, string>;
}

export interface HelloContainerOptions extends Pick<
  HelloPodProps,
  'image' | 'release' | 'databaseUrl' | 'resources' | 'env'
> {
  /** The container's name. */
  readonly name: string;
  /** One of the image's commands (contract/runtime.ts COMMANDS). */
  readonly args: readonly string[];
}

export function resourceRequirements(r: ContainerResources): k8s.ResourceRequirements {
  const q = (v: string) => k8s.Quantity.fromString(v);
  return {
    requests: { cpu: q(r.requests.cpu), memory: q(r.requests.memory) },
    limits: { cpu: q(r.limits.cpu), memory: q(r.limits.memory) },
  };
}

export function helloContainer(o: HelloContainerOptions): k8s.Container {
  const env: k8s.EnvVar[] = [o.databaseUrl, { name: ENV.release, value: o.release }];
  for (const [name, value] of Object.entries(o.env ?? {})) env.push({ name, value });
  return {
    name: o.name,
    image: o.image,
    imagePullPolicy: 'IfNotPresent',
    args: [...o.args],
    env,
    resources: resourceRequirements(o.resources),
    securityContext: containerSecurityContext(),
    volumeMounts: [TMP_MOUNT],
  };
}
