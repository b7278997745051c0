// Concurrent PUTs share batches, and each still gets its own answer: a bad one is refused alone while the others are
// stored, and when their batch cannot be committed every one of them gets the 503 and none is stored.
import { Client } from 'pg';
import { startTestApi, type TestApi } from './api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});

const put = (username: string, dateOfBirth: string) => api.request.put(`/hello/${username}`).send({ dateOfBirth });

test('a bad PUT among concurrent good ones is refused alone; the others are stored', async () => {
  const [first, bad, second] = await Promise.all([
    put('Fenna', '1990-01-01'),
    put('Gerrit', '1990-02-30'),
    put('Hidde', '1990-03-03'),
  ]);
  expect([first.status, bad.status, second.status]).toEqual([204, 400, 204]);
  expect(JSON.parse(bad.text)).toMatchObject({ status: 400 });
  expect((await api.request.get('/hello/Fenna')).status).toBe(200);
  expect((await api.request.get('/hello/Hidde')).status).toBe(200);
  expect((await api.request.get('/hello/Gerrit')).status).toBe(404);
});

test('when their batch cannot be committed, each concurrent PUT gets the 503 and none is stored', async () => {
  const names = ['Ilse', 'Jelle', 'Kees', 'Lotte', 'Maaike'];
  const blocker = new Client({ connectionString: api.databaseUrl });
  await blocker.connect();
  let answers;
  try {
    // The writes wait behind the lock until the service's statement timeout gives up on them.
    await blocker.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    answers = await Promise.all(names.map((name) => put(name, '1990-01-01')));
    await blocker.query('ROLLBACK');
  } finally {
    await blocker.end();
  }
  for (const answer of answers) {
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The service cannot reach its database; retry later.',
    });
  }
  for (const name of names) expect((await api.request.get(`/hello/${name}`)).status).toBe(404);
});
