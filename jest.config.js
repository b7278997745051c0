// Jest: TypeScript through ts-jest (transpile only; `npm run typecheck` checks types), unit tests beside the code,
// integration and end-to-end tests under test/.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/service', '<rootDir>/contract', '<rootDir>/cdk8s', '<rootDir>/release', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // The generated Prisma client imports its siblings as `./x.js` (nodenext style); they exist as `.ts` here.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 30_000,
};
