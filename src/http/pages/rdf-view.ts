import type { Literal, Quad, Term } from 'n3';
import type { Labels } from '../../graph/describe.js';
import { PREFIXES, RDF, RDFS, XSD } from '../../rdf/namespaces.js';
import { compactIri } from '../../rdf/terms.js';
import { html, type PageLanguage, type SafeHtml } from '../html.js';
import { hrefFor } from '../iri-paths.js';
import { MESSAGES } from '../messages.js';

/** What rendering RDF terms needs: where links go, the labels to show, the nested blank nodes. */
export interface RenderContext {
  baseIri: string;
  language: PageLanguage;
  labels: ReadonlyMap<string, Labels>;
  blankNodes: ReadonlyMap<string, Quad[]>;
}

const RDF_TYPE = `${RDF}type`;
const RDFS_LABEL = `${RDFS}label`;
const LIST_FIRST = `${RDF}first`;
const LIST_REST = `${RDF}rest`;
const LIST_NIL = `${RDF}nil`;
/** Nesting depth at which blank nodes stop being expanded (a guard against cycles). */
const MAX_NESTING = 4;

/** A label in the page's language, else in the other one, else any; with its language tag. */
export function pickLabel(
  labels: Labels | undefined,
  language: PageLanguage,
): { text: string; language?: string } | undefined {
  const other: PageLanguage = language === 'fr' ? 'en' : 'fr';
  if (labels?.[language]) return { text: labels[language], language };
  if (labels?.[other]) return { text: labels[other], language: other };
  if (labels?.other) return { text: labels.other };
  return undefined;
}

export function compact(iri: string): string {
  return compactIri(iri, PREFIXES);
}

/** Text in a given language, marked up with `lang` so that screen readers pronounce it right. */
export function inLanguage(text: string, language: string | undefined): SafeHtml {
  return language ? html`<span lang="${language}">${text}</span>` : html`${text}`;
}

/** A link to an IRI, showing its label (or its compact form); no link for non-web IRIs. */
export function iriLink(iri: string, context: RenderContext): SafeHtml {
  const label = pickLabel(context.labels.get(iri), context.language);
  const content = label
    ? inLanguage(label.text, label.language)
    : html`<code>${compact(iri)}</code>`;
  const href = hrefFor(iri, context.baseIri);
  return href ? html`<a href="${href}" title="${iri}">${content}</a>` : content;
}

export function literalHtml(literal: Literal): SafeHtml {
  if (literal.language) {
    return html`${inLanguage(literal.value, literal.language)}
      <span class="lang">@${literal.language}</span>`;
  }
  const datatype = literal.datatype.value;
  if (datatype === `${XSD}string`) return html`${literal.value}`;
  return html`${literal.value} <span class="lang">${compact(datatype)}</span>`;
}

export function termHtml(term: Term, context: RenderContext, depth = 0): SafeHtml {
  switch (term.termType) {
    case 'NamedNode':
      return iriLink(term.value, context);
    case 'Literal':
      return literalHtml(term as Literal);
    case 'BlankNode':
      return blankNodeHtml(term.value, context, depth);
    default:
      return html`${term.value}`;
  }
}

/** A blank node shown inline: an RDF list as a list, anything else as a nested description. */
function blankNodeHtml(label: string, context: RenderContext, depth: number): SafeHtml {
  const quads = context.blankNodes.get(label);
  if (!quads || depth >= MAX_NESTING) return html`<span class="muted">[…]</span>`;
  const items = listItems(label, context);
  if (items) {
    return html`<ol>
      ${items.map((item) => html`<li>${termHtml(item, context, depth + 1)}</li>`)}
    </ol>`;
  }
  return statementsHtml(quads, context, { nested: true, depth: depth + 1 });
}

/** The members of an RDF collection, or undefined when the node is not one. */
function listItems(label: string, context: RenderContext): Term[] | undefined {
  const items: Term[] = [];
  const visited = new Set<string>();
  let node: string | undefined = label;
  while (node !== undefined && !visited.has(node)) {
    visited.add(node);
    const quads: Quad[] = context.blankNodes.get(node) ?? [];
    const first = quads.find((quad) => quad.predicate.value === LIST_FIRST)?.object;
    const rest = quads.find((quad) => quad.predicate.value === LIST_REST)?.object;
    if (!first || !rest) return undefined;
    items.push(first);
    if (rest.termType === 'NamedNode' && rest.value === LIST_NIL) return items;
    node = rest.termType === 'BlankNode' ? rest.value : undefined;
  }
  return undefined;
}

export interface StatementsOptions {
  nested?: boolean;
  depth?: number;
}

/**
 * Statements grouped by property, as a description list: the property's label (linked to its
 * definition), then its values. Labels and types come first, the rest by property label; a
 * triple stored in several graphs is shown once.
 */
export function statementsHtml(
  quads: readonly Quad[],
  context: RenderContext,
  options: StatementsOptions = {},
): SafeHtml {
  const byPredicate = new Map<string, Map<string, Term>>();
  for (const quad of quads) {
    const objects = byPredicate.get(quad.predicate.value) ?? new Map<string, Term>();
    objects.set(quad.object.id, quad.object);
    byPredicate.set(quad.predicate.value, objects);
  }
  const first = [RDFS_LABEL, RDF_TYPE];
  const rank = (predicate: string) =>
    first.includes(predicate) ? first.indexOf(predicate) : first.length;
  const name = (predicate: string) =>
    pickLabel(context.labels.get(predicate), context.language)?.text ?? compact(predicate);
  const predicates = [...byPredicate.keys()].sort(
    (left, right) => rank(left) - rank(right) || name(left).localeCompare(name(right)),
  );
  const groups = predicates.map((predicate) => {
    const objects = [...(byPredicate.get(predicate)?.values() ?? [])];
    // A labelled property also shows its compact IRI, which is what a SPARQL query would use.
    const labelled = context.labels.get(predicate) && name(predicate) !== compact(predicate);
    return html`<dt>
        ${iriLink(predicate, context)}${labelled && html` <span class="muted"><code>${compact(predicate)}</code></span>`}
      </dt>
      <dd>
        <ul>
          ${objects.map((object) => html`<li>${termHtml(object, context, options.depth ?? 0)}</li>`)}
        </ul>
      </dd> `;
  });
  return html`<dl class="${options.nested ? 'statements nested' : 'statements'}">${groups}</dl>`;
}

/** A link to one of the RDF documents of the page's resource. */
export interface AlternateDocument {
  href: string;
  mediaType: string;
  label: string;
}

/** `<link rel="alternate">` elements announcing a page's RDF documents. */
export function alternateLinks(alternates: readonly AlternateDocument[]): SafeHtml {
  return html`${alternates.map(
    (alternate) =>
      html`<link rel="alternate" type="${alternate.mediaType}" href="${alternate.href}" /> `,
  )}`;
}

export function alternatesSection(
  alternates: readonly AlternateDocument[],
  language: PageLanguage = 'en',
): SafeHtml {
  return html`<section aria-labelledby="formats">
    <h2 id="formats">${MESSAGES[language].entity.otherFormats}</h2>
    <ul>
      ${alternates.map(
        (alternate) =>
          html`<li>
            <a href="${alternate.href}" type="${alternate.mediaType}">${alternate.label}</a>
          </li>`,
      )}
    </ul>
  </section>`;
}

/** Fragments with a separator between them (`a, b, c`). */
export function joined(parts: readonly SafeHtml[], separator: string): SafeHtml[] {
  return parts.flatMap((part, index) => (index === 0 ? [part] : [html`${separator}`, part]));
}
