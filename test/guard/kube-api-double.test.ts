// The Kubernetes API double's custom-resource semantics, through the real client-node client and its informer: what
// the guard relies on must behave as the real API server does (status subresource, generation, conflicts, watch).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { KubeApiDouble, type KubeObject } from '../support/kube-api-double';
import { waitFor } from '../support/wait-for';
import { kubeConfig } from './guard-harness';

const API = { group: 'example.dev', version: 'v1alpha1', namespace: 'ns', plural: 'widgets' };
const api = new KubeApiDouble().withStatusSubresource('example.dev/v1alpha1', 'widgets');
let kc: k8s.KubeConfig;
let custom: k8s.CustomObjectsApi;
let dir: string;

const widget = (size: number): KubeObject => ({
  apiVersion: 'example.dev/v1alpha1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'ns' },
  spec: { size },
  status: { seen: 'smuggled in on create' },
});
const read = async () => (await custom.getNamespacedCustomObject({ ...API, name: 'w' })) as KubeObject;
const code = async (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { code?: number }) => e.code,
  );

beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'kube-double-'));
  kc = kubeConfig(await api.writeKubeconfig(dir));
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
});
afterAll(async () => {
  await api.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => api.clear());

test('create: generation 1, and no status (only the status subresource writes it)', async () => {
  const created = (await custom.createNamespacedCustomObject({ ...API, body: widget(1) })) as KubeObject;
  expect(created.metadata.generation).toBe(1);
  expect(created.status).toBeUndefined();
});

test('a status write changes the status only; a spec write moves the generation and keeps the status', async () => {
  await custom.createNamespacedCustomObject({ ...API, body: widget(1) });
  const before = await read();
  await custom.replaceNamespacedCustomObjectStatus({
    ...API,
    name: 'w',
    body: { ...before, spec: { size: 99 }, status: { seen: 1 } },
  });
  const afterStatus = await read();
  expect(afterStatus).toMatchObject({ spec: { size: 1 }, status: { seen: 1 }, metadata: { generation: 1 } });
  expect(afterStatus.metadata.resourceVersion).not.toBe(before.metadata.resourceVersion);

  await custom.replaceNamespacedCustomObject({
    ...API,
    name: 'w',
    body: { ...afterStatus, spec: { size: 2 }, status: {} },
  });
  expect(await read()).toMatchObject({ spec: { size: 2 }, status: { seen: 1 }, metadata: { generation: 2 } });
  // A metadata-only change is no new generation.
  const now = await read();
  await custom.replaceNamespacedCustomObject({
    ...API,
    name: 'w',
    body: { ...now, metadata: { ...now.metadata, labels: { a: 'b' } } },
  });
  expect((await read()).metadata.generation).toBe(2);
});

test('a write from a stale resourceVersion is a 409 Conflict; one without any is refused (422)', async () => {
  await custom.createNamespacedCustomObject({ ...API, body: widget(1) });
  const stale = await read();
  await custom.replaceNamespacedCustomObjectStatus({ ...API, name: 'w', body: { ...stale, status: { seen: 1 } } });
  expect(
    await code(
      custom.replaceNamespacedCustomObjectStatus({ ...API, name: 'w', body: { ...stale, status: { seen: 2 } } }),
    ),
  ).toBe(409);
  const { resourceVersion: _, ...noVersion } = stale.metadata;
  expect(
    await code(custom.replaceNamespacedCustomObject({ ...API, name: 'w', body: { ...stale, metadata: noVersion } })),
  ).toBe(422);
  expect((await read()).status).toEqual({ seen: 1 });
});

test("an informer lists, then follows every change through the watch from the list's resourceVersion", async () => {
  api.putAs('widgets', widget(1));
  const list = async () =>
    (await custom.listNamespacedCustomObject(API)) as k8s.KubernetesListObject<KubeObject & k8s.KubernetesObject>;
  const informer = k8s.makeInformer(kc, '/apis/example.dev/v1alpha1/namespaces/ns/widgets', list);
  const seen: string[] = [];
  informer.on('add', (o) => seen.push(`add ${(o.spec as { size: number }).size}`));
  informer.on('update', (o) => seen.push(`update ${(o.spec as { size: number }).size}`));
  informer.on('delete', () => seen.push('delete'));
  await informer.start();
  try {
    api.putAs('widgets', widget(2));
    await waitFor('the update', () => seen.includes('update 2'), { timeoutMs: 5000, everyMs: 20 });
    api.clear();
    await waitFor('the delete', () => seen.includes('delete'), { timeoutMs: 5000, everyMs: 20 });
    expect(seen).toEqual(['add 1', 'update 2', 'delete']);
    expect(informer.list('ns')).toEqual([]);
  } finally {
    await informer.stop();
  }
});
