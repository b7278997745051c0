// Object names and label sets, decided once: constructs, the Argo CD objects and release/ (which reads the live
// Deployment and Application) all take names and labels from here.
import { APP_NAME, LABELS } from '../contract/runtime';
import type { EnvironmentName } from './environments';

/** The parts of the app that run as pods; the `app.kubernetes.io/component` label value. */
export const COMPONENTS = { api: 'api', migration: 'migration' } as const;
export type Component = (typeof COMPONENTS)[keyof typeof COMPONENTS];

/** The label Kubernetes puts on every namespace with its name (namespace selectors match it). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The value of `app.kubernetes.io/managed-by` on everything synthesized here. */
export const MANAGED_BY = 'cdk8s';

/** The API Deployment (and its Service, PodDisruptionBudget, HorizontalPodAutoscaler, Ingress). */
export function workloadName(): string {
  return APP_NAME;
}

/** The migration Job. */
export function migrationJobName(): string {
  return `${APP_NAME}-migrate`;
}

/** The Kubernetes Secret the ExternalSecret materializes (it holds only the database URL). */
export function databaseSecretName(): string {
  return `${APP_NAME}-database`;
}

/** The key of the database URL inside that Secret. */
export const DATABASE_URL_KEY = 'url';

/** The SecretStore for AWS Secrets Manager. */
export function secretStoreName(): string {
  return `${APP_NAME}-aws-secrets-manager`;
}

/** The Argo CD Application that syncs one environment's gitops/<env>/ directory. */
export function applicationName(env: EnvironmentName): string {
  return `${APP_NAME}-${env}`;
}

/** The Argo CD Application that syncs the release guard's platform folder (gitops/platform/). */
export function platformApplicationName(): string {
  return `${APP_NAME}-platform`;
}

/** The Argo CD AppProject the environments' and the platform's Applications belong to. */
export function projectName(): string {
  return APP_NAME;
}

/** The name of the container port (Service target, probes, ServiceMonitor endpoint). */
export const HTTP_PORT_NAME = 'http';

/** Labels that pick every pod of the app in an environment, whatever the component. */
export function appSelectorLabels(env: EnvironmentName): Record<string, string> {
  return { [LABELS.name]: APP_NAME, [LABELS.instance]: applicationName(env) };
}

/** Labels that pick one component's pods: Deployment/Service/PDB selectors, NetworkPolicy pod selectors. */
export function selectorLabels(env: EnvironmentName, component: Component): Record<string, string> {
  return { ...appSelectorLabels(env), [LABELS.component]: component };
}

/** Labels on every object of an environment. `instance` equals the Argo CD Application name, its tracking label. */
export function commonLabels(env: EnvironmentName): Record<string, string> {
  return {
    [LABELS.name]: APP_NAME,
    [LABELS.instance]: applicationName(env),
    [LABELS.partOf]: APP_NAME,
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.environment]: env,
  };
}

/** Labels of one component's objects and pods. */
export function componentLabels(env: EnvironmentName, component: Component): Record<string, string> {
  return { ...commonLabels(env), [LABELS.component]: component };
}

/** Labels of the pods of one release: the release id lets the gates and the guard pick this release's pods and series. */
export function releasePodLabels(env: EnvironmentName, component: Component, release: string): Record<string, string> {
  return { ...componentLabels(env, component), [LABELS.release]: release };
}
