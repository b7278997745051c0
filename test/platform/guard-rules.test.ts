// The release guard's own alerts with Prometheus's promtool: the PrometheusRule in gitops/platform loads, and each
// alert fires on the series a guard in trouble exports (blind, stuck, leaderless, holding) and stays quiet on a
// healthy guard's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ENVIRONMENTS, seconds } from '../../cdk8s/environments';
import { GUARD_ALERTS } from '../../cdk8s/constructs/guard-observability';
import { needs } from '../support/needs';
import { readManifests, ROOT } from './support/manifests';

needs('prometheus');

const rule = readManifests(join(ROOT, 'gitops', 'platform')).find((m) => m.object.kind === 'PrometheusRule');
const groups = (rule?.object.spec as { groups: unknown[] } | undefined)?.groups ?? [];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guard-rules-'));
  writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function promtool(args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')}:\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
  }
}

test('gitops/platform holds the guard’s PrometheusRule and promtool accepts it', () => {
  expect(groups.length).toBeGreaterThan(0);
  expect(promtool(['check', 'rules', 'rules.yaml'])).toMatch(/SUCCESS/);
});

test('promtool test rules: the guard alerts fire when it is blind, stuck, leaderless or holding, and not when healthy', () => {
  const devWindow = seconds(ENVIRONMENTS.dev.slo.window);
  const pod = (p: string) => `pod="${p}"`;
  // Minute samples over two hours; values are what the guard's gauges would export.
  const healthyDev = (extra: { series: string; values: string }[] = []) => [
    { series: `release_guard_leader{${pod('a')}}`, values: '1x120' },
    { series: `release_guard_leader{${pod('b')}}`, values: '0x120' },
    { series: `release_guard_blind{env="dev",${pod('a')}}`, values: '0x120' },
    // Evaluated every minute: the timestamp keeps up with the clock.
    { series: `release_guard_last_evaluation_timestamp_seconds{env="dev",${pod('a')}}`, values: '0+60x120' },
    { series: `release_guard_holding_since_timestamp_seconds{env="dev",${pod('a')}}`, values: '0x120' },
    ...extra,
  ];
  const at = '100m';
  // promtool compares annotations too: take them from the rule (they are not what these cases test).
  const rules = (
    groups as { rules: { alert: string; labels: Record<string, string>; annotations: object }[] }[]
  ).flatMap((g) => g.rules);
  const firing = (alertname: string, labels: Record<string, string>) => ({
    eval_time: at,
    alertname,
    exp_alerts: [
      {
        exp_labels: labels,
        exp_annotations: rules.find((r) => r.alert === alertname && (r.labels.env ?? '') === (labels.env ?? ''))
          ?.annotations,
      },
    ],
  });
  const quiet = (alertname: string) => ({ eval_time: at, alertname, exp_alerts: [] });
  const tests = {
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: healthyDev(),
        alert_rule_test: [quiet(GUARD_ALERTS.noLeader), quiet(GUARD_ALERTS.notEvaluating), quiet(GUARD_ALERTS.holding)],
      },
      {
        interval: '1m',
        input_series: healthyDev().map((s) =>
          s.series.startsWith('release_guard_blind') ? { ...s, values: '0x60 1x60' } : s,
        ),
        alert_rule_test: [firing(GUARD_ALERTS.notEvaluating, { severity: 'critical', env: 'dev' })],
      },
      {
        interval: '1m',
        // A stuck loop: the last evaluation stopped advancing at minute 10.
        input_series: healthyDev().map((s) =>
          s.series.startsWith('release_guard_last_evaluation') ? { ...s, values: '0+60x10 600x110' } : s,
        ),
        alert_rule_test: [firing(GUARD_ALERTS.notEvaluating, { severity: 'critical', env: 'dev' })],
      },
      {
        interval: '1m',
        input_series: healthyDev().map((s) =>
          s.series.startsWith('release_guard_leader') ? { ...s, values: '0x120' } : s,
        ),
        alert_rule_test: [firing(GUARD_ALERTS.noLeader, { severity: 'critical' })],
      },
      {
        interval: '1m',
        input_series: healthyDev().filter((s) => !s.series.startsWith('release_guard_leader')),
        alert_rule_test: [firing(GUARD_ALERTS.noLeader, { severity: 'critical' })],
      },
      {
        interval: '1m',
        // Holding since minute 1: by minute 100 that is far more than three dev windows.
        input_series: healthyDev().map((s) =>
          s.series.startsWith('release_guard_holding') ? { ...s, values: '0 60x119' } : s,
        ),
        alert_rule_test: [
          {
            eval_time: at,
            alertname: GUARD_ALERTS.holding,
            exp_alerts: [
              {
                exp_labels: { severity: 'warning', env: 'dev' },
                exp_annotations: {
                  summary: 'release guard: dev held for more than 3 windows',
                  description: `Every evaluation of dev for ${100 * 60 - 60} s has held (no data or Prometheus errors): the release is not being judged.`,
                },
              },
            ],
          },
        ],
      },
      {
        interval: '1m',
        // Holding for less than three windows does not alert yet.
        input_series: healthyDev().map((s) =>
          s.series.startsWith('release_guard_holding') ? { ...s, values: `0x98 ${100 * 60 - devWindow}x21` } : s,
        ),
        alert_rule_test: [quiet(GUARD_ALERTS.holding)],
      },
    ],
  };
  writeFileSync(join(dir, 'tests.yaml'), stringify(tests));
  expect(promtool(['test', 'rules', 'tests.yaml'])).toMatch(/SUCCESS/);
});
