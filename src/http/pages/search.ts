import { fold, searchWords, type SearchHit } from '../../graph/search.js';
import { html, renderPage, type PageLanguage, type SafeHtml } from '../html.js';
import { hrefFor } from '../iri-paths.js';
import { MESSAGES } from '../messages.js';
import { compact, inLanguage, pickLabel } from './rdf-view.js';

/** A text with the words that the query words start marked, whatever their accents or case. */
export function highlighted(text: string, query: string): SafeHtml[] {
  const wanted = searchWords(query);
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = fold(match[0]);
    if (!wanted.some((query) => word.startsWith(query))) continue;
    parts.push(html`${text.slice(last, match.index)}`, html`<mark>${match[0]}</mark>`);
    last = match.index + match[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return parts;
}

function hitHtml(hit: SearchHit, query: string, baseIri: string, language: PageLanguage) {
  const m = MESSAGES[language];
  const label = pickLabel(hit.labels, language);
  const name = label ? inLanguage(label.text, label.language) : html`${compact(hit.iri)}`;
  const href = hrefFor(hit.iri, baseIri) ?? '#';
  const where = hit.field === 'name' ? m.search.inName : m.search.inText;
  return html`<li>
    <a href="${href}"><strong>${name}</strong></a>
    <span class="badge">${m.kinds[hit.kind]}</span>
    <br><span class="muted">${where}:</span>
    <span${hit.language ? html` lang="${hit.language}"` : ''}>${highlighted(hit.matched, query)}</span>
  </li>`;
}

/** The search page: the box (also in every page's header) and the hits, best first. */
export function searchPage(
  query: string,
  hits: readonly SearchHit[],
  options: { baseIri: string; language: PageLanguage; url: string },
): string {
  const m = MESSAGES[options.language].search;
  const main = html`<h1>${m.title}</h1>
    <p class="muted">${m.hint}</p>
    ${
      query.trim() === ''
        ? html`<p>${m.empty}</p>`
        : html`<p role="status">${m.results(hits.length, query)}</p>
            <ol class="results">
              ${hits.map((hit) => hitHtml(hit, query, options.baseIri, options.language))}
            </ol>`
    }`;
  return renderPage({
    title: query ? `${m.title}: ${query}` : m.title,
    language: options.language,
    url: options.url,
    searchText: query,
    main,
  });
}
