import type { Store } from 'n3';
import type { Database } from '../store/database.js';
import type { GraphStore } from '../store/graph-store.js';
import type { SparqlEngine } from '../sparql/engine.js';
import { Dataset, type DatasetOptions, type FullChange, type GraphKeeping } from './dataset.js';

/**
 * The embedded store's keeping: writes read the live in-memory index (queries see a change once
 * committed), and a change is made durable in one SQLite transaction with its record.
 */
export class EmbeddedKeeping implements GraphKeeping {
  constructor(
    private readonly store: GraphStore,
    private readonly db: Database,
  ) {}

  workingCopy(): Promise<Store> {
    return Promise.resolve(this.store.index);
  }

  persist(change: () => FullChange): void {
    this.db.transaction(() => {
      const { removed, added } = change();
      this.db.writeQuads(removed, added);
    });
  }

  settle(): Promise<void> {
    return Promise.resolve();
  }

  /** One process per data directory on this store: its writers are already one at a time. */
  acquire(): Promise<() => void> {
    return Promise.resolve(() => {});
  }
}

/** The writable dataset of an embedded store: `engine` evaluates over `store`. */
export function embeddedDataset(
  store: GraphStore,
  db: Database,
  engine: SparqlEngine,
  announce: (change: FullChange) => void,
  options: DatasetOptions,
): Dataset {
  return new Dataset(new EmbeddedKeeping(store, db), () => engine, announce, options);
}
