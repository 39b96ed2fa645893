import base from './jest.config.js';

/**
 * The integration tests (test/integration) against a real external store: `npm run
 * test:integration`, with COMMUNS_TEST_VIRTUOSO_URL, _USER and _PASSWORD set (CI starts a
 * throw-away Virtuoso with `.ci/virtuoso-test-instance.sh`, which exports them).
 */
export default {
  ...base,
  testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 60000,
};
