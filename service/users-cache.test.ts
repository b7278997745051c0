import type { ChangeListener, UserChanges } from './user-changes';
import type { IsoDate, UsersRepository } from './users';
import { CachedUsersRepository } from './users-cache';

/** An in-memory store that counts reads and can hold a read until the test releases it. */
class CountingStore implements UsersRepository {
  readonly rows = new Map<string, IsoDate>();
  reads = 0;
  private gate: Promise<void> | undefined;
  private open: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.gate = undefined;
    this.open();
  }
  async findDateOfBirth(key: string): Promise<IsoDate | undefined> {
    this.reads++;
    const value = this.rows.get(key); // read "now", answer when released: a read that raced a later write
    await this.gate;
    return value;
  }
  async saveDateOfBirth(key: string, date: IsoDate): Promise<void> {
    this.rows.set(key, date);
  }
}

/** Change announcements the test drives by hand. */
class ManualChanges implements UserChanges {
  live = true;
  readonly ready = Promise.resolve();
  private listener: ChangeListener = () => undefined;
  subscribe(listener: ChangeListener): void {
    this.listener = listener;
  }
  announce(key: string | undefined): void {
    this.listener(key);
  }
  setLive(live: boolean): void {
    this.live = live;
    this.listener(undefined);
  }
  async close(): Promise<void> {}
}

function setup(entries = 100) {
  const store = new CountingStore();
  const changes = new ManualChanges();
  return { store, changes, cache: new CachedUsersRepository(store, changes, entries) };
}

describe('CachedUsersRepository', () => {
  it('reads a user from the store once, then from memory', async () => {
    const { store, cache } = setup();
    store.rows.set('ann', '2000-01-01');
    expect([await cache.findDateOfBirth('ann'), await cache.findDateOfBirth('ann')]).toEqual([
      '2000-01-01',
      '2000-01-01',
    ]);
    expect(store.reads).toBe(1);
  });

  it('remembers that a user does not exist', async () => {
    const { store, cache } = setup();
    expect([await cache.findDateOfBirth('nobody'), await cache.findDateOfBirth('nobody')]).toEqual([
      undefined,
      undefined,
    ]);
    expect(store.reads).toBe(1);
  });

  it("answers its own instance's write at once", async () => {
    const { store, cache } = setup();
    store.rows.set('ann', '2000-01-01');
    await cache.findDateOfBirth('ann');
    await cache.saveDateOfBirth('ann', '2001-02-03');
    expect(await cache.findDateOfBirth('ann')).toBe('2001-02-03');
  });

  it('forgets one entry when its change is announced, and everything on an empty announcement', async () => {
    const { store, changes, cache } = setup();
    store.rows.set('ann', '2000-01-01').set('bob', '2000-01-02');
    await cache.findDateOfBirth('ann');
    await cache.findDateOfBirth('bob');
    store.rows.set('ann', '2010-01-01').set('bob', '2010-01-02');
    changes.announce('ann');
    expect([await cache.findDateOfBirth('ann'), await cache.findDateOfBirth('bob')]).toEqual([
      '2010-01-01',
      '2000-01-02',
    ]);
    changes.announce(undefined);
    expect(await cache.findDateOfBirth('bob')).toBe('2010-01-02');
  });

  it('concurrent misses for one user share one store read', async () => {
    const { store, cache } = setup();
    store.rows.set('ann', '2000-01-01');
    store.hold();
    const reads = [cache.findDateOfBirth('ann'), cache.findDateOfBirth('ann'), cache.findDateOfBirth('ann')];
    store.release();
    expect(await Promise.all(reads)).toEqual(['2000-01-01', '2000-01-01', '2000-01-01']);
    expect(store.reads).toBe(1);
  });

  it('does not keep a read that raced a change, nor let later reads join it', async () => {
    const { store, changes, cache } = setup();
    store.rows.set('ann', '2000-01-01');
    store.hold();
    const racing = cache.findDateOfBirth('ann'); // sees the old row
    store.rows.set('ann', '2011-11-11');
    changes.announce('ann');
    const after = cache.findDateOfBirth('ann'); // began after the change: must not share the old read
    store.release();
    expect(await racing).toBe('2000-01-01');
    expect(await after).toBe('2011-11-11');
    expect(await cache.findDateOfBirth('ann')).toBe('2011-11-11');
  });

  it('while changes are not received, reads go to the store and nothing is kept', async () => {
    const { store, changes, cache } = setup();
    store.rows.set('ann', '2000-01-01');
    await cache.findDateOfBirth('ann');
    changes.setLive(false);
    store.rows.set('ann', '2012-12-12'); // a change nobody announced
    expect(await cache.findDateOfBirth('ann')).toBe('2012-12-12');
    expect(await cache.findDateOfBirth('ann')).toBe('2012-12-12');
    expect(store.reads).toBe(3);
    changes.setLive(true);
    await cache.findDateOfBirth('ann');
    await cache.findDateOfBirth('ann');
    expect(store.reads).toBe(4);
  });

  it('a read that began before the subscription dropped is not kept', async () => {
    const { store, changes, cache } = setup();
    store.rows.set('ann', '2000-01-01');
    store.hold();
    const racing = cache.findDateOfBirth('ann');
    changes.setLive(false);
    changes.setLive(true);
    store.release();
    await racing;
    await cache.findDateOfBirth('ann');
    expect(store.reads).toBe(2);
  });

  it('a failed write still forgets the entry (it may have committed)', async () => {
    const { store, cache } = setup();
    store.rows.set('ann', '2000-01-01');
    await cache.findDateOfBirth('ann');
    store.saveDateOfBirth = async (key, date) => {
      store.rows.set(key, date);
      throw new Error('timed out after commit');
    };
    await expect(cache.saveDateOfBirth('ann', '2013-01-01')).rejects.toThrow('timed out');
    expect(await cache.findDateOfBirth('ann')).toBe('2013-01-01');
  });

  it('a failed read is not remembered', async () => {
    const { store, cache } = setup();
    const read = store.findDateOfBirth.bind(store);
    store.findDateOfBirth = async () => {
      throw new Error('unavailable');
    };
    await expect(cache.findDateOfBirth('ann')).rejects.toThrow('unavailable');
    store.findDateOfBirth = read;
    store.rows.set('ann', '2000-01-01');
    expect(await cache.findDateOfBirth('ann')).toBe('2000-01-01');
  });

  it('holds at most its capacity, forgetting the least recently used', async () => {
    const { store, cache } = setup(2);
    for (const key of ['a', 'b', 'c']) store.rows.set(key, '2000-01-01');
    for (const key of ['a', 'b', 'c', 'a']) await cache.findDateOfBirth(key);
    expect(store.reads).toBe(4);
  });
});
