import { GUARD_PLATFORM } from '../../cdk8s/guard-platform';
import { GUARD_ENV } from '../../contract/guard';
import { ruleTable } from '../../test/support/rule-table';
import { DEFAULT_METRICS_ADDRESS, GUARD_USAGE, parseGuardCommand, type GuardInvocation } from './guard-args';

const env = {
  [GUARD_ENV.prometheusUrl]: 'http://prometheus:9090',
  [GUARD_ENV.gitops]: 'https://github.com/example/hello-app.git',
  [GUARD_ENV.podName]: 'guard-0',
};

ruleTable<{
  name: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  expected: Partial<Record<string, unknown>> | RegExp;
}>(
  'release guard command lines',
  [
    { name: '--help asks for the usage', argv: ['--help'], expected: { help: true } },
    { name: '-h asks for the usage', argv: ['-h'], expected: { help: true } },
    {
      name: '--help needs none of the required settings',
      argv: ['--lease-duration', 'soon', '--help'],
      env: {},
      expected: { help: true },
    },
    {
      name: "the Deployment's environment and the platform defaults are enough",
      argv: [],
      expected: {
        prometheusUrl: 'http://prometheus:9090',
        port: GUARD_PLATFORM.port,
        settings: expect.objectContaining({
          environments: ['dev', 'staging', 'prod'],
          lease: expect.objectContaining({ leaseDurationSeconds: GUARD_PLATFORM.lease.durationSeconds }) as unknown,
        }) as unknown,
      },
    },
    {
      name: 'without a Prometheus URL the option and the variable are named',
      argv: [],
      env: {},
      expected: /--prometheus-url: .*--prometheus-url or PROMETHEUS_URL/,
    },
    {
      name: 'a bad duration names its option',
      argv: ['--retry-period', '2x'],
      expected: /^--retry-period: '2x' is not a duration such as "500ms", "30s", "5m" or "1h"$/,
    },
    {
      name: 'the policy is no flag: the interval, the rollback count and the SLO live in the ReleasePolicy',
      argv: ['--interval', '30s'],
      expected: /^unknown option '--interval'$/,
    },
    { name: 'nor is the window', argv: ['--window', '2m'], expected: /^unknown option '--window'$/ },
    {
      name: 'the metrics server listens on every interface by default (the kubelet and Prometheus reach the pod IP)',
      argv: [],
      expected: { metricsAddress: '0.0.0.0' },
    },
    {
      name: 'the metrics server can be bound to one address',
      argv: ['--metrics-address', '127.0.0.1'],
      expected: { metricsAddress: '127.0.0.1' },
    },
    {
      name: 'a metrics address that is not an IP address is refused, naming the flag',
      argv: ['--metrics-address', 'localhost:8081'],
      expected: /^--metrics-address: an IP address/,
    },
    { name: 'an unknown option is refused in one line', argv: ['--force'], expected: /^unknown option '--force'$/ },
    { name: 'a stray argument is refused', argv: ['now'], expected: /unexpected argument 'now'/ },
  ],
  ({ argv, env: e, expected }) => {
    const parse = (): GuardInvocation => parseGuardCommand(argv, e ?? env);
    if (expected instanceof RegExp) expect(parse).toThrow(expected);
    else expect(parse()).toMatchObject(expected);
  },
);

test('every default the usage states is the default the guard applies', () => {
  const stated = [...GUARD_USAGE.matchAll(/--([a-z-]+) ([0-9][0-9a-z.]*|hello-[a-z-]+)(?=\s)/g)].map(
    ([, flag, value]) => [flag!, value!],
  );
  expect(stated.map(([flag]) => flag)).toEqual(
    expect.arrayContaining(['lease-duration', 'renew-deadline', 'retry-period', 'port', 'metrics-address']),
  );
  const defaults = parseGuardCommand(['--identity', 'x'], env);
  for (const [flag, value] of stated)
    expect({ flag, parsed: parseGuardCommand(['--identity', 'x', `--${flag}`, value!], env) }).toEqual({
      flag,
      parsed: defaults,
    });
  expect(DEFAULT_METRICS_ADDRESS).toBe('0.0.0.0');
});

test('the usage says what the guard does and how to ask for it', () => {
  expect(GUARD_USAGE).toMatch(/^usage: release guard /);
  expect(GUARD_USAGE).toContain('--help, -h');
  for (const variable of Object.values(GUARD_ENV)) expect(GUARD_USAGE).toContain(variable);
});
