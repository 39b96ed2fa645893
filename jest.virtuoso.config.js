import base from './jest.config.js';

/**
 * The HTTP suites that run on both backends, here on Virtuoso: `npm run test:virtuoso`, with the
 * variables `.ci/virtuoso-test-instance.sh` exports. The others write, and the server does not
 * write to an external store yet (docs/deployment.md).
 */
export default {
  ...base,
  testMatch: [
    'sparql-endpoint',
    'linked-data',
    'dumps',
    'reconcile',
    'web-pages',
    'server-routes',
    'python-client',
  ].map((name) => `<rootDir>/test/http/${name}.test.ts`),
  testPathIgnorePatterns: ['/node_modules/'],
};
