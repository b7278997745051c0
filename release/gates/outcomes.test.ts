import { ruleTable } from '../../test/support/rule-table';
import { exitCode, worst, type Outcome } from './outcomes';

ruleTable<{ name: string; of: Outcome[]; worst: Outcome; exit: number }>(
  'the worst of several outcomes and its exit code',
  [
    { name: 'all passing passes with exit 0', of: ['pass', 'pass'], worst: 'pass', exit: 0 },
    { name: 'nothing at all is inconclusive with exit 2', of: [], worst: 'inconclusive', exit: 2 },
    { name: 'inconclusive beats pass', of: ['pass', 'inconclusive'], worst: 'inconclusive', exit: 2 },
    { name: 'an error beats inconclusive', of: ['inconclusive', 'error', 'pass'], worst: 'error', exit: 2 },
    {
      name: 'a failure beats an error: evidence of a bad release outranks missing evidence',
      of: ['error', 'fail', 'pass'],
      worst: 'fail',
      exit: 1,
    },
  ],
  (row) => {
    expect(worst(row.of)).toBe(row.worst);
    expect(exitCode(worst(row.of))).toBe(row.exit);
  },
);
