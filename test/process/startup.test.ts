// The process refuses to start on a bad environment variable, with one line naming it and nothing else.
import { runService } from './service-process';

test.each([
  ['PORT', 'eighty', 'invalid configuration: PORT must be an integer from 0 to 65535'],
  ['TZ_NAME', 'Nowhere/Land', 'invalid configuration: TZ_NAME must be an IANA time zone such as UTC or Europe/Paris'],
  ['DATABASE_URL', 'mysql://user:secret@db/hello', 'invalid configuration: DATABASE_URL must be a postgresql:// URL'],
])('%s=%p stops startup with exit code 2 and one line naming the variable', async (name, value, message) => {
  const service = runService(['serve'], { [name]: value });
  expect(await service.exited).toBe(2);
  expect(service.stderr()).toBe(`${message}\n`);
  expect(service.stdout()).toBe('');
});

test('an unknown command is named on one line, followed by the usage, and exits 2', async () => {
  const service = runService(['dance'], {});
  expect(await service.exited).toBe(2);
  expect(service.stderr()).toMatch(/^hello-app: unknown command 'dance'\nusage: hello-app \[serve \| migrate/);
});

test.each([[['--help']], [['migrate', '--help']]])('%j prints the usage on stdout and exits 0', async (args) => {
  const service = runService(args, {});
  expect(await service.exited).toBe(0);
  expect(service.stdout()).toMatch(/^usage: (hello-app|migrate) /);
  expect(service.stderr()).toBe('');
});
