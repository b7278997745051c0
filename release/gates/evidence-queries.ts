// The two queries that say whether a gate's value is evidence: how dense and how fresh the release's request
// series are. Built from the same selector as the SLO queries (cdk8s/slo-queries.ts), so they cover the same series.
import { METRICS } from '../../contract/runtime';
import { selector, type QueryScope } from '../../cdk8s/slo-queries';

/** Samples on the release's densest request series within the range. */
export function sampleCountQuery(scope: QueryScope, window: string): string {
  return `max(count_over_time(${METRICS.requestsTotal}${selector(scope)}[${window}]))`;
}

/** Unix time of the release's newest request sample (empty once every series has gone stale). */
export function newestSampleQuery(scope: QueryScope): string {
  return `max(timestamp(${METRICS.requestsTotal}${selector(scope)}))`;
}
