// WriteBatches with a commit the test settles by hand: when batches start, what they hold, how they settle.
import { type BatchRow, WriteBatches } from './write-batches';

/** A commit that records each batch and settles only when the test says so. */
function recorder() {
  const batches: { rows: readonly BatchRow[]; done: () => void; fail: (error: unknown) => void }[] = [];
  const commit = (rows: readonly BatchRow[]) =>
    new Promise<void>((resolve, reject) => batches.push({ rows, done: resolve, fail: reject }));
  return { batches, commit };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('write batches', () => {
  it('a lone write is committed at once, without waiting for company', async () => {
    const { batches, commit } = recorder();
    const written = new WriteBatches(commit, 100, 1).write('alice', '2001-01-01');
    await turn();
    expect(batches.map((b) => b.rows)).toEqual([[{ key: 'alice', dateOfBirth: '2001-01-01' }]]);
    batches[0]!.done();
    await expect(written).resolves.toBeUndefined();
  });

  it('writes that arrive while a batch commits go together in the next one, each settled with its batch', async () => {
    const { batches, commit } = recorder();
    const queue = new WriteBatches(commit, 100, 1);
    const first = queue.write('alice', '2001-01-01');
    await turn();
    const later = [queue.write('bob', '2002-02-02'), queue.write('carol', '2003-03-03')];
    await turn();
    expect(batches).toHaveLength(1);
    batches[0]!.done();
    await first;
    await turn();
    await turn();
    expect(batches[1]!.rows.map((r) => r.key)).toEqual(['bob', 'carol']);
    batches[1]!.done();
    await Promise.all(later);
  });

  it('writes to one key in one batch become one row holding the last that arrived', async () => {
    const { batches, commit } = recorder();
    const queue = new WriteBatches(commit, 100, 1);
    const writes = ['2001-01-01', '2002-02-02', '2003-03-03'].map((date) => queue.write('alice', date));
    await turn();
    expect(batches[0]!.rows).toEqual([{ key: 'alice', dateOfBirth: '2003-03-03' }]);
    batches[0]!.done();
    await Promise.all(writes);
  });

  it('a key being committed waits for the next batch, even when another batch may start beside it', async () => {
    const { batches, commit } = recorder();
    const queue = new WriteBatches(commit, 100, 2);
    void queue.write('alice', '2001-01-01');
    await turn();
    void queue.write('alice', '2002-02-02');
    void queue.write('bob', '2002-02-02');
    await turn();
    expect(batches.map((b) => b.rows.map((r) => r.key))).toEqual([['alice'], ['bob']]);
    batches[0]!.done();
    await turn();
    await turn();
    expect(batches[2]!.rows).toEqual([{ key: 'alice', dateOfBirth: '2002-02-02' }]);
  });

  it('a failed batch fails each of its writes with its error, and the next batch still runs', async () => {
    const { batches, commit } = recorder();
    const queue = new WriteBatches(commit, 100, 1);
    const failing = [queue.write('alice', '2001-01-01'), queue.write('bob', '2001-01-01')];
    await turn();
    const next = queue.write('carol', '2001-01-01');
    const error = new Error('connection lost');
    batches[0]!.fail(error);
    for (const write of failing) await expect(write).rejects.toBe(error);
    await turn();
    batches[1]!.done();
    await expect(next).resolves.toBeUndefined();
  });

  it('writes waiting behind a batch that failed as unreachable fail with it at once, and are never sent', async () => {
    const { batches, commit } = recorder();
    const unreachable = new Error('connection refused');
    const queue = new WriteBatches(commit, 100, 1, (error) => error === unreachable);
    const first = queue.write('alice', '2001-01-01');
    await turn();
    const waiting = queue.write('bob', '2001-01-01');
    batches[0]!.fail(unreachable);
    await expect(first).rejects.toBe(unreachable);
    await expect(waiting).rejects.toBe(unreachable);
    await turn();
    expect(batches).toHaveLength(1);
  });

  it('a write to a key of the batch that failed as unreachable fails with it too, instead of waiting out another timeout', async () => {
    const { batches, commit } = recorder();
    const unreachable = new Error('connection refused');
    const queue = new WriteBatches(commit, 100, 1, (error) => error === unreachable);
    const first = queue.write('alice', '2001-01-01');
    await turn();
    const sameKey = queue.write('alice', '2002-02-02');
    batches[0]!.fail(unreachable);
    await expect(first).rejects.toBe(unreachable);
    await expect(sameKey).rejects.toBe(unreachable);
    await turn();
    expect(batches).toHaveLength(1);
  });

  it('a commit that throws before returning a promise fails its batch the same way', async () => {
    const error = new Error('bad statement');
    const queue = new WriteBatches(
      () => {
        throw error;
      },
      100,
      1,
    );
    await expect(queue.write('alice', '2001-01-01')).rejects.toBe(error);
  });

  it('sends at most maxRows rows per statement, in one sorted order of keys', async () => {
    const { batches, commit } = recorder();
    const queue = new WriteBatches(commit, 2, 1);
    const writes = ['dave', 'carol', 'bob', 'alice'].map((key) => queue.write(key, '2001-01-01'));
    await turn();
    expect(batches[0]!.rows.map((r) => r.key)).toEqual(['carol', 'dave']);
    batches[0]!.done();
    await turn();
    await turn();
    expect(batches[1]!.rows.map((r) => r.key)).toEqual(['alice', 'bob']);
    batches[1]!.done();
    await Promise.all(writes);
  });
});
