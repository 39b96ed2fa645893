import { DataFactory, Store, type Quad, type Term } from 'n3';
import { CK, DCTERMS, FOAF, OWL, RDF, WD, WDT, XSD } from '../rdf/namespaces.js';

/**
 * "Giving back": QuickStatements (V1) for what the graph knows about entities linked to Wikidata.
 *
 * The candidates are the statements of the derived Wikidata view (see wikidata-view.ts), the
 * quotations of every ck:Quote (its claimant gets P1683 with the text and its language, dated by
 * the intervention) and, for every participant of an event, participation in that event. A
 * candidate becomes a QuickStatements line only when its subject and item value are linked by
 * owl:sameAs to a wd: item, its property is one of the verified ids below, its value converts to a
 * V1 value, and its source document gives a reference URL (S854, plus S813 retrieved). Every other
 * candidate is reported as skipped with the reasons. No item id is ever made up: items come only
 * from owl:sameAs links of the graph.
 *
 * QuickStatements V1, as its importer reads it: one command per line, columns separated by tabs,
 * values trimmed; a string is taken verbatim between the first and the last double quote (so an
 * inner quote needs no escaping and has none), monolingual text is `fr:"…"`, a date
 * `+2023-05-31T00:00:00Z/11`; after the value come pairs of qualifier (Pn) or reference (Sn)
 * property and value, consecutive S pairs forming one reference.
 */

const { namedNode } = DataFactory;

type ValueType = 'item' | 'time' | 'string' | 'monolingualtext';

/**
 * Property ids used here, each checked to appear in ../shared/wikidata/verified-ids.tsv, with the
 * Wikidata datatype of its values. P31 and P279 are verified but not given back (see CLASS_POLICY).
 */
export const EXPORT_PROPERTIES: Readonly<Record<string, { label: string; type: ValueType }>> = {
  P39: { label: 'position held', type: 'item' },
  P50: { label: 'author', type: 'item' },
  P108: { label: 'employer', type: 'item' },
  P112: { label: 'founded by', type: 'item' },
  P248: { label: 'stated in', type: 'item' },
  P276: { label: 'location', type: 'item' },
  P361: { label: 'part of', type: 'item' },
  P463: { label: 'member of', type: 'item' },
  P527: { label: 'has part(s)', type: 'item' },
  P580: { label: 'start time', type: 'time' },
  P582: { label: 'end time', type: 'time' },
  P585: { label: 'point in time', type: 'time' },
  P664: { label: 'organizer', type: 'item' },
  P710: { label: 'participant', type: 'item' },
  P823: { label: 'speaker (of a speech)', type: 'item' },
  P921: { label: 'main subject', type: 'item' },
  P1416: { label: 'affiliation', type: 'item' },
  P1545: { label: 'series ordinal', type: 'string' },
  P1683: { label: 'quotation', type: 'monolingualtext' },
};
/** Reference properties (also in verified-ids.tsv): reference URL, retrieved, stated in. */
const S_REFERENCE_URL = 'S854';
const S_RETRIEVED = 'S813';
const S_STATED_IN = 'S248';
const QUALIFIER_POINT_IN_TIME = 'P585';

const CLASS_POLICY =
  'class statement derived from the ontology alignment (instance of / subclass of): Wikidata ' +
  'classifies its items more precisely, so it is not given back';
const QUALIFIER_ONLY =
  'P1545 (series ordinal) is a qualifier on Wikidata (of "part of"), not a statement of its own';
/** "Participant in" is the natural property for a person's participation in an event. */
const PARTICIPANT_IN = {
  id: 'P1344',
  label: 'participant in',
  reason:
    'no verified property: P1344 (participant in) is not in ../shared/wikidata/verified-ids.tsv',
};

/** Wikidata's limit on the length of a string or monolingual text value. */
export const MAX_STRING_LENGTH = 1500;

export class QuickStatementsValueError extends Error {}

/**
 * A QuickStatements V1 string: the text in double quotes. V1 has no escape sequence: the importer
 * takes everything between the first and the last quote, so inner quotes stay as they are. Tabs
 * and line breaks would split the command, so every run of white space (including newlines and
 * tabs) becomes one space and the ends are trimmed (as QuickStatements and Wikibase would); other
 * control characters are dropped. "||", which the importer may read as a line break, is refused,
 * as is an empty or over-long text.
 */
export function quickStatementsString(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '');
  const flat = clean.replace(/[\s\u0085\u2028\u2029]+/gu, ' ').trim();
  if (flat === '') throw new QuickStatementsValueError('empty text');
  if (flat.includes('||')) {
    throw new QuickStatementsValueError(
      'text contains "||", which QuickStatements reads as a line break',
    );
  }
  if ([...flat].length > MAX_STRING_LENGTH) {
    throw new QuickStatementsValueError(
      `text longer than Wikidata's ${MAX_STRING_LENGTH} characters (${[...flat].length})`,
    );
  }
  return `"${flat}"`;
}

/** Monolingual text: `fr:"…"`; the language tag lower-cased, as Wikidata's language codes are. */
export function quickStatementsMonolingual(language: string, text: string): string {
  const code = language.toLowerCase();
  if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/.test(code)) {
    throw new QuickStatementsValueError(`no usable language tag ("${language}")`);
  }
  return `${code}:${quickStatementsString(text)}`;
}

/** A date (xsd:date, xsd:dateTime: day precision /11; xsd:gYear: year precision /9). */
export function quickStatementsTime(lexical: string, datatype = `${XSD}date`): string {
  if (datatype === `${XSD}gYear`) {
    const year = /^(-?)(\d{4,})$/.exec(lexical);
    if (!year) throw new QuickStatementsValueError(`not a year: "${lexical}"`);
    return `${year[1] === '-' ? '-' : '+'}${year[2]}-00-00T00:00:00Z/9`;
  }
  if (datatype !== `${XSD}date` && datatype !== `${XSD}dateTime`) {
    throw new QuickStatementsValueError(`not a date: "${lexical}" (${datatype})`);
  }
  const day = /^(-?)(\d{4,})-(\d\d)-(\d\d)/.exec(lexical);
  if (!day) throw new QuickStatementsValueError(`not a date: "${lexical}"`);
  return `${day[1] === '-' ? '-' : '+'}${day[2]}-${day[3]}-${day[4]}T00:00:00Z/11`;
}

export interface ExportOptions {
  baseIri: string;
  /** The S813 "retrieved" date, YYYY-MM-DD. */
  retrieved: string;
  /** URL cited (S854) for a source document that records none. */
  sourceUrl?: string;
}

export interface SkippedCandidate {
  /** e.g. "P1683 (quotation)". */
  property: string;
  subject: string;
  value: string;
  reasons: string[];
}

export interface WikidataExport {
  /** QuickStatements V1 commands, sorted, without line terminators. */
  lines: string[];
  /** Commands per property id. */
  added: Record<string, number>;
  skipped: SkippedCandidate[];
}

interface Candidate {
  property: string;
  subject: Term;
  value: Term;
  /** The utterance or entity whose source document is cited. */
  sourceOf: Term;
  qualifiers?: [string, string][];
}

interface GraphParts {
  ontology: Quad[];
  data: Quad[];
  derived: Quad[];
}

const sameAs = namedNode(`${OWL}sameAs`);
const rdfType = namedNode(`${RDF}type`);
const ckSource = namedNode(`${CK}source`);
const dctermsSource = namedNode(`${DCTERMS}source`);
const claimant = namedNode(`${CK}claimant`);
const textProperty = namedNode(`${CK}text`);
const interventionProperty = namedNode(`${CK}intervention`);
const dateProperty = namedNode(`${CK}date`);
const urlProperties = [
  namedNode('https://schema.org/url'),
  namedNode(`${FOAF}page`),
  namedNode(`${DCTERMS}identifier`),
];

/** Builds the QuickStatements and the record of what was skipped, for a loaded graph. */
export function buildWikidataExport(graph: GraphParts, options: ExportOptions): WikidataExport {
  if (!/^\d{4}-\d\d-\d\d$/.test(options.retrieved)) {
    throw new QuickStatementsValueError(`retrieved date "${options.retrieved}" is not YYYY-MM-DD`);
  }
  if (options.sourceUrl !== undefined && !/^https?:\/\/\S+$/.test(options.sourceUrl)) {
    throw new QuickStatementsValueError(`source URL "${options.sourceUrl}" is not an http(s) URL`);
  }
  const store = new Store([...graph.ontology, ...graph.data]);
  const name = (term: Term) => displayName(term, options.baseIri);
  const item = (term: Term): string | undefined => {
    if (term.termType !== 'NamedNode') return undefined;
    if (term.value.startsWith(WD)) return wikidataId(term.value);
    const ids = store
      .getObjects(term, sameAs, null)
      .map((o) => (o.value.startsWith(WD) ? wikidataId(o.value) : undefined))
      .filter((id): id is string => id !== undefined)
      .sort();
    return ids[0];
  };

  const candidates: Candidate[] = [];
  for (const q of graph.derived) {
    const property = q.predicate.value.slice(WDT.length);
    if (property === 'P1683') continue; // taken from the quotes themselves, with their source
    candidates.push({ property, subject: q.subject, value: q.object, sourceOf: q.subject });
    if (property === 'P710') {
      candidates.push({
        property: PARTICIPANT_IN.id,
        subject: q.object,
        value: q.subject,
        sourceOf: q.subject,
      });
    }
  }
  for (const quote of store.getSubjects(rdfType, namedNode(`${CK}Quote`), null)) {
    const dates = store
      .getObjects(quote, interventionProperty, null)
      .flatMap((event) => store.getObjects(event, dateProperty, null));
    for (const person of store.getObjects(quote, claimant, null)) {
      for (const text of store.getObjects(quote, textProperty, null)) {
        const qualifiers: [string, string][] = [];
        const date = dates[0];
        if (date?.termType === 'Literal') {
          try {
            qualifiers.push([
              QUALIFIER_POINT_IN_TIME,
              quickStatementsTime(date.value, date.datatype.value),
            ]);
          } catch {
            // an unusable date only loses the qualifier
          }
        }
        candidates.push({
          property: 'P1683',
          subject: person,
          value: text,
          sourceOf: quote,
          qualifiers,
        });
      }
    }
  }

  const lines = new Set<string>();
  const added: Record<string, number> = {};
  const skipped: SkippedCandidate[] = [];
  for (const candidate of candidates) {
    const known = EXPORT_PROPERTIES[candidate.property];
    const propertyName =
      candidate.property === PARTICIPANT_IN.id
        ? `${PARTICIPANT_IN.id} (${PARTICIPANT_IN.label})`
        : `${candidate.property} (${known?.label ?? (candidate.property === 'P31' ? 'instance of' : candidate.property === 'P279' ? 'subclass of' : 'unknown')})`;
    const skip = (reasons: string[]) =>
      skipped.push({
        property: propertyName,
        subject: name(candidate.subject),
        value: name(candidate.value),
        reasons,
      });
    if (candidate.property === 'P31' || candidate.property === 'P279') {
      skip([CLASS_POLICY]);
      continue;
    }
    if (candidate.property === 'P1545') {
      skip([QUALIFIER_ONLY]);
      continue;
    }
    const reasons: string[] = [];
    if (candidate.property === PARTICIPANT_IN.id) reasons.push(PARTICIPANT_IN.reason);
    else if (!known) reasons.push(`no verified property: ${candidate.property} is not exported`);

    const subjectId = item(candidate.subject);
    if (!subjectId) {
      reasons.push(
        `subject ${name(candidate.subject)} is not linked to Wikidata (no owl:sameAs to a wd: item)`,
      );
    }
    let value: string | undefined;
    const type = known?.type ?? 'item';
    if (type === 'item') {
      value = item(candidate.value);
      if (!value) {
        reasons.push(
          `value ${name(candidate.value)} is not linked to Wikidata (no owl:sameAs to a wd: item)`,
        );
      } else if (value === subjectId) {
        reasons.push('value and subject are the same Wikidata item');
      }
    } else {
      try {
        value = literalValue(candidate.value, type);
      } catch (error) {
        if (!(error instanceof QuickStatementsValueError)) throw error;
        reasons.push(`value cannot be written: ${error.message}`);
      }
    }
    const reference = referenceFor(store, candidate.sourceOf, options, name, item);
    if (typeof reference === 'string') reasons.push(reference);

    if (reasons.length > 0 || !subjectId || value === undefined || typeof reference === 'string') {
      skip(reasons);
      continue;
    }
    const columns = [subjectId, candidate.property, value];
    for (const [p, v] of candidate.qualifiers ?? []) columns.push(p, v);
    columns.push(...reference);
    const line = columns.join('\t');
    if (!lines.has(line)) {
      lines.add(line);
      added[candidate.property] = (added[candidate.property] ?? 0) + 1;
    }
  }
  skipped.sort(
    (a, b) =>
      a.property.localeCompare(b.property) ||
      a.subject.localeCompare(b.subject) ||
      a.value.localeCompare(b.value),
  );
  return { lines: [...lines].sort(), added, skipped };
}

function wikidataId(iri: string): string | undefined {
  const id = iri.slice(WD.length);
  return /^Q[1-9]\d*$/.test(id) ? id : undefined;
}

function literalValue(term: Term, type: ValueType): string {
  if (term.termType !== 'Literal') {
    throw new QuickStatementsValueError(`expected a literal, found ${term.value}`);
  }
  switch (type) {
    case 'monolingualtext':
      return quickStatementsMonolingual(term.language, term.value);
    case 'time':
      return quickStatementsTime(term.value, term.datatype.value);
    default:
      return quickStatementsString(term.value);
  }
}

/** The reference columns for a candidate's source document, or why there can be none. */
function referenceFor(
  store: Store,
  entity: Term,
  options: ExportOptions,
  name: (term: Term) => string,
  item: (term: Term) => string | undefined,
): string[] | string {
  const sources = [
    ...store.getObjects(entity, ckSource, null),
    ...store.getObjects(entity, dctermsSource, null),
  ].sort((a, b) => a.value.localeCompare(b.value));
  const source = sources[0];
  if (!source)
    return `no source document to cite (${name(entity)} has no ck:source or dcterms:source)`;
  const recorded = urlProperties
    .flatMap((p) => store.getObjects(source, p, null))
    .map((o) => o.value)
    .filter((value) => /^https?:\/\/\S+$/.test(value))
    .sort()[0];
  const url = recorded ?? options.sourceUrl;
  if (!url) {
    return (
      `no reference URL: source document ${name(source)} records none ` +
      '(give the page address with --source-url)'
    );
  }
  const columns = [S_REFERENCE_URL, quickStatementsString(url)];
  const statedIn = item(source);
  if (statedIn) columns.push(S_STATED_IN, statedIn);
  columns.push(S_RETRIEVED, quickStatementsTime(options.retrieved));
  return columns;
}

/** A short name for the report: "person/henri-verdier", "wd:Q52", or a literal. */
function displayName(term: Term, baseIri: string): string {
  if (term.termType === 'Literal') {
    const flat = term.value.replace(/\s+/g, ' ');
    const text = flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
    return term.language ? `"${text}"@${term.language}` : `"${text}"`;
  }
  if (term.value.startsWith(`${baseIri}id/`)) return term.value.slice(baseIri.length + 3);
  if (term.value.startsWith(WD)) return `wd:${term.value.slice(WD.length)}`;
  return `<${term.value}>`;
}

/** The dry-run report: what would be added (per property) and every skipped candidate. */
export function formatReport(result: WikidataExport): string {
  const out: string[] = [];
  const total = result.lines.length;
  out.push(`Wikidata export (QuickStatements V1): ${total} statement(s) would be added.`);
  const added = Object.entries(result.added).sort(([a], [b]) => a.localeCompare(b));
  if (added.length === 0) out.push('Would add: nothing.');
  for (const [property, count] of added) {
    out.push(`  ${property} (${EXPORT_PROPERTIES[property]?.label ?? '?'}): ${count}`);
  }
  const perProperty = new Map<string, { added: number; skipped: number }>();
  for (const [property, count] of added) {
    const label = `${property} (${EXPORT_PROPERTIES[property]?.label ?? '?'})`;
    perProperty.set(label, { added: count, skipped: 0 });
  }
  for (const s of result.skipped) {
    const entry = perProperty.get(s.property) ?? { added: 0, skipped: 0 };
    entry.skipped += 1;
    perProperty.set(s.property, entry);
  }
  out.push('', 'Candidates per property (added / skipped):');
  for (const [property, counts] of [...perProperty].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  ${property}: ${counts.added} / ${counts.skipped}`);
  }
  out.push('', `Skipped: ${result.skipped.length} candidate(s). By reason:`);
  const byReason = new Map<string, number>();
  for (const s of result.skipped) {
    for (const reason of s.reasons) {
      const general = reason
        .replace(/^(subject|value) \S+ /, '$1 ')
        .replace(/document \S+ /, 'document ');
      byReason.set(general, (byReason.get(general) ?? 0) + 1);
    }
  }
  for (const [reason, count] of [...byReason].sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  )) {
    out.push(`  ${String(count).padStart(5)}  ${reason}`);
  }
  out.push('', 'Skipped candidates (property, subject, value: reasons):');
  for (const s of result.skipped) {
    out.push(`- ${s.property} ${s.subject} → ${s.value}: ${s.reasons.join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}
