// Operating endpoints and cross-cutting behaviour: health, readiness, metrics, OpenAPI and docs, security headers,
// request ids and what the logs may contain.
import { createHttpMetrics } from '../../service/metrics';
import { startTestApi, type TestApi } from './api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('health and readiness', () => {
  test('/healthz answers 200', async () => {
    const res = await api.request.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('/readyz answers 200 on a migrated, reachable database', async () => {
    const res = await api.request.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });
});

describe('/metrics', () => {
  test('counts requests and their durations by route pattern, never by username, all labelled with the release', async () => {
    await api.request.put('/hello/SecretName').send({ dateOfBirth: '1990-01-01' }).expect(204);
    await api.request.get('/hello/SecretName').expect(200);
    await api.request.get('/hello/Unknown').expect(404);
    await api.request.get('/no/such/path').expect(404);
    const res = await api.request.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain(
      'http_requests_total{method="PUT",route="/hello/:username",status_code="204",release="test-release"} 1',
    );
    expect(text).toContain(
      'http_requests_total{method="GET",route="/hello/:username",status_code="200",release="test-release"} 1',
    );
    expect(text).toContain(
      'http_requests_total{method="GET",route="/hello/:username",status_code="404",release="test-release"} 1',
    );
    expect(text).toContain(
      'http_requests_total{method="GET",route="unmatched",status_code="404",release="test-release"} 1',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.001",release="test-release",method="GET",route="/hello/:username",status_code="200"}',
    );
    expect(text).toContain('le="0.5",release="test-release",method="GET"');
    expect(text).not.toMatch(/SecretName|no\/such/i);
  });

  test('default process metrics are there when enabled', async () => {
    const metrics = createHttpMetrics({ release: 'r1' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{release="r1"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{release="r1"\} /m);
  });
});

describe('OpenAPI and docs', () => {
  test('/openapi.json is an OpenAPI 3.1 document generated from the validation schemas', async () => {
    const res = await api.request.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths['/hello/{username}']).sort()).toEqual(['get', 'put']);
    expect(doc.components.schemas.Username).toMatchObject({ type: 'string', pattern: '^[A-Za-z]{1,64}$' });
    expect(doc.components.schemas.SaveBirthday).toMatchObject({
      type: 'object',
      required: ['dateOfBirth'],
      additionalProperties: false,
    });
    expect(doc.components.schemas.SaveBirthday.properties.dateOfBirth.pattern).toBe('^\\d{4}-\\d{2}-\\d{2}$');
    expect(Object.keys(doc.paths['/hello/{username}'].put.responses).sort()).toEqual([
      '204',
      '400',
      '405',
      '413',
      '415',
      '503',
    ]);
  });

  test('/docs redirects to /docs/, which serves Swagger UI with only same-origin scripts', async () => {
    await api.request.get('/docs').expect(301).expect('Location', '/docs/');
    const res = await api.request.get('/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui-bundle.js');
    // helmet's CSP allows scripts from 'self' only: the page must not rely on inline scripts.
    expect(res.text).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>[^<]+<\/script>/);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const init = await api.request.get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('/hello/{username}');
    await api.request
      .get('/docs/swagger-ui-bundle.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await api.request.get('/docs/swagger-ui.css').expect(200).expect('Content-Type', /css/);
  });

  test("the docs page's style block holds only CSS, never the word undefined", async () => {
    const res = await api.request.get('/docs/');
    expect(res.text).not.toContain('undefined');
  });

  test('only the files the docs page loads are served from the Swagger UI package', async () => {
    await api.request.get('/docs/favicon-32x32.png').expect(200).expect('Content-Type', 'image/png');
    await api.request.get('/docs/package.json').expect((res) => expect(res.text).not.toContain('"version"'));
    await api.request
      .get('/docs/swagger-ui-bundle.js.map')
      .expect((res) => expect(res.text).not.toContain('"mappings"'));
  });
});

describe('headers on every response', () => {
  test.each(['/hello/Alice', '/healthz', '/nowhere', '/openapi.json'])(
    '%s has helmet security headers and no x-powered-by',
    async (path) => {
      const res = await api.request.get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
    },
  );

  test('a request id is generated when none is sent, and echoed when a valid one is', async () => {
    const generated = await api.request.get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await api.request.get('/healthz').set('x-request-id', 'abc-123.DEF:456');
    expect(echoed.headers['x-request-id']).toBe('abc-123.DEF:456');
  });

  test.each([['a b'], ['x'.repeat(129)], ['<script>']])(
    'an unacceptable incoming request id %p is replaced',
    async (id) => {
      const res = await api.request.get('/healthz').set('x-request-id', id);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});

describe('logs', () => {
  test('each request logs one JSON line with its request id and route pattern, never the date of birth or the body', async () => {
    await api.request
      .put('/hello/LoggedUser')
      .set('x-request-id', 'log-check-1')
      .send({ dateOfBirth: '1977-03-04' })
      .expect(204);
    await api.request
      .put('/hello/LoggedUser')
      .set('x-request-id', 'log-check-2')
      .send({ dateOfBirth: '1977-02-30' })
      .expect(400);
    const lines = api.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const first = lines.filter((line) => line.requestId === 'log-check-1');
    expect(first).toEqual([
      expect.objectContaining({ level: 'info', msg: 'request', method: 'PUT', route: '/hello/:username', status: 204 }),
    ]);
    expect(lines.filter((line) => line.requestId === 'log-check-2')).toHaveLength(1);
    const all = api.logs.join('\n');
    expect(all).not.toContain('1977-03-04');
    expect(all).not.toContain('1977-02-30');
    expect(all).not.toContain('LoggedUser');
  });
});

describe('readiness during shutdown', () => {
  test('/readyz turns 503 the moment shutdown begins, while /healthz stays 200', async () => {
    const local = await startTestApi();
    try {
      await local.request.get('/readyz').expect(200);
      local.lifecycle.beginShutdown();
      const res = await local.request.get('/readyz');
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text)).toMatchObject({ status: 503, detail: 'The service is shutting down.' });
      await local.request.get('/healthz').expect(200);
    } finally {
      await local.close();
    }
  });
});
