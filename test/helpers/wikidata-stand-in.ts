import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Parser } from 'n3';
import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { OWL, RDFS, WD, WDT } from '../../src/rdf/namespaces.js';
import { BASE, SHARED_DIR, readShared } from './project.js';
import { ADMIN_TOKEN, startTestServer } from './server.js';

export const VERIFIED_IDS = join(SHARED_DIR, 'wikidata', 'verified-ids.tsv');

/** A Wikidata item our data links to with owl:sameAs, with its label in verified-ids.tsv. */
export interface LinkedItem {
  /** The local entity (an organisation, a commons, a place). */
  entity: string;
  item: string;
  label: string;
}

/** The items of verified-ids.tsv, by id (Q…), with the label the file records. */
async function verifiedItems(): Promise<Map<string, string>> {
  const tsv = await readShared(
    VERIFIED_IDS,
    'the Wikidata stand-in is built from the verified Wikidata ids and their labels',
  );
  const items = new Map<string, string>();
  for (const line of tsv.split('\n').slice(1)) {
    const [kind, label, id] = line.split('\t');
    if ((kind === 'item' || kind === 'class') && label && id) items.set(id, label);
  }
  return items;
}

/** Every owl:sameAs link of data/wikidata-links.ttl, with the item's label from verified-ids.tsv. */
export async function linkedItems(): Promise<LinkedItem[]> {
  const [turtle, labels] = await Promise.all([
    readFile(join(PROJECT_ROOT, 'data', 'wikidata-links.ttl'), 'utf8'),
    verifiedItems(),
  ]);
  return new Parser({ baseIRI: BASE })
    .parse(turtle)
    .filter((quad) => quad.predicate.value === `${OWL}sameAs` && quad.object.value.startsWith(WD))
    .map((quad) => {
      const id = quad.object.value.slice(WD.length);
      const label = labels.get(id);
      if (!label) throw new Error(`${id} is linked in data/ but not listed in ${VERIFIED_IDS}`);
      return { entity: quad.subject.value, item: quad.object.value, label };
    });
}

const literal = (text: string, lang: string) => `${JSON.stringify(text)}@${lang}`;

/**
 * A small Wikidata-shaped extract (N-Triples): for each item our data links to, its label (as
 * verified-ids.tsv records it) and, from the local graph's derived view, its wdt:P31 classes,
 * with the classes' own labels when the file lists them.
 */
export function wikidataExtract(
  items: LinkedItem[],
  classes: { item: string; cls: string }[],
  classLabels: Map<string, string>,
): string {
  const lines = items.map((i) => `<${i.item}> <${RDFS}label> ${literal(i.label, 'en')} .`);
  for (const { item, cls } of classes) {
    lines.push(`<${item}> <${WDT}P31> <${cls}> .`);
    const label = classLabels.get(cls.slice(WD.length));
    if (label) lines.push(`<${cls}> <${RDFS}label> ${literal(label, 'en')} .`);
  }
  return [...new Set(lines)].join('\n') + '\n';
}

export interface WikidataStandIn {
  server: RunningServer;
  /** The stand-in's SPARQL endpoint, to put on the allow-list of the server under test. */
  endpoint: string;
  items: LinkedItem[];
}

/**
 * A second instance of this server, on a bare store, holding a Wikidata-shaped extract: it stands
 * in for https://query.wikidata.org/sparql on loopback. `classesOf` gives the wdt:P31 classes of
 * the linked entities (read from the local graph's view by the caller).
 */
export async function startWikidataStandIn(
  classesOf: (items: LinkedItem[]) => Promise<{ item: string; cls: string }[]>,
): Promise<WikidataStandIn> {
  const [items, labels] = await Promise.all([linkedItems(), verifiedItems()]);
  const classes = await classesOf(items);
  const server = await startTestServer({}, { graph: 'empty' });
  try {
    await request(server.url)
      .put('/graph-store')
      .query({ default: '' })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .set('Content-Type', 'text/turtle')
      .send(wikidataExtract(items, classes, labels))
      .expect((response) => {
        if (response.status >= 300) throw new Error(`loading the stand-in: ${response.text}`);
      });
  } catch (error) {
    await server.close();
    throw error;
  }
  return { server, endpoint: `${server.url}/sparql`, items };
}

/** A remote endpoint that misbehaves in a given way, on loopback. */
export interface FaultyEndpoint {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A plain node:http server on loopback answering every request with `answer`; requests it never
 * answers are ended when it closes.
 */
export async function startFaultyEndpoint(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<FaultyEndpoint> {
  const server: Server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/sparql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
