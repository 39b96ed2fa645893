import request from 'supertest';
import { BASE } from './project.js';
import { ADMIN_TOKEN } from './server.js';

/** Helpers for the collaboration tests: accounts, SPARQL reads, changesets. */

export const CK = 'https://w3id.org/communs-kg/ontology#';
export const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';

export const GRAPH = {
  ontology: `${BASE}graph/ontology`,
  data: `${BASE}graph/data`,
  wikidataView: `${BASE}graph/wikidata-view`,
  history: `${BASE}graph/history`,
  gardening: `${BASE}graph/gardening`,
} as const;

export const SPARQL_PREFIXES = `PREFIX ck: <${CK}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
`;

export type Headers = Record<string, string>;
export const bearer = (token: string): Headers => ({ Authorization: `Bearer ${token}` });
export const ADMIN = bearer(ADMIN_TOKEN);

export interface Account {
  name: string;
  role: string;
  token: string;
  headers: Headers;
}

let counter = 0;
const run = Date.now().toString(36);
/** A fresh IRI in the project's namespace, never used before in this test run. */
export const freshIri = (kind = 'note') => `${BASE}id/${kind}/collab-${run}-${++counter}`;
/** A fresh string, to tell test data apart. */
export const freshText = (what = 'text') => `${what} ${run}-${++counter}`;

/** A label triple in Turtle: the smallest contribution no shape constrains (no class). */
export const labelTriple = (subject: string, text: string, lang = 'en') =>
  `<${subject}> <${RDFS_LABEL}> ${JSON.stringify(text)}@${lang} .`;

/** Creates an account through the API as the admin; the token is in the answer, once. */
export async function addUser(url: string, name: string, role: string): Promise<Account> {
  const response = await request(url).post('/api/users').set(ADMIN).send({ name, role });
  expect(response.status).toBe(201);
  const token = response.body.token as string;
  expect(token).toMatch(/^ckt_\d+_/);
  return { name, role, token, headers: bearer(token) };
}

export type Binding = Record<string, { type: string; value: string; datatype?: string }>;

export async function select(url: string, query: string): Promise<Binding[]> {
  const response = await request(url)
    .get('/sparql')
    .query({ query: SPARQL_PREFIXES + query })
    .set('Accept', 'application/sparql-results+json');
  if (response.status !== 200) throw new Error(`query failed ${response.status}: ${response.text}`);
  return JSON.parse(response.text).results.bindings;
}

export async function ask(url: string, query: string): Promise<boolean> {
  const response = await request(url)
    .get('/sparql')
    .query({ query: SPARQL_PREFIXES + query })
    .set('Accept', 'application/sparql-results+json');
  if (response.status !== 200) throw new Error(`query failed ${response.status}: ${response.text}`);
  return JSON.parse(response.text).boolean as boolean;
}

/** Whether a triple is in a graph (the data graph unless told). */
export const hasTriple = (url: string, triple: string, graph: string = GRAPH.data) =>
  ask(url, `ASK { GRAPH <${graph}> { ${triple.replace(/\s*\.\s*$/, '')} } }`);

/** How many quads each named graph holds, read through /sparql. */
export async function graphCounts(url: string): Promise<Record<string, number>> {
  const rows = await select(
    url,
    'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g',
  );
  return Object.fromEntries(rows.map((r) => [r.g?.value ?? '', Number(r.n?.value)]));
}

/** How many changesets exist, whatever their status. */
export async function changesetTotal(url: string): Promise<number> {
  const response = await request(url).get('/api/changesets').query({ limit: 1 });
  expect(response.status).toBe(200);
  return response.body.total as number;
}

/** The newest changeset (summary). */
export async function newestChangeset(url: string): Promise<Record<string, unknown>> {
  const response = await request(url).get('/api/changesets').query({ limit: 1 });
  expect(response.status).toBe(200);
  return response.body.changesets[0] as Record<string, unknown>;
}

export async function getChangeset(url: string, id: number): Promise<Record<string, unknown>> {
  const response = await request(url).get(`/api/changesets/${id}`);
  expect(response.status).toBe(200);
  return response.body as Record<string, unknown>;
}

/** Submits a changeset and expects it pending (201); returns its id. */
export async function submitPending(
  url: string,
  who: Headers,
  body: Record<string, unknown>,
): Promise<number> {
  const response = await request(url).post('/api/changesets').set(who).send(body);
  if (response.status !== 201) {
    throw new Error(`submission refused ${response.status}: ${JSON.stringify(response.body)}`);
  }
  expect(response.body.status).toBe('pending');
  return response.body.id as number;
}

/** Accepts a changeset and expects it applied (200). */
export async function acceptChangeset(url: string, who: Headers, id: number, reason?: string) {
  const response = await request(url)
    .post(`/api/changesets/${id}/accept`)
    .set(who)
    .send(reason === undefined ? {} : { reason });
  if (response.status !== 200) {
    throw new Error(`accept refused ${response.status}: ${JSON.stringify(response.body)}`);
  }
  expect(response.body.status).toBe('accepted');
  return response.body as Record<string, unknown>;
}

/** Applies a change at once as the admin ("direct"), e.g. to set up a fixture. */
export async function adminApply(url: string, body: Record<string, unknown>): Promise<number> {
  const response = await request(url)
    .post('/api/changesets')
    .set(ADMIN)
    .send({ message: 'fixture', ...body, direct: true });
  if (response.status !== 201) {
    throw new Error(`direct change refused ${response.status}: ${JSON.stringify(response.body)}`);
  }
  expect(response.body.status).toBe('accepted');
  return response.body.id as number;
}
