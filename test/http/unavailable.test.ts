// With the database down (a real connection to a closed port), data requests answer 503 + Retry-After quickly,
// readiness is 503, liveness stays 200, and client mistakes are still 4xx.
import { startTestApi, type TestApi, UNREACHABLE_DATABASE_URL } from './api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ databaseUrl: UNREACHABLE_DATABASE_URL });
});
afterAll(async () => {
  await api.close();
});

const expectUnavailable = (res: { status: number; headers: Record<string, string>; text: string }) => {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(JSON.parse(res.text)).toEqual({
    type: 'about:blank',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The service cannot reach its database; retry later.',
  });
};

test('GET is 503 with Retry-After and no internals', async () => {
  expectUnavailable(await api.request.get('/hello/Alice'));
});

test('PUT is 503 with Retry-After', async () => {
  expectUnavailable(await api.request.put('/hello/Alice').send({ dateOfBirth: '2000-01-01' }));
});

test('a client mistake is still a 4xx while the database is down', async () => {
  expect((await api.request.put('/hello/Alice').send({ dateOfBirth: '2001-02-29' })).status).toBe(400);
  expect((await api.request.get('/hello/al1ce')).status).toBe(400);
  expect((await api.request.post('/hello/Alice')).status).toBe(405);
});

test('readiness is 503 and liveness 200', async () => {
  expect((await api.request.get('/readyz')).status).toBe(503);
  expect((await api.request.get('/healthz')).status).toBe(200);
});

test('the outage is logged as a warning without the date of birth', async () => {
  await api.request.put('/hello/Bob').send({ dateOfBirth: '1966-05-04' });
  const warnings = api.logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'database unavailable');
  expect(warnings.length).toBeGreaterThan(0);
  expect(api.logs.join('\n')).not.toContain('1966-05-04');
});
