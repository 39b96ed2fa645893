import type { DatasetCore, Term } from '@rdfjs/types';
import { DataFactory, Store, termToId, type Quad, type Term as N3Term } from 'n3';
import { RDF, RDFS } from '../rdf/namespaces.js';

/** One SHACL violation, in words a contributor can act on. */
export interface Violation {
  /** The node that fails; for a blank node, how it hangs from a named one (e.g. `<claim> ck:selector []`). */
  focusNode: string;
  path?: string;
  message: string;
  shape: string;
  severity: string;
  value?: string;
}

export interface ValidationOutcome {
  conforms: boolean;
  violations: Violation[];
}

type Validator = InstanceType<typeof import('rdf-validate-shacl').default>;

/**
 * Validators by shapes: building one reads and indexes the shapes (100–300 ms), validating a few
 * entities takes a few ms. A validator holds the data of its current run, so runs on one validator
 * are queued.
 */
const validators = new WeakMap<
  object,
  { validator: Promise<Validator>; queue: Promise<unknown> }
>();

/**
 * Validates data against SHACL shapes (SHACL Core, rdf-validate-shacl). The data given must include
 * what the shapes rely on: the ontology's class hierarchy for sh:class, the topics' types. Pass the
 * same shapes array again to reuse its validator.
 */
export async function validateAgainstShapes(
  shapes: readonly Quad[],
  data: Iterable<Quad>,
): Promise<ValidationOutcome> {
  // Loaded on first use, off the server's start-up path when validation is not needed.
  const [{ default: rdf }, { default: SHACLValidator }] = await Promise.all([
    import('rdf-ext'),
    import('rdf-validate-shacl'),
  ]);
  let entry = validators.get(shapes);
  if (!entry) {
    entry = {
      validator: Promise.resolve(new SHACLValidator(rdf.dataset([...shapes]))),
      queue: Promise.resolve(),
    };
    validators.set(shapes, entry);
  }
  const dataset = rdf.dataset([...data]);
  const { validator } = entry;
  const run = entry.queue.then(async () => {
    const report = await (await validator).validate(dataset);
    return {
      conforms: report.conforms,
      violations: report.results.map((result) => ({
        focusNode: describeNode(result.focusNode, dataset),
        path: result.path ? termLabel(result.path) : undefined,
        message: result.message.map((m) => m.value).join('; ') || 'constraint violated',
        shape: termLabel(result.sourceShape),
        severity: termLabel(result.severity).replace('http://www.w3.org/ns/shacl#', 'sh:'),
        value: result.value ? termLabel(result.value) : undefined,
      })),
    };
  });
  entry.queue = run.catch(() => undefined);
  return run;
}

function termLabel(term: Term | { termType?: string; value?: string } | undefined): string {
  if (!term || !('termType' in term)) return String(term);
  switch (term.termType) {
    case 'NamedNode':
      return `<${term.value}>`;
    case 'BlankNode':
      return `_:${term.value}`;
    case 'Literal':
      return JSON.stringify(term.value);
    default:
      return String(term.value);
  }
}

function describeNode(node: Term, dataset: DatasetCore): string {
  if (node.termType !== 'BlankNode') return termLabel(node);
  for (const quad of dataset.match(null, null, node)) {
    return `${termLabel(quad.subject)} <${quad.predicate.value}> [ ]`;
  }
  return termLabel(node);
}

export function formatViolation(violation: Violation): string {
  const path = violation.path ? ` path ${violation.path}` : '';
  const value = violation.value ? ` value ${violation.value}` : '';
  return `${violation.focusNode}${path}${value}: ${violation.message} (shape ${violation.shape})`;
}

/**
 * Validates what a change would make of the entities it touches, without validating the whole
 * graph: their triples after the change (with the blank nodes they own), the types of the nodes
 * they point to (for sh:class) and the ontology. Violations of other nodes are not reported: those
 * nodes are present only in part.
 */
export async function validateChange(
  shapes: readonly Quad[],
  index: Store,
  graphs: { ontology: string; data: string },
  delta: { additions: Quad[]; deletions: Quad[] },
  touched: readonly N3Term[],
): Promise<ValidationOutcome> {
  const data = DataFactory.namedNode(graphs.data);
  const key = (q: Quad) => [q.subject, q.predicate, q.object, q.graph].map(termToId).join(' ');
  const removed = new Set(delta.deletions.map(key));
  const after = new Store();
  const copied = new Set<string>();
  const copy = (node: N3Term) => {
    if (copied.has(node.id)) return;
    copied.add(node.id);
    for (const q of index.getQuads(node as never, null, null, data)) {
      if (!removed.has(key(q))) after.addQuad(q);
    }
  };
  for (const entity of touched) copy(entity);
  for (const q of delta.additions) if (q.graph.equals(data)) after.addQuad(q);
  // Blank nodes hang from their owner: copy them whole (a selector's triples).
  for (let grown = true; grown;) {
    grown = false;
    for (const q of after.getQuads(null, null, null, null)) {
      if (q.object.termType === 'BlankNode' && !copied.has(q.object.id)) {
        copy(q.object);
        grown = true;
      }
    }
  }
  const context: Quad[] = [...after.getQuads(null, null, null, null)];
  const typeOf = DataFactory.namedNode(`${RDF}type`);
  for (const q of context.slice()) {
    if (q.object.termType !== 'NamedNode') continue;
    context.push(...index.getQuads(q.object, typeOf, null, null));
  }
  // Of the ontology, sh:class needs the class hierarchy and the types (topics are skos:Concepts);
  // labels and definitions would only slow the validator down.
  const ontology = DataFactory.namedNode(graphs.ontology);
  context.push(
    ...index.getQuads(null, DataFactory.namedNode(`${RDFS}subClassOf`), null, ontology),
    ...index.getQuads(null, typeOf, null, ontology),
  );
  const outcome = await validateAgainstShapes(shapes, context);
  const labels = touched.map((t) => `<${t.value}>`);
  const violations = outcome.violations.filter((v) =>
    labels.some((label) => v.focusNode === label || v.focusNode.startsWith(`${label} `)),
  );
  return { conforms: violations.length === 0, violations };
}
