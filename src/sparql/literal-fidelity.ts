import oxigraph from 'oxigraph';
import { detached, literalSpan } from './nquads.js';

const XSD_STRING = '<http://www.w3.org/2001/XMLSchema#string>';
/** Verdicts remembered across batches; beyond this many distinct literals the memory is reset. */
const MEMORY_LIMIT = 200_000;

/**
 * Oxigraph stores literals of its native datatypes by value: `"01"^^xsd:integer` is read back as
 * `"1"`, `"1.0E0"^^xsd:double` as `"1"`, and two such triples become one. RDF says they are
 * different terms, and the SPARQL test suite checks it. This tells which N-Quads lines carry a
 * literal that Oxigraph would not give back as written — by asking Oxigraph itself, on a scratch
 * store, rather than by re-implementing the canonical forms of XSD.
 */
export class LiteralFidelity {
  private readonly verdicts = new Map<string, boolean>();

  /** For each of `lines`, whether Oxigraph would store its literal in another form. */
  altered(lines: readonly string[]): boolean[] {
    const literals = lines.map(checkableLiteral);
    const unknown = new Set<string>();
    for (const literal of literals) {
      if (literal !== undefined && !this.verdicts.has(literal)) unknown.add(detached(literal));
    }
    if (unknown.size > 0) this.judge([...unknown]);
    return literals.map((literal) => literal !== undefined && this.verdicts.get(literal) === true);
  }

  /** Loads each literal into a scratch store and compares what comes back with what was written. */
  private judge(literals: string[]): void {
    if (this.verdicts.size + literals.length > MEMORY_LIMIT) this.verdicts.clear();
    const document = literals.map((literal, i) => `<urn:x:${i}> <urn:x:p> ${literal} .`).join('\n');
    const format = 'application/n-triples';
    const written = oxigraph.parse(document, { format, lenient: true });
    const scratch = new oxigraph.Store();
    scratch.load(document, { format, lenient: true });
    const stored = new Map(scratch.match().map((quad) => [quad.subject.value, quad.object]));
    for (const [i, quad] of written.entries()) {
      const kept = stored.get(quad.subject.value);
      this.verdicts.set(literals[i] as string, !kept || !kept.equals(quad.object));
    }
  }
}

/**
 * The literal of an N-Quads line when Oxigraph might rewrite it: one with a datatype other than
 * xsd:string, or a language tag with capitals.
 */
function checkableLiteral(line: string): string | undefined {
  // Most lines have neither: skip them without scanning their literal.
  if (!line.includes('"^^<') && !/"@[a-z0-9-]*[A-Z]/.test(line)) return undefined;
  const span = literalSpan(line);
  if (!span) return undefined;
  const literal = line.slice(span.start, span.end);
  const suffix = literal.slice(literal.lastIndexOf('"') + 1);
  if (suffix.startsWith('^^')) return suffix === `^^${XSD_STRING}` ? undefined : literal;
  return /[A-Z]/.test(suffix) ? literal : undefined;
}
