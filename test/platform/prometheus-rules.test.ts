// The PrometheusRule of each environment with Prometheus's own promtool: the rules load, the alerts use the same
// gate queries and thresholds as the release gates, and each alert fires (and only then) on synthetic series.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ENVIRONMENT_NAMES, environment } from '../../cdk8s/environments';
import { gateQueries } from '../../cdk8s/slo-queries';
import { RECORDED_SERIES, SLO_ALERTS } from '../../cdk8s/constructs/observability';
import { needs } from '../support/needs';
import { readManifests, ROOT } from './support/manifests';

needs('prometheus');

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}
interface Group {
  name: string;
  rules: Rule[];
}

function rulesOf(env: string): Group[] {
  const rule = readManifests(join(ROOT, 'gitops', env)).find((m) => m.object.kind === 'PrometheusRule');
  if (!rule) throw new Error(`gitops/${env}: no PrometheusRule`);
  return (rule.object.spec as { groups: Group[] }).groups;
}

function promtool(args: string[], cwd: string): string {
  try {
    return execFileSync('promtool', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')}:\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
  }
}

describe.each(ENVIRONMENT_NAMES)('%s PrometheusRule', (env) => {
  const settings = environment(env);
  const groups = rulesOf(env);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `rules-${env}-`));
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('promtool check rules accepts it', () => {
    expect(promtool(['check', 'rules', 'rules.yaml'], dir)).toMatch(/SUCCESS/);
  });

  test('records exactly the release gates’ queries for the namespace', () => {
    const recorded = groups.flatMap((g) => g.rules).filter((r) => r.record);
    const gates = gateQueries(settings.slo, { namespace: settings.namespace });
    expect(recorded.map((r) => [r.record, r.expr])).toEqual(gates.map((g) => [RECORDED_SERIES[g.gate], g.query]));
  });

  test('alerts on each gate’s threshold for the SLO window', () => {
    const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);
    for (const gate of gateQueries(settings.slo, { namespace: settings.namespace })) {
      const alert = alerts.find((a) => a.alert === SLO_ALERTS[gate.gate].alert);
      expect(alert).toBeDefined();
      expect(alert!.expr).toContain(`${gate.bound === 'min' ? '<' : '>'} ${gate.threshold}`);
      expect(alert!.for).toBe(settings.slo.window);
    }
  });

  test('promtool test rules: the error-ratio and no-traffic alerts fire on bad series and stay quiet on good ones', () => {
    const ns = settings.namespace;
    const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert) as (Rule & {
      annotations: Record<string, string>;
    })[];
    const annotations = (name: string, value: string) =>
      Object.fromEntries(
        Object.entries(alerts.find((a) => a.alert === name)!.annotations).map(([k, v]) => [
          k,
          v.replace('{{ $value }}', value),
        ]),
      );
    const series = (status: string, route: string) =>
      `http_requests_total{namespace="${ns}",route="${route}",status_code="${status}",method="GET",release="r1"}`;
    // 10 req/s of which 1 req/s answers 500: an error ratio of 0.1, above every environment's maximum, and traffic
    // above every minimum. Probe traffic is left out of every SLO query.
    const after = '2h';
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '30s',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: series('200', '/hello/:username'), values: '0+540x180' },
            { series: series('500', '/hello/:username'), values: '0+60x180' },
            { series: series('200', '/healthz'), values: '0+600x180' },
          ],
          alert_rule_test: [
            {
              eval_time: after,
              alertname: SLO_ALERTS.errorRatio.alert,
              exp_alerts: [
                {
                  exp_labels: { severity: SLO_ALERTS.errorRatio.severity, namespace: ns },
                  exp_annotations: annotations(SLO_ALERTS.errorRatio.alert, '0.1'),
                },
              ],
            },
            { eval_time: after, alertname: SLO_ALERTS.traffic.alert, exp_alerts: [] },
          ],
        },
        {
          interval: '1m',
          input_series: [
            { series: series('200', '/hello/:username'), values: '0+600x180' },
            { series: series('200', '/healthz'), values: '0+600x180' },
          ],
          alert_rule_test: [
            { eval_time: after, alertname: SLO_ALERTS.errorRatio.alert, exp_alerts: [] },
            { eval_time: after, alertname: SLO_ALERTS.traffic.alert, exp_alerts: [] },
          ],
        },
        {
          interval: '1m',
          input_series: [{ series: series('200', '/healthz'), values: '0+600x180' }],
          alert_rule_test: [
            {
              eval_time: after,
              alertname: SLO_ALERTS.traffic.alert,
              exp_alerts: [
                {
                  exp_labels: { severity: SLO_ALERTS.traffic.severity, namespace: ns },
                  exp_annotations: annotations(SLO_ALERTS.traffic.alert, '0'),
                },
              ],
            },
            { eval_time: after, alertname: SLO_ALERTS.errorRatio.alert, exp_alerts: [] },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yaml'), stringify(tests));
    expect(promtool(['test', 'rules', 'tests.yaml'], dir)).toMatch(/SUCCESS/);
  });
});
