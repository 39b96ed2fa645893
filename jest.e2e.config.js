import base from './jest.config.js';

/** The browser tests (test/e2e, Chromium through playwright-core): `npm run test:e2e`. */
export default {
  ...base,
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
};
