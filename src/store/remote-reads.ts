import { DataFactory, Store, type Quad_Graph } from 'n3';
import type { Term } from '@rdfjs/types';
import type { GraphReads } from './graph-reads.js';
import { RemoteStoreError, type RemoteSparqlClient } from './remote-sparql.js';

const { quad: makeQuad } = DataFactory;

const SCOPE_VARIABLES = ['s', 'p', 'o', 'g'] as const;

/**
 * Views of a graph held by an external SPARQL store: each scope is one SELECT sent to the store,
 * and its rows become the quads of a fresh N3 store.
 */
export class RemoteGraphReads implements GraphReads {
  constructor(private readonly client: RemoteSparqlClient) {}

  async view(scope: string): Promise<Store> {
    const { bindings } = await this.client.select(scope);
    const store = new Store();
    for (const row of bindings) {
      const [s, p, o, g] = SCOPE_VARIABLES.map((name) => row[name]);
      if (!s || !p || !o || !g) {
        throw new RemoteStoreError(
          `a scope row lacks one of ?s ?p ?o ?g (it binds ${Object.keys(row).join(', ')})`,
          'response',
          'POST',
          this.client.endpoints.query,
        );
      }
      store.addQuad(makeQuad(s as never, p as never, o as never, g as Term as Quad_Graph));
    }
    return store;
  }
}
