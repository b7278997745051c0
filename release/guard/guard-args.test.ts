import { GUARD_ENV, GUARD_PLATFORM } from '../../cdk8s/guard-platform';
import { ruleTable } from '../../test/support/rule-table';
import { GUARD_USAGE, parseGuardCommand, type GuardInvocation } from './guard-args';

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
      argv: ['--interval', 'soon', '--help'],
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
          failuresToRollback: GUARD_PLATFORM.failuresToRollback,
          intervalMs: GUARD_PLATFORM.intervalSeconds * 1000,
        }) as unknown,
      },
    },
    {
      name: 'without a Prometheus URL the option and the variable are named',
      argv: [],
      env: {},
      expected: /prometheusUrl: .*--prometheus-url or PROMETHEUS_URL/,
    },
    {
      name: 'a bad duration names its option',
      argv: ['--interval', 'soon'],
      expected: /--interval: 'soon' is not a duration/,
    },
    { name: 'an unknown option is refused', argv: ['--force'], expected: /Unknown option '--force'/ },
    { name: 'a stray argument is refused', argv: ['now'], expected: /unexpected argument 'now'/ },
  ],
  ({ argv, env: e, expected }) => {
    const parse = (): GuardInvocation => parseGuardCommand(argv, e ?? env);
    if (expected instanceof RegExp) expect(parse).toThrow(expected);
    else expect(parse()).toMatchObject(expected);
  },
);

test('the usage says what the guard does and how to ask for it', () => {
  expect(GUARD_USAGE).toMatch(/^usage: release guard /);
  expect(GUARD_USAGE).toContain('--help, -h');
  for (const variable of Object.values(GUARD_ENV)) expect(GUARD_USAGE).toContain(variable);
});
