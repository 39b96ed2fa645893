import type { QueryForm } from './policy.js';

/** The media types results are written in, per kind of result. */
export const RESULT_MEDIA_TYPES = {
  bindings: [
    'application/sparql-results+json',
    'application/sparql-results+xml',
    'text/csv',
    'text/tab-separated-values',
  ],
  boolean: ['application/sparql-results+json', 'application/sparql-results+xml'],
  quads: [
    'text/turtle',
    'application/n-triples',
    'application/n-quads',
    'application/trig',
    'application/ld+json',
    'application/rdf+xml',
  ],
} as const;

export function resultKind(form: QueryForm): keyof typeof RESULT_MEDIA_TYPES {
  if (form === 'SELECT') return 'bindings';
  if (form === 'ASK') return 'boolean';
  return 'quads';
}
