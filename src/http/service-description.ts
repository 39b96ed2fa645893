import { DataFactory, type Quad } from 'n3';
import { serializeRdf } from '../rdf/serialize.js';
import { RDF, SD } from '../rdf/namespaces.js';

const FORMATS = 'http://www.w3.org/ns/formats/';
const { namedNode, blankNode, quad } = DataFactory;

/** A SPARQL 1.1 Service Description of the query endpoint, for RDF clients. */
export function serviceDescription(
  endpoint: string,
  graphNames: string[],
  unionDefaultGraph: boolean,
  format: 'turtle' | 'ntriples',
): Promise<string> {
  const service = namedNode(endpoint);
  const dataset = blankNode('dataset');
  const defaultGraph = blankNode('defaultGraph');
  const triples: Quad[] = [];
  const add = (s: Quad['subject'], p: string, o: Quad['object']) =>
    triples.push(quad(s, namedNode(p), o));
  add(service, `${RDF}type`, namedNode(`${SD}Service`));
  add(service, `${SD}endpoint`, service);
  add(service, `${SD}supportedLanguage`, namedNode(`${SD}SPARQL11Query`));
  for (const name of [
    'SPARQL_Results_JSON',
    'SPARQL_Results_XML',
    'SPARQL_Results_CSV',
    'SPARQL_Results_TSV',
    'Turtle',
    'N-Triples',
    'N-Quads',
    'TriG',
    'JSON-LD',
    'RDF_XML',
  ]) {
    add(service, `${SD}resultFormat`, namedNode(`${FORMATS}${name}`));
  }
  if (unionDefaultGraph) add(service, `${SD}feature`, namedNode(`${SD}UnionDefaultGraph`));
  add(service, `${SD}defaultDataset`, dataset);
  add(dataset, `${RDF}type`, namedNode(`${SD}Dataset`));
  add(dataset, `${SD}defaultGraph`, defaultGraph);
  add(defaultGraph, `${RDF}type`, namedNode(`${SD}Graph`));
  graphNames.forEach((name, index) => {
    const named = blankNode(`graph${index}`);
    add(dataset, `${SD}namedGraph`, named);
    add(named, `${RDF}type`, namedNode(`${SD}NamedGraph`));
    add(named, `${SD}name`, namedNode(name));
  });
  return serializeRdf(triples, format, {
    prefixes: { sd: SD, formats: FORMATS, rdf: RDF },
  });
}
