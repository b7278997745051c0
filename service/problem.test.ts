import { Writable } from 'node:stream';
import express from 'express';
import supertest from 'supertest';
import { DatabaseUnavailable, UserNotFound, ValidationError } from './errors';
import { createLogger } from './logger';
import { problemHandler } from './problem';

function appThrowing(error: unknown) {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = express();
  app.get('/boom', () => {
    throw error;
  });
  app.use(problemHandler(createLogger('info', sink)));
  return { request: supertest(app), logs };
}

describe('errors become problem+json in one place', () => {
  test.each<[string, unknown, number]>([
    ['ValidationError', new ValidationError([{ field: 'body', message: 'must be a JSON object' }]), 400],
    ['UserNotFound', new UserNotFound('Alice'), 404],
    ['DatabaseUnavailable', new DatabaseUnavailable(new Error('connect ECONNREFUSED')), 503],
    ['an unexpected Error', new Error('boom'), 500],
    ['a thrown string', 'boom', 500],
    ['a thrown object', { weird: true }, 500],
  ])('%s is %i', async (_, error, status) => {
    const res = await appThrowing(error).request.get('/boom');
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(res.text)).toMatchObject({ type: 'about:blank', status });
  });

  test('an unexpected error answers a generic 500 and logs its stack with dates masked', async () => {
    const { request, logs } = appThrowing(new Error('query failed for {"dateOfBirth":"1990-01-02"} at /srv/app.ts'));
    const res = await request.get('/boom');
    expect(JSON.parse(res.text)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
    });
    expect(res.text).not.toMatch(/query failed|srv|1990/);
    const logged = logs.join('');
    expect(logged).toContain('unexpected error');
    expect(logged).toContain('####-##-##');
    expect(logged).not.toContain('1990-01-02');
  });

  test('a client error raised by a library keeps its 4xx status', async () => {
    const error = Object.assign(new Error('Not Acceptable'), { status: 406, expose: true });
    expect((await appThrowing(error).request.get('/boom')).status).toBe(406);
  });
});
