// The query page: YASQE replaces the form's textarea (highlighting, prefix completion, syntax
// check), YASR shows the results (table, graph for CONSTRUCT/DESCRIBE, raw response), and the
// download links ask the endpoint for the same query in every format it offers.
import { localHref, pageConfig } from './config.js';
import { GraphPlugin } from './graph-plugin.js';

const { Yasqe, Yasr } = window;
const config = pageConfig();
const { baseIri, prefixes, examples, formats, messages } = config;

const textarea = document.getElementById('query');
const label = document.getElementById('query-label');
const form = document.getElementById('query-form');

const yasqe = new Yasqe(document.getElementById('yasqe'), {
  value: textarea.value,
  persistenceId: null,
  showQueryButton: false,
  createShareableLink: null,
  consumeShareLink: null,
  resizeable: true,
  editorHeight: '22rem',
  autocompleters: ['prefixes', 'variables'],
  screenReaderLabel: messages.editor,
  requestConfig: {
    endpoint: '/sparql',
    method: 'POST',
    acceptHeaderSelect: 'application/sparql-results+json',
    acceptHeaderGraph: 'text/turtle',
  },
});
// The editor takes the textarea's place and its label.
textarea.hidden = true;
label.removeAttribute('for');
yasqe.getInputField().setAttribute('aria-labelledby', 'query-label');
label.addEventListener('click', () => yasqe.focus());
yasqe.on('change', () => {
  textarea.value = yasqe.getValue();
});

GraphPlugin.settings = { baseIri, prefixes, messages };
Yasr.registerPlugin('graph', GraphPlugin);
// Whole cells: an ellipsed cell takes the first click to expand, which hides its link.
const table = (Yasr.defaults.plugins.table ??= {});
table.dynamicConfig = { ...table.dynamicConfig, isEllipsed: false };
const results = document.getElementById('yasr');
const yasr = new Yasr(results, {
  persistenceId: null,
  prefixes,
  pluginOrder: ['table', 'graph', 'response'],
  defaultPlugin: 'table',
});

// Links to resources of this graph open their page here rather than the IRI on the web.
const localize = () => {
  for (const link of results.querySelectorAll('a[href]')) {
    const href = link.getAttribute('href');
    const local = localHref(href, baseIri);
    if (local !== href) {
      link.setAttribute('href', local);
      link.removeAttribute('target');
    }
  }
};
new MutationObserver(localize).observe(results, { childList: true, subtree: true });

const kindOf = (type) =>
  type === 'ASK' ? 'boolean' : type === 'CONSTRUCT' || type === 'DESCRIBE' ? 'quads' : 'bindings';

function showDownloads() {
  const block = document.getElementById('downloads');
  const list = block.querySelector('ul');
  const query = yasqe.getValue();
  const kind = kindOf(yasqe.getQueryType());
  list.replaceChildren(
    ...formats[kind].map((name) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `/sparql?${new URLSearchParams({ query, format: name })}`;
      link.download = `results.${name === 'rdfxml' ? 'rdf' : name}`;
      link.textContent = name;
      item.append(link);
      return item;
    }),
  );
  block.hidden = false;
}

yasqe.on('queryResponse', (_instance, response, duration) => {
  yasr.setResponse(response, duration);
  if (kindOf(yasqe.getQueryType()) === 'quads' && yasr.plugins.graph?.canHandleResults()) {
    yasr.selectPlugin('graph');
  } else if (yasr.selectedPlugin === 'graph') {
    yasr.selectPlugin('table');
  }
  showDownloads();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void yasqe.query();
});

// Loading an example replaces the editor's text (the button also works without script).
document.getElementById('example-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const slug = document.getElementById('example').value;
  if (!examples[slug]) return;
  yasqe.setValue(examples[slug]);
  history.replaceState(null, '', `/?example=${encodeURIComponent(slug)}`);
  yasqe.focus();
});
