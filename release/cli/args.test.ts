import { ruleTable } from '../../test/support/rule-table';
import { image } from '../../test/release/fixtures';
import { DEFAULT_GITOPS, GUARD_COMMAND, parseCommand, USAGE, UsageError } from './args';

const img = image('v1');

ruleTable<{ name: string; argv: string[]; env?: NodeJS.ProcessEnv; expected: Record<string, unknown> | RegExp }>(
  'command lines',
  [
    {
      name: 'deploy takes dev, a pinned image and a version',
      argv: ['deploy', '--env', 'dev', '--image', img, '--version', 'v1.0.0'],
      expected: { command: 'deploy', env: 'dev', image: img, version: 'v1.0.0', gitops: DEFAULT_GITOPS, json: false },
    },
    {
      name: 'deploy into another environment is refused',
      argv: ['deploy', '--env', 'prod', '--image', img],
      expected: /--env: deploy takes builds into dev only/,
    },
    {
      name: 'an image tagged latest is refused',
      argv: ['deploy', '--env', 'dev', '--image', 'registry.example.com/hello:latest'],
      expected: /--image: .*latest/,
    },
    {
      name: 'verify reads the Prometheus URL from PROMETHEUS_URL',
      argv: ['verify', '--env', 'staging'],
      env: { PROMETHEUS_URL: 'http://prom:9090' },
      expected: {
        command: 'verify',
        env: 'staging',
        prometheusUrl: 'http://prom:9090',
        clusterTimeout: '10m',
        poll: '5s',
      },
    },
    {
      name: 'verify without a Prometheus URL names the option and the variable',
      argv: ['verify', '--env', 'dev'],
      expected: /--prometheus-url: .*PROMETHEUS_URL/,
    },
    {
      name: 'verify takes test window settings',
      argv: [
        'verify',
        '--env',
        'dev',
        '--prometheus-url',
        'http://p:9090',
        '--window',
        '10s',
        '--interval',
        '2s',
        '--min-samples',
        '3',
      ],
      expected: { window: '10s', interval: '2s', minSamples: 3 },
    },
    {
      name: 'a verify window that is not a duration names the option',
      argv: ['verify', '--env', 'dev', '--prometheus-url', 'http://prom:9090', '--window', '2x'],
      expected: /^--window: a duration such as "500ms", "30s", "5m" or "1h"$/,
    },
    {
      name: 'a verify interval longer than the window it measures is refused, naming the option',
      argv: ['verify', '--env', 'dev', '--prometheus-url', 'http://prom:9090', '--interval', '30m'],
      expected: /^--interval: 'interval' must not be longer than 'window' \(dev's window is \d+(ms|s|m|h)\)$/,
    },
    { name: 'rollback needs a reason', argv: ['rollback', '--env', 'dev'], expected: /--reason/ },
    { name: 'an unknown option is refused', argv: ['status', '--force'], expected: /Unknown option '--force'/ },
    {
      name: 'an option of another command is refused',
      argv: ['status', '--env', 'dev'],
      expected: /Unrecognized key.*env|env/,
    },
    { name: 'an unknown command is refused', argv: ['ship'], expected: /command/ },
    { name: '--help asks for the usage', argv: ['--help'], expected: { command: 'help' } },
    { name: '-h asks for the usage', argv: ['-h'], expected: { command: 'help' } },
    { name: 'help is a command of its own', argv: ['help'], expected: { command: 'help' } },
    {
      name: '--help after a command still asks for the usage, not for the command',
      argv: ['rollback', '--env', 'dev', '--help'],
      expected: { command: 'help' },
    },
    {
      name: 'under GitHub Actions the actor is the run',
      argv: ['status', '--json'],
      env: { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7', GITHUB_ACTOR: 'ci' },
      expected: { command: 'status', json: true, actor: 'github-actions o/r run 7 by ci' },
    },
  ],
  ({ argv, env, expected }) => {
    if (expected instanceof RegExp) {
      expect(() => parseCommand(argv, env ?? {})).toThrow(UsageError);
      expect(() => parseCommand(argv, env ?? {})).toThrow(expected);
    } else {
      expect(parseCommand(argv, env ?? {})).toMatchObject(expected);
    }
  },
);

test('the usage lists every command, the guard included, and where its own options are described', () => {
  const listed = [...USAGE.matchAll(/^ {2}([a-z]+)\s/gm)].map((m) => m[1]);
  expect(listed).toEqual(['deploy', 'verify', 'promote', 'rollback', 'status', GUARD_COMMAND, 'help']);
  expect(USAGE).toContain(`release ${GUARD_COMMAND} --help`);
});
