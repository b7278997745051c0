// Every way a request can be wrong answers a 4xx problem+json naming what was wrong, and stores nothing.
import type { Response } from 'supertest';
import { startInMemoryApi } from './test-app';

// Answering a wrong request needs no database: the routes run on an in-memory repository.
let api: ReturnType<typeof startInMemoryApi>;
beforeAll(() => {
  api = startInMemoryApi({ now: '2024-06-15T12:00:00Z' });
});
afterAll(async () => {
  await api.close();
});

const PROBLEM = 'application/problem+json; charset=utf-8';
const problemOf = (res: Response) => {
  expect(res.headers['content-type']).toBe(PROBLEM);
  return JSON.parse(res.text) as { type: string; title: string; status: number; detail: string; errors?: unknown[] };
};
const expectNothingStored = async (name: string) => {
  expect((await api.request.get(`/hello/${name}`)).status).toBe(404);
};

describe('an invalid date of birth is 400 naming body.dateOfBirth, and nothing is stored', () => {
  test.each<[string, unknown, string]>([
    ['Feb 29 of a common year', '2001-02-29', 'must be a real calendar date'],
    ['Feb 30', '2001-02-30', 'must be a real calendar date'],
    ['month 13', '2001-13-01', 'must be a real calendar date'],
    ['day 00', '2001-01-00', 'must be a real calendar date'],
    ['today', '2024-06-15', 'must be before today'],
    ['tomorrow', '2024-06-16', 'must be before today'],
    ['a datetime', '2001-02-03T00:00:00Z', 'must be a date in YYYY-MM-DD form'],
    ['another format', '03/02/2001', 'must be a date in YYYY-MM-DD form'],
    ['an empty string', '', 'must be a date in YYYY-MM-DD form'],
    ['a number', 20010203, 'must be a string in YYYY-MM-DD form'],
    ['null', null, 'must be a string in YYYY-MM-DD form'],
    ['an object', { year: 2001 }, 'must be a string in YYYY-MM-DD form'],
  ])('%s', async (_, dateOfBirth, message) => {
    const res = await api.request.put('/hello/Invalid').send({ dateOfBirth });
    expect(res.status).toBe(400);
    expect(problemOf(res)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid; nothing was stored.',
      errors: [{ field: 'body.dateOfBirth', message }],
    });
    await expectNothingStored('Invalid');
  });

  test('a missing dateOfBirth', async () => {
    const res = await api.request.put('/hello/Invalid').send({});
    expect(problemOf(res).errors).toEqual([{ field: 'body.dateOfBirth', message: 'is required' }]);
  });

  test('an unknown key beside a valid date is rejected rather than ignored', async () => {
    const res = await api.request.put('/hello/Invalid').send({ dateOfBirth: '2000-01-01', name: 'x' });
    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual([{ field: 'body.name', message: 'is not a known field' }]);
    await expectNothingStored('Invalid');
  });
});

describe('a body that is not a JSON object is 400', () => {
  test.each([
    ['an array', '[{"dateOfBirth":"2000-01-01"}]', [{ field: 'body', message: 'must be a JSON object' }]],
    ['a string', '"2000-01-01"', [{ field: 'body', message: 'must be a JSON object' }]],
    ['a number', '20000101', [{ field: 'body', message: 'must be a JSON object' }]],
    ['null', 'null', [{ field: 'body', message: 'must be a JSON object' }]],
    ['malformed JSON', '{"dateOfBirth":', [{ field: 'body', message: 'is not valid JSON' }]],
    ['JSON with a trailing comma', '{"dateOfBirth":"2000-01-01",}', [{ field: 'body', message: 'is not valid JSON' }]],
    ['an empty body', '', [{ field: 'body.dateOfBirth', message: 'is required' }]],
  ])('%s', async (_, body, errors) => {
    const res = await api.request.put('/hello/Invalid').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual(errors);
    await expectNothingStored('Invalid');
  });

  test('no body and no content type at all', async () => {
    const res = await api.request.put('/hello/Invalid');
    expect(res.status).toBe(400);
    expect(problemOf(res).errors).toEqual([{ field: 'body.dateOfBirth', message: 'is required' }]);
  });
});

describe('a body in another media type is 415', () => {
  test.each([
    ['text/plain', '{"dateOfBirth":"2000-01-01"}'],
    ['application/x-www-form-urlencoded', 'dateOfBirth=2000-01-01'],
    ['application/xml', '<dateOfBirth>2000-01-01</dateOfBirth>'],
  ])('%s', async (type, body) => {
    const res = await api.request.put('/hello/Typed').set('Content-Type', type).send(body);
    expect(res.status).toBe(415);
    expect(problemOf(res)).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
    await expectNothingStored('Typed');
  });

  test('JSON in a charset other than UTF-8', async () => {
    const res = await api.request
      .put('/hello/Typed')
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"dateOfBirth":"2000-01-01"}');
    expect(res.status).toBe(415);
    expect(problemOf(res).status).toBe(415);
  });
});

test('a body over 16 KiB is 413 and nothing is stored', async () => {
  const json = JSON.stringify({ dateOfBirth: '2000-01-01' });
  const body = json.slice(0, -1) + ' '.repeat(16 * 1024 - json.length + 1) + '}';
  const res = await api.request.put('/hello/Large').set('Content-Type', 'application/json').send(body);
  expect(res.status).toBe(413);
  expect(problemOf(res)).toMatchObject({ status: 413, title: 'Payload Too Large' });
  await expectNothingStored('Large');
});

describe('an invalid username is 400 naming path.username, on GET and PUT', () => {
  test.each([
    ['digits', 'alice1'],
    ['an underscore', 'al_ice'],
    ['a hyphen', 'al-ice'],
    ['65 letters', 'a'.repeat(65)],
    ['a percent-encoded letter', '%41lice'],
    ['a percent-encoded space', 'al%20ice'],
    ['a non-ASCII letter', 'Zo%C3%AB'],
    ['an encoded slash', 'al%2Fice'],
    ['malformed percent-encoding', 'al%ZZice'],
    ['a dot', 'al.ice'],
  ])('%s (%s)', async (_, name) => {
    const errors = [{ field: 'path.username', message: 'must be 1 to 64 ASCII letters (A-Z, a-z)' }];
    const get = await api.request.get(`/hello/${name}`);
    expect(get.status).toBe(400);
    expect(problemOf(get).errors).toEqual(errors);
    const put = await api.request.put(`/hello/${name}`).send({ dateOfBirth: '2000-01-01' });
    expect(put.status).toBe(400);
    expect(problemOf(put).errors).toEqual(errors);
  });

  test('a bad username and a bad date are named together', async () => {
    const res = await api.request.put('/hello/al1ce').send({ dateOfBirth: '2001-02-29' });
    expect(problemOf(res).errors).toEqual([
      { field: 'path.username', message: 'must be 1 to 64 ASCII letters (A-Z, a-z)' },
      { field: 'body.dateOfBirth', message: 'must be a real calendar date' },
    ]);
  });
});

describe('other methods on /hello/<username> are 405 with Allow: GET, PUT', () => {
  test.each(['POST', 'DELETE', 'PATCH', 'OPTIONS'])('%s', async (method) => {
    const res = await api.request[method.toLowerCase() as 'post'](`/hello/Alice`).send({ dateOfBirth: '2000-01-01' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, PUT');
    expect(problemOf(res)).toMatchObject({ status: 405, title: 'Method Not Allowed' });
    await expectNothingStored('Alice');
  });

  test('HEAD is refused too, without a body', async () => {
    const res = await api.request.head('/hello/Alice');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, PUT');
    expect(res.text ?? '').toBe('');
  });
});

describe('unknown routes are 404 problem+json', () => {
  test.each([
    '/',
    '/hello',
    '/hello/',
    '/hello/alice/',
    '/hello/alice/more',
    '/HELLO/alice',
    '/users/alice',
    '/hello%2Falice',
  ])('GET %s', async (path) => {
    const res = await api.request.get(path);
    expect(res.status).toBe(404);
    expect(problemOf(res)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No resource at this path.',
    });
  });

  test('PUT on an unknown route', async () => {
    const res = await api.request.put('/hello/').send({ dateOfBirth: '2000-01-01' });
    expect(res.status).toBe(404);
  });
});

test('an invalid username on a GET is refused without claiming anything about storing', async () => {
  const res = await api.request.get('/hello/1');
  expect(res.status).toBe(400);
  expect(problemOf(res).detail).toBe('The request is invalid.');
});
