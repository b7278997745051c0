import fc from 'fast-check';
import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('forgets the least recently used entry when full', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  });

  it('replacing a value keeps one entry and refreshes it', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 10);
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.size]).toEqual([10, undefined, 2]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) expect(() => new LruMap(capacity)).toThrow(RangeError);
  });

  it('never holds more than its capacity and always holds the most recent write', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.nat())),
        (capacity, writes) => {
          const lru = new LruMap<number, number>(capacity);
          for (const [key, value] of writes) {
            lru.set(key, value);
            expect(lru.size).toBeLessThanOrEqual(capacity);
            expect(lru.get(key)).toBe(value);
          }
        },
      ),
    );
  });
});
