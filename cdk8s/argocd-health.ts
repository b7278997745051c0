// The ReleasePolicy's Argo CD health check as Argo CD takes it: the `argocd-cm` key
// `resource.customizations.health.<group>_<Kind>` holding the Lua of argocd/health/<group>_<Kind>/health.lua, the
// file its tests run (Argo CD's own layout: health.lua, health_test.yaml, testdata/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitopsSource } from './gitops-source';
import type { KubeObject } from './manifest-files';
import { RELEASE_POLICY_API } from './release-policy';

const GROUP_KIND = `${RELEASE_POLICY_API.group}_${RELEASE_POLICY_API.kind}`;

/** The check's folder, relative to the repository root. */
export const HEALTH_CHECK_DIR = join('argocd', 'health', GROUP_KIND);

/** The `argocd-cm` key Argo CD reads a kind's health check from. */
export const HEALTH_CUSTOMIZATION_KEY = `resource.customizations.health.${GROUP_KIND}`;

export function healthCheckLua(rootDir: string = join(__dirname, '..')): string {
  return readFileSync(join(rootDir, HEALTH_CHECK_DIR, 'health.lua'), 'utf8');
}

/**
 * The part of `argocd-cm` this project owns: one key, applied server-side so that the rest of the ConfigMap stays
 * with whoever installed Argo CD (docs/guard.md). The labels are the ones Argo CD looks its ConfigMap up by.
 */
export function argocdHealthConfig(source: GitopsSource): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      namespace: source.argocdNamespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: { [HEALTH_CUSTOMIZATION_KEY]: healthCheckLua() },
  } as KubeObject;
}
