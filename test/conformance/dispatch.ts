/** Which runner each kind of test goes to, and what this harness cannot run (and why). */
import type { Verdict } from './compare.js';
import { runQueryEvaluation, runSyntax, runUpdateEvaluation, type Context } from './evaluate.js';
import type { TestCase } from './manifest.js';
import { runGraphStoreTest, runProtocolTest, runServiceDescriptionTest } from './protocol.js';

/**
 * Optional Graph Store Protocol features (mf:requires) the server claims. Direct graph
 * identification (a graph named by a request URL below /graph-store/) is not part of the API.
 */
export const CLAIMED_FEATURES = new Set(['IndirectGraphIdentification', 'POSTGraphCreation']);

const PROTOCOL_KINDS = new Set([
  'ProtocolTest',
  'GraphStoreProtocolTest',
  'ServiceDescriptionTest',
]);

export function skipReason(test: TestCase, context: Context): string | undefined {
  if (test.category === 'entailment' || test.entailmentRegimes.length > 0) {
    return 'entailment regime (RDF/RDFS/D/OWL/RIF): the server evaluates simple entailment only';
  }
  if (test.serviceData.length > 0 || test.category === 'service') {
    return 'SERVICE to remote endpoints (example.org): would need second local servers standing in for them';
  }
  if (PROTOCOL_KINDS.has(test.kind) && !context.target.url) {
    return 'protocol-level test: needs an HTTP server';
  }
  const missing = test.requires.filter((feature) => !CLAIMED_FEATURES.has(feature));
  if (missing.length > 0) {
    return `requires mf:${missing.join(', mf:')}, an optional feature the server does not claim`;
  }
  return undefined;
}

export async function runTest(context: Context, test: TestCase): Promise<Verdict> {
  switch (test.kind) {
    case 'QueryEvaluationTest':
    case 'CSVResultFormatTest':
      return runQueryEvaluation(context, test);
    case 'UpdateEvaluationTest':
      return runUpdateEvaluation(context, test);
    case 'PositiveSyntaxTest11':
    case 'NegativeSyntaxTest11':
    case 'PositiveUpdateSyntaxTest11':
    case 'NegativeUpdateSyntaxTest11':
      return runSyntax(context, test);
    case 'ProtocolTest':
      return runProtocolTest(context, test);
    case 'GraphStoreProtocolTest':
      return runGraphStoreTest(context, test);
    case 'ServiceDescriptionTest':
      return runServiceDescriptionTest(context, test);
    default:
      return { ok: false, reason: `unknown test type ${test.kind}` };
  }
}
