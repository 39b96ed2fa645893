import { DataFactory, type Quad, type Quad_Graph, type Term } from 'n3';
import sparqljs from 'sparqljs';
import type { GraphStore } from '../store/graph-store.js';
import type { Row, SparqlEngine } from './engine.js';
import { freshBlankNode, uniqueQuads } from '../rdf/quads.js';

const { quad: makeQuad, defaultGraph, blankNode, namedNode } = DataFactory;

/** An update that cannot be carried out; nothing of the request was applied. */
export class UpdateError extends Error {}

type GraphTarget = sparqljs.GraphOrDefault & { named?: boolean; all?: boolean };
type Template = sparqljs.Quads;

/** The net effect of an update: quads it removed that were there, quads it added that were not. */
export interface UpdateEffect {
  deleted: Quad[];
  added: Quad[];
}

/**
 * Works out what a SPARQL 1.1 Update request does to the store, operation after operation (each
 * sees the previous ones), then puts the store back as it was: the caller commits the effect
 * durably. All or nothing: if an operation fails, UpdateError is thrown and the store is unchanged.
 * The store is modified while the update is worked out, so callers serialise writers.
 */
export async function evaluateUpdate(
  update: sparqljs.Update,
  store: GraphStore,
  engine: SparqlEngine,
): Promise<UpdateEffect> {
  const journal: UpdateEffect[] = [];
  const apply = (deleted: Quad[], added: Quad[]) => {
    const reallyDeleted = uniqueQuads(deleted).filter((q) => store.index.has(q));
    store.index.removeQuads(reallyDeleted);
    const reallyAdded = uniqueQuads(added).filter((q) => !store.index.has(q));
    store.index.addQuads(reallyAdded);
    journal.push({ deleted: reallyDeleted, added: reallyAdded });
  };
  const undo = () => {
    for (const { deleted, added } of [...journal].reverse()) {
      store.index.removeQuads(added);
      store.index.addQuads(deleted);
    }
  };
  try {
    for (const operation of update.updates) {
      await executeOperation(operation, store, engine, apply);
    }
  } catch (error) {
    undo();
    throw error instanceof UpdateError ? error : new UpdateError((error as Error).message);
  }
  // The net effect: a quad added then removed (or the reverse) cancels out.
  const key = (q: Quad) => `${q.subject.id} ${q.predicate.id} ${q.object.id} ${q.graph.id}`;
  const added = new Map<string, Quad>();
  const deleted = new Map<string, Quad>();
  for (const step of journal) {
    for (const q of step.deleted) if (!added.delete(key(q))) deleted.set(key(q), q);
    for (const q of step.added) if (!deleted.delete(key(q))) added.set(key(q), q);
  }
  undo();
  return { deleted: [...deleted.values()], added: [...added.values()] };
}

type Apply = (deleted: Quad[], added: Quad[]) => void;

/** A DELETE WHERE or DELETE/INSERT … WHERE operation. */
export type WhereOperation = sparqljs.InsertDeleteOperation & {
  updateType: 'deletewhere' | 'insertdelete';
};

export const isWhereOperation = (
  operation: sparqljs.UpdateOperation,
): operation is WhereOperation =>
  'updateType' in operation &&
  (operation.updateType === 'deletewhere' || operation.updateType === 'insertdelete');

/**
 * The quads one WHERE operation deletes and inserts (before checking which are present): its
 * WHERE clause (or DELETE WHERE's template) evaluated by `select` as a SELECT *, its templates
 * instantiated once per solution. `graphNames`: the named graphs a WITH leaves visible.
 */
export async function instantiateOperation(
  operation: WhereOperation,
  select: (text: string) => Promise<Row[]>,
  graphNames: readonly string[],
): Promise<{ deleted: Quad[]; inserted: Quad[] }> {
  if (operation.updateType === 'deletewhere') {
    const rows = await select(whereQuery(operation.delete ?? [], undefined, graphNames));
    return { deleted: instantiate(operation.delete ?? [], rows, undefined, false), inserted: [] };
  }
  const withGraph = operation.graph;
  const where = operation.where ?? [];
  const rows = await select(whereQuery(where, withGraph, graphNames, operation.using));
  return {
    deleted: instantiate(operation.delete ?? [], rows, withGraph, false),
    inserted: instantiate(operation.insert ?? [], rows, withGraph, true),
  };
}

async function executeOperation(
  operation: sparqljs.UpdateOperation,
  store: GraphStore,
  engine: SparqlEngine,
  apply: Apply,
): Promise<void> {
  if ('updateType' in operation) {
    switch (operation.updateType) {
      case 'insert':
        return apply([], instantiate(operation.insert, [{}], undefined, true));
      case 'delete':
        return apply(instantiate(operation.delete, [{}], undefined, false), []);
      case 'deletewhere':
      case 'insertdelete': {
        const select = async (text: string) => (await engine.selectUnchecked(text)).rows;
        const { deleted, inserted } = await instantiateOperation(
          operation,
          select,
          store.graphNames(),
        );
        return apply(deleted, inserted);
      }
    }
  }
  const management = operation as sparqljs.ManagementOperation;
  switch (management.type) {
    case 'load':
      // Only LOAD SILENT gets here (prepareUpdate refuses the others): it fails, silently.
      return;
    case 'create':
      if (!management.silent && management.graph.name && graphExists(store, management.graph)) {
        throw new UpdateError(`CREATE GRAPH <${management.graph.name.value}>: the graph exists`);
      }
      return;
    case 'clear':
    case 'drop':
      return apply(quadsOf(store, management.graph), []);
    case 'add':
    case 'copy':
    case 'move': {
      const { source, destination } = management;
      if (!graphExists(store, source) && !source.default) {
        if (management.silent) return;
        throw new UpdateError(`${management.type.toUpperCase()}: the source graph does not exist`);
      }
      if (sameGraph(source, destination)) return;
      const moved = quadsOf(store, source).map((q) =>
        makeQuad(q.subject, q.predicate, q.object, graphTerm(destination)),
      );
      const cleared = management.type === 'add' ? [] : quadsOf(store, destination);
      apply(cleared, moved);
      if (management.type === 'move') apply(quadsOf(store, source), []);
      return;
    }
  }
}

function graphTerm(target: sparqljs.GraphOrDefault): Quad_Graph {
  return target.name ? namedNode(target.name.value) : defaultGraph();
}

function sameGraph(a: sparqljs.GraphOrDefault, b: sparqljs.GraphOrDefault): boolean {
  return graphTerm(a).equals(graphTerm(b));
}

function graphExists(store: GraphStore, target: sparqljs.GraphOrDefault): boolean {
  return store.index.countQuads(null, null, null, graphTerm(target)) > 0;
}

/** The quads a CLEAR/DROP/COPY target denotes: a graph, the default graph, NAMED or ALL. */
function quadsOf(store: GraphStore, target: GraphTarget): Quad[] {
  if (target.all) return store.index.getQuads(null, null, null, null);
  if (target.named) {
    return store.index
      .getQuads(null, null, null, null)
      .filter((q) => q.graph.termType === 'NamedNode');
  }
  return store.index.getQuads(null, null, null, graphTerm(target));
}

/** An update's WHERE clause (or DELETE WHERE's template) as the text of a SELECT *. */
function whereQuery(
  where: sparqljs.Pattern[] | Template[],
  withGraph: sparqljs.IriTerm | sparqljs.GraphOrDefault | undefined,
  graphNames: readonly string[],
  using?: { default: sparqljs.IriTerm[]; named: sparqljs.IriTerm[] },
): string {
  const withIri = withGraph && 'termType' in withGraph ? withGraph : withGraph?.name;
  const from =
    using && (using.default.length > 0 || using.named.length > 0)
      ? using
      : withIri
        ? // WITH only changes the default graph: GRAPH in the WHERE clause still sees every graph.
          { default: [withIri], named: graphNames.map((name) => namedNode(name)) }
        : undefined;
  const query: sparqljs.SelectQuery = {
    type: 'query',
    queryType: 'SELECT',
    prefixes: {},
    variables: [new sparqljs.Wildcard()],
    where: where as sparqljs.Pattern[],
    ...(from ? { from } : {}),
  };
  return new sparqljs.Generator().stringify(query);
}

/**
 * Comunica hands out blank nodes of a source as scoped copies (label "bc_<source>_<label>", with
 * a `skolemized` IRI); an update must write the store's own node back, not a new one.
 */
function storeTerm(term: Term | undefined): Term | undefined {
  if (term?.termType === 'BlankNode' && 'skolemized' in term) {
    return blankNode(term.value.replace(/^bc_\d+_/, ''));
  }
  return term;
}

/**
 * Turns templates into quads, once per solution. Unbound variables drop the triple, as do terms
 * in positions RDF does not allow; blank nodes of an INSERT are fresh for each solution.
 */
function instantiate(
  templates: Template[],
  rows: Row[],
  withGraph: sparqljs.IriTerm | sparqljs.GraphOrDefault | undefined,
  inserting: boolean,
): Quad[] {
  const withIri = withGraph && 'termType' in withGraph ? withGraph : withGraph?.name;
  const quads: Quad[] = [];
  for (const row of rows) {
    const fresh = new Map<string, Term>();
    const bind = (term: sparqljs.Term | sparqljs.PropertyPath): Term | undefined => {
      if (!('termType' in term)) return undefined;
      if (term.termType === 'Variable') return storeTerm(row[term.value]);
      if (term.termType === 'BlankNode' && inserting) {
        if (!fresh.has(term.value)) fresh.set(term.value, freshBlankNode());
        return fresh.get(term.value);
      }
      return term as unknown as Term;
    };
    for (const template of templates) {
      const graph =
        template.type === 'graph'
          ? bind(template.name)
          : withIri
            ? namedNode(withIri.value)
            : defaultGraph();
      if (!graph || (graph.termType !== 'NamedNode' && graph.termType !== 'DefaultGraph')) continue;
      for (const triple of template.triples) {
        const [s, p, o] = [bind(triple.subject), bind(triple.predicate), bind(triple.object)];
        if (!s || !p || !o) continue;
        if (s.termType === 'Literal' || p.termType !== 'NamedNode') continue;
        quads.push(makeQuad(s as never, p, o as never, graph as Quad_Graph));
      }
    }
  }
  return quads;
}
