import type { EntityDescription, TextQuote, UtteranceSummary } from '../../graph/describe.js';
import { CK, graphIris } from '../../rdf/namespaces.js';
import { html, renderPage, SafeHtml } from '../html.js';
import { hrefFor, wikidataPage } from '../iri-paths.js';
import { MESSAGES } from '../messages.js';
import {
  alternateLinks,
  alternatesSection,
  compact,
  inLanguage,
  iriLink,
  joined,
  literalHtml,
  pickLabel,
  statementsHtml,
  type AlternateDocument,
  type RenderContext,
} from './rdf-view.js';

const PEOPLE_KINDS = new Set([`${CK}Person`]);

/** The source sentence around an utterance, its exact words highlighted. */
export function quoteInSource(quote: TextQuote): SafeHtml {
  // Built in parts: the paragraph keeps white space (pre-wrap), which a formatter must not add.
  const parts = [html`…${quote.prefix}`, html`<mark>${quote.exact}</mark>`, html`${quote.suffix}…`];
  return html`<p class="in-source" lang="fr">${parts}</p>`;
}

/**
 * One claim or question: its text, who said it, where, on which topics, from which source, and
 * the TextQuoteSelector context. `headingLevel` keeps the outline right wherever it is shown.
 */
export function utteranceHtml(
  utterance: UtteranceSummary,
  context: RenderContext,
  headingLevel: 2 | 3,
): SafeHtml {
  const m = MESSAGES[context.language].entity;
  const label = pickLabel(context.labels.get(utterance.iri), context.language);
  const title = label ? inLanguage(label.text, label.language) : html`${compact(utterance.iri)}`;
  const heading =
    headingLevel === 2
      ? html`<h2>${m.whatWasSaid}</h2>`
      : html`<h3><a href="${hrefFor(utterance.iri, context.baseIri) ?? '#'}">${title}</a></h3>`;
  const kinds = utterance.types.map((type) => iriLink(type, context));
  const text = utterance.text;
  return html`<article class="utterance">
    ${heading}
    <p class="muted">${joined(kinds, ', ')}${utterance.pullQuote && ` · ${m.pullQuote}`}</p>
    ${text && html`<blockquote><p>${inLanguage(text.value, text.language || undefined)}</p></blockquote>`}
    ${utterance.textVariants.map((variant) => html`<p>${m.alsoWorded} ${literalHtml(variant)}</p>`)}
    <ul class="plain">
      ${utterance.speaker && html`<li>${m.saidBy} ${iriLink(utterance.speaker, context)}</li>`}
      ${utterance.intervention && html`<li>${m.during} ${iriLink(utterance.intervention, context)}</li>`}
      ${utterance.source && html`<li>${m.source} <cite>${iriLink(utterance.source, context)}</cite></li>`}
      ${
        utterance.topics.length > 0 &&
        html`<li>
          ${m.topics}
          ${joined(
            utterance.topics.map((topic) => iriLink(topic, context)),
            ', ',
          )}
        </li>`
      }
      ${
        utterance.mentions.length > 0 &&
        html`<li>
          ${m.mentions}
          ${joined(
            utterance.mentions.map((iri) => iriLink(iri, context)),
            ', ',
          )}
        </li>`
      }
    </ul>
    ${
      utterance.quote &&
      html`<p>${new SafeHtml(m.inSource)}</p>
        ${quoteInSource(utterance.quote)}`
    }
  </article>`;
}

function wikidataHtml(description: EntityDescription, context: RenderContext): SafeHtml {
  const m = MESSAGES[context.language].entity;
  if (description.wikidataItems.length === 0) {
    return html`<p>${m.wikidata}: <span class="muted">${m.notLinked}</span></p>`;
  }
  const links = description.wikidataItems.map((item) => {
    const id = item.replace(/^.*\//, '');
    return html`<a href="${wikidataPage(item) ?? item}" rel="external">${id}</a>`;
  });
  return html`<p>${m.wikidata}: ${joined(links, ', ')}</p>`;
}

function utterancesSection(
  id: string,
  title: string,
  utterances: readonly UtteranceSummary[],
  context: RenderContext,
): SafeHtml | false {
  if (utterances.length === 0) return false;
  return html`<section aria-labelledby="${id}">
    <h2 id="${id}">${title} (${utterances.length})</h2>
    ${utterances.map((utterance) => utteranceHtml(utterance, context, 3))}
  </section>`;
}

function referencedBySection(description: EntityDescription, context: RenderContext) {
  if (description.referencedBy.length === 0) return false;
  const items = description.referencedBy.map(
    (quad) =>
      html`<li>
        ${iriLink(quad.subject.value, context)}
        <span class="muted">(${iriLink(quad.predicate.value, context)})</span>
      </li>`,
  );
  return html`<section aria-labelledby="referenced-by">
    <h2 id="referenced-by">${MESSAGES[context.language].entity.referencedBy}</h2>
    <ul>
      ${items}
    </ul>
  </section>`;
}

/** What the web interface adds around the description: the picture, links to act on it. */
export interface EntityPageExtras {
  /** The page's URL, for the language switch. */
  url?: string;
  /** The neighbourhood picture, drawn by the caller. */
  neighbourhood?: SafeHtml | false;
}

function actionsHtml(description: EntityDescription, context: RenderContext, isPerson: boolean) {
  const m = MESSAGES[context.language].entity;
  const iri = encodeURIComponent(description.iri);
  return html`<ul class="plain actions">
    <li><a href="/history?entity=${iri}">${m.history}</a></li>
    <li><a href="/contribute?entity=${iri}#correction">${m.propose}</a></li>
    ${isPerson && html`<li><a href="/contribute?speaker=${iri}#claim">${m.proposeClaim}</a></li>`}
  </ul>`;
}

/**
 * The page of an entity: French label as title, English label, types, Wikidata link, all
 * statements by property (the derived Wikidata view apart), its own text when it is a claim,
 * the claims it made or that mention it, and links to its RDF documents.
 */
export function entityPage(
  description: EntityDescription,
  context: RenderContext,
  alternates: readonly AlternateDocument[],
  extras: EntityPageExtras = {},
): string {
  const m = MESSAGES[context.language].entity;
  const labels = context.labels.get(description.iri);
  const title = labels?.fr ?? labels?.other ?? labels?.en ?? compact(description.iri);
  const viewGraph = graphIris(context.baseIri).wikidataView;
  const stated = description.statements.filter((quad) => quad.graph.value !== viewGraph);
  const derived = description.statements.filter((quad) => quad.graph.value === viewGraph);
  const isPerson = description.types.some((type) => PEOPLE_KINDS.has(type));
  const main = html`<article>
    <header>
      ${labels?.fr ? html`<h1 lang="fr">${title}</h1>` : html`<h1>${title}</h1>`}
      ${labels?.en && html`<p>${m.english}: <span lang="en">${labels.en}</span></p>`}
      <p>IRI: <code class="iri">${description.iri}</code></p>
      ${
        description.types.length > 0 &&
        html`<p>
          ${m.type}:
          ${joined(
            description.types.map((type) => iriLink(type, context)),
            ', ',
          )}
        </p>`
      }
      ${wikidataHtml(description, context)}
      ${extras.url !== undefined && actionsHtml(description, context, isPerson)}
    </header>
    ${description.utterance && utteranceHtml(description.utterance, context, 2)}
    ${
      extras.neighbourhood &&
      html`<section aria-labelledby="neighbourhood">
        <h2 id="neighbourhood">${m.neighbourhood}</h2>
        ${extras.neighbourhood}
      </section>`
    }
    <section aria-labelledby="statements">
      <h2 id="statements">${m.statements}</h2>
      ${statementsHtml(stated, context)}
    </section>
    ${
      derived.length > 0 &&
      html`<section aria-labelledby="wikidata-view">
        <h2 id="wikidata-view">${m.derivedView}</h2>
        <p class="muted">${m.derivedViewNote}</p>
        ${statementsHtml(derived, context)}
      </section>`
    }
    ${utterancesSection('said', isPerson ? m.byPerson : m.byEntity, description.utterancesBy, context)}
    ${utterancesSection('about', m.about, description.utterancesAbout, context)}
    ${referencedBySection(description, context)} ${alternatesSection(alternates, context.language)}
  </article>`;
  return renderPage({
    title,
    titleLanguage: labels?.fr ? 'fr' : undefined,
    language: context.language,
    url: extras.url,
    head: alternateLinks(alternates),
    main,
  });
}
