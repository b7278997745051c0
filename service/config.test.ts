import { ConfigError, loadConfig } from './config';

describe('configuration from the environment', () => {
  test('an empty environment gives the documented defaults and the embedded database', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      timeZone: 'UTC',
      logLevel: 'info',
      release: 'dev',
      shutdownGraceSeconds: 20,
      dataDir: '.data',
      http: {
        timeouts: { headersMs: 10_000, requestMs: 15_000, keepAliveMs: 65_000, idleMs: 30_000 },
        limits: { maxConnections: 500, pipelineDepth: 16 },
      },
    });
  });

  test('every variable is read', () => {
    expect(
      loadConfig({
        DATABASE_URL: 'postgresql://u:p@db:5432/hello',
        PORT: '0',
        TZ_NAME: 'Europe/Paris',
        LOG_LEVEL: 'warn',
        HELLO_RELEASE: 'main-1a2b3c4',
        SHUTDOWN_GRACE_SECONDS: '5',
        DATA_DIR: '/tmp/hello',
        HTTP_HEADERS_TIMEOUT_SECONDS: '3',
        HTTP_REQUEST_TIMEOUT_SECONDS: '4',
        HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '70',
        HTTP_IDLE_TIMEOUT_SECONDS: '20',
        HTTP_MAX_CONNECTIONS: '50',
        HTTP_PIPELINE_DEPTH: '4',
      }),
    ).toEqual({
      databaseUrl: 'postgresql://u:p@db:5432/hello',
      port: 0,
      timeZone: 'Europe/Paris',
      logLevel: 'warn',
      release: 'main-1a2b3c4',
      shutdownGraceSeconds: 5,
      dataDir: '/tmp/hello',
      http: {
        timeouts: { headersMs: 3_000, requestMs: 4_000, keepAliveMs: 70_000, idleMs: 20_000 },
        limits: { maxConnections: 50, pipelineDepth: 4 },
      },
    });
  });

  test('an empty variable counts as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).not.toHaveProperty('databaseUrl');
  });

  test.each([
    ['PORT', 'abc', 'invalid configuration: PORT must be an integer from 0 to 65535'],
    ['PORT', '65536', 'invalid configuration: PORT must be an integer from 0 to 65535'],
    ['PORT', '-1', 'invalid configuration: PORT must be an integer from 0 to 65535'],
    ['PORT', '80.5', 'invalid configuration: PORT must be an integer from 0 to 65535'],
    ['TZ_NAME', 'Mars/Olympus', 'invalid configuration: TZ_NAME must be an IANA time zone such as UTC or Europe/Paris'],
    [
      'LOG_LEVEL',
      'loud',
      'invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ],
    ['HELLO_RELEASE', 'a b', 'invalid configuration: HELLO_RELEASE must be 1 to 128 letters, digits, ".", "_" or "-"'],
    [
      'SHUTDOWN_GRACE_SECONDS',
      '0',
      'invalid configuration: SHUTDOWN_GRACE_SECONDS must be an integer number of seconds from 1 to 3600',
    ],
    ['DATABASE_URL', 'mysql://x', 'invalid configuration: DATABASE_URL must be a postgresql:// URL'],
    [
      'HTTP_HEADERS_TIMEOUT_SECONDS',
      '0',
      'invalid configuration: HTTP_HEADERS_TIMEOUT_SECONDS must be an integer number of seconds from 1 to 600',
    ],
    ['HTTP_MAX_CONNECTIONS', '0', 'invalid configuration: HTTP_MAX_CONNECTIONS must be an integer from 1 to 100000'],
    ['HTTP_PIPELINE_DEPTH', '1e3', 'invalid configuration: HTTP_PIPELINE_DEPTH must be an integer from 1 to 1000'],
  ])('%s=%p stops startup with one line naming the variable', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(message);
    expect((error as ConfigError).variable).toBe(name);
  });

  test('the rejected value of a secret is never echoed', () => {
    expect(() => loadConfig({ DATABASE_URL: 'secret-password' })).toThrow(/^invalid configuration: DATABASE_URL [^]*$/);
    expect(() => loadConfig({ DATABASE_URL: 'secret-password' })).not.toThrow(/secret-password/);
  });
});
