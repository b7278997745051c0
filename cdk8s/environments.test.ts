// Settings the pods could not run with fail synth, naming the environment and the field (on fixture settings,
// never the live ones).
import { parseEnvironment } from './environments';
import { FIXTURE_ENVIRONMENTS, FIXTURE_SHARED } from '../test/support/aws-settings-fixture';
import { fixtureEnvironmentRaw } from '../test/support/environment-fixture';
import { ruleTable } from '../test/support/rule-table';

// A valid environment to break one field of at a time.
const valid = fixtureEnvironmentRaw();
const parse = (value: unknown) => parseEnvironment('dev', value, FIXTURE_ENVIRONMENTS.dev, FIXTURE_SHARED);

ruleTable<{ name: string; change: Record<string, unknown>; error: RegExp }>(
  'settings the pods could not run with fail synth, naming the field',
  [
    {
      name: 'a misspelt time zone (the service would crash-loop on it)',
      change: { timeZone: 'Europe/Pariss' },
      error: /environment 'dev': field 'timeZone': an IANA time zone such as UTC or Europe\/Paris/,
    },
    {
      name: 'a window that is not a duration',
      change: { slo: { ...valid.slo, window: '2x' } },
      error: /environment 'dev': field 'slo.window': a duration such as "500ms", "30s", "5m" or "1h"/,
    },
    {
      name: 'a gate policy in the old vocabulary',
      change: {
        slo: {
          ...valid.slo,
          gates: { ...valid.slo.gates, traffic: { failureLimit: 3, errorLimit: 3, noData: 'fail' } },
        },
      },
      error: /field 'slo.gates.traffic': Unrecognized key: "errorLimit"/,
    },
  ],
  ({ change, error }) => {
    expect(() => parse({ ...valid, ...change })).toThrow(error);
  },
);

test('a known time zone other than UTC is accepted', () => {
  expect(parse({ ...valid, timeZone: 'Europe/Paris' }).timeZone).toBe('Europe/Paris');
});
