import base from './jest.config.js';

/**
 * The HTTP suites that run on both backends, here on Virtuoso: `npm run test:virtuoso`, with the
 * variables `.ci/virtuoso-test-instance.sh` exports. They share that store, so they run one at a
 * time; a server on a fresh data directory empties it first (test/helpers/server.ts).
 */
export default {
  ...base,
  maxWorkers: 1,
  testMatch: [
    'collaboration',
    'derived-view',
    'sparql-endpoint',
    'linked-data',
    'dumps',
    'reconcile',
    'web-pages',
    'server-routes',
    'python-client',
  ]
    .map((name) => `<rootDir>/test/http/${name}.test.ts`)
    .concat('<rootDir>/test/crash/crash-safety.test.ts'),
  testPathIgnorePatterns: ['/node_modules/'],
};
