// fast-check arbitraries of requests to the Hello API, valid and hostile: usernames, dates, encodings, oversize and
// malformed payloads, headers, methods and paths. Each case says what the contract demands of its answer.
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { DrillRequest } from './load';

/** `accepted`: must be 204/200; `rejected`: must be a 4xx; `either`: the contract allows both (never a 5xx). */
export type Expectation = 'accepted' | 'rejected' | 'either';

export interface HostileCase extends DrillRequest {
  readonly label: string;
  readonly expect: Expectation;
  /** Every YYYY-MM-DD string the request carries in its body: none may ever reach a log line. */
  readonly dates: readonly string[];
  /** The write this request makes if it is accepted; an accepted request without one is a bug. */
  readonly write?: { readonly key: string; readonly date: string };
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const TODAY_MS = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());

/** A small population so writes hit the same users again, in every spelling of their case. */
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
const validUsername = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES).chain((name) => caseVariant(name)) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z]{1,64}$/) },
);
function caseVariant(name: string) {
  return fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
}

/** Path segments that are not a username: each must be refused, never decoded into one. */
const invalidSegment = fc
  .oneof(
    fc.stringMatching(/^[A-Za-z]{65,80}$/),
    fc.stringMatching(/^[A-Za-z]{0,5}[0-9_.~-][A-Za-z0-9]{0,5}$/),
    fc.constantFrom(
      '%41lice',
      'al%69ce',
      '%E9mile',
      'j%C3%BCrgen',
      '%00',
      'a%00b',
      '%2e%2e',
      '..',
      '.',
      '%2F',
      'a%2Fb',
    ),
    fc.constantFrom('%ZZ', '%', '%4', 'a%c0%afb', '%FF%FE', '%F0%9F%98%80', 'a%20b', '+', 'a+b', '%0d%0aX-Evil:1'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map((s) => encodeURIComponent(s)),
  )
  .filter((segment) => !/^[A-Za-z]{1,64}$/.test(segment));

const pastDate = fc.integer({ min: Date.UTC(1, 0, 1), max: TODAY_MS - DAY_MS }).map((t) => {
  const d = iso(t);
  return /^\d{4}-/.test(d) ? d : '1990-01-01';
});
/** Strings shaped like dates (or not) that the contract rejects. */
const invalidDate = fc.oneof(
  fc.integer({ min: TODAY_MS, max: TODAY_MS + 400 * DAY_MS }).map(iso),
  fc.constantFrom('2001-02-29', '2001-02-30', '2001-13-01', '2001-00-10', '2001-04-31', '0000-01-01', '1900-02-29'),
  fc.constantFrom('1990-1-1', '90-01-01', '1990/01/01', '01-02-1990', '1990-01-01T00:00:00Z', ' 1990-01-01'),
  fc.constantFrom('1990-01-01 ', '1990-01-01\n', '１９９０-01-01', '1990‐01‐01', '', 'yesterday', '+01990-01-01'),
  fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/).filter((s) => Number(s.slice(5, 7)) > 12 || Number(s.slice(8, 10)) > 31),
);
/** dateOfBirth values of the wrong JSON type. */
const wrongTypedDate = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant([]),
  pastDate.map((d) => [d]),
  pastDate.map((d) => ({ value: d })),
);

const json = (value: unknown) => JSON.stringify(value);
const datesIn = (text: string) => text.match(/\d{4}-\d{2}-\d{2}/g) ?? [];
const JSON_TYPE = { 'content-type': 'application/json' };

function put(
  path: string,
  body: string | Buffer,
  expect: Expectation,
  label: string,
  headers = {},
  write?: { key: string; date: string },
): HostileCase {
  const text = typeof body === 'string' ? body : '';
  return {
    label,
    method: 'PUT',
    path,
    body,
    headers: { ...JSON_TYPE, ...headers },
    expect,
    dates: write ? [...datesIn(text), write.date] : datesIn(text),
    ...(write ? { write } : {}),
  };
}
const writeOf = (user: string, date: string) => ({ key: user.toLowerCase(), date });

const validPut = fc
  .tuple(validUsername, pastDate)
  .map(([user, date]) =>
    put(`/hello/${user}`, json({ dateOfBirth: date }), 'accepted', 'valid PUT', {}, writeOf(user, date)),
  );

/** Bodies the contract rejects (and a few spellings of its media type it may accept), built only when drawn. */
const badBodyPut = fc
  .tuple(validUsername, pastDate, invalidDate, wrongTypedDate, fc.nat())
  .map(([user, good, bad, typed, pick]) => {
    const variants: Array<() => HostileCase> = [
      () => put(`/hello/${user}`, json({ dateOfBirth: bad }), 'rejected', 'invalid date'),
      () => put(`/hello/${user}`, json({ dateOfBirth: typed }), 'rejected', 'wrongly typed date'),
      () => put(`/hello/${user}`, json({ dateOfBirth: good, admin: true }), 'rejected', 'unknown key'),
      () => put(`/hello/${user}`, json({ dateofbirth: good }), 'rejected', 'misspelt key'),
      () => put(`/hello/${user}`, json({}), 'rejected', 'empty object'),
      () => put(`/hello/${user}`, json([{ dateOfBirth: good }]), 'rejected', 'array body'),
      () => put(`/hello/${user}`, json(good), 'rejected', 'bare string body'),
      () => put(`/hello/${user}`, 'null', 'rejected', 'null body'),
      () => put(`/hello/${user}`, '', 'rejected', 'empty body'),
      () => put(`/hello/${user}`, `{"dateOfBirth":"${good}"`, 'rejected', 'truncated JSON'),
      () => put(`/hello/${user}`, `{'dateOfBirth':'${good}'}`, 'rejected', 'single-quoted JSON'),
      () =>
        put(
          `/hello/${user}`,
          `{"dateOfBirth":"${good}","dateOfBirth":"${bad}"}`,
          'rejected',
          'duplicate key, last bad',
        ),
      () => put(`/hello/${user}`, `{"__proto__":{"dateOfBirth":"${good}"}}`, 'rejected', '__proto__ key'),
      () =>
        put(`/hello/${user}`, `{"constructor":{"prototype":{"dateOfBirth":"${good}"}}}`, 'rejected', 'constructor key'),
      () => put(`/hello/${user}`, `${'['.repeat(5000)}${']'.repeat(5000)}`, 'rejected', 'deep nesting'),
      () =>
        put(`/hello/${user}`, json({ dateOfBirth: good }), 'rejected', 'text/plain', { 'content-type': 'text/plain' }),
      () =>
        put(`/hello/${user}`, json({ dateOfBirth: good }), 'rejected', 'form type', {
          'content-type': 'application/x-www-form-urlencoded',
        }),
      () =>
        put(`/hello/${user}`, json({ dateOfBirth: good }), 'rejected', 'latin1 charset', {
          'content-type': 'application/json; charset=latin1',
        }),
      () =>
        put(
          `/hello/${user}`,
          json({ dateOfBirth: good }),
          'either',
          'utf-8 charset',
          {
            'content-type': 'application/json; charset=utf-8',
          },
          writeOf(user, good),
        ),
      () =>
        put(
          `/hello/${user}`,
          json({ dateOfBirth: good }),
          'either',
          'uppercase type',
          {
            'content-type': 'APPLICATION/JSON',
          },
          writeOf(user, good),
        ),
      () => put(`/hello/${user}`, json({ dateOfBirth: good }), 'rejected', 'no content type', { 'content-type': '' }),
      () =>
        put(
          `/hello/${user}`,
          Buffer.from(`\uFEFF${json({ dateOfBirth: good })}`),
          'either',
          'BOM',
          {},
          writeOf(user, good),
        ),
      () =>
        put(
          `/hello/${user}`,
          Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x3a, 0x31, 0x7d]),
          'rejected',
          'bad UTF-8',
        ),
      () => put(`/hello/${user}`, Buffer.from(json({ dateOfBirth: good }), 'utf16le'), 'rejected', 'UTF-16 body'),
      () =>
        put(`/hello/${user}`, gzipSync(json({ dateOfBirth: good })), 'rejected', 'gzip body', {
          'content-encoding': 'gzip',
        }),
      () =>
        put(`/hello/${user}`, deflateSync(json({ dateOfBirth: good })), 'rejected', 'deflate body', {
          'content-encoding': 'deflate',
        }),
      () =>
        put(`/hello/${user}`, json({ dateOfBirth: good }), 'rejected', 'unknown encoding', {
          'content-encoding': 'zstd9',
        }),
      () =>
        put(`/hello/${user}`, json({ dateOfBirth: good }), 'rejected', 'false gzip claim', {
          'content-encoding': 'gzip',
        }),
    ];
    return variants[pick % variants.length]!();
  });

/** Bodies past the 16 KiB limit, plain or as a compression bomb; the decoded size is what counts. */
const oversizePut = fc
  .tuple(validUsername, pastDate, fc.integer({ min: 16 * 1024 + 1, max: 200 * 1024 }), fc.nat())
  .map(([user, good, size, pick]) => {
    const variants: Array<() => HostileCase> = [
      () => put(`/hello/${user}`, json({ dateOfBirth: good, pad: 'x'.repeat(size) }), 'rejected', 'oversize JSON'),
      () =>
        put(`/hello/${user}`, `${' '.repeat(size)}${json({ dateOfBirth: good })}`, 'rejected', 'oversize whitespace'),
      () =>
        put(`/hello/${user}`, gzipSync(' '.repeat(size * 20) + json({ dateOfBirth: good })), 'rejected', 'gzip bomb', {
          'content-encoding': 'gzip',
        }),
    ];
    return variants[pick % variants.length]!();
  });

const badPathPut = fc
  .tuple(invalidSegment, pastDate)
  .map(([segment, date]) => put(`/hello/${segment}`, json({ dateOfBirth: date }), 'rejected', 'bad username PUT'));

const readCase = fc.oneof(
  validUsername.map((u): HostileCase => ({
    label: 'GET',
    method: 'GET',
    path: `/hello/${u}`,
    expect: 'either',
    dates: [],
  })),
  invalidSegment.map((s): HostileCase => ({
    label: 'bad username GET',
    method: 'GET',
    path: `/hello/${s}`,
    expect: 'rejected',
    dates: [],
  })),
);

const otherMethod = fc
  .tuple(fc.constantFrom('POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'), validUsername, pastDate)
  .map(([method, user, date]): HostileCase => ({
    label: `${method}`,
    method,
    path: `/hello/${user}`,
    ...(method === 'HEAD' || method === 'TRACE' ? {} : { body: json({ dateOfBirth: date }), headers: JSON_TYPE }),
    expect: 'rejected',
    dates: method === 'HEAD' || method === 'TRACE' ? [] : [date],
  }));

/** Paths beside the resource: refused, except a query or fragment after a valid username, which names it. */
const oddPath = fc
  .oneof(
    fc.constantFrom('/hello', '/hello/', '/Hello/alice', '/HELLO/alice', '/hello/alice/', '/hello/alice/x'),
    fc.constantFrom('/hello//alice', '//hello/alice', '/hello/alice;x=1', '/hello/%2e%2e/metrics', '/../etc/passwd'),
    fc.constantFrom('/hello/alice%3f', '/%', '/hello/alice?x=1&dateOfBirth=1990-01-02', '/hello/alice#frag'),
    fc.webPath().filter((p) => !/^\/(healthz|readyz|metrics|docs|openapi\.json)?$/.test(p.split(/[/?#]/)[1] ?? '')),
  )
  .map((raw) => (raw.startsWith('/') ? raw : `/${raw}`))
  .chain((path) => {
    const named = /^\/hello\/([A-Za-z]{1,64})(?:[?#].*)?$/.exec(path)?.[1];
    const expect: Expectation = named ? 'either' : 'rejected';
    return fc.constantFrom<HostileCase>(
      { label: 'odd path GET', method: 'GET', path, expect, dates: [] },
      put(path, json({ dateOfBirth: '1990-01-01' }), expect, 'odd path PUT', {}, writeOf(named ?? '', '1990-01-01')),
    );
  });

/** Headers around a valid write: request ids, odd accepts, huge values, repeated and hop-by-hop headers. */
const oddHeaders = fc
  .tuple(
    validUsername,
    pastDate,
    fc.constantFrom<Record<string, string | string[]>>(
      { 'x-request-id': 'abc-123' },
      { 'x-request-id': 'a'.repeat(4000) },
      { 'x-request-id': '<script>alert(1)</script>' },
      { 'x-request-id': ['one', 'two'] },
      { accept: 'text/html' },
      { accept: '*/*;q=0' },
      { 'x-forwarded-for': '1.2.3.4, 5.6.7.8' },
      { 'x-forwarded-proto': 'https' },
      { host: 'evil.example' },
      { 'x-http-method-override': 'DELETE' },
      { cookie: `s=${'c'.repeat(6000)}` },
      { expect: '100-continue' },
      { 'content-type': 'application/json', 'x-pad': 'p'.repeat(10_000) },
    ),
  )
  .map(([user, date, headers]): HostileCase => {
    const body = json({ dateOfBirth: date });
    const request = put(`/hello/${user}`, body, 'either', 'odd headers', {}, writeOf(user, date));
    return { ...request, headers: { ...JSON_TYPE, ...headers } };
  });

export const hostileRequest: fc.Arbitrary<HostileCase> = fc.oneof(
  { weight: 5, arbitrary: validPut },
  { weight: 8, arbitrary: badBodyPut },
  { weight: 1, arbitrary: oversizePut },
  { weight: 3, arbitrary: badPathPut },
  { weight: 4, arbitrary: readCase },
  { weight: 2, arbitrary: otherMethod },
  { weight: 2, arbitrary: oddPath },
  { weight: 2, arbitrary: oddHeaders },
);
