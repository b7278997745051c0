// PUT and GET /hello/<username> on a real PostgreSQL: storing, replacing, case-insensitive identity, greetings.
import { startTestApi, type TestApi } from './api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => api.setNow('2024-06-15T12:00:00Z'));

const put = (name: string, dateOfBirth: string) => api.request.put(`/hello/${name}`).send({ dateOfBirth });

describe('PUT /hello/<username>', () => {
  test('stores a date of birth and answers 204 with an empty body', async () => {
    const res = await put('Stored', '1990-06-20');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    expect((await api.request.get('/hello/Stored')).body).toEqual({
      message: 'Hello, Stored! Your birthday is in 5 day(s)',
    });
  });

  test('replaces an earlier date of birth', async () => {
    await put('replaced', '1990-06-20').expect(204);
    await put('replaced', '1990-06-16').expect(204);
    expect((await api.request.get('/hello/replaced')).body.message).toBe(
      'Hello, replaced! Your birthday is in 1 day(s)',
    );
  });

  test('usernames are one identity whatever their case, and the greeting echoes the path as written', async () => {
    await put('MixedCase', '1990-06-17').expect(204);
    expect((await api.request.get('/hello/mixedcase')).body.message).toBe(
      'Hello, mixedcase! Your birthday is in 2 day(s)',
    );
    expect((await api.request.get('/hello/MIXEDCASE')).body.message).toBe(
      'Hello, MIXEDCASE! Your birthday is in 2 day(s)',
    );
    await put('MIXEDcase', '1990-06-18').expect(204);
    expect((await api.request.get('/hello/MixedCase')).body.message).toBe(
      'Hello, MixedCase! Your birthday is in 3 day(s)',
    );
  });

  test('accepts a JSON content type with a charset parameter', async () => {
    await api.request
      .put('/hello/charset')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send('{"dateOfBirth":"2000-01-01"}')
      .expect(204);
  });

  test('accepts a body of exactly 16 KiB', async () => {
    const json = JSON.stringify({ dateOfBirth: '2000-01-01' });
    const body = json.slice(0, -1) + ' '.repeat(16 * 1024 - json.length) + '}';
    expect(Buffer.byteLength(body)).toBe(16 * 1024);
    await api.request.put('/hello/sixteen').set('Content-Type', 'application/json').send(body).expect(204);
  });

  test('accepts the longest username, 64 letters', async () => {
    await put('a'.repeat(64), '2000-01-01').expect(204);
    await api.request.get(`/hello/${'A'.repeat(64)}`).expect(200);
  });

  test('concurrent PUTs for one user all succeed; one of the dates sent is kept whole, and GET greets by that date', async () => {
    // 40 different dates, 1990-01-01 onwards: each gives a different greeting on 2024-06-15 (200 + i days), so the
    // greeting names the one date that was kept.
    const dates = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(1990, 0, 1 + i)).toISOString().slice(0, 10));
    const answers = await Promise.all(dates.map((date, i) => put(i % 2 ? 'Racer' : 'racer', date)));
    expect(answers.map((a) => a.status)).toEqual(dates.map(() => 204));
    const message: string = (await api.request.get('/hello/racer')).body.message;
    const days = Number(/^Hello, racer! Your birthday is in (\d+) day\(s\)$/.exec(message)?.[1]);
    const kept = dates[days - 200];
    expect(kept).toBeDefined();
    expect(await api.database.users.findDateOfBirth('racer')).toBe(kept);
  });

  test('the date of birth the day before today is accepted', async () => {
    await put('yesterday', '2024-06-14').expect(204);
    expect((await api.request.get('/hello/yesterday')).body.message).toBe(
      'Hello, yesterday! Your birthday is in 364 day(s)',
    );
  });
});

describe('GET /hello/<username>', () => {
  test('answers JSON with the greeting', async () => {
    await put('json', '1990-07-15').expect(204);
    const res = await api.request.get('/hello/json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ message: 'Hello, json! Your birthday is in 30 day(s)' });
  });

  test.each([
    ['2024-06-15T00:00:00Z', 'Hello, Dana! Happy birthday!'],
    ['2024-06-15T23:59:59Z', 'Hello, Dana! Happy birthday!'],
    ['2024-06-14T23:59:59Z', 'Hello, Dana! Your birthday is in 1 day(s)'],
    ['2024-06-16T00:00:00Z', 'Hello, Dana! Your birthday is in 364 day(s)'],
    ['2023-06-16T00:00:00Z', 'Hello, Dana! Your birthday is in 365 day(s)'],
    ['2024-12-31T12:00:00Z', 'Hello, Dana! Your birthday is in 166 day(s)'],
  ])('at %s a user born on 15 June hears %p', async (now, message) => {
    await put('Dana', '1980-06-15').expect(204);
    api.setNow(now);
    expect((await api.request.get('/hello/Dana')).body.message).toBe(message);
  });

  test.each([
    ['2023-02-28T12:00:00Z', 'Hello, Leap! Happy birthday!'],
    ['2023-03-01T12:00:00Z', 'Hello, Leap! Your birthday is in 365 day(s)'],
    ['2024-02-28T12:00:00Z', 'Hello, Leap! Your birthday is in 1 day(s)'],
    ['2024-02-29T12:00:00Z', 'Hello, Leap! Happy birthday!'],
  ])('a Feb 29 birthday at %s: %p', async (now, message) => {
    api.setNow('2024-06-15T12:00:00Z');
    await put('Leap', '2000-02-29').expect(204);
    api.setNow(now);
    expect((await api.request.get('/hello/Leap')).body.message).toBe(message);
  });

  test('an unknown user is 404 problem+json', async () => {
    const res = await api.request.get('/hello/Nobody');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: "No date of birth is stored for 'Nobody'.",
    });
  });
});

describe('"today" in the configured time zone', () => {
  let kiritimati: TestApi; // UTC+14
  beforeAll(async () => {
    kiritimati = await startTestApi({ timeZone: 'Pacific/Kiritimati', now: '2024-06-14T10:00:00Z' });
  });
  afterAll(async () => {
    await kiritimati.close();
  });

  test('it is already the birthday in Kiritimati while still the day before in UTC', async () => {
    await kiritimati.request.put('/hello/Kiri').send({ dateOfBirth: '1990-06-15' }).expect(204);
    expect((await kiritimati.request.get('/hello/Kiri')).body.message).toBe('Hello, Kiri! Happy birthday!');
    expect((await api.request.put('/hello/Kiri').send({ dateOfBirth: '1990-06-15' })).status).toBe(204);
    api.setNow('2024-06-14T10:00:00Z');
    expect((await api.request.get('/hello/Kiri')).body.message).toBe('Hello, Kiri! Your birthday is in 1 day(s)');
  });

  test('"before today" follows the zone: the UTC date is still accepted as a birth date there only if it is past', async () => {
    // 2024-06-14T10:00Z is 2024-06-15 in Kiritimati, so 2024-06-14 is yesterday there.
    await kiritimati.request.put('/hello/Newborn').send({ dateOfBirth: '2024-06-14' }).expect(204);
    api.setNow('2024-06-14T10:00:00Z');
    await api.request.put('/hello/Newborn').send({ dateOfBirth: '2024-06-14' }).expect(400);
  });
});
