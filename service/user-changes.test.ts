// How a change notification's payload becomes the keys a cache drops.
import { changedKeys } from './user-changes';

describe('the keys a change notification names', () => {
  it.each([
    ['one key', '["alice"]', ['alice']],
    ['every key of a batch', '["alice", "bob"]', ['alice', 'bob']],
    ['keys written any way JSON allows', '["caf\\u00e9"]', ['café']],
  ])('reads %s', (_label, payload, keys) => {
    expect(changedKeys(payload)).toEqual(keys);
  });

  it.each([
    ['an empty payload (a TRUNCATE, or too many keys to carry)', ''],
    ['a payload that is not JSON', 'alice'],
    ['JSON that is not a list of keys', '{"key":"alice"}'],
    ['a list holding something other than keys', '["alice", 3]'],
  ])('reads %s as "anything may have changed"', (_label, payload) => {
    expect(changedKeys(payload)).toEqual([undefined]);
  });
});
