// The PromQL for the service-level objectives, built once: the PrometheusRule alerts (cdk8s) and the release
// gates (release/) both call these functions, so what an alert fires on and what a gate judges cannot drift apart.
import { METRICS, OPERATING_ROUTES } from '../contract/runtime';
import type { GateName, Slo } from './environments';

/** Which series a query covers: always one namespace, and for a release gate, one release's pods. */
export interface QueryScope {
  readonly namespace: string;
  /** The `release` label value; absent for alerts, which cover whatever runs in the namespace. */
  readonly release?: string;
}

const L = METRICS.labels;

/** Quotes a label value for a PromQL selector. */
function quote(value: string): string {
  return JSON.stringify(value);
}

/** The label matchers of every SLO query: the scope, minus the operating endpoints (probes, scrapes). */
export function selector(scope: QueryScope, extra: readonly string[] = []): string {
  const matchers = [`namespace=${quote(scope.namespace)}`];
  if (scope.release !== undefined) matchers.push(`${L.release}=${quote(scope.release)}`);
  matchers.push(`${L.route}!~${quote(OPERATING_ROUTES.join('|'))}`, ...extra);
  return `{${matchers.join(',')}}`;
}

/** Requests per second over the window. */
export function requestRateQuery(scope: QueryScope, window: string): string {
  return `sum(rate(${METRICS.requestsTotal}${selector(scope)}[${window}]))`;
}

/** Share of requests answered 5xx over the window (NaN, i.e. no data, when there was no traffic). */
export function errorRatioQuery(scope: QueryScope, window: string): string {
  const errors = `sum(rate(${METRICS.requestsTotal}${selector(scope, [`${L.statusCode}=~"5.."`])}[${window}]))`;
  // `or vector(0)` makes "traffic but no 5xx" a 0 rather than an empty result; with no traffic at all the
  // division is 0/0 = NaN, which the gates treat as no data.
  return `(${errors} or vector(0)) / ${requestRateQuery(scope, window)}`;
}

/** The 99th percentile request latency in seconds over the window. */
export function latencyP99Query(scope: QueryScope, window: string): string {
  return `histogram_quantile(0.99, sum by (le) (rate(${METRICS.requestDuration}_bucket${selector(scope)}[${window}])))`;
}

/** One gate: its query, its threshold and which side of the threshold passes. */
export interface GateQuery {
  readonly gate: GateName;
  readonly query: string;
  readonly threshold: number;
  /** 'min': the value must be at least the threshold; 'max': at most. */
  readonly bound: 'min' | 'max';
  readonly unit: 'req/s' | 'ratio' | 's';
}

/** The three SLO gates for a scope, with the environment's thresholds. */
export function gateQueries(slo: Slo, scope: QueryScope, window: string = slo.window): readonly GateQuery[] {
  return [
    {
      gate: 'traffic',
      query: requestRateQuery(scope, window),
      threshold: slo.minRequestsPerSecond,
      bound: 'min',
      unit: 'req/s',
    },
    {
      gate: 'errorRatio',
      query: errorRatioQuery(scope, window),
      threshold: slo.maxErrorRatio,
      bound: 'max',
      unit: 'ratio',
    },
    {
      gate: 'latencyP99',
      query: latencyP99Query(scope, window),
      threshold: slo.maxP99LatencySeconds,
      bound: 'max',
      unit: 's',
    },
  ];
}
