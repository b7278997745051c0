// Observability for one environment: a ServiceMonitor scraping /metrics, and a PrometheusRule whose recording
// rules and SLO alerts come from the same gate queries and thresholds as the release gates (slo-queries.ts).
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PATHS } from '../../contract/runtime';
import type { GateName, Slo } from '../environments';
import { gateQueries, type GateQuery } from '../slo-queries';
import { syncWave } from '../sync-order';

const MONITORING_API = 'monitoring.coreos.com/v1';

/** Alert severities, from "look at it today" to "wake someone up". */
export type Severity = 'warning' | 'critical';

/** The recorded series of each gate. */
export const RECORDED_SERIES: Readonly<Record<GateName, string>> = {
  traffic: 'hello_app:slo_request_rate',
  errorRatio: 'hello_app:slo_error_ratio',
  latencyP99: 'hello_app:slo_latency_p99_seconds',
};

/** Each gate's alert: name, severity and summary. */
export const SLO_ALERTS: Readonly<
  Record<GateName, { readonly alert: string; readonly severity: Severity; readonly summary: string }>
> = {
  traffic: { alert: 'HelloAppNoTraffic', severity: 'warning', summary: 'request rate below the SLO minimum' },
  errorRatio: { alert: 'HelloAppErrorRatioHigh', severity: 'critical', summary: '5xx ratio above the SLO maximum' },
  latencyP99: { alert: 'HelloAppLatencyP99High', severity: 'critical', summary: 'p99 latency above the SLO maximum' },
};

export interface ObservabilityProps {
  readonly name: string;
  readonly namespace: string;
  readonly slo: Slo;
  /** Labels of the Service to scrape. */
  readonly serviceSelector: Record<string, string>;
  /** The Service's port name. */
  readonly portName: string;
  /** Labels of both objects (include those the Prometheus Operator selects by). */
  readonly labels: Record<string, string>;
  /** How often Prometheus scrapes. @default '15s' */
  readonly scrapeInterval?: string;
}

/** The alert expression of a gate: the gate's query on the wrong side of its threshold. */
export function alertExpression(gate: GateQuery, namespace: string): string {
  // Several environments may share one Prometheus: the recorded series is picked by its namespace label.
  const series = `${RECORDED_SERIES[gate.gate]}{namespace=${JSON.stringify(namespace)}}`;
  // For a minimum, an empty result (no series at all) must also fire, so it counts as 0; `on()` keeps the 0 out
  // when the series exists (a plain `or` would add it beside the series and the alert would have duplicates).
  return gate.bound === 'min' ? `(${series} or on() vector(0)) < ${gate.threshold}` : `${series} > ${gate.threshold}`;
}

/** One alerting rule, in the one shape every alert of the platform has: a severity label, a summary, a description. */
export interface AlertSpec {
  readonly alert: string;
  readonly expr: string;
  /** How long the expression must hold before the alert fires (a Prometheus duration). */
  readonly for: string;
  readonly severity: Severity;
  readonly labels?: Record<string, string>;
  readonly summary: string;
  readonly description: string;
}

export function alertRule(a: AlertSpec): Record<string, unknown> {
  return {
    alert: a.alert,
    expr: a.expr,
    for: a.for,
    labels: { severity: a.severity, ...a.labels },
    annotations: { summary: a.summary, description: a.description },
  };
}

export class Observability extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const interval = props.scrapeInterval ?? '15s';
    if (!/^[1-9][0-9]*s$/.test(interval))
      throw new Error(`'scrapeInterval' is '${interval}': use seconds such as '15s'`);
    new ApiObject(this, 'ServiceMonitor', {
      apiVersion: MONITORING_API,
      kind: 'ServiceMonitor',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: syncWave('workload'),
      },
      spec: {
        selector: { matchLabels: props.serviceSelector },
        namespaceSelector: { matchNames: [props.namespace] },
        // honorLabels stays off and nothing is relabelled: the target keeps its `namespace` label, which every SLO
        // query selects on, and the service's own `release` label passes through untouched.
        endpoints: [{ port: props.portName, path: PATHS.metrics, interval, scheme: 'http' }],
      },
    });

    const gates = gateQueries(props.slo, { namespace: props.namespace });
    new ApiObject(this, 'Rules', {
      apiVersion: MONITORING_API,
      kind: 'PrometheusRule',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        annotations: syncWave('workload'),
      },
      spec: {
        groups: [
          {
            name: 'hello-app-slo-recording',
            interval: props.slo.interval,
            rules: gates.map((g) => ({
              record: RECORDED_SERIES[g.gate],
              expr: g.query,
              labels: { namespace: props.namespace },
            })),
          },
          {
            name: 'hello-app-slo-alerts',
            rules: gates.map((g) =>
              alertRule({
                alert: SLO_ALERTS[g.gate].alert,
                expr: alertExpression(g, props.namespace),
                for: props.slo.window,
                severity: SLO_ALERTS[g.gate].severity,
                labels: { namespace: props.namespace },
                summary: `hello-app in ${props.namespace}: ${SLO_ALERTS[g.gate].summary}`,
                description: `${g.gate} is {{ $value }} ${g.unit}; the SLO ${g.bound === 'min' ? 'minimum' : 'maximum'} is ${g.threshold} ${g.unit} over ${props.slo.window}.`,
              }),
            ),
          },
        ],
      },
    });
  }
}
