// The provider: runs one PromQL query at one instant against the Prometheus HTTP API and returns a Measurement.
// It never throws: unreachable, timing out or answering an error all come back as an error measurement.
import type { Measurement } from './measurement';

export interface MetricsProvider {
  /** The query's single value at `at`; the provider must not throw. */
  measure(query: string, at: Date): Promise<Measurement>;
}

export interface PrometheusProviderOptions {
  /** Base URL, e.g. http://prometheus.monitoring:9090 */
  readonly url: string;
  /** Per-request timeout, also passed to Prometheus as its query timeout. @default 10_000 */
  readonly timeoutMs?: number;
  /** Injected for tests of the transport only. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

interface PromVectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}
interface PromResponse {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly errorType?: string;
  readonly data?: { resultType: string; result: unknown };
}

/** Prometheus writes NaN and infinities as strings; Number() reads "NaN", "+Inf" needs help. */
function parseSampleValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

export class PrometheusProvider implements MetricsProvider {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(options: PrometheusProviderOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  async measure(query: string, at: Date): Promise<Measurement> {
    const params = new URLSearchParams({
      query,
      time: (at.getTime() / 1000).toFixed(3),
      timeout: `${Math.ceil(this.timeoutMs / 1000)}s`,
    });
    let body: PromResponse;
    try {
      const res = await this.fetchFn(`${this.base}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      try {
        body = JSON.parse(text) as PromResponse;
      } catch {
        return {
          kind: 'error',
          at,
          error: `Prometheus answered HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
        };
      }
      if (!res.ok || body.status !== 'success') {
        return {
          kind: 'error',
          at,
          error: `Prometheus answered HTTP ${res.status}: ${body.errorType ?? 'error'}: ${body.error ?? 'no message'}`,
        };
      }
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const why =
        err.name === 'TimeoutError'
          ? `timed out after ${this.timeoutMs} ms`
          : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
      return { kind: 'error', at, error: `Prometheus at ${this.base} unreachable: ${why}` };
    }
    const data = body.data;
    if (data?.resultType === 'scalar') {
      const [, v] = data.result as [number, string];
      return { kind: 'value', at, value: parseSampleValue(v) };
    }
    if (data?.resultType !== 'vector' || !Array.isArray(data.result)) {
      return {
        kind: 'error',
        at,
        error: `expected an instant vector, Prometheus answered a ${data?.resultType ?? 'missing'} result`,
      };
    }
    const samples = data.result as PromVectorSample[];
    if (samples.length === 0) return { kind: 'no-data', at };
    if (samples.length > 1)
      return { kind: 'error', at, error: `expected one series, the query returned ${samples.length}` };
    return { kind: 'value', at, value: parseSampleValue(samples[0]!.value[1]) };
  }
}
