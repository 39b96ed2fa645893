import type { EntitySuggestion } from '../../graph/describe.js';
import { html, renderPage } from '../html.js';
import { iriLink, type RenderContext } from './rdf-view.js';

/**
 * The 404 page of an IRI the graph does not know: it says which IRI was looked up, offers the
 * existing entities with the closest names, and points to the SPARQL endpoint to search.
 */
export function notFoundPage(
  iri: string,
  suggestions: readonly EntitySuggestion[],
  context: RenderContext,
): string {
  const suggestionContext: RenderContext = {
    ...context,
    labels: new Map(suggestions.map((suggestion) => [suggestion.iri, suggestion.labels])),
  };
  const main = html`<h1>Not found</h1>
    <p>The graph has no entity with the IRI <code class="iri">${iri}</code>.</p>
    ${
      suggestions.length > 0 &&
      html`<section aria-labelledby="suggestions">
        <h2 id="suggestions">Did you mean</h2>
        <ul>
          ${suggestions.map(
            (suggestion) =>
              html`<li>
                ${iriLink(suggestion.iri, suggestionContext)}
                <span class="muted"><code>${suggestion.iri}</code></span>
              </li>`,
          )}
        </ul>
      </section>`
    }
    <section aria-labelledby="search">
      <h2 id="search">Search the graph</h2>
      <p>
        Every entity can be found with a query at the <a href="/sparql">SPARQL endpoint</a>; the
        vocabulary is described on the <a href="/ontology">ontology</a> page, and the whole graph
        can be <a href="/export/dump.ttl">downloaded</a>.
      </p>
    </section>`;
  return renderPage({ title: 'Not found', language: context.language, main });
}
