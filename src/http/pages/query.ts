import { PREFIXES } from '../../rdf/namespaces.js';
import type { ExampleQuery } from '../examples.js';
import { html, renderPage, type PageLanguage } from '../html.js';
import { MESSAGES } from '../messages.js';
import { dataBlock } from './session.js';

/** `format=` values of the endpoint, by kind of result: the download links. */
export const DOWNLOAD_FORMATS = {
  bindings: ['json', 'xml', 'csv', 'tsv'],
  boolean: ['json', 'xml'],
  quads: ['ttl', 'nt', 'nq', 'trig', 'jsonld', 'rdfxml'],
} as const;

/** The example in the editor when none is asked for: a question whose rows link to entities. */
export const DEFAULT_EXAMPLE = 'claims-of-a-speaker';

export interface QueryPageOptions {
  examples: readonly ExampleQuery[];
  /** The example shown in the editor (`?example=` or the first). */
  selected?: string;
  /** A query given in the URL (`?query=` on `/`), shown instead of an example. */
  text?: string;
  endpoint: string;
  baseIri: string;
  language: PageLanguage;
  url: string;
}

/**
 * The query page: a SPARQL form that works without script (it sends the query to the endpoint),
 * which the script turns into YASQE (highlighting, prefix completion, syntax check) and YASR
 * (result table, CONSTRUCT graph, downloads in every format). The examples are the competency
 * questions; without script, choosing one reloads the page with it in the editor.
 */
export function queryPage(options: QueryPageOptions): string {
  const m = MESSAGES[options.language].query;
  const chosen =
    options.examples.find((example) => example.slug === options.selected) ??
    options.examples.find((example) => example.slug === DEFAULT_EXAMPLE) ??
    options.examples[0];
  const text = options.text ?? chosen?.text ?? '';
  const question = (example: ExampleQuery) => example.question[options.language];
  const main = html`<h1>${m.title}</h1>
    <p>${m.intro}</p>
    <form id="example-form" method="get" action="/"></form>
    <form id="query-form" method="get" action="/sparql">
      <div class="query-tools">
        <div class="field">
          <label for="example">${m.examples}</label>
          <select id="example" name="example" form="example-form">
            ${options.examples.map((example) =>
              example === chosen && options.text === undefined
                ? html`<option value="${example.slug}" selected>${question(example)}</option>`
                : html`<option value="${example.slug}">${question(example)}</option>`,
            )}
          </select>
        </div>
        <button type="submit" form="example-form" class="secondary" id="load-example">
          ${m.load}
        </button>
      </div>
      <div class="field">
        <label for="query" id="query-label">${m.editor}</label>
        <textarea id="query" name="query" rows="16" cols="90" spellcheck="false">${text}</textarea>
        <div id="yasqe"></div>
      </div>
      <div class="query-tools">
        <div class="field">
          <label for="format">${m.format}</label>
          <select id="format" name="format">
            ${[...DOWNLOAD_FORMATS.bindings, ...DOWNLOAD_FORMATS.quads].map(
              (format) => html`<option value="${format}">${format}</option>`,
            )}
          </select>
        </div>
        <button type="submit" id="run">${m.run}</button>
      </div>
    </form>
    <noscript><p class="muted">${m.noScript}</p></noscript>
    <p class="muted">${m.endpoint}: <code>${options.endpoint}</code></p>
    <div class="downloads" id="downloads" hidden>
      <span id="downloads-label">${m.download}</span>
      <ul aria-labelledby="downloads-label"></ul>
    </div>
    <section id="results" aria-label="Results" aria-live="polite"><div id="yasr"></div></section>
    ${dataBlock('ui-config', {
      baseIri: options.baseIri,
      prefixes: PREFIXES,
      examples: Object.fromEntries(options.examples.map((e) => [e.slug, e.text])),
      formats: DOWNLOAD_FORMATS,
      messages: {
        editor: m.editor,
        graph: m.graph,
        graphCaption: m.graphCaption(0).replace('0', '{n}'),
        graphTooBig: m.graphTooBig(1, 2).replace('1', '{n}').replace('2', '{max}'),
      },
    })}`;
  return renderPage({
    title: m.title,
    language: options.language,
    url: options.url,
    head: html`<link rel="stylesheet" href="/assets/vendor/yasqe/yasqe.min.css" />
      <link rel="stylesheet" href="/assets/vendor/yasr/yasr.min.css" />`,
    classicScripts: ['/assets/vendor/yasqe/yasqe.min.js', '/assets/vendor/yasr/yasr.min.js'],
    scripts: ['/assets/query.js'],
    main,
  });
}
