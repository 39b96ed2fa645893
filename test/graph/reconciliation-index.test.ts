import { jest } from '@jest/globals';
import { Store } from 'n3';
import { loadGraph, projectSources } from '../../src/graph/loader.js';
import { Reconciler } from '../../src/graph/reconciliation.js';
import type { GraphReads } from '../../src/store/graph-reads.js';

// The reconciliation index is built from one view and kept. On the embedded store the server
// invalidates it after each write; on an external store, which others may write to, it is built
// again once it is older than its maximum age.

const BASE = 'https://w3id.org/communs-kg/';

/** The seed's index behind a GraphReads that counts the views asked for. */
async function countingReads(): Promise<GraphReads & { views: number }> {
  const { store } = await loadGraph(BASE, await projectSources());
  const reads = {
    views: 0,
    view: async (): Promise<Store> => {
      reads.views += 1;
      return store.index;
    },
  };
  return reads;
}

afterEach(() => jest.useRealTimers());

test('an index with a maximum age is built again once older, and not before', async () => {
  jest.useFakeTimers({
    now: new Date('2026-11-30T12:00:00Z'),
    doNotFake: ['nextTick', 'setImmediate'],
  });
  const reads = await countingReads();
  const reconciler = new Reconciler(reads, BASE, 60_000);
  expect((await reconciler.reconcile({ query: 'DINUM' }))[0]?.id).toBe('organisation/dinum');
  jest.setSystemTime(new Date('2026-11-30T12:00:59Z'));
  await reconciler.reconcile({ query: 'Wikimedia France' });
  expect(reads.views).toBe(1);
  jest.setSystemTime(new Date('2026-11-30T12:01:01Z'));
  await reconciler.reconcile({ query: 'Wikimedia France' });
  expect(reads.views).toBe(2);
});

test('without one, only invalidate builds it again', async () => {
  jest.useFakeTimers({
    now: new Date('2026-11-30T12:00:00Z'),
    doNotFake: ['nextTick', 'setImmediate'],
  });
  const reads = await countingReads();
  const reconciler = new Reconciler(reads, BASE);
  await reconciler.reconcile({ query: 'DINUM' });
  jest.setSystemTime(new Date('2027-11-30T12:00:00Z'));
  await reconciler.reconcile({ query: 'DINUM' });
  expect(reads.views).toBe(1);
  reconciler.invalidate();
  await reconciler.reconcile({ query: 'DINUM' });
  expect(reads.views).toBe(2);
});
