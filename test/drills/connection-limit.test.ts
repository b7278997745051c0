// Drill: more connections than the process will hold. Connections up to the limit are served; the next ones are
// answered 503 + Retry-After at once and closed (probes excepted); a flood past that is refused at the socket. The
// clients already connected keep being served throughout.
import net from 'node:net';
import { startDrillService, type DrillService } from './drill-service';
import { ms, recordFigures } from './figures';
import { rawExchange } from './raw-http';
import { waitFor } from '../support/wait-for';

jest.setTimeout(90_000);

const MAX_CONNECTIONS = 40;
const EXCESS = 30;

let service: DrillService;
const held: net.Socket[] = [];
beforeAll(async () => {
  service = await startDrillService({
    label: 'connections',
    // Idle connections are what this drill holds: they must outlive it.
    env: { HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS), HTTP_HEADERS_TIMEOUT_SECONDS: '60' },
  });
});
afterAll(async () => {
  for (const socket of held) socket.destroy();
  await service?.stop();
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** One GET on an open keep-alive socket; resolves with the status line's code. */
function getOn(socket: net.Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('data', (chunk: Buffer) => resolve(Number(chunk.toString('latin1').slice(9, 12))));
    socket.once('error', reject);
    socket.write('GET /healthz HTTP/1.1\r\nHost: drill\r\n\r\n');
  });
}

test('past the connection limit new clients get 503 with Retry-After at once, while held connections are served', async () => {
  const { port } = service;
  for (let i = 0; i < MAX_CONNECTIONS; i += 1) held.push(await connect(port));

  const excess = await Promise.all(
    Array.from({ length: EXCESS }, () =>
      rawExchange(port, 'GET /hello/Excess HTTP/1.1\r\nHost: drill\r\n\r\n', { timeoutMs: 10_000 }),
    ),
  );
  // A liveness probe on a new connection is still answered: a saturated pod is busy, not dead.
  const probe = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: kubelet\r\n\r\n', { timeoutMs: 10_000 });
  const heldStatuses = await Promise.all(held.slice(0, 5).map(getOn));

  const statuses = excess.map((r) => r.statuses[0] ?? 'none');
  const slowest = Math.max(...excess.map((r) => r.firstByteMs ?? Infinity));
  recordFigures('HTTP edge', `${MAX_CONNECTIONS} connections held at the limit, ${EXCESS} more`, {
    'excess answered 503': statuses.filter((s) => s === 503).length,
    'excess with Retry-After': excess.filter((r) => /\r\nRetry-After: \d+\r\n/i.test(r.text)).length,
    'slowest excess answer ms': Number.isFinite(slowest) ? ms(slowest) : 'none',
    'held connections served': heldStatuses.filter((s) => s === 200).length,
    'liveness probe at the limit': probe.statuses[0] ?? 'none',
  });
  expect(statuses).toEqual(Array(EXCESS).fill(503));
  expect(excess.every((r) => /\r\nRetry-After: \d+\r\n/i.test(r.text) && r.closedAfterMs !== undefined)).toBe(true);
  expect(heldStatuses).toEqual(Array(5).fill(200));
  expect(probe.statuses).toEqual([200]);
  expect(probe.closedAfterMs).toBeDefined();
});

test('when the held connections leave, new clients are served again', async () => {
  for (const socket of held.splice(0)) socket.destroy();
  // The server learns of the closes asynchronously: the first tries may still be shed.
  const status = await waitFor(
    'a new client to be served',
    async () => {
      const res = await fetch(`http://127.0.0.1:${service.port}/hello/Excess`);
      return res.status !== 503 && res.status;
    },
    { timeoutMs: 10_000, everyMs: 100 },
  );
  // Served by the API again: the name has no date of birth stored.
  expect(status).toBe(404);
});
