// Monitoring of the release guard itself: a PodMonitor scraping every replica (ready or not: a blind leader is not
// ready, and that is exactly when its metrics matter) and a PrometheusRule alerting when the guard is not
// evaluating an environment, has no leader, or has held its verdict for longer than N windows. The alerts are built
// with the same alertRule as the SLO alerts and query the metric names of contract/guard.ts.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GUARD_METRICS } from '../../contract/guard';
import { PATHS } from '../../contract/runtime';
import { alertRule } from './observability';

const MONITORING_API = 'monitoring.coreos.com/v1';

/** The guard's alert names. */
export const GUARD_ALERTS = {
  notEvaluating: 'ReleaseGuardNotEvaluating',
  noLeader: 'ReleaseGuardNoLeader',
  holding: 'ReleaseGuardHoldingTooLong',
} as const;

export interface GuardObservabilityProps {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: Record<string, string>;
  /** The container port's name. */
  readonly portName: string;
  /** Labels of both objects (include those the Prometheus Operator selects by). */
  readonly labels: Record<string, string>;
  /** Each watched environment's analysis window, in seconds. */
  readonly windows: Readonly<Record<string, number>>;
  /** Seconds between two evaluations of one environment. */
  readonly intervalSeconds: number;
  /** The Lease duration: a leader is replaced within it, so no leader for longer is an outage. */
  readonly leaseSeconds: number;
  /** Held verdicts (other than a quiet period) for this many windows alert. @default 3 */
  readonly holdingWindows?: number;
}

const env = (e: string) => `{env=${JSON.stringify(e)}}`;

/** Not evaluating: blind (set by the guard) or no finished evaluation for three windows (a stuck loop). */
export function notEvaluatingExpression(e: string, windowSeconds: number, intervalSeconds: number): string {
  const stale = 3 * Math.max(windowSeconds, intervalSeconds);
  return `max(${GUARD_METRICS.blind}${env(e)}) > 0 or (time() - max(${GUARD_METRICS.lastEvaluation}${env(e)})) > ${stale}`;
}

export function noLeaderExpression(): string {
  return `max(${GUARD_METRICS.leader}) < 1 or absent(${GUARD_METRICS.leader})`;
}

export function holdingExpression(e: string, windowSeconds: number, windows: number): string {
  return `(time() - max(${GUARD_METRICS.holdingSince}${env(e)} > 0)) > ${windows * windowSeconds}`;
}

export class GuardObservability extends Construct {
  constructor(scope: Construct, id: string, props: GuardObservabilityProps) {
    super(scope, id);
    const holdingWindows = props.holdingWindows ?? 3;
    if (!Number.isInteger(holdingWindows) || holdingWindows < 1)
      throw new Error(`'holdingWindows' is ${holdingWindows}: use a whole number of windows, 1 or more`);
    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
    new ApiObject(this, 'PodMonitor', {
      apiVersion: MONITORING_API,
      kind: 'PodMonitor',
      metadata,
      spec: {
        selector: { matchLabels: props.podSelector },
        namespaceSelector: { matchNames: [props.namespace] },
        podMetricsEndpoints: [{ port: props.portName, path: PATHS.metrics }],
      },
    });
    const perEnv = Object.entries(props.windows);
    new ApiObject(this, 'Rules', {
      apiVersion: MONITORING_API,
      kind: 'PrometheusRule',
      metadata,
      spec: {
        groups: [
          {
            name: 'release-guard',
            rules: [
              alertRule({
                alert: GUARD_ALERTS.noLeader,
                expr: noLeaderExpression(),
                for: `${2 * props.leaseSeconds}s`,
                severity: 'critical',
                summary: 'release guard: no replica holds the Lease',
                description:
                  'No release guard leads: no live release is being re-checked and nothing rolls back a breach.',
              }),
              ...perEnv.map(([e, w]) =>
                alertRule({
                  alert: GUARD_ALERTS.notEvaluating,
                  expr: notEvaluatingExpression(e, w, props.intervalSeconds),
                  for: '1m',
                  severity: 'critical',
                  labels: { env: e },
                  summary: `release guard: not evaluating ${e}`,
                  description: `The guard has not evaluated ${e}'s live release for longer than its ${w} s window; its /readyz and ${GUARD_METRICS.reconcileErrors} say why.`,
                }),
              ),
              ...perEnv.map(([e, w]) =>
                alertRule({
                  alert: GUARD_ALERTS.holding,
                  expr: holdingExpression(e, w, holdingWindows),
                  for: '1m',
                  severity: 'warning',
                  labels: { env: e },
                  summary: `release guard: ${e} held for more than ${holdingWindows} windows`,
                  description: `Every evaluation of ${e} for {{ $value }} s has held (no data or Prometheus errors): the release is not being judged.`,
                }),
              ),
            ],
          },
        ],
      },
    });
  }
}
