import { DataFactory, Store, type Term } from 'n3';
import { CK, OWL, RDF, RDFS, SKOS } from '../../src/rdf/namespaces.js';
import { projectGraph } from '../helpers/project.js';

const { namedNode } = DataFactory;
const type = namedNode(`${RDF}type`);
const KINDS = [
  'Class',
  'ObjectProperty',
  'DatatypeProperty',
  'AnnotationProperty',
  'NamedIndividual',
];

describe('ontology/commons.ttl', () => {
  let store: Store;
  let terms: Term[];

  beforeAll(async () => {
    store = new Store((await projectGraph()).ontology);
    terms = KINDS.flatMap((kind) =>
      store.getSubjects(type, namedNode(`${OWL}${kind}`), null),
    ).filter((term) => term.value.startsWith(CK));
  });

  const languages = (subject: Term, predicate: string) =>
    store
      .getObjects(subject, namedNode(predicate), null)
      .map((literal) => (literal.termType === 'Literal' ? literal.language : ''));

  it('declares the classes the issue asks for', () => {
    const classes = store.getSubjects(type, namedNode(`${OWL}Class`), null).map((c) => c.value);
    for (const name of [
      'Person',
      'Organisation',
      'PublicBody',
      'Association',
      'Company',
      'Collective',
      'DigitalCommons',
      'SoftwareOrService',
      'DatasetOrKnowledgeBase',
      'ProtocolOrInfrastructure',
      'LabelOrScore',
      'Licence',
      'Event',
      'Conference',
      'RoundTable',
      'Intervention',
      'Claim',
      'Quote',
      'Paraphrase',
      'Topic',
    ]) {
      expect(classes).toContain(`${CK}${name}`);
    }
  });

  it('gives every term labels and definitions in French and English', () => {
    const incomplete = terms
      .filter((term) => {
        const labels = languages(term, `${RDFS}label`);
        const definitions = languages(term, `${SKOS}definition`);
        return !['fr', 'en'].every((l) => labels.includes(l) && definitions.includes(l));
      })
      .map((term) => term.value);
    expect(terms.length).toBeGreaterThan(40);
    expect(incomplete).toEqual([]);
  });

  it('aligns every class and property to Wikidata, or says why not', () => {
    const alignments = [
      `${OWL}equivalentClass`,
      `${RDFS}subClassOf`,
      `${OWL}equivalentProperty`,
      `${RDFS}subPropertyOf`,
      `${CK}derivesWikidataProperty`,
    ];
    const unaligned = terms
      .filter((term) =>
        store.getQuads(term, type, null, null).some((q) => !q.object.value.endsWith('Individual')),
      )
      .filter(
        (term) => !store.getQuads(term, type, namedNode(`${OWL}AnnotationProperty`), null).length,
      )
      .filter((term) => {
        const wikidata = alignments.some((p) =>
          store
            .getObjects(term, namedNode(p), null)
            .some((o) => o.value.startsWith('http://www.wikidata.org/')),
        );
        const pending =
          store.getObjects(term, namedNode(`${CK}wikidataAlignment`), null).length > 0;
        const inherited = store
          .getObjects(term, namedNode(`${RDFS}subClassOf`), null)
          .concat(store.getObjects(term, namedNode(`${RDFS}subPropertyOf`), null))
          .some((parent) => parent.value.startsWith(CK));
        return !wikidata && !pending && !inherited;
      })
      .map((term) => term.value);
    expect(unaligned).toEqual([]);
  });
});
