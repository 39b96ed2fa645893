import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';

/** An example query of the query page: a competency question of queries/, or one of the UI's own. */
export interface ExampleQuery {
  slug: string;
  question: { en: string; fr: string };
  text: string;
}

/**
 * A CONSTRUCT example, so that the graph picture has something to draw: who mentions which
 * commons. The competency questions are all SELECT or ASK.
 */
const CONSTRUCT_EXAMPLE: ExampleQuery = {
  slug: 'network-speakers-commons',
  question: {
    en: 'Which commons does each speaker mention? (CONSTRUCT: a graph)',
    fr: 'Quels communs chaque intervenant mentionne-t-il ? (CONSTRUCT : un graphe)',
  },
  text: `PREFIX ck: <https://w3id.org/communs-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

CONSTRUCT {
  ?person ck:mentions ?commons .
  ?person rdfs:label ?name .
  ?commons rdfs:label ?commonsName .
}
WHERE {
  ?claim ck:claimant ?person ; ck:mentions ?commons .
  ?commons a/rdfs:subClassOf* ck:DigitalCommons .
  ?person rdfs:label ?name FILTER(lang(?name) = "fr")
  ?commons rdfs:label ?commonsName FILTER(lang(?commonsName) = "fr")
}`,
};

/** The question of a competency query: its `# FR:` and `# EN:` header lines. */
function question(text: string, slug: string): ExampleQuery['question'] {
  const line = (tag: string) => new RegExp(`^#\\s*${tag}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
  const en = line('EN') ?? slug;
  return { en, fr: line('FR') ?? en };
}

/** The competency questions of queries/*.rq, in file order, then the CONSTRUCT example. */
export function loadExamples(directory = join(PROJECT_ROOT, 'queries')): ExampleQuery[] {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.rq'))
    .sort();
  const examples = files.map((name) => {
    const text = readFileSync(join(directory, name), 'utf8');
    const slug = name.replace(/\.rq$/, '');
    return { slug, question: question(text, slug), text };
  });
  return [...examples, CONSTRUCT_EXAMPLE];
}
