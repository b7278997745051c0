// Recorded metric histories for gate tests: what the service would have exported for one release, second by
// second, written as OpenMetrics for `promtool tsdb create-blocks-from`. Same names, labels and buckets as the
// service (contract/runtime.ts), so the SLO queries run against it unchanged.
import { METRICS } from '../../contract/runtime';

export interface Behaviour {
  /** Requests per second (0 = no traffic). */
  readonly rps: number;
  /** Share answered 500. */
  readonly errorRatio: number;
  /** Latency of every request, in seconds. */
  readonly latency: number;
}

export interface ReleaseHistory {
  readonly namespace: string;
  readonly release: string;
  /** Unix seconds of the first and last scrape. */
  readonly from: number;
  readonly to: number;
  readonly behaviour: (t: number) => Behaviour;
}

const L = METRICS.labels;
const ROUTE = '/hello/:username';
const SCRAPE_STEP = 5;

function labels(h: ReleaseHistory, extra: Record<string, string>): string {
  const all = { namespace: h.namespace, [L.release]: h.release, [L.route]: ROUTE, [L.method]: 'GET', ...extra };
  return `{${Object.entries(all)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

/** One OpenMetrics document; each metric family's samples are grouped, each series in time order. */
export function openMetrics(histories: readonly ReleaseHistory[]): string {
  const requests: string[] = [];
  const buckets: string[] = [];
  const counts: string[] = [];
  for (const h of histories) {
    let ok = 0;
    let failed = 0;
    const bucketCounts = new Map<string, number>(
      [...METRICS.durationBuckets.map((b) => String(b)), '+Inf'].map((le) => [le, 0]),
    );
    const series = {
      ok: [] as string[],
      failed: [] as string[],
      buckets: new Map<string, string[]>(),
      count: [] as string[],
    };
    for (let t = h.from; t <= h.to; t += SCRAPE_STEP) {
      const b = h.behaviour(t);
      const n = b.rps * SCRAPE_STEP;
      ok += n * (1 - b.errorRatio);
      failed += n * b.errorRatio;
      for (const le of bucketCounts.keys()) {
        if (le === '+Inf' || Number(le) >= b.latency) bucketCounts.set(le, bucketCounts.get(le)! + n);
        const line = `${METRICS.requestDuration}_bucket${labels(h, { le })} ${bucketCounts.get(le)!} ${t}`;
        series.buckets.set(le, [...(series.buckets.get(le) ?? []), line]);
      }
      series.ok.push(`${METRICS.requestsTotal}${labels(h, { [L.statusCode]: '200' })} ${ok} ${t}`);
      series.failed.push(`${METRICS.requestsTotal}${labels(h, { [L.statusCode]: '500' })} ${failed} ${t}`);
      series.count.push(`${METRICS.requestDuration}_count${labels(h, {})} ${ok + failed} ${t}`);
    }
    requests.push(...series.ok, ...series.failed);
    for (const lines of series.buckets.values()) buckets.push(...lines);
    counts.push(...series.count);
  }
  return [...requests, ...buckets, ...counts, '# EOF', ''].join('\n');
}
