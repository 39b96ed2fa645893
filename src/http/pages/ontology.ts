import type { Literal } from 'n3';
import type { OntologyDescription, OntologyTerm, OntologyTermKind } from '../../graph/describe.js';
import { ONTOLOGY_IRI } from '../../graph/describe.js';
import { CK } from '../../rdf/namespaces.js';
import { SafeHtml, html, renderPage } from '../html.js';
import {
  alternateLinks,
  alternatesSection,
  inLanguage,
  iriLink,
  joined,
  statementsHtml,
  type AlternateDocument,
  type RenderContext,
} from './rdf-view.js';

const DCTERMS_TITLE = 'http://purl.org/dc/terms/title';
const DCTERMS_DESCRIPTION = 'http://purl.org/dc/terms/description';

const SECTIONS: ReadonlyArray<[OntologyTermKind, string, string]> = [
  ['class', 'section-classes', 'Classes'],
  ['objectProperty', 'section-object-properties', 'Object properties'],
  ['datatypeProperty', 'section-datatype-properties', 'Datatype properties'],
  ['annotationProperty', 'section-annotation-properties', 'Annotation properties'],
  ['individual', 'section-individuals', 'Individuals'],
];

/** A literal of the ontology header in the wanted language (title, description). */
function headerText(
  ontology: OntologyDescription,
  predicate: string,
  language: string,
): SafeHtml | false {
  const literal = ontology.statements.find(
    (quad) =>
      quad.subject.value === ONTOLOGY_IRI &&
      quad.predicate.value === predicate &&
      (quad.object as Literal).language === language,
  )?.object;
  return literal ? inLanguage(literal.value, language) : false;
}

/** One term, anchored by its local name so that `/ontology#Person` lands on `ck:Person`. */
function termSection(term: OntologyTerm, context: RenderContext): SafeHtml {
  const labels = context.labels.get(term.iri);
  const titleId = `${term.localName}-title`;
  const names = [
    labels?.fr && html`<span lang="fr">${labels.fr}</span>`,
    labels?.en && html`<span lang="en">${labels.en}</span>`,
  ].filter((name): name is SafeHtml => name instanceof SafeHtml);
  return html`<section class="term" id="${term.localName}" aria-labelledby="${titleId}">
    <h3 id="${titleId}">
      <code>ck:${term.localName}</code> ${names.length > 0 && '—'} ${joined(names, ' / ')}
    </h3>
    <p>IRI: <code class="iri">${term.iri}</code></p>
    ${statementsHtml(term.statements, context)}
  </section>`;
}

/**
 * The ontology as one page with an anchor per term (`/ontology#Person` is `ck:Person`), so that
 * every hash IRI of the vocabulary dereferences to its own definition.
 */
export function ontologyPage(
  ontology: OntologyDescription,
  context: RenderContext,
  alternates: readonly AlternateDocument[],
): string {
  const header = ontology.statements.filter((quad) => quad.subject.value === ONTOLOGY_IRI);
  const sections = SECTIONS.map(([kind, id, title]) => {
    const terms = ontology.terms.filter((term) => term.kind === kind);
    if (terms.length === 0) return false;
    return html`<section aria-labelledby="${id}">
      <h2 id="${id}">${title} (${terms.length})</h2>
      ${terms.map((term) => termSection(term, context))}
    </section>`;
  });
  const topics = ontology.topics.map((topic) => html`<li>${iriLink(topic, context)}</li>`);
  const contents = [
    ...SECTIONS.filter(([kind]) => ontology.terms.some((term) => term.kind === kind)).map(
      ([, id, title]) => html`<li><a href="#${id}">${title}</a></li>`,
    ),
    ...(topics.length > 0 ? [html`<li><a href="#section-topics">Topics</a></li>`] : []),
  ];
  const main = html`<article>
    <header>
      <h1>${headerText(ontology, DCTERMS_TITLE, 'en') || 'Ontology'}</h1>
      <p>${headerText(ontology, DCTERMS_TITLE, 'fr')}</p>
      <p>
        IRI: <code class="iri">${ONTOLOGY_IRI}</code>, namespace
        <code class="iri">${CK}</code> (prefix <code>ck:</code>).
      </p>
      <p>${headerText(ontology, DCTERMS_DESCRIPTION, 'en')}</p>
      <p>${headerText(ontology, DCTERMS_DESCRIPTION, 'fr')}</p>
    </header>
    <nav aria-label="Contents">
      <ul>
        ${contents}
      </ul>
    </nav>
    ${
      header.length > 0 &&
      html`<section aria-labelledby="section-header">
        <h2 id="section-header">The ontology</h2>
        ${statementsHtml(header, context)}
      </section>`
    }
    ${sections}
    ${
      topics.length > 0 &&
      html`<section aria-labelledby="section-topics">
        <h2 id="section-topics">Topics (${topics.length})</h2>
        <p>The SKOS concept scheme of the topics that events announce and claims address.</p>
        <ul>
          ${topics}
        </ul>
      </section>`
    }
    ${alternatesSection(alternates)}
  </article>`;
  return renderPage({
    title: 'Ontology',
    language: context.language,
    head: alternateLinks(alternates),
    main,
  });
}
