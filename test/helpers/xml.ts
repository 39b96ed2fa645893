import { DOMParser, type Document } from '@xmldom/xmldom';

/**
 * Characters XML 1.0 cannot carry, raw or as a character reference (its Char production); a
 * lenient parser such as xmldom lets them through, a conforming one stops there.
 */
export function charactersXmlForbids(text: string): string[] {
  const allowed = (code: number) =>
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff);
  const raw = [...text].filter((c) => !allowed(c.codePointAt(0) as number));
  const references = [...text.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)]
    .map((m) => m[0])
    .filter((ref) => {
      const body = ref.slice(2, -1);
      return !allowed(body.startsWith('x') ? parseInt(body.slice(1), 16) : Number(body));
    });
  return [...raw.map((c) => `U+${(c.codePointAt(0) as number).toString(16)}`), ...references];
}

/** Parses an XML document (the Atom feed), expecting no parse error and no character XML forbids. */
export function wellFormedXml(text: string): Document {
  const errors: string[] = [];
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(text, 'application/xml');
  expect(errors).toEqual([]);
  expect(charactersXmlForbids(text)).toEqual([]);
  return document;
}
