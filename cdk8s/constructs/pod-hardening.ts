// The hardened pod and container settings every pod of the app runs with (Pod Security "restricted" and more):
// non-root, read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp.
import { k8s } from 'cdk8s-plus-28';

/** The user and group the containers run as when the image does not say otherwise. */
export const DEFAULT_RUN_AS_USER = 10001;

/** The writable scratch space a read-only root filesystem still needs (Node and Prisma write temp files). */
export const TMP_VOLUME: k8s.Volume = { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } };
export const TMP_MOUNT: k8s.VolumeMount = { name: TMP_VOLUME.name, mountPath: '/tmp' };

export function podSecurityContext(runAsUser: number = DEFAULT_RUN_AS_USER): k8s.PodSecurityContext {
  if (!Number.isInteger(runAsUser) || runAsUser < 1) {
    throw new Error(`'runAsUser' is ${runAsUser}: it must be a positive integer (a non-root user id)`);
  }
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
