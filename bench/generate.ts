/**
 * A deterministic, seeded generator of a scaled commons graph with the shapes of data/: people with
 * their affiliations (n-ary, stated at an event), organisations, digital commons, places,
 * positions, conferences with round tables, interventions, moderators' questions and many claims
 * per intervention (quotes and paraphrases with topics, mentions and a text-quote selector), labels
 * in French (with accents) and English, owl:sameAs links to verified Wikidata ids, and the derived
 * Wikidata view computed by the project's own deriveWikidataView.
 *
 * The output is N-Quads in the three named graphs the project's loader fills (graph/ontology,
 * graph/data, graph/wikidata-view). Same seed and size give byte-identical output.
 *
 *   npx tsx bench/generate.ts --size 1M [--seed 42] [--out FILE]
 *
 * Entities the benchmark queries name always exist: person:p1 speaks first at event:e1 (its first
 * intervention, e1-r1-i1), whose first claim (claim:e1-r1-i1-1) is a quote on topic:souverainete
 * mentioning commons:c1.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DataFactory, Parser, Store, Writer, type Quad } from 'n3';
import {
  CK,
  DEFAULT_BASE_IRI,
  OWL,
  RDF,
  RDFS,
  SKOS,
  TOPIC,
  WD,
  graphIris,
} from '../src/rdf/namespaces.js';
import { deriveWikidataView } from '../src/graph/wikidata-view.js';
import { PROJECT_ROOT } from '../src/paths.js';

const { namedNode, literal, blankNode, quad } = DataFactory;

/** Bumped whenever the output for a given seed and size changes (it names cached files). */
export const GENERATOR_VERSION = 2;
export const DEFAULT_SEED = 42;
export const SIZES = { '10k': 10_000, '100k': 100_000, '1M': 1_000_000, '5M': 5_000_000 } as const;

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** "10k", "1M", "250000" → a triple count. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!match) throw new Error(`--size must be like 10k, 100k, 1M, 5M or a number: ${text}`);
  const unit = match[2]?.toLowerCase();
  const factor = unit === 'k' ? 1_000 : unit === 'm' ? 1_000_000 : 1;
  return Math.round(Number(match[1]) * factor);
}

/** 1000000 → "1M", 100000 → "100k". */
export function sizeLabel(triples: number): string {
  if (triples >= 1_000_000 && triples % 1_000_000 === 0) return `${triples / 1_000_000}M`;
  if (triples >= 1_000 && triples % 1_000 === 0) return `${triples / 1_000}k`;
  return String(triples);
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; the whole output depends on its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Skewed towards the first items (index ~ n·u²): a few popular entities, a long tail. */
  skewed(n: number): number {
    const u = this.next();
    return Math.min(n - 1, Math.floor(n * u * u));
  }
  /** Distinct indices in [0, n), skewed. */
  distinctSkewed(n: number, count: number): number[] {
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < Math.min(count, n) && tries < count * 10; tries++) {
      chosen.add(this.skewed(n));
    }
    return [...chosen];
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, weight] of entries) {
      x -= weight;
      if (x < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }
}

// ------------------------------------------------------------------------------------------------
// Vocabulary and word lists
// ------------------------------------------------------------------------------------------------

const SCHEMA = 'https://schema.org/';
const DCTERMS = 'http://purl.org/dc/terms/';
const OA = 'http://www.w3.org/ns/oa#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

const ck = (name: string) => namedNode(`${CK}${name}`);
const P = {
  type: namedNode(`${RDF}type`),
  label: namedNode(`${RDFS}label`),
  altLabel: namedNode(`${SKOS}altLabel`),
  hiddenLabel: namedNode(`${SKOS}hiddenLabel`),
  editorialNote: namedNode(`${SKOS}editorialNote`),
  sameAs: namedNode(`${OWL}sameAs`),
  givenName: namedNode(`${SCHEMA}givenName`),
  familyName: namedNode(`${SCHEMA}familyName`),
  description: namedNode(`${SCHEMA}description`),
  name: namedNode(`${SCHEMA}name`),
  about: namedNode(`${SCHEMA}about`),
  source: namedNode(`${DCTERMS}source`),
  title: namedNode(`${DCTERMS}title`),
  identifier: namedNode(`${DCTERMS}identifier`),
  language: namedNode(`${DCTERMS}language`),
  exact: namedNode(`${OA}exact`),
  prefix: namedNode(`${OA}prefix`),
  suffix: namedNode(`${OA}suffix`),
  TextQuoteSelector: namedNode(`${OA}TextQuoteSelector`),
};
const xsdDate = namedNode(`${XSD}date`);
const xsdInteger = namedNode(`${XSD}integer`);
const xsdBoolean = namedNode(`${XSD}boolean`);

const FIRST_NAMES = [
  'Stéphanie',
  'Sébastien',
  'Rémy',
  'Hélène',
  'Frédéric',
  'Jérôme',
  'Chloé',
  'Léa',
  'Noémie',
  'Amélie',
  'Gaëlle',
  'Zoé',
  'Anaïs',
  'Maël',
  'Inès',
  'Benoît',
  'François',
  'Céline',
  'Émilie',
  'Joël',
  'Mathilde',
  'Henri',
  'Jean',
  'Pierre',
  'Constance',
  'Camille',
  'Lucas',
  'Hugo',
  'Louise',
  'Claire',
  'Julien',
  'Nicolas',
  'Sophie',
  'Marie',
  'Paul',
  'Antoine',
  'Agnès',
  'Raphaël',
  'Élodie',
  'Jeanne',
  'Étienne',
  'Loïc',
  'Aurélie',
  'Cécile',
  'Mélanie',
  'Théo',
  'Valérie',
  'Gérard',
];
const FAMILY_NAMES = [
  'Verdier',
  'Lefèvre',
  'Mercier',
  'Dubois',
  'Moreau',
  'Girard',
  'Bonnet',
  'Leroy',
  'Fontaine',
  'Chevalier',
  'Rousseau',
  'Blanc',
  'Guérin',
  'Muller',
  'Faure',
  'André',
  'Lemaître',
  'Gaillard',
  'Barbier',
  'Arnaud',
  'Roussel',
  'Bérard',
  'Noël',
  'Perrin',
  'Dufresne',
  'Béranger',
  'Hébert',
  'Lacroix',
  'Ménard',
  'Després',
  'Évrard',
  'Pélissier',
  'Thévenin',
  'Mézière',
  'Cloarec',
  'Le Goff',
  'Nguyen',
  'Martin',
  'Bernard',
  'Petit',
  'Durand',
  'Lambert',
  'Benoît',
  'Séguin',
  'Rivière',
];
const CITIES = [
  'Besançon',
  'Orléans',
  'Nîmes',
  'Évreux',
  'Angoulême',
  'Béziers',
  'Sète',
  'Fécamp',
  'Gérardmer',
  'Mâcon',
  'Créteil',
  'Saint-Étienne',
  'Périgueux',
  'Vénissieux',
  'Montréal',
  'Lyon',
  'Bordeaux',
  'Rennes',
  'Nantes',
  'Lille',
  'Grenoble',
  'Strasbourg',
  'Toulouse',
  'Brest',
  'Châlons',
  'Colmar',
];
const ORG_KINDS = [
  ['PublicBody', 'Commission du numérique', 'Digital Commission', 'CN'],
  ['GovernmentAgency', 'Agence des données publiques', 'Public Data Agency', 'ADP'],
  ['GovernmentAgency', 'Direction régionale du numérique', 'Regional Digital Directorate', 'DRN'],
  ['Association', 'Association des communs numériques', 'Digital Commons Association', 'ACN'],
  ['Association', 'Fédération des données ouvertes', 'Open Data Federation', 'FDO'],
  ['Company', 'Coopérative logicielle', 'Software Cooperative', 'CL'],
  ['Company', 'Société d’ingénierie libre', 'Free Engineering Company', 'SIL'],
  ['Collective', 'Collectif pour l’interopérabilité', 'Interoperability Collective', 'CPI'],
] as const;
const COMMONS_KINDS = [
  'SoftwareOrService',
  'SoftwareOrService',
  'SoftwareOrService',
  'DatasetOrKnowledgeBase',
  'DatasetOrKnowledgeBase',
  'ProtocolOrInfrastructure',
  'LabelOrScore',
  'Licence',
] as const;
const COMMONS_HEADS = [
  'Open',
  'Libre',
  'Géo',
  'Data',
  'Wiki',
  'Peer',
  'Fédé',
  'Commun',
  'Écho',
  'Nutri',
];
const COMMONS_TAILS = [
  'Fisca',
  'Tube',
  'Carte',
  'Base',
  'Lab',
  'Réseau',
  'Score',
  'Forge',
  'Santé',
  'Thèque',
];
const POSITIONS = [
  ['Directeur du numérique', 'Chief Digital Officer'],
  ['Directrice générale', 'Director General'],
  ['Président', 'President'],
  ['Déléguée à la stratégie', 'Strategy Delegate'],
  ['Cofondateur', 'Co-founder'],
  ['Secrétaire générale', 'Secretary General'],
  ['Chargé de mission données', 'Data Officer'],
  ['Élue déléguée au numérique', 'Elected Representative for Digital Affairs'],
] as const;
const WORDS_FR = [
  'communs',
  'numériques',
  'souveraineté',
  'données',
  'ouvertes',
  'État',
  'collectivités',
  'gouvernance',
  'coopération',
  'européenne',
  'financement',
  'logiciel',
  'libre',
  'contributeurs',
  'bénévoles',
  'infrastructure',
  'publique',
  'modèle',
  'économique',
  'société',
  'civile',
  'acteurs',
  'ressources',
  'partagées',
  'plateformes',
  'réseaux',
  'Europe',
  'écosystème',
  'innovation',
  'éducation',
  'démocratie',
  'territoires',
  'pérennité',
  'résilience',
  'interopérabilité',
  'mutualisation',
  'référentiels',
  'accès',
  'réutilisation',
  'transparence',
  'confiance',
  'énergie',
  'climat',
  'sobriété',
  'communauté',
  'développeurs',
  'fondation',
  'modération',
  'entretien',
  'échelle',
  'l’État',
  'd’intérêt',
  'général',
  'agents',
  'usagers',
  'commande',
  'marchés',
];
const LINK_WORDS_FR = [
  'les',
  'des',
  'de',
  'la',
  'le',
  'pour',
  'avec',
  'sans',
  'et',
  'doivent',
  'peuvent',
  'il',
  'faut',
  'nous',
  'sont',
  'est',
  'une',
  'un',
  'à',
  'aux',
  'dans',
  'sur',
  'entre',
  'plus',
  'très',
  'où',
];
const WORDS_EN = [
  'commons',
  'digital',
  'sovereignty',
  'data',
  'open',
  'state',
  'local',
  'governance',
  'cooperation',
  'European',
  'funding',
  'software',
  'free',
  'contributors',
  'volunteers',
  'infrastructure',
  'public',
  'model',
  'economic',
  'society',
  'civil',
  'actors',
  'resources',
  'shared',
  'platforms',
  'networks',
  'Europe',
  'ecosystem',
  'innovation',
  'education',
  'the',
  'of',
  'and',
  'must',
  'can',
  'with',
  'for',
  'we',
  'need',
  'is',
  'are',
  'a',
  'to',
  'in',
];

/** Wikidata ids of shared/wikidata/verified-ids.tsv, by kind of entity they fit. */
const VERIFIED = {
  organisation: ['Q193582', 'Q8423370', 'Q180', 'Q458'],
  commons: [
    'Q50938515',
    'Q52',
    'Q2013',
    'Q151',
    'Q110492908',
    'Q64777688',
    'Q75',
    'Q29643',
    'Q284742',
    'Q936',
  ],
  place: ['Q90', 'Q1479', 'Q142'],
} as const;
/** Share of organisations, commons and places linked to Wikidata (people: none, as in data/). */
const SAME_AS_RATE = 0.12;

// ------------------------------------------------------------------------------------------------
// The generator
// ------------------------------------------------------------------------------------------------

export interface GenerateOptions {
  /** Target number of triples, ontology and derived view included. */
  triples: number;
  seed?: number;
  baseIri?: string;
}

export interface GenerationSummary {
  triples: number;
  ontology: number;
  data: number;
  derived: number;
  entities: Record<string, number>;
  seed: number;
  target: number;
}

interface Pools {
  people: number;
  organisations: number;
  commons: number;
  places: number;
  positions: number;
}

function poolSizes(target: number): Pools {
  return {
    people: Math.max(12, Math.round(target / 300)),
    organisations: Math.max(6, Math.round(target / 1200)),
    commons: Math.max(8, Math.round(target / 900)),
    places: Math.max(4, Math.round(target / 15000)),
    positions: Math.max(8, Math.round(target / 1500)),
  };
}

/**
 * Generates the graph and hands it to `write` in N-Quads chunks, in a deterministic order:
 * the ontology graph, then batches of data each followed by the Wikidata view derived from it.
 * The view is derived batch by batch with the project's deriveWikidataView over the ontology and
 * the batch: every derivation rule reads one entity's own triples (a claim, an event, a person and
 * the affiliation stated at one conference), so the union of the batches' views is the view of the
 * whole graph; derived triples whose subject several batches share (people, Wikidata classes) are
 * de-duplicated.
 */
export async function generate(
  options: GenerateOptions,
  write: (chunk: string) => void,
): Promise<GenerationSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  const base = options.baseIri ?? DEFAULT_BASE_IRI;
  const target = options.triples;
  const random = new Random(mulberry32(seed));
  const graphs = graphIris(base);
  const dataGraph = namedNode(graphs.data);
  const viewGraph = namedNode(graphs.wikidataView);
  const ontologyGraph = namedNode(graphs.ontology);

  const id = (kind: string, slug: string) => namedNode(`${base}id/${kind}/${slug}`);
  const person = (i: number) => id('person', `p${i + 1}`);
  const organisation = (i: number) => id('organisation', `o${i + 1}`);
  const commons = (i: number) => id('commons', `c${i + 1}`);
  const place = (i: number) => id('place', `l${i + 1}`);
  const position = (i: number) => id('position', `pos${i + 1}`);

  // The ontology and the topics, as the loader reads them.
  // N3 names blank nodes from process-wide counters: they are renamed in order of appearance.
  const ontology = relabelBlankNodes(
    ['commons.ttl', 'topics.ttl'].flatMap((file) =>
      new Parser({ baseIRI: base, format: 'text/turtle' }).parse(
        readFileSync(join(PROJECT_ROOT, 'ontology', file), 'utf8'),
      ),
    ),
    'o',
  );
  const topicStore = new Store(ontology);
  const topics = topicStore
    .getSubjects(P.type, ck('Topic'), null)
    .map((t) => t.value)
    .sort();
  const topicIndex = (name: string) => topics.indexOf(`${TOPIC}${name}`);
  const topicLabels = new Map<string, { fr: string; en: string }>();
  for (const t of topics) {
    const labels = topicStore.getObjects(namedNode(t), namedNode(`${SKOS}prefLabel`), null);
    const fr = labels.find((l) => l.termType === 'Literal' && l.language === 'fr')?.value ?? t;
    const en = labels.find((l) => l.termType === 'Literal' && l.language === 'en')?.value ?? t;
    topicLabels.set(t, { fr, en });
  }

  const writer = () => new Writer({ format: 'N-Quads' });
  const summary: GenerationSummary = {
    triples: 0,
    ontology: 0,
    data: 0,
    derived: 0,
    entities: {},
    seed,
    target,
  };
  const count = (kind: string, n = 1) => {
    summary.entities[kind] = (summary.entities[kind] ?? 0) + n;
  };

  const ontologyQuads = ontology.map((q) => quad(q.subject, q.predicate, q.object, ontologyGraph));
  write(writer().quadsToString(ontologyQuads));
  summary.ontology = ontologyQuads.length;

  const sharedDerived = new Set<string>();
  const localPrefix = `${base}id/`;
  const personPrefix = `${base}id/person/`;
  let batch: Quad[] = [];
  const emit = (s: Quad['subject'], p: Quad['predicate'], o: Quad['object']) => {
    batch.push(quad(s, p, o, dataGraph));
  };
  /** Writes the batch and the view derived from it; returns the triples written. */
  const flush = (): number => {
    if (batch.length === 0) return 0;
    const store = new Store(ontology);
    store.addQuads(batch);
    const derived = deriveWikidataView(store).filter((q) => {
      const subject = q.subject.value;
      if (subject.startsWith(localPrefix) && !subject.startsWith(personPrefix)) return true;
      const key = `${subject} ${q.predicate.value} ${q.object.termType}:${q.object.value}`;
      if (sharedDerived.has(key)) return false;
      sharedDerived.add(key);
      return true;
    });
    write(writer().quadsToString(batch));
    write(
      writer().quadsToString(derived.map((q) => quad(q.subject, q.predicate, q.object, viewGraph))),
    );
    const written = batch.length + derived.length;
    summary.data += batch.length;
    summary.derived += derived.length;
    batch = [];
    return written;
  };
  const fr = (text: string) => literal(text, 'fr');
  const en = (text: string) => literal(text, 'en');

  // --- Entity pools ------------------------------------------------------------------------------
  const pools = poolSizes(target);
  const names: { given: string; family: string; full: string }[] = [];
  for (let i = 0; i < pools.people; i++) {
    const given = random.pick(FIRST_NAMES);
    const family = random.pick(FAMILY_NAMES);
    names.push({ given, family, full: `${given} ${family}` });
  }
  const orgNames: string[] = [];
  for (let i = 0; i < pools.organisations; i++) {
    const [kind, labelFr, labelEn, acronym] = random.pick(ORG_KINDS);
    const city = random.pick(CITIES);
    const s = organisation(i);
    const nameFr = `${labelFr} de ${city}`;
    orgNames.push(nameFr);
    emit(s, P.type, ck(kind));
    emit(s, P.label, fr(nameFr));
    emit(s, P.label, en(`${labelEn} of ${city}`));
    emit(s, P.altLabel, fr(`${acronym} ${city}`));
    emit(s, P.altLabel, en(`${acronym} ${city}`));
    emit(
      s,
      P.description,
      fr(`${labelFr} dont le siège est à ${city} ; ${sentenceFr(random, 10, 20)}`),
    );
    emit(s, P.description, en(`${labelEn} based in ${city}; ${sentenceEn(random, 10, 18)}`));
    if (random.chance(0.05)) emit(s, ck('foundedBy'), person(random.skewed(pools.people)));
    if (random.chance(SAME_AS_RATE))
      emit(s, P.sameAs, namedNode(WD + random.pick(VERIFIED.organisation)));
    count('organisations');
  }
  const commonsNames: string[] = [];
  for (let i = 0; i < pools.commons; i++) {
    const s = commons(i);
    const name = `${random.pick(COMMONS_HEADS)}${random.pick(COMMONS_TAILS)}${i >= 100 ? ` ${i}` : ''}`;
    commonsNames.push(name);
    emit(s, P.type, ck(random.pick(COMMONS_KINDS)));
    emit(s, P.label, fr(name));
    emit(s, P.label, en(name));
    if (random.chance(0.2)) emit(s, P.altLabel, fr(name.toUpperCase()));
    emit(s, P.description, fr(`${name} : ${sentenceFr(random, 12, 24)}`));
    emit(s, P.description, en(`${name}: ${sentenceEn(random, 10, 20)}`));
    if (random.chance(0.3)) emit(s, ck('foundedBy'), person(random.skewed(pools.people)));
    if (i === 0 || random.chance(SAME_AS_RATE)) {
      emit(s, P.sameAs, namedNode(WD + random.pick(VERIFIED.commons)));
    }
    count('commons');
  }
  for (let i = 0; i < pools.places; i++) {
    const s = place(i);
    const city = CITIES[i % CITIES.length] as string;
    const label = i < CITIES.length ? city : `${city} ${Math.floor(i / CITIES.length) + 1}`;
    emit(s, P.type, ck('Place'));
    emit(s, P.label, fr(label));
    emit(s, P.label, en(label));
    if (random.chance(SAME_AS_RATE * 2))
      emit(s, P.sameAs, namedNode(WD + random.pick(VERIFIED.place)));
    count('places');
  }
  for (let i = 0; i < pools.positions; i++) {
    const s = position(i);
    const [titleFr, titleEn] = random.pick(POSITIONS);
    const orgName = orgNames[random.int(0, orgNames.length - 1)] as string;
    emit(s, P.type, ck('Position'));
    emit(s, P.label, fr(`${titleFr} — ${orgName}`));
    emit(s, P.label, en(`${titleEn} (${orgName})`));
    if (random.chance(0.3)) emit(s, P.altLabel, fr(titleFr));
    count('positions');
  }
  for (let i = 0; i < pools.people; i++) {
    const s = person(i);
    const name = names[i] as (typeof names)[number];
    emit(s, P.type, ck('Person'));
    emit(s, P.label, fr(name.full));
    emit(s, P.label, en(name.full));
    emit(s, P.givenName, literal(name.given));
    emit(s, P.familyName, literal(name.family));
    if (random.chance(0.05)) {
      emit(s, P.hiddenLabel, fr(`${name.given.slice(0, -1)} ${name.family}`));
      emit(
        s,
        P.editorialNote,
        en(`The source misspells the name once as "${name.given.slice(0, -1)}".`),
      );
    }
    if (random.chance(0.1))
      emit(s, ck('memberOf'), organisation(random.skewed(pools.organisations)));
    count('people');
  }
  let written = summary.ontology + flush();

  // --- Conferences, until the target is reached ------------------------------------------------
  let derivedRatio = 0.25;
  let selectorId = 0;
  for (let e = 1; written < target; e++) {
    const conference = id('event', `e${e}`);
    const source = id('source', `e${e}-page`);
    const year = 2015 + random.int(0, 10);
    const date = literal(`${year}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`, xsdDate);
    const city = random.pick(CITIES);
    const moderator = person(random.skewed(pools.people));
    const moderatorName = (names[indexOf(moderator)] as (typeof names)[number]).full;
    const titleFr = `Communs numériques et ${random.pick(WORDS_FR)} : rencontre de ${city} n° ${e}`;
    const titleEn = `Digital commons and ${random.pick(WORDS_EN)}: ${city} meeting no. ${e}`;
    emit(source, P.type, ck('SourceDocument'));
    emit(source, P.label, fr(`Page de la conférence « ${titleFr} »`));
    emit(source, P.label, en(`Page of the conference "${titleEn}"`));
    emit(source, P.title, fr(titleFr));
    emit(source, P.identifier, literal(`e${e}.txt`));
    emit(source, P.language, literal('fr'));
    emit(source, P.about, conference);
    emit(conference, P.type, ck('Conference'));
    emit(conference, P.label, fr(titleFr));
    emit(conference, P.label, en(titleEn));
    emit(conference, P.name, fr(titleFr));
    emit(
      conference,
      P.description,
      fr(`Conférence tenue à ${city} ; ${sentenceFr(random, 15, 30)}`),
    );
    emit(
      conference,
      P.description,
      en(`Conference held in ${city}; ${sentenceEn(random, 12, 25)}`),
    );
    emit(conference, ck('date'), date);
    emit(
      conference,
      ck('place'),
      random.chance(0.7)
        ? place(random.skewed(pools.places))
        : organisation(random.skewed(pools.organisations)),
    );
    emit(conference, ck('organiser'), organisation(random.skewed(pools.organisations)));
    emit(conference, ck('moderator'), moderator);
    for (const t of random.distinctSkewed(topics.length, random.int(3, 7))) {
      emit(conference, ck('theme'), namedNode(topics[t] as string));
    }
    emit(conference, P.source, source);
    count('conferences');

    const affiliated = new Set<number>();
    const roundTables = random.int(2, 3);
    let stop = false;
    for (let r = 1; r <= roundTables && !stop; r++) {
      const roundTable = id('event', `e${e}-r${r}`);
      const speakers: number[] = [];
      const interventions = random.int(3, 6);
      for (let k = 1; k <= interventions && !stop; k++) {
        const first = e === 1 && r === 1 && k === 1;
        const speakerIndex = first ? 0 : random.skewed(pools.people);
        const speaker = person(speakerIndex);
        const speakerName = (names[speakerIndex] as (typeof names)[number]).full;
        speakers.push(speakerIndex);
        const slug = `e${e}-r${r}-i${k}`;
        const intervention = id('event', slug);
        const question = id('question', slug);

        if (!affiliated.has(speakerIndex)) {
          affiliated.add(speakerIndex);
          const affiliation = id('affiliation', `p${speakerIndex + 1}-e${e}`);
          const [roleFr, roleEn] = random.pick(POSITIONS);
          const org = random.skewed(pools.organisations);
          emit(speaker, ck('affiliation'), affiliation);
          emit(affiliation, P.type, ck('Affiliation'));
          emit(affiliation, P.label, fr(`${speakerName}, ${roleFr.toLowerCase()} (${titleFr})`));
          emit(affiliation, P.label, en(`${speakerName}, ${roleEn} (${titleEn})`));
          if (random.chance(0.9)) emit(affiliation, ck('organisation'), organisation(org));
          emit(affiliation, ck('roleTitle'), fr(`${roleFr} — ${orgNames[org]}`));
          emit(affiliation, ck('roleTitle'), en(roleEn));
          if (random.chance(0.8))
            emit(affiliation, ck('position'), position(random.skewed(pools.positions)));
          emit(
            affiliation,
            ck('affiliationKind'),
            ck(
              random.weighted([
                ['Employment', 50],
                ['Office', 25],
                ['QualifiedPerson', 10],
                ['Membership', 15],
              ] as const),
            ),
          );
          emit(affiliation, ck('statedAt'), conference);
          emit(affiliation, P.source, source);
          count('affiliations');
        }

        emit(intervention, P.type, ck('Intervention'));
        emit(intervention, P.label, fr(`Intervention de ${speakerName}`));
        emit(intervention, P.label, en(`${speakerName}'s intervention`));
        emit(intervention, ck('partOf'), roundTable);
        emit(intervention, ck('seriesOrdinal'), literal(String(k), xsdInteger));
        emit(intervention, ck('date'), date);
        emit(intervention, ck('speaker'), speaker);
        emit(intervention, ck('question'), question);
        emit(intervention, P.source, source);
        count('interventions');

        const questionText = `${capitalise(sentenceFr(random, 8, 18))} ?`;
        emit(question, P.type, ck('Question'));
        emit(question, P.label, fr(`Question de ${moderatorName} à ${speakerName}`));
        emit(question, P.label, en(`${moderatorName}'s question to ${speakerName}`));
        emit(question, ck('askedBy'), moderator);
        emit(question, ck('intervention'), intervention);
        emit(question, ck('source'), source);
        emit(question, ck('text'), fr(questionText));
        emitSelector(question, questionText);
        count('questions');

        const claims = random.int(4, 16);
        for (let n = 1; n <= claims; n++) {
          const claim = id('claim', `${slug}-${n}`);
          const forced = first && n === 1;
          const quote = forced || random.chance(0.37);
          const text = sentenceFr(random, 15, 35);
          emit(claim, P.type, ck(quote ? 'Quote' : 'Paraphrase'));
          emit(
            claim,
            P.label,
            fr(`${speakerName} : ${text.split(' ').slice(0, random.int(4, 8)).join(' ')}`),
          );
          emit(claim, P.label, en(`${speakerName}: ${sentenceEn(random, 5, 9)}`));
          emit(claim, ck('text'), fr(text));
          if (random.chance(0.1)) emit(claim, ck('pullQuote'), literal('true', xsdBoolean));
          if (random.chance(0.08)) {
            emit(
              claim,
              ck('textVariant'),
              fr(capitalise(text.split(' ').slice(0, 10).join(' ')) + '.'),
            );
          }
          emit(claim, ck('claimant'), speaker);
          emit(claim, ck('intervention'), intervention);
          const claimTopics = forced
            ? [topicIndex('souverainete')]
            : random.distinctSkewed(
                topics.length,
                random.weighted([
                  [1, 40],
                  [2, 40],
                  [3, 20],
                ] as const),
              );
          for (const t of claimTopics) emit(claim, ck('topic'), namedNode(topics[t] as string));
          const mentions = forced
            ? 1
            : random.weighted([
                [0, 55],
                [1, 30],
                [2, 12],
                [3, 3],
              ] as const);
          const mentioned = new Set<string>();
          for (let m = 0; m < mentions; m++) {
            const target = forced
              ? commons(0)
              : random.weighted([
                  [() => commons(random.skewed(pools.commons)), 55],
                  [() => organisation(random.skewed(pools.organisations)), 30],
                  [() => person(random.skewed(pools.people)), 10],
                  [() => place(random.skewed(pools.places)), 5],
                ] as const)();
            if (mentioned.has(target.value)) continue;
            mentioned.add(target.value);
            emit(claim, ck('mentions'), target);
          }
          emit(claim, ck('source'), source);
          const topicEn = topicLabels.get(topics[claimTopics[0] as number] as string)?.en ?? '';
          emit(
            claim,
            P.description,
            en(`On ${topicEn.toLowerCase()}: ${sentenceEn(random, 12, 28)}`),
          );
          if (random.chance(0.15)) emit(claim, P.editorialNote, en(sentenceEn(random, 10, 20)));
          emitSelector(claim, text);
          count(quote ? 'quotes' : 'paraphrases');
        }
        const pending = batch.length * (1 + derivedRatio);
        if (written + pending >= target) stop = true;
      }
      emit(roundTable, P.type, ck('RoundTable'));
      emit(roundTable, P.label, fr(`Table ronde ${r} : ${sentenceFr(random, 4, 8)}`));
      emit(roundTable, P.label, en(`Round table ${r}: ${sentenceEn(random, 4, 8)}`));
      emit(roundTable, ck('partOf'), conference);
      emit(roundTable, ck('seriesOrdinal'), literal(String(r), xsdInteger));
      emit(roundTable, ck('date'), date);
      emit(roundTable, ck('moderator'), moderator);
      for (const s of new Set(speakers)) emit(roundTable, ck('speaker'), person(s));
      emit(roundTable, P.source, source);
      count('roundTables');
    }
    const dataBefore = summary.data;
    const derivedBefore = summary.derived;
    written += flush();
    derivedRatio = (summary.derived - derivedBefore) / Math.max(1, summary.data - dataBefore);
  }
  summary.triples = written;
  return summary;

  function emitSelector(subject: Quad['subject'], text: string) {
    const selector = blankNode(`s${++selectorId}`);
    emit(subject, ck('selector'), selector);
    emit(selector, P.type, P.TextQuoteSelector);
    emit(selector, P.exact, literal(text));
    emit(selector, P.prefix, literal(`${sentenceFr(random, 6, 10)}, « `.slice(-32)));
    emit(selector, P.suffix, literal(` »\n\n${sentenceFr(random, 6, 10)}`.slice(0, 32)));
  }

  function indexOf(node: { value: string }): number {
    return Number(node.value.slice(personPrefix.length + 1)) - 1;
  }
}

function relabelBlankNodes(quads: Quad[], prefix: string): Quad[] {
  const names = new Map<string, Quad['subject'] & { termType: 'BlankNode' }>();
  const rename = <T extends Quad['subject'] | Quad['object']>(term: T): T => {
    if (term.termType !== 'BlankNode') return term;
    let renamed = names.get(term.value);
    if (!renamed) {
      renamed = blankNode(`${prefix}${names.size + 1}`);
      names.set(term.value, renamed);
    }
    return renamed as T;
  };
  return quads.map((q) => quad(rename(q.subject), q.predicate, rename(q.object), q.graph));
}

function sentenceFr(random: Random, min: number, max: number): string {
  const length = random.int(min, max);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    words.push(random.chance(0.45) ? random.pick(LINK_WORDS_FR) : random.pick(WORDS_FR));
  }
  return words.join(' ');
}

function sentenceEn(random: Random, min: number, max: number): string {
  const length = random.int(min, max);
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(random.pick(WORDS_EN));
  return words.join(' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Where a generated graph is cached: one file per size, seed and generator version. */
export function dataFile(triples: number, seed = DEFAULT_SEED): string {
  return join(
    RESULTS_DIR,
    'data',
    `commons-${sizeLabel(triples)}-seed${seed}-v${GENERATOR_VERSION}.nq`,
  );
}

/** Generates into a file (written in chunks, so 5 M triples never sit in one string). */
export async function generateToFile(
  path: string,
  options: GenerateOptions,
): Promise<GenerationSummary> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    const summary = await generate(options, (chunk) => {
      writeSync(fd, chunk);
    });
    closeSync(fd);
    const { renameSync } = await import('node:fs');
    renameSync(partial, path);
    return summary;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Generates into one string (small sizes: tests). */
export async function generateToString(
  options: GenerateOptions,
): Promise<{ text: string; summary: GenerationSummary }> {
  const chunks: string[] = [];
  const summary = await generate(options, (chunk) => chunks.push(chunk));
  return { text: chunks.join(''), summary };
}

export function readSummary(path: string): GenerationSummary | undefined {
  try {
    return JSON.parse(readFileSync(`${path}.json`, 'utf8')) as GenerationSummary;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '10k' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      out: { type: 'string' },
    },
  });
  const triples = parseSize(values.size ?? '10k');
  const seed = Number(values.seed);
  const out = values.out ?? dataFile(triples, seed);
  const started = performance.now();
  const summary = await generateToFile(out, { triples, seed });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${out}.json`, `${JSON.stringify(summary, null, 2)}\n`);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `Generated ${summary.triples} triples (ontology ${summary.ontology}, data ${summary.data}, ` +
      `view ${summary.derived}) in ${seconds.toFixed(1)} s → ${out}\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
