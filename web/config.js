// The page's settings and strings, from its JSON data block (see src/http/pages/session.ts).

/** The parsed `<script type="application/json" id="ui-config">` of the page. */
export function pageConfig() {
  const element = document.getElementById('ui-config');
  return element ? JSON.parse(element.textContent ?? '{}') : {};
}

/** A message with `{name}` placeholders filled in. */
export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

const CK = 'https://w3id.org/communs-kg/ontology#';
const TOPIC = 'https://w3id.org/communs-kg/topic/';

/**
 * Where this server shows an IRI (the same rule as src/http/iri-paths.ts): the vocabulary at
 * /ontology#Term, topics at /topic/…, entities under the base at /id/…; others unchanged.
 */
export function localHref(iri, baseIri) {
  if (iri === CK.slice(0, -1)) return '/ontology';
  if (iri.startsWith(CK)) return `/ontology#${encodeURIComponent(iri.slice(CK.length))}`;
  if (iri.startsWith(TOPIC)) return `/topic/${encodeURI(iri.slice(TOPIC.length))}`;
  if (iri.startsWith(`${baseIri}id/`)) return `/id/${encodeURI(iri.slice(baseIri.length + 3))}`;
  return iri;
}
