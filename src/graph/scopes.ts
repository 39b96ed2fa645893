import { CK, FOAF, OWL, RDF, RDFS, SD, SKOS, graphIris } from '../rdf/namespaces.js';
import type { Term } from 'n3';
import { iriRef } from '../store/ntriples.js';
import { skolemPrefix } from '../store/skolem.js';
import { NAME_PREDICATES as SEARCHED_NAMES, TEXT_PREDICATES } from './search.js';

/*
 * The scopes of the domain services' views (see store/graph-reads.ts): for each reader, one
 * SPARQL SELECT of ?s ?p ?o ?g holding everything it looks at. Every IRI goes in through iriRef,
 * which refuses what could break out of the text; nothing else from a request is spliced in.
 * Each block names its graph, and only the project's graphs (projectGraphFilter) are read: an
 * external store's default graph may be the union of graphs that are not the project's.
 */

const LABELS = `VALUES ?p { <${RDFS}label> <${SKOS}prefLabel> }`;
const TYPES_AND_LABELS = `VALUES ?p { <${RDF}type> <${RDFS}label> <${SKOS}prefLabel> }`;

/**
 * Where an external store lists the project's graphs that are not under the base IRI (a graph
 * a contributor named `https://example.org/g`): `<g> a sd:NamedGraph` (graph/remote-keeping.ts).
 */
export const graphRegistry = (baseIri: string) => `${baseIri}graph/registry`;

/** Keeps `?g` to the project's graphs: under the base IRI (not the registry), or registered. */
export function projectGraphFilter(baseIri: string): string {
  const registry = iriRef(graphRegistry(baseIri));
  return (
    `FILTER((STRSTARTS(STR(?g), ${JSON.stringify(baseIri)}) && ?g != ${registry}) ` +
    `|| EXISTS { GRAPH ${registry} { ?g a <${SD}NamedGraph> } })`
  );
}

function select(baseIri: string, blocks: string[]): string {
  return [
    'SELECT ?s ?p ?o ?g WHERE {',
    blocks.map((block) => `  { ${block} }`).join('\n  UNION\n'),
    `  ${projectGraphFilter(baseIri)}`,
    '}',
  ].join('\n');
}

/**
 * Whether a node is blank: in an external store, blank nodes written by the server are skolem
 * IRIs (store/skolem.ts), which the client reads back as blank nodes.
 */
const isBlankNode = (baseIri: string, variable: string) =>
  `(isBlank(?${variable}) || STRSTARTS(STR(?${variable}), ${JSON.stringify(skolemPrefix(baseIri))}))`;

/** A node as the store names it: an IRI, or a blank node's skolem IRI. */
const nodeRef = (baseIri: string, term: Term) =>
  iriRef(term.termType === 'BlankNode' ? `${skolemPrefix(baseIri)}${term.value}` : term.value);

const values = (variable: string, iris: Iterable<string>) =>
  `VALUES ?${variable} { ${[...iris].map(iriRef).join(' ')} }`;

/** The whole project graph: every graph of the project. */
export function projectScope(baseIri: string): string {
  return select(baseIri, ['GRAPH ?g { ?s ?p ?o }']);
}

/** Every label, in any graph: enough to name what a changeset's diff shows. */
export function labelsScope(baseIri: string): string {
  return select(baseIri, [`${LABELS} GRAPH ?g { ?s ?p ?o }`]);
}

/** What search matches and shows: every name and text, every type, the classes. */
export function searchScope(baseIri: string): string {
  const predicates = [`${RDF}type`, ...SEARCHED_NAMES, ...TEXT_PREDICATES];
  return select(baseIri, [
    `VALUES ?p { ${predicates.map(iriRef).join(' ')} } GRAPH ?g { ?s ?p ?o }`,
    classBlock(baseIri),
  ]);
}

/**
 * What the contribution form lists: every typed resource with its labels, the speakers of the
 * interventions, the classes; and the statements of the entity being corrected, if any.
 */
export function catalogueScope(baseIri: string, entity?: string): string {
  return select(baseIri, [
    `${TYPES_AND_LABELS} GRAPH ?g { ?s ?p ?o }`,
    `BIND(<${CK}speaker> AS ?p) GRAPH ?g { ?s ?p ?o }`,
    classBlock(baseIri),
    ...(entity ? [`${values('s', [entity])} GRAPH ?g { ?s ?p ?o }`] : []),
  ]);
}

/** The statements of a resource in every graph: enough to tell whether the graph knows it. */
export function existenceScope(baseIri: string, iri: string): string {
  return `${select(baseIri, [`${values('s', [iri])} GRAPH ?g { ?s ?p ?o }`])}\nLIMIT 1`;
}

/**
 * What an entity page shows: the entity's statements, what points to it and those resources'
 * statements (utterances by or about it), blank nodes two levels deep from either (selectors),
 * and the labels of every resource named there.
 */
export function entityScope(baseIri: string, iri: string): string {
  const it = values('it', [iri]);
  const pointing = `${it} GRAPH ?g1 { ?x ?link ?it }`;
  const blank = `{ ${it} GRAPH ?g1 { ?it ?a ?b } } UNION { ${pointing} GRAPH ?g2 { ?x ?a ?b } } FILTER${isBlankNode(baseIri, 'b')}`;
  return select(baseIri, [
    `${it} BIND(?it AS ?s) GRAPH ?g { ?s ?p ?o }`,
    `${it} BIND(?it AS ?o) GRAPH ?g { ?s ?p ?o }`,
    `${pointing} BIND(?x AS ?s) GRAPH ?g { ?s ?p ?o }`,
    `${blank} BIND(?b AS ?s) GRAPH ?g { ?s ?p ?o }`,
    `${blank} GRAPH ?g3 { ?b ?c ?s } FILTER${isBlankNode(baseIri, 's')} GRAPH ?g { ?s ?p ?o }`,
    `{ ${it} GRAPH ?g1 { ?it ?s ?z } } UNION { ${it} GRAPH ?g1 { ?it ?z ?s } }
     UNION { ${pointing} BIND(?x AS ?s) } UNION { ${pointing} BIND(?link AS ?s) }
     UNION { ${pointing} GRAPH ?g2 { ?x ?z ?s } }
     UNION { ${it} GRAPH ?g1 { ?it ?a ?b } FILTER${isBlankNode(baseIri, 'b')} GRAPH ?g2 { ?b ?z ?s } }
     UNION { ${it} GRAPH ?g1 { ?it ?a ?b } FILTER${isBlankNode(baseIri, 'b')} GRAPH ?g2 { ?b ?s ?z } }
     FILTER(isIRI(?s)) ${LABELS} GRAPH ?g { ?s ?p ?o }`,
  ]);
}

/** Whole graphs. */
export function graphsScope(baseIri: string, graphs: Iterable<string>): string {
  return select(baseIri, [`${values('g', graphs)} GRAPH ?g { ?s ?p ?o }`]);
}

/**
 * The statements of some nodes (blank ones too), in every graph, and unless `outwardOnly` the
 * statements pointing to them: one step of a write's working copy (graph/remote-keeping.ts).
 */
export function surroundingsScope(
  baseIri: string,
  nodes: readonly Term[],
  outwardOnly: boolean,
): string {
  const named = `VALUES ?n { ${nodes.map((n) => nodeRef(baseIri, n)).join(' ')} }`;
  return select(baseIri, [
    `${named} BIND(?n AS ?s) GRAPH ?g { ?s ?p ?o }`,
    ...(outwardOnly ? [] : [`${named} BIND(?n AS ?o) GRAPH ?g { ?s ?p ?o }`]),
  ]);
}

/** The ontology graph whole, and the labels, in any graph, of the resources it names. */
export function ontologyScope(baseIri: string): string {
  const ontology = iriRef(graphIris(baseIri).ontology);
  return select(baseIri, [
    `BIND(${ontology} AS ?g) GRAPH ?g { ?s ?p ?o }`,
    `{ GRAPH ${ontology} { ?s ?z ?y } } UNION { GRAPH ${ontology} { ?x ?s ?y } }
     UNION { GRAPH ${ontology} { ?x ?z ?s } }
     FILTER(isIRI(?s)) ${LABELS} GRAPH ?g { ?s ?p ?o }`,
  ]);
}

/** The typed or labelled resources under an IRI space, with their types and labels. */
export function spaceScope(baseIri: string, space: string): string {
  return select(baseIri, [
    `${TYPES_AND_LABELS} GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ${JSON.stringify(space)}))`,
  ]);
}

/** The class hierarchy of the ontology, and the labels of its classes. */
function classBlock(baseIri: string): string {
  const ontology = iriRef(graphIris(baseIri).ontology);
  return `BIND(${ontology} AS ?g) VALUES ?p { <${RDFS}subClassOf> <${RDFS}label> } GRAPH ?g { ?s ?p ?o }`;
}

/**
 * The data-graph links of some resources, both ways; the types and labels of the resources at
 * either end; the classes. The resources that stand for a relation (affiliations) are walked
 * through with `relationsScope`.
 */
export function linksScope(baseIri: string, iris: Iterable<string>): string {
  const data = iriRef(graphIris(baseIri).data);
  const nodes = values('n', iris);
  const neighbour = `{ ${nodes} GRAPH ${data} { ?n ?l1 ?m } } UNION { ${nodes} GRAPH ${data} { ?m ?l1 ?n } }`;
  return select(baseIri, [
    `${nodes} { GRAPH ${data} { ?n ?p ?o } BIND(?n AS ?s) } UNION { GRAPH ${data} { ?s ?p ?n } BIND(?n AS ?o) } BIND(${data} AS ?g)`,
    `{ ${nodes} BIND(?n AS ?s) } UNION { ${neighbour} BIND(?m AS ?s) } ${TYPES_AND_LABELS} GRAPH ?g { ?s ?p ?o }`,
    classBlock(baseIri),
  ]);
}

/** The data-graph links of relation resources, both ways, and the types and labels at the ends. */
export function relationsScope(baseIri: string, iris: Iterable<string>): string {
  const data = iriRef(graphIris(baseIri).data);
  const nodes = values('m', iris);
  return select(baseIri, [
    `${nodes} { GRAPH ${data} { ?m ?p ?o } BIND(?m AS ?s) } UNION { GRAPH ${data} { ?s ?p ?m } BIND(?m AS ?o) } BIND(${data} AS ?g)`,
    `${nodes} { GRAPH ${data} { ?m ?l ?s } } UNION { GRAPH ${data} { ?s ?l ?m } } ${TYPES_AND_LABELS} GRAPH ?g { ?s ?p ?o }`,
  ]);
}

/** Names of the predicates that give an entity's names to reconciliation. */
export const RECONCILED_NAMES = [
  `${RDFS}label`,
  `${SKOS}altLabel`,
  `${SKOS}prefLabel`,
  `${FOAF}name`,
] as const;

/**
 * What reconciliation matches names against: for every typed entity under `<base>id/`, its types,
 * names, description and links; the class hierarchy. Property constraints read more
 * (`propertyScope`).
 */
export function reconciliationScope(baseIri: string): string {
  const predicates = [
    `${RDF}type`,
    ...RECONCILED_NAMES,
    `${OWL}sameAs`,
    'https://schema.org/description',
  ].map((p) => `<${p}>`);
  return select(baseIri, [
    `VALUES ?p { ${predicates.join(' ')} } GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ${JSON.stringify(`${baseIri}id/`)}))`,
    classBlock(baseIri),
  ]);
}

/**
 * What a property constraint compares: the values of the predicates, the labels of those values
 * and of the organisation they hold a role in.
 */
export function propertyScope(baseIri: string, predicates: Iterable<string>): string {
  const asked = values('q', predicates);
  const valueOf = `${asked} GRAPH ?g1 { ?e ?q ?v }`;
  const names = `VALUES ?p { <${RDFS}label> <${SKOS}altLabel> }`;
  return select(baseIri, [
    `${asked} BIND(?q AS ?p) GRAPH ?g { ?s ?p ?o }`,
    `${valueOf} BIND(?v AS ?s) ${names} GRAPH ?g { ?s ?p ?o }`,
    `${valueOf} BIND(?v AS ?s) BIND(<${CK}organisation> AS ?p) GRAPH ?g { ?s ?p ?o }`,
    `${valueOf} GRAPH ?g2 { ?v <${CK}organisation> ?s } ${names} GRAPH ?g { ?s ?p ?o }`,
  ]);
}
