import { DataFactory, type Store, type Term } from 'n3';
import type { GraphReads } from '../store/graph-reads.js';
import { isIriRef } from '../store/ntriples.js';
import { RECONCILED_NAMES, propertyScope, reconciliationScope } from './scopes.js';
import { CK, graphIris, OWL, RDF, RDFS, SKOS, WD } from '../rdf/namespaces.js';

const { namedNode } = DataFactory;

/** The classes whose instances can be reconciled (with their subclasses). */
export const RECONCILABLE_CLASSES = ['Person', 'Organisation', 'DigitalCommons', 'Place', 'Event'];

/** A query of the W3C Entity Reconciliation API (as OpenRefine sends it). */
export interface ReconciliationQuery {
  query: string;
  type?: string | string[];
  limit?: number;
  properties?: { pid: string; v: unknown }[];
}

export interface TypeRef {
  id: string;
  name: string;
}

export interface Candidate {
  id: string;
  name: string;
  description?: string;
  type: TypeRef[];
  score: number;
  match: boolean;
  /** The entity's Wikidata item (Q-id), when the graph links it. */
  wikidata?: string;
}

interface Entry {
  iri: string;
  id: string;
  name: string;
  description?: string;
  names: string[][];
  types: Set<string>;
  wikidata?: string;
}

const STOPWORDS = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'l',
  'd',
  'et',
  'en',
  'a',
  'au',
  'aux',
  'pour',
  'sur',
  'of',
  'the',
  'and',
  'for',
  'in',
  'on',
]);

const isWikidataConstraint = (pid: string, value: string) =>
  /^(wikidata|owl:sameAs)$/i.test(pid) && /^Q\d+$/.test(value);

/** Lower case, accents dropped, punctuation as spaces, stopwords out: the tokens compared. */
export function tokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((t) => t !== '' && !STOPWORDS.has(t));
}

/** Damerau–Levenshtein distance (optimal string alignment), stopping early past `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = value;
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** How close two tokens are, 0 to 1: equal, or within one or two typos for longer words. */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const allowed = Math.min(a.length, b.length) >= 8 ? 2 : Math.min(a.length, b.length) >= 4 ? 1 : 0;
  if (allowed === 0) return 0;
  const d = distance(a, b, allowed);
  return d <= allowed ? 1 - 0.12 * d : 0;
}

/**
 * Similarity of a query to a name, 0 to 100, whatever the word order: 100 when the tokens are
 * the same, the same written as one word (openfoodfacts), or an acronym of the name's words; else
 * the share of tokens paired one to one (typos allowed), scaled below 100.
 */
export function nameScore(query: string[], name: string[]): number {
  if (query.length === 0 || name.length === 0) return 0;
  const q = [...query].sort().join(' ');
  const n = [...name].sort().join(' ');
  if (q === n) return 100;
  if (query.join('') === name.join('')) return 98;
  if (query.length === 1 && name.length > 1 && query[0] === name.map((t) => t[0]).join('')) {
    return 90;
  }
  const unused = [...name];
  let paired = 0;
  for (const token of query) {
    let best = 0;
    let at = -1;
    unused.forEach((candidate, index) => {
      const similarity = tokenSimilarity(token, candidate);
      if (similarity > best) [best, at] = [similarity, index];
    });
    if (at >= 0) {
      paired += best;
      unused.splice(at, 1);
    }
  }
  return Math.round((95 * 2 * paired) / (query.length + name.length));
}

/**
 * Matches names (a spreadsheet's column) to the graph's people, organisations, commons, places and
 * events, as the W3C Entity Reconciliation API describes, for OpenRefine and the like. Names are
 * the entities' labels and alternative labels in every language; matching tolerates accents,
 * case, word order, acronyms and small typos. Nothing is spliced into SPARQL: the index is built
 * from the store and rebuilt after a change.
 */
export class Reconciler {
  private built?: Promise<Built>;
  private builtAt = 0;

  constructor(
    private readonly reads: GraphReads,
    private readonly baseIri: string,
    /**
     * How long the index is used before it is built again, for a graph that changes without
     * `invalidate` being called (an external store other writers share); none by default.
     */
    private readonly maxAgeMs = Number.POSITIVE_INFINITY,
  ) {}

  /** The graph changed: the next request rebuilds the index. */
  invalidate(): void {
    this.built = undefined;
  }

  /** The reconcilable classes and their subclasses, by local name. */
  async types(): Promise<TypeRef[]> {
    return [...(await this.build()).classes.values()];
  }

  async defaultTypes(): Promise<TypeRef[]> {
    return (await this.types()).filter((t) => RECONCILABLE_CLASSES.includes(t.id));
  }

  async reconcile(query: ReconciliationQuery): Promise<Candidate[]> {
    const built = await this.build();
    const wanted = this.typeFilter(query.type);
    const queryTokens = tokens(query.query ?? '');
    const limit = Math.max(1, Math.min(query.limit ?? 5, 50));
    const properties = query.properties ?? [];
    const values = await this.propertyValues(built, properties);
    const scored = built.entries
      .filter((e) => !wanted || [...e.types].some((t) => wanted.has(t)))
      .map((e) => ({ entry: e, score: this.score(e, queryTokens, properties, values) }))
      .filter((c) => c.score > 30)
      .sort((a, b) => b.score - a.score || a.entry.name.localeCompare(b.entry.name));
    const [first, second] = scored;
    return scored.slice(0, limit).map(({ entry, score }, rank) => ({
      ...describeEntry(entry, built.classes),
      score,
      // A match: a clear winner, near certain and well ahead of the next candidate.
      match: rank === 0 && score >= 85 && (!second || (first?.score ?? 0) - second.score >= 10),
    }));
  }

  async suggestEntities(prefix: string, type?: string): Promise<Candidate[]> {
    const candidates = await this.reconcile({ query: prefix, type, limit: 10 });
    return candidates.map((c) => ({ ...c, match: false }));
  }

  async suggestTypes(prefix: string): Promise<TypeRef[]> {
    const wanted = tokens(prefix);
    return (await this.types()).filter((t) =>
      wanted.every((w) => tokens(`${t.id} ${t.name}`).some((x) => x.startsWith(w))),
    );
  }

  /** Entities of the given types (with subclasses) that have no Wikidata link yet. */
  async unlinked(types: string[]): Promise<{ iri: string; name: string }[]> {
    return (await this.build()).entries
      .filter((e) => !e.wikidata && types.some((t) => e.types.has(t)))
      .map((e) => ({ iri: e.iri, name: e.name }))
      .sort((left, right) => left.iri.localeCompare(right.iri));
  }

  /** The entity an id names (`person/henri-verdier`), for previews. */
  async entity(
    id: string,
  ): Promise<(Omit<Candidate, 'score' | 'match'> & { iri: string }) | undefined> {
    const { entries, classes } = await this.build();
    const entry = entries.find((e) => e.id === id);
    return entry && { ...describeEntry(entry, classes), iri: entry.iri };
  }

  private typeFilter(type: string | string[] | undefined): Set<string> | undefined {
    const asked = (Array.isArray(type) ? type : type ? [type] : []).map((t) =>
      t.replace(CK, '').replace(/^ck:/, ''),
    );
    return asked.length > 0 ? new Set(asked) : undefined;
  }

  /** A view holding the values of the constrained properties (the index itself when embedded). */
  private async propertyValues(built: Built, properties: { pid: string }[]): Promise<Store> {
    const predicates = properties
      .filter(({ pid }) => !/^(wikidata|owl:sameAs)$/i.test(pid))
      .map(({ pid }) => predicateOf(pid))
      .filter(isIriRef);
    if (predicates.length === 0) return built.index;
    return this.reads.view(propertyScope(this.baseIri, new Set(predicates)));
  }

  private score(
    entry: Entry,
    query: string[],
    properties: { pid: string; v: unknown }[],
    values: Store,
  ): number {
    let score = Math.max(0, ...entry.names.map((name) => nameScore(query, name)));
    for (const { pid, v } of properties) {
      const value = String(v ?? '');
      if (!value) continue;
      // A Wikidata id identifies: agreeing on it nearly settles the match, disagreeing nearly
      // rules it out. Other properties only nudge the score.
      const identifier = isWikidataConstraint(pid, value);
      if (propertyMatches(values, entry, pid, value)) score += identifier ? 30 : 5;
      else score -= identifier ? 30 : 15;
    }
    return Math.max(0, Math.min(100, score));
  }

  private build(): Promise<Built> {
    if (this.built && Date.now() - this.builtAt > this.maxAgeMs) this.built = undefined;
    if (!this.built) this.builtAt = Date.now();
    this.built ??= this.reads.view(reconciliationScope(this.baseIri)).then(
      (index) => buildIndex(index, this.baseIri),
      (error: unknown) => {
        this.built = undefined;
        throw error;
      },
    );
    return this.built;
  }
}

/** The reconciliation index of a graph: its entries, the classes, and the view they came from. */
interface Built {
  entries: Entry[];
  classes: Map<string, TypeRef>;
  index: Store;
}

const predicateOf = (pid: string) =>
  pid.includes('://') ? pid : `${CK}${pid.replace(/^ck:/, '')}`;

function describeEntry(
  entry: Entry,
  classes: Map<string, TypeRef>,
): Omit<Candidate, 'score' | 'match'> {
  return {
    id: entry.id,
    name: entry.name,
    ...(entry.description ? { description: entry.description } : {}),
    type: [...entry.types].map((t) => classes.get(t) as TypeRef),
    ...(entry.wikidata ? { wikidata: entry.wikidata } : {}),
  };
}

/** Whether a property of the entity has the value: a Q-id, an IRI, or a name compared loosely. */
function propertyMatches(index: Store, entry: Entry, pid: string, value: string): boolean {
  if (isWikidataConstraint(pid, value)) return entry.wikidata === value;
  const predicate = predicateOf(pid);
  if (!isIriRef(predicate)) return false;
  const wanted = tokens(value);
  const objects = index.getObjects(namedNode(entry.iri), namedNode(predicate), null);
  return objects.some((object) => {
    if (object.value === value) return true;
    const names = object.termType === 'Literal' ? [object.value] : labelsOf(index, object);
    return names.some((name) => nameScore(wanted, tokens(name)) >= 80);
  });
}

function labelsOf(index: Store, term: Term): string[] {
  const seen = [term, ...index.getObjects(term as never, namedNode(`${CK}organisation`), null)];
  return seen.flatMap((t) =>
    [`${RDFS}label`, `${SKOS}altLabel`].flatMap((p) =>
      index.getObjects(t as never, namedNode(p), null).map((o) => o.value),
    ),
  );
}

function buildIndex(index: Store, baseIri: string): Built {
  const graphs = graphIris(baseIri);
  const ontology = namedNode(graphs.ontology);
  const data = namedNode(graphs.data);
  const label = (term: Term, graph: Term) => {
    const labels = index.getObjects(term as never, namedNode(`${RDFS}label`), graph as never);
    return (
      labels.find(
        (l) => l.termType === 'Literal' && (l as { language?: string }).language === 'fr',
      ) ??
      labels.find(
        (l) => l.termType === 'Literal' && (l as { language?: string }).language === 'en',
      ) ??
      labels[0]
    )?.value;
  };
  // Each reconcilable class and its subclasses, with the classes above them that count.
  const classes = new Map<string, TypeRef>();
  const ancestors = new Map<string, Set<string>>();
  const visit = (cls: Term, roots: Set<string>) => {
    const id = cls.value.replace(CK, '');
    classes.set(id, { id, name: label(cls, ontology) ?? id });
    ancestors.set(cls.value, new Set([...(ancestors.get(cls.value) ?? []), ...roots, id]));
    const subclasses = index.getSubjects(namedNode(`${RDFS}subClassOf`), cls as never, ontology);
    // By IRI, not in the order a store happens to give them.
    for (const sub of subclasses.sort((left, right) => left.value.localeCompare(right.value))) {
      visit(sub, new Set([...roots, id]));
    }
  };
  for (const root of RECONCILABLE_CLASSES) visit(namedNode(`${CK}${root}`), new Set());

  const entries: Entry[] = [];
  const idPrefix = `${baseIri}id/`;
  for (const subject of index.getSubjects(namedNode(`${RDF}type`), null, data)) {
    if (subject.termType !== 'NamedNode' || !subject.value.startsWith(idPrefix)) continue;
    const types = new Set<string>();
    for (const cls of index.getObjects(subject, namedNode(`${RDF}type`), data)) {
      for (const t of ancestors.get(cls.value) ?? []) types.add(t);
    }
    if (types.size === 0) continue;
    const nameTerms = RECONCILED_NAMES.flatMap((p) =>
      index.getObjects(subject, namedNode(p), data),
    ).map((o) => o.value);
    const names = [...new Set(nameTerms)].map(tokens).filter((t) => t.length > 0);
    if (names.length === 0) continue;
    const wikidata = index
      .getObjects(subject, namedNode(`${OWL}sameAs`), null)
      .find((o) => o.value.startsWith(WD))
      ?.value.slice(WD.length);
    const description = index
      .getObjects(subject, namedNode('https://schema.org/description'), data)
      .find((o) => (o as { language?: string }).language === 'fr')?.value;
    entries.push({
      iri: subject.value,
      id: subject.value.slice(idPrefix.length),
      name: label(subject, data) ?? nameTerms[0] ?? subject.value,
      ...(description ? { description } : {}),
      names,
      types,
      ...(wikidata ? { wikidata } : {}),
    });
  }
  return { entries, classes, index };
}
