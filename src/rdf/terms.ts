import type { Term } from 'n3';

/** Shortens an IRI with the longest matching prefix, as `prefix:local`; otherwise `<iri>`. */
export function compactIri(iri: string, prefixes: Readonly<Record<string, string>>): string {
  let best: [string, string] | undefined;
  for (const [prefix, namespace] of Object.entries(prefixes)) {
    if (iri.startsWith(namespace) && (!best || namespace.length > best[1].length)) {
      best = [prefix, namespace];
    }
  }
  if (best) {
    const local = iri.slice(best[1].length);
    if (/^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u.test(local) && !local.endsWith('.')) {
      return `${best[0]}:${local}`;
    }
  }
  return `<${iri}>`;
}

/** A readable rendering of a term for tables: compact IRIs, literals with language or datatype. */
export function displayTerm(term: Term, prefixes: Readonly<Record<string, string>>): string {
  switch (term.termType) {
    case 'NamedNode':
      return compactIri(term.value, prefixes);
    case 'BlankNode':
      return `_:${term.value}`;
    case 'Literal': {
      if (term.language) return `"${term.value}"@${term.language}`;
      const datatype = term.datatype.value;
      if (datatype === 'http://www.w3.org/2001/XMLSchema#string') return `"${term.value}"`;
      return `"${term.value}"^^${compactIri(datatype, prefixes)}`;
    }
    default:
      return term.value;
  }
}
