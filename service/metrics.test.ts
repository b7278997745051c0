// The process's own health metrics beside the request metrics: dropped log lines are counted where Prometheus sees them.
import { createHttpMetrics, LOG_LINES_DROPPED } from './metrics';

test('log lines the destination dropped are exported as a counter that follows its count', async () => {
  let dropped = 3;
  const { registry } = createHttpMetrics({ release: 'r1', processMetrics: false, droppedLogLines: () => dropped });
  const value = async () => (await registry.getSingleMetric(LOG_LINES_DROPPED)!.get()).values[0]?.value;
  expect(await value()).toBe(3);
  dropped = 7;
  expect(await value()).toBe(7);
  expect(await registry.metrics()).toContain(`${LOG_LINES_DROPPED}{release="r1"} 7`);
});
