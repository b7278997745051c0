// The hardened pod and container settings every pod of the app runs with (Pod Security "restricted" and more):
// non-root, read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp; and the
// rollout policy every Deployment of the app shares.
import { k8s } from 'cdk8s-plus-28';
import { RUN_AS } from '../../contract/runtime';

/** The writable scratch space a read-only root filesystem still needs (Node and Prisma write temp files). */
export const TMP_VOLUME: k8s.Volume = { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } };
export const TMP_MOUNT: k8s.VolumeMount = { name: TMP_VOLUME.name, mountPath: '/tmp' };

/** The pod runs as the image's user and group (contract/runtime.ts RUN_AS); volumes are group-owned by it. */
export function podSecurityContext(): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS.uid,
    runAsGroup: RUN_AS.gid,
    fsGroup: RUN_AS.gid,
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

/** Rolling updates that never take a ready pod away before its replacement is ready (one extra pod at a time). */
export const ZERO_UNAVAILABLE_ROLLOUT: k8s.DeploymentStrategy = {
  type: 'RollingUpdate',
  rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) },
};
