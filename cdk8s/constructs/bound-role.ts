// A namespaced Role and the RoleBinding that grants it to one subject, under one name: the only RBAC shape this
// project writes (no ClusterRoles).
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';

export interface BoundRoleMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Adds `<id>Role` and `<id>Binding` to `scope`. */
export function boundRole(
  scope: Construct,
  id: string,
  metadata: BoundRoleMetadata,
  subject: k8s.Subject,
  rules: k8s.PolicyRule[],
): void {
  new k8s.KubeRole(scope, `${id}Role`, { metadata, rules });
  new k8s.KubeRoleBinding(scope, `${id}Binding`, {
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name },
    subjects: [subject],
  });
}
