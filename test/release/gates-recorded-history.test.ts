// Gate scenarios against a real Prometheus loaded with a recorded history: each row is one release's behaviour
// and the verdict the dev SLO (cdk8s/environments.ts) must give it.
import { createServer, type Server } from 'node:http';
import { ENVIRONMENTS, type Slo } from '../../cdk8s/environments';
import { analyse, type AnalysisReport, type Clock } from '../../release/gates/analysis';
import type { Outcome } from '../../release/gates/outcomes';
import { PrometheusProvider } from '../../release/gates/prometheus-provider';
import { createBlocks, freePort, startPrometheus, type TestPrometheus } from '../support/prometheus';
import { ruleTable } from '../support/rule-table';
import { openMetrics, type Behaviour } from './metric-history';

const namespace = ENVIRONMENTS.dev.namespace;
const devSlo = ENVIRONMENTS.dev.slo;
const end = Math.floor(Date.now() / 1000 / 5) * 5 - 120;
const healthy: Behaviour = { rps: 2, errorRatio: 0.01, latency: 0.05 };
const releases: Record<string, (t: number) => Behaviour> = {
  healthy: () => healthy,
  erroring: () => ({ ...healthy, errorRatio: 0.2 }),
  slow: () => ({ ...healthy, latency: 0.75 }),
  quiet: () => ({ rps: 0.05, errorRatio: 0, latency: 0.05 }),
  stopped: () => healthy,
};

let prometheus: TestPrometheus;
let hangingServer: Server;
let hangingPort: number;

beforeAll(async () => {
  const histories = Object.entries(releases).map(([release, behaviour]) => ({
    namespace,
    release,
    from: end - 1800,
    to: release === 'stopped' ? end - 100 : end,
    behaviour,
  }));
  prometheus = await startPrometheus({ dataDir: await createBlocks(openMetrics(histories)) });
  hangingPort = await freePort();
  hangingServer = createServer(() => undefined);
  await new Promise<void>((r) => hangingServer.listen(hangingPort, '127.0.0.1', r));
});

afterAll(async () => {
  await prometheus?.stop();
  hangingServer?.closeAllConnections();
  await new Promise((r) => hangingServer?.close(r));
});

/** A clock frozen at the end of the history; sleeping moves it on, so a run over the past never waits. */
function frozenClock(): Clock {
  let now = end * 1000;
  return { now: () => new Date(now), sleep: async (ms) => void (now += ms) };
}

type Where = 'prometheus' | 'closed-port' | 'wrong-path' | 'hanging';

async function run(release: string, where: Where, slo: Slo): Promise<AnalysisReport> {
  const url = {
    prometheus: prometheus.url,
    'closed-port': `http://127.0.0.1:${await freePort()}`,
    'wrong-path': `${prometheus.url}/not-prometheus`,
    hanging: `http://127.0.0.1:${hangingPort}`,
  }[where];
  const provider = new PrometheusProvider({ url, timeoutMs: 300 });
  return analyse({
    scope: { namespace, release },
    slo,
    liveSince: new Date((end - 3600) * 1000),
    provider,
    clock: frozenClock(),
  });
}

const holdOnNoData: Slo = {
  ...devSlo,
  gates: { ...devSlo.gates, traffic: { ...devSlo.gates.traffic, noData: 'hold' } },
};

interface Row {
  name: string;
  release: string;
  where?: Where;
  slo?: Slo;
  outcome: Outcome;
  gates: Partial<Record<'traffic' | 'errorRatio' | 'latencyP99', Outcome>>;
  reason: RegExp;
  rounds?: number;
}

ruleTable<Row>(
  'verdicts of the dev SLO over a recorded history',
  [
    {
      name: 'a healthy release passes every gate',
      release: 'healthy',
      outcome: 'pass',
      gates: { traffic: 'pass', errorRatio: 'pass', latencyP99: 'pass' },
      reason: /6 of 6 measurements passed/,
      rounds: 6,
    },
    {
      name: 'a 20% error ratio fails after two consecutive failures',
      release: 'erroring',
      outcome: 'fail',
      gates: { errorRatio: 'fail' },
      reason: /errorRatio: 2 failed measurements in a row.*0\.2 > 0\.05 \(consecutiveFailureLimit 2\)/,
      rounds: 2,
    },
    {
      name: 'a p99 above 0.5 s fails the latency gate',
      release: 'slow',
      outcome: 'fail',
      gates: { latencyP99: 'fail' },
      reason: /latencyP99: 2 failed measurements in a row/,
    },
    {
      name: 'traffic below the minimum fails the traffic gate',
      release: 'quiet',
      outcome: 'fail',
      gates: { traffic: 'fail' },
      reason: /traffic: 3 failed measurements, more than the 2 allowed.*0\.05 < 0\.1/,
    },
    {
      name: 'a release without data fails where no data means fail (traffic)',
      release: 'absent',
      outcome: 'fail',
      gates: { traffic: 'fail', errorRatio: 'inconclusive', latencyP99: 'inconclusive' },
      reason: /no data.*counts as a failure \(noData fail\)/,
    },
    {
      name: 'a release without data is undecided where every gate holds on no data',
      release: 'absent',
      slo: holdOnNoData,
      outcome: 'inconclusive',
      gates: { traffic: 'inconclusive', errorRatio: 'inconclusive' },
      reason: /noData hold/,
    },
    {
      name: 'a series that stopped reporting is stale, not healthy',
      release: 'stopped',
      outcome: 'fail',
      gates: { traffic: 'fail', errorRatio: 'pass' },
      reason: /stale series/,
    },
    {
      name: 'Prometheus down makes the run undecidable after more errors in a row than consecutiveErrorLimit',
      release: 'healthy',
      where: 'closed-port',
      outcome: 'error',
      gates: { traffic: 'error', errorRatio: 'error', latencyP99: 'error' },
      reason: /3 measurement errors in a row.*unreachable.*ECONNREFUSED/,
      rounds: 3,
    },
    {
      name: 'Prometheus answering an error is an error, not no data',
      release: 'healthy',
      where: 'wrong-path',
      outcome: 'error',
      gates: { traffic: 'error' },
      reason: /HTTP 404/,
    },
    {
      name: 'Prometheus timing out is an error',
      release: 'healthy',
      where: 'hanging',
      outcome: 'error',
      gates: { errorRatio: 'error' },
      reason: /timed out after 300 ms/,
    },
  ],
  async (row) => {
    const report = await run(row.release, row.where ?? 'prometheus', row.slo ?? devSlo);
    expect(report.outcome).toBe(row.outcome);
    for (const [gate, outcome] of Object.entries(row.gates)) {
      expect([gate, report.gates.find((g) => g.gate === gate)!.verdict.outcome]).toEqual([gate, outcome]);
    }
    expect(report.reason).toMatch(row.reason);
    if (row.rounds) expect(report.gates[0]!.evaluations).toHaveLength(row.rounds);
  },
);

test('each gate runs the query cdk8s builds for the alerts, scoped to the release', async () => {
  const report = await run('healthy', 'prometheus', devSlo);
  const errorRatio = report.gates.find((g) => g.gate === 'errorRatio')!;
  expect(errorRatio.query).toContain(`namespace="${namespace}"`);
  expect(errorRatio.query).toContain('release="healthy"');
  expect(errorRatio.threshold).toBe(devSlo.maxErrorRatio);
  expect(errorRatio.evaluations.every((e) => Math.abs(e.value! - 0.01) < 1e-6)).toBe(true);
});
