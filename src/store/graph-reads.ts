import type { Store } from 'n3';

/**
 * How the domain services read the graph, whichever store holds it. A reader asks for a *view*:
 * the quads a SPARQL SELECT of `?s ?p ?o ?g` selects (its *scope*), as an N3 store it then reads
 * synchronously. The embedded store already holds the whole graph in memory and returns it as is,
 * scope unread; a remote store evaluates the scope and returns just those quads. So a scope must
 * select everything its reader looks at; the tests compare both backends to make sure it does.
 */
export interface GraphReads {
  view(scope: string): Promise<Store>;
}
