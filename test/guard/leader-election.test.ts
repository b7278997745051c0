// Leader election through the REAL @kubernetes/client-node client against the Kubernetes API double (a test
// double: no API server runs here) with Lease semantics: create (409 AlreadyExists), replace with resourceVersion
// (409 Conflict on a stale one). Each candidate has its own injected clock, so expiry is tested without waiting.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { LeaseSettings } from '../../release/guard/guard-settings';
import { LeaseElector } from '../../release/guard/leader-election';
import { KubeApiDouble } from '../support/kube-api-double';

const api = new KubeApiDouble();
let leases: k8s.CoordinationV1Api;
let dir: string;

beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'lease-'));
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(await api.writeKubeconfig(dir));
  leases = kc.makeApiClient(k8s.CoordinationV1Api);
});
afterAll(async () => {
  await api.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  api.clear();
  api.failWith = undefined;
});

const settings = (identity: string): LeaseSettings => ({
  namespace: 'hello-platform',
  name: 'hello-release-guard',
  identity,
  leaseDurationSeconds: 15,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
});

function candidate(identity: string, start = 0) {
  let now = start;
  const changes: boolean[] = [];
  const elector = new LeaseElector(leases, settings(identity), { now: () => now, onChange: (l) => changes.push(l) });
  return { elector, changes, advance: (ms: number) => void (now += ms) };
}

const lease = () => leases.readNamespacedLease({ name: 'hello-release-guard', namespace: 'hello-platform' });

test('the first candidate creates the Lease and leads; the second follows', async () => {
  const a = candidate('a');
  const b = candidate('b');
  expect(await a.elector.tryAcquireOrRenew()).toBe(true);
  expect(await b.elector.tryAcquireOrRenew()).toBe(false);
  const l = await lease();
  expect(l.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
  expect(String(l.spec?.renewTime as unknown)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  expect(a.elector.isLeader()).toBe(true);
  expect(b.elector.isLeader()).toBe(false);
  expect(b.elector.holder).toBe('a');
});

test('candidates racing for a free Lease: exactly one wins, the other gets a 409 and follows', async () => {
  const racers = ['a', 'b', 'c', 'd'].map((id) => candidate(id));
  const won = await Promise.all(racers.map((r) => r.elector.tryAcquireOrRenew()));
  expect(won.filter(Boolean)).toHaveLength(1);
  // A second round where everyone saw the same free Lease: still one leader, and it is the holder.
  const again = await Promise.all(racers.map((r) => r.elector.tryAcquireOrRenew()));
  expect(again.filter(Boolean)).toHaveLength(1);
  expect((await lease()).spec?.holderIdentity).toBe(['a', 'b', 'c', 'd'][again.indexOf(true)]);
  expect(api.requests.filter((r) => r.startsWith('PUT') || r.startsWith('POST')).length).toBeGreaterThan(1);
});

test('a follower takes over only once the renewTime it saw has not moved for the lease duration', async () => {
  const a = candidate('a');
  const b = candidate('b', 1_000_000);
  await a.elector.tryAcquireOrRenew();
  await b.elector.tryAcquireOrRenew();
  // The leader keeps renewing: the follower keeps following however much time passes.
  for (let i = 0; i < 5; i++) {
    a.advance(5_000);
    b.advance(5_000);
    expect(await a.elector.tryAcquireOrRenew()).toBe(true);
    expect(await b.elector.tryAcquireOrRenew()).toBe(false);
  }
  // The leader stops renewing (crashed): just before the duration the follower waits, at the duration it takes over.
  b.advance(14_999);
  expect(await b.elector.tryAcquireOrRenew()).toBe(false);
  b.advance(1);
  expect(await b.elector.tryAcquireOrRenew()).toBe(true);
  expect((await lease()).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  // The old leader comes back: it finds another holder and does not lead.
  a.advance(1);
  expect(await a.elector.tryAcquireOrRenew()).toBe(false);
  expect(a.changes).toEqual([true, false]);
});

test('stopping hands the Lease back, so the follower takes over at once', async () => {
  const a = candidate('a');
  const b = candidate('b');
  await a.elector.tryAcquireOrRenew();
  await b.elector.tryAcquireOrRenew();
  await a.elector.stop();
  expect((await lease()).spec?.holderIdentity).toBe('');
  expect(a.elector.isLeader()).toBe(false);
  expect(await b.elector.tryAcquireOrRenew()).toBe(true);
});

test('a leader that cannot reach the API server steps down at its renew deadline, before anyone may take over', async () => {
  const a = candidate('a');
  await a.elector.tryAcquireOrRenew();
  api.failWith = 503;
  a.advance(9_999);
  expect(await a.elector.tryAcquireOrRenew()).toBe(true);
  a.advance(1);
  expect(await a.elector.tryAcquireOrRenew()).toBe(false);
  expect(a.elector.isLeader()).toBe(false);
  expect(a.elector.reachable).toBe(false);
});

test('a renewal with a stale resourceVersion is refused with 409 and the writer stops leading', async () => {
  const a = candidate('a');
  await a.elector.tryAcquireOrRenew();
  const current = await lease();
  // Another writer changes the Lease between a's read and its write.
  const original = leases.readNamespacedLease.bind(leases);
  const racing = {
    ...leases,
    readNamespacedLease: async (p: { name: string; namespace: string }) => {
      const read = await original(p);
      await leases.replaceNamespacedLease({
        ...p,
        body: { ...current, spec: { ...current.spec, holderIdentity: 'intruder' } },
      });
      return read;
    },
    createNamespacedLease: leases.createNamespacedLease.bind(leases),
    replaceNamespacedLease: leases.replaceNamespacedLease.bind(leases),
  };
  const elector = new LeaseElector(racing, settings('a'));
  expect(await elector.tryAcquireOrRenew()).toBe(false);
  expect((await lease()).spec?.holderIdentity).toBe('intruder');
});
