// A metrics provider that answers the SLO gates' queries from a script instead of Prometheus, so the guard's rules
// run through the real analysis (the same provider → evaluator → aggregator path as in the cluster) in a unit test.
// Each gate's script has one letter per measurement instant, in order: p a passing value, f a failing one, - no data,
// e a Prometheus error; the last letter repeats. The evidence queries always answer: dense, fresh series.
import type { GateName, Slo } from '../../cdk8s/environments';
import { gateQueries, type QueryScope } from '../../cdk8s/slo-queries';
import { newestSampleQuery, sampleCountQuery } from '../../release/gates/evidence-queries';
import type { Measurement } from '../../release/gates/measurement';
import type { MetricsProvider } from '../../release/gates/prometheus-provider';

export type GateScript = Readonly<Record<GateName, string>>;

export function scriptedProvider(slo: Slo, scope: QueryScope, script: GateScript): MetricsProvider {
  const gates = new Map(gateQueries(slo, scope).map((q) => [q.query, q]));
  const instants: number[] = [];
  return {
    async measure(query: string, at: Date): Promise<Measurement> {
      if (query === sampleCountQuery(scope, slo.window)) return { kind: 'value', at, value: 100 };
      if (query === newestSampleQuery(scope)) return { kind: 'value', at, value: at.getTime() / 1000 - 1 };
      const gate = gates.get(query);
      if (!gate) return { kind: 'error', at, error: `the script has no answer to ${query}` };
      if (!instants.includes(at.getTime())) instants.push(at.getTime());
      const letters = script[gate.gate];
      const letter = letters.charAt(Math.min(instants.indexOf(at.getTime()), letters.length - 1));
      // Clearly on either side of the threshold, whichever side passes.
      const [pass, fail] =
        gate.bound === 'min' ? [gate.threshold * 10, gate.threshold / 5] : [gate.threshold / 5, gate.threshold * 10];
      switch (letter) {
        case 'p':
          return { kind: 'value', at, value: pass };
        case 'f':
          return { kind: 'value', at, value: fail };
        case '-':
          return { kind: 'no-data', at };
        case 'e':
          return { kind: 'error', at, error: 'Prometheus at http://prometheus:9090 unreachable: connect ECONNREFUSED' };
        default:
          throw new Error(`script letter '${letter}' of ${gate.gate}: use p, f, - or e`);
      }
    },
  };
}
