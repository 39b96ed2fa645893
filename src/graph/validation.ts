import type { DatasetCore, Term } from '@rdfjs/types';
import type { Quad } from 'n3';

/** One SHACL violation, in words a contributor can act on. */
export interface Violation {
  /** The node that fails; for a blank node, how it hangs from a named one (e.g. `<claim> ck:selector []`). */
  focusNode: string;
  path?: string;
  message: string;
  shape: string;
  severity: string;
  value?: string;
}

export interface ValidationOutcome {
  conforms: boolean;
  violations: Violation[];
}

/**
 * Validates data against SHACL shapes (SHACL Core, rdf-validate-shacl). The data given must include
 * what the shapes rely on: the ontology's class hierarchy for sh:class, the topics' types.
 */
export async function validateAgainstShapes(
  shapes: Iterable<Quad>,
  data: Iterable<Quad>,
): Promise<ValidationOutcome> {
  // Loaded on first use, off the server's start-up path when validation is not needed.
  const [{ default: rdf }, { default: SHACLValidator }] = await Promise.all([
    import('rdf-ext'),
    import('rdf-validate-shacl'),
  ]);
  const dataset = rdf.dataset([...data]);
  const validator = new SHACLValidator(rdf.dataset([...shapes]));
  const report = await validator.validate(dataset);
  const violations = report.results.map((result) => ({
    focusNode: describeNode(result.focusNode, dataset),
    path: result.path ? termLabel(result.path) : undefined,
    message: result.message.map((m) => m.value).join('; ') || 'constraint violated',
    shape: termLabel(result.sourceShape),
    severity: termLabel(result.severity).replace('http://www.w3.org/ns/shacl#', 'sh:'),
    value: result.value ? termLabel(result.value) : undefined,
  }));
  return { conforms: report.conforms, violations };
}

function termLabel(term: Term | { termType?: string; value?: string } | undefined): string {
  if (!term || !('termType' in term)) return String(term);
  switch (term.termType) {
    case 'NamedNode':
      return `<${term.value}>`;
    case 'BlankNode':
      return `_:${term.value}`;
    case 'Literal':
      return JSON.stringify(term.value);
    default:
      return String(term.value);
  }
}

function describeNode(node: Term, dataset: DatasetCore): string {
  if (node.termType !== 'BlankNode') return termLabel(node);
  for (const quad of dataset.match(null, null, node)) {
    return `${termLabel(quad.subject)} <${quad.predicate.value}> [ ]`;
  }
  return termLabel(node);
}

export function formatViolation(violation: Violation): string {
  const path = violation.path ? ` path ${violation.path}` : '';
  const value = violation.value ? ` value ${violation.value}` : '';
  return `${violation.focusNode}${path}${value}: ${violation.message} (shape ${violation.shape})`;
}
