// Errors reach logs as type, message, code and a short stack only: never the objects a driver hangs on them.
import { serializeError } from './error-serializer';

test("an error carrying a database client logs none of the client's fields", () => {
  const error = Object.assign(new Error('terminating connection due to administrator command'), {
    code: '57P01',
    client: { user: 'hello_user', host: 'db.internal', processID: 4242, secretKey: 987654321, password: 'pw' },
  });
  const logged = serializeError(error);
  expect(Object.keys(logged).sort()).toEqual(['code', 'message', 'stack', 'type']);
  expect(JSON.stringify(logged)).not.toMatch(/hello_user|db\.internal|4242|987654321|secretKey/);
  expect(logged).toMatchObject({ type: 'Error', code: '57P01', message: error.message });
});

test('dates in a message, a stack or a cause are masked, and the stack is cut short', () => {
  const cause = new Error('value 1990-01-02 rejected');
  const error = new Error('insert of 1990-01-02 failed', { cause });
  error.stack = `Error: insert of 1990-01-02 failed\n${Array.from({ length: 30 }, (_, i) => `    at f${i} (x.ts:${i})`).join('\n')}`;
  const logged = serializeError(error);
  expect(JSON.stringify(logged)).not.toContain('1990-01-02');
  expect(logged.stack!.split('\n').length).toBeLessThanOrEqual(7);
  expect(logged.cause).toMatchObject({ message: 'value ####-##-## rejected' });
});

test('a thrown non-error is described without its contents unless it is a string', () => {
  expect(serializeError({ password: 'pw' })).toEqual({ type: 'object', message: 'a thrown object' });
  expect(serializeError('boom')).toEqual({ type: 'string', message: 'boom' });
});
