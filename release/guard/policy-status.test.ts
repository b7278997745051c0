// The ReleasePolicy status rules as a table: each row is a sequence of observations and what the status says after
// them. Every status built is also checked against the schema the CRD is generated from.
import { releasePolicyStatusSchema, type GateStatus, type ReleasePolicyStatus } from '../../cdk8s/release-policy';
import { ruleTable } from '../../test/support/rule-table';
import { nextStatus, notReadyStatus, type Observation } from './policy-status';

const V1 = 'registry.example/hello-app@sha256:' + '1'.repeat(64);
const V2 = 'registry.example/hello-app@sha256:' + '2'.repeat(64);
const V3 = 'registry.example/hello-app@sha256:' + '3'.repeat(64);
const rel = (image: string) => image.slice(-64, -52);
const gates: GateStatus[] = [
  { name: 'traffic', value: 20, threshold: 0.1, bound: 'min', unit: 'req/s', outcome: 'pass' },
  { name: 'errorRatio', value: 0.4, threshold: 0.05, bound: 'max', unit: 'ratio', outcome: 'fail' },
];
const on = (image: string) => ({ image, release: rel(image) });
const healthy = (image = V2): Observation => ({ verdict: 'healthy', reason: 'all gates passed', ...on(image), gates });
const breach = (failures: number): Observation => ({
  verdict: 'breach',
  reason: `failed evaluation ${failures} of 2: errorRatio`,
  failures,
  ...on(V2),
  gates,
});
const rolledBack: Observation = {
  ...breach(2),
  rollback: { image: V2, to: V1, commit: 'c0ffee'.repeat(6), reason: '2 failed evaluations', summary: 'rolled back' },
};

/** Runs the observations one minute apart at generation 1 and returns every status. */
function run(observations: readonly Observation[]): ReleasePolicyStatus[] {
  const out: ReleasePolicyStatus[] = [];
  observations.forEach((o, k) => out.push(nextStatus(out.at(-1), 1, o, new Date(Date.UTC(2026, 0, 1, 0, k)))));
  for (const s of out) releasePolicyStatusSchema.parse(s);
  return out;
}
const condition = (s: ReleasePolicyStatus, type: string) => s.conditions!.find((c) => c.type === type)!;

ruleTable<{ name: string; observations: Observation[]; check: (statuses: ReleasePolicyStatus[]) => void }>(
  'ReleasePolicy status',
  [
    {
      name: 'a first passing evaluation: Ready and Healthy, no rollback, the gates against their thresholds',
      observations: [healthy()],
      check: ([s]) => {
        expect(s!.verdict).toBe('Healthy');
        expect(s!.conditions!.map((c) => [c.type, c.status])).toEqual([
          ['Ready', 'True'],
          ['Healthy', 'True'],
          ['Breaching', 'False'],
          ['Holding', 'False'],
          ['RolledBack', 'False'],
        ]);
        expect(s!.lastEvaluation).toMatchObject({ release: rel(V2), failedEvaluations: 0, gates });
        expect(s!.live).toEqual(on(V2));
        expect(s!.observedGeneration).toBe(1);
      },
    },
    {
      name: 'a steady verdict keeps its lastTransitionTime; a change of status moves it',
      observations: [healthy(), healthy(), breach(1)],
      check: ([a, b, c]) => {
        expect(condition(b!, 'Healthy').lastTransitionTime).toBe(condition(a!, 'Healthy').lastTransitionTime);
        expect(condition(c!, 'Healthy').lastTransitionTime).not.toBe(condition(b!, 'Healthy').lastTransitionTime);
        expect(condition(c!, 'Ready').lastTransitionTime).toBe(condition(a!, 'Ready').lastTransitionTime);
      },
    },
    {
      name: 'a measured breach: Breaching with the gate engine reason and the count of failed evaluations',
      observations: [healthy(), breach(1)],
      check: ([, s]) => {
        expect(s!.verdict).toBe('Breaching');
        expect(condition(s!, 'Breaching')).toMatchObject({ status: 'True', reason: 'GateFailed' });
        expect(condition(s!, 'Breaching').message).toMatch(/failed evaluation 1 of 2/);
        expect(s!.lastEvaluation!.failedEvaluations).toBe(1);
      },
    },
    {
      name: 'a committed rollback: RolledBack with the image, the restored image, the commit and the reason',
      observations: [healthy(), breach(1), rolledBack],
      check: (all) => {
        const s = all.at(-1)!;
        expect(all.map((x) => x.verdict)).toEqual(['Healthy', 'Breaching', 'RolledBack']);
        expect(condition(s, 'RolledBack')).toMatchObject({ status: 'True', reason: 'RollbackCommitted' });
        expect(s.lastRollback).toMatchObject({ image: V2, to: V1, commit: 'c0ffee'.repeat(6) });
      },
    },
    {
      name: 'a rollback that was not done stays a breach and says why',
      observations: [
        { ...breach(2), rollback: { image: V2, reason: 'x', summary: 'no verified image to roll back to' } },
      ],
      check: ([s]) => {
        expect(s!.verdict).toBe('Breaching');
        expect(condition(s!, 'Breaching').reason).toBe('RollbackNotDone');
        expect(s!.lastRollback).toBeUndefined();
      },
    },
    {
      name: 'after a rollback the restored release passing is no fix: still RolledBack; a new release passing clears it',
      observations: [rolledBack, healthy(V1), healthy(V3)],
      check: ([, restored, fixed]) => {
        expect(restored!.verdict).toBe('RolledBack');
        expect(fixed!.verdict).toBe('Healthy');
        expect(condition(fixed!, 'RolledBack')).toMatchObject({ status: 'False', reason: 'NewReleasePassed' });
        expect(fixed!.lastRollback!.to).toBe(V1);
      },
    },
    {
      name: 'a hold says why (a quiet period is LowTraffic) and leaves Healthy unknown',
      observations: [healthy(), { verdict: 'held', hold: 'low-traffic', reason: 'too little traffic', ...on(V2) }],
      check: ([, s]) => {
        expect(s!.verdict).toBe('Holding');
        expect(condition(s!, 'Holding')).toMatchObject({ status: 'True', reason: 'LowTraffic' });
        expect(condition(s!, 'Healthy').status).toBe('Unknown');
      },
    },
    {
      name: 'a release inside its analysis window is Progressing and keeps the last evaluation of the one before',
      observations: [healthy(V1), { verdict: 'skipped', inWindow: true, reason: 'live for 40 s', ...on(V2) }],
      check: ([first, s]) => {
        expect(s!.verdict).toBe('Progressing');
        expect(condition(s!, 'Healthy')).toMatchObject({ status: 'Unknown', reason: 'AnalysisWindow' });
        expect(s!.lastEvaluation).toEqual(first!.lastEvaluation);
        expect(s!.live).toEqual(on(V2));
      },
    },
  ],
  ({ observations, check }) => check(run(observations)),
);

test('a policy the guard cannot act on is not Ready, with the reason, and keeps what it knew', () => {
  const before = run([healthy()])[0]!;
  const s = notReadyStatus(
    before,
    2,
    'EnvironmentMismatch',
    "spec.environment 'prod' in namespace hello-dev",
    new Date(),
  );
  releasePolicyStatusSchema.parse(s);
  expect(s.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
    status: 'False',
    reason: 'EnvironmentMismatch',
  });
  expect(s.observedGeneration).toBe(2);
  expect(s.lastEvaluation).toEqual(before.lastEvaluation);
});
