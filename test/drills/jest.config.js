// `npm run drills`: the drills alone, with the figures table after them; `npm run drills -- <pattern>` runs some.
const path = require('node:path');
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/test/drills'],
  reporters: ['default', '<rootDir>/test/drills/figures-reporter.js', '<rootDir>/test/support/summary-reporter.js'],
};
