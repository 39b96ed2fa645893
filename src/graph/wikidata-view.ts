import { DataFactory, Store, type Quad, type Term } from 'n3';
import { CK, OWL, RDF, RDFS, WD, WDT } from '../rdf/namespaces.js';
import { uniqueQuads } from '../rdf/quads.js';

const { namedNode, quad } = DataFactory;

const rdfType = namedNode(`${RDF}type`);
const subClassOf = namedNode(`${RDFS}subClassOf`);
const subPropertyOf = namedNode(`${RDFS}subPropertyOf`);
const equivalentClass = namedNode(`${OWL}equivalentClass`);
const equivalentProperty = namedNode(`${OWL}equivalentProperty`);
const inverseOf = namedNode(`${OWL}inverseOf`);
const derives = namedNode(`${CK}derivesWikidataProperty`);
const affiliation = namedNode(`${CK}affiliation`);
const affiliationKind = namedNode(`${CK}affiliationKind`);
const organisation = namedNode(`${CK}organisation`);
const claimant = namedNode(`${CK}claimant`);
const text = namedNode(`${CK}text`);
const P31 = namedNode(`${WDT}P31`);
const P279 = namedNode(`${WDT}P279`);

const isWikidataItem = (term: Term) => term.termType === 'NamedNode' && term.value.startsWith(WD);
const isWikidataProperty = (term: Term) =>
  term.termType === 'NamedNode' && term.value.startsWith(WDT);

/**
 * Derives Wikidata's direct-claim view (wdt:) of the data from the alignments the ontology
 * declares, so that a query written for the Wikidata Query Service runs here unchanged:
 * - wdt:P31: each instance gets the nearest Wikidata class aligned to one of its classes;
 *   wdt:P279 links those Wikidata classes as the ontology's hierarchy implies;
 * - every property aligned to a wdt: property (≡ or ⊑, through ck: super-properties) is copied,
 *   and an inverse of an aligned property is copied reversed;
 * - ck:derivesWikidataProperty lifts n-ary and computed statements: an affiliation's kind gives
 *   the person's employer/affiliation/membership, a property of an affiliation (the position) is
 *   lifted to the person, and a class (ck:Quote) gives the claimant a quotation with the text.
 * The ontology and data are read from one store holding both (in any graphs).
 */
export function deriveWikidataView(source: Store): Quad[] {
  const derived: Quad[] = [];
  const emit = (s: Term, p: Term, o: Term) =>
    derived.push(quad(s as never, p as never, o as never));

  deriveInstanceOf(source, emit);
  deriveAlignedProperties(source, emit);
  deriveAffiliations(source, emit);
  deriveQuotations(source, emit);
  return uniqueQuads(derived);
}

type Emit = (s: Term, p: Term, o: Term) => void;

function objects(store: Store, subject: Term, predicate: Term): Term[] {
  return store.getObjects(subject as never, predicate as never, null);
}

/** Wikidata classes aligned directly to a class. */
function directWikidataClasses(store: Store, cls: Term): Term[] {
  return [...objects(store, cls, equivalentClass), ...objects(store, cls, subClassOf)].filter(
    isWikidataItem,
  );
}

/** The nearest aligned Wikidata classes going up rdfs:subClassOf, breadth first. */
function nearestWikidataClasses(store: Store, cls: Term): Term[] {
  const seen = new Set<string>([cls.value]);
  let level: Term[] = [cls];
  while (level.length > 0) {
    const found = level.flatMap((c) => directWikidataClasses(store, c));
    if (found.length > 0) return found;
    level = level
      .flatMap((c) => objects(store, c, subClassOf))
      .filter((c) => !isWikidataItem(c) && !seen.has(c.value));
    level.forEach((c) => seen.add(c.value));
  }
  return [];
}

function deriveInstanceOf(store: Store, emit: Emit): void {
  const classes = new Map<string, Term>();
  for (const cls of store.getObjects(null, rdfType, null)) {
    if (cls.termType === 'NamedNode' && cls.value.startsWith(CK)) classes.set(cls.value, cls);
  }
  for (const cls of classes.values()) {
    const targets = nearestWikidataClasses(store, cls);
    for (const instance of store.getSubjects(rdfType, cls as never, null)) {
      for (const target of targets) emit(instance, P31, target);
    }
    // The class's own Wikidata alignments sit below those of its superclasses.
    for (const own of directWikidataClasses(store, cls)) {
      for (const parent of objects(store, cls, subClassOf).filter((c) => !isWikidataItem(c))) {
        for (const above of nearestWikidataClasses(store, parent)) {
          if (above.value !== own.value) emit(own, P279, above);
        }
      }
    }
  }
}

/** wdt: properties a ck: property maps to, directly or through its ck: super-properties. */
function wikidataProperties(store: Store, property: Term, seen = new Set<string>()): Term[] {
  if (seen.has(property.value)) return [];
  seen.add(property.value);
  const aligned = [
    ...objects(store, property, equivalentProperty),
    ...objects(store, property, subPropertyOf),
  ];
  return [
    ...aligned.filter(isWikidataProperty),
    ...aligned
      .filter((p) => p.termType === 'NamedNode' && p.value.startsWith(CK))
      .flatMap((p) => wikidataProperties(store, p, seen)),
  ];
}

function deriveAlignedProperties(store: Store, emit: Emit): void {
  const properties = new Set<string>();
  for (const predicate of [equivalentProperty, subPropertyOf, inverseOf]) {
    for (const subject of store.getSubjects(predicate, null, null)) {
      if (subject.value.startsWith(CK)) properties.add(subject.value);
    }
  }
  for (const iri of properties) {
    const property = namedNode(iri);
    const targets = wikidataProperties(store, property);
    if (targets.length === 0) continue;
    for (const t of store.getQuads(null, property, null, null)) {
      for (const target of targets) emit(t.subject, target, t.object);
    }
    for (const inverse of objects(store, property, inverseOf)) {
      for (const t of store.getQuads(null, inverse as never, null, null)) {
        for (const target of targets) emit(t.object, target, t.subject);
      }
    }
  }
}

/** A person's affiliation node: its kind gives the relation to the organisation (employer, …). */
function deriveAffiliations(store: Store, emit: Emit): void {
  const liftedProperties = store
    .getSubjects(derives, null, null)
    .filter((p) => store.getQuads(null, p, null, null).length > 0 && p.value !== text.value);
  for (const link of store.getQuads(null, affiliation, null, null)) {
    const person = link.subject;
    const node = link.object;
    for (const kind of objects(store, node, affiliationKind)) {
      for (const target of objects(store, kind, derives)) {
        for (const org of objects(store, node, organisation)) emit(person, target, org);
      }
    }
    for (const property of liftedProperties) {
      for (const target of objects(store, property, derives)) {
        for (const value of objects(store, node, property)) emit(person, target, value);
      }
    }
  }
}

/** ck:Quote derives wdt:P1683: the claimant is given the quotation's text. */
function deriveQuotations(store: Store, emit: Emit): void {
  for (const cls of store.getSubjects(derives, null, null)) {
    const targets = objects(store, cls, derives);
    for (const claim of store.getSubjects(rdfType, cls, null)) {
      for (const speaker of objects(store, claim, claimant)) {
        for (const quotation of objects(store, claim, text)) {
          for (const target of targets) emit(speaker, target, quotation);
        }
      }
    }
  }
}

/**
 * The change to the derived view after the data changed around some entities. Every rule reads an
 * entity's own triples, those of the nodes it points to (an affiliation) and of the nodes pointing
 * to it (a quote's claimant, an inverse property); so the view of the touched entities and their
 * neighbours is derived again from those nodes' triples and replaces what the view held for them.
 * `index` holds the graphs named in `graphs`, already changed.
 */
export function rederiveWikidataView(
  index: Store,
  graphs: { ontology: string; data: string; wikidataView: string },
  touched: Iterable<Term>,
): { additions: Quad[]; deletions: Quad[] } {
  const data = namedNode(graphs.data);
  const view = namedNode(graphs.wikidataView);
  const triplesOf = (term: Term) => index.getQuads(term as never, null, null, data);
  const pointingTo = (term: Term) => index.getQuads(null, null, term as never, data);
  const affected = new Map<string, Term>();
  const note = (term: Term) => {
    if (term.termType === 'NamedNode' || term.termType === 'BlankNode') affected.set(term.id, term);
  };
  for (const term of touched) {
    note(term);
    for (const q of triplesOf(term)) note(q.object);
    for (const q of pointingTo(term)) note(q.subject);
  }
  const context = new Store(index.getQuads(null, null, null, namedNode(graphs.ontology)));
  const read = new Set<string>();
  const include = (term: Term) => {
    if (read.has(term.id)) return;
    read.add(term.id);
    context.addQuads(triplesOf(term));
  };
  for (const term of affected.values()) {
    include(term);
    for (const q of triplesOf(term)) include(q.object);
    for (const q of pointingTo(term)) include(q.subject);
  }
  const fresh = deriveWikidataView(context)
    .filter((q) => affected.has(q.subject.id))
    .map((q) => quad(q.subject, q.predicate, q.object, view));
  const old = [...affected.values()].flatMap((term) =>
    index.getQuads(term as never, null, null, view),
  );
  const key = (q: Quad) => `${q.subject.id} ${q.predicate.id} ${q.object.id}`;
  const oldKeys = new Set(old.map(key));
  const freshKeys = new Set(fresh.map(key));
  return {
    additions: fresh.filter((q) => !oldKeys.has(key(q))),
    deletions: old.filter((q) => !freshKeys.has(key(q))),
  };
}
