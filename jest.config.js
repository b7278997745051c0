// Jest: TypeScript through ts-jest (transpile only; `npm run typecheck` checks types), unit tests beside the code,
// integration and end-to-end tests under test/. test/support/ probes what tests need from outside npm (held back
// when missing, fatal in CI), gives the run its own TMPDIR and fails the run on anything left in it.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/support/needs-environment.ts',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Not under TMPDIR: a run leaves the temp folder as it found it.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  roots: ['<rootDir>/service', '<rootDir>/contract', '<rootDir>/cdk8s', '<rootDir>/release', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // The generated Prisma client imports its siblings as `./x.js` (nodenext style); they exist as `.ts` here.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 30_000,
};
