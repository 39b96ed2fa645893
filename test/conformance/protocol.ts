/**
 * Protocol-level tests, replayed over HTTP: SPARQL Protocol (ht:Request exchanges addressed to
 * /sparql/, sent to /sparql for queries and /update for updates), Graph Store Protocol (/gsp →
 * /graph-store) and service description (GET /sparql without a query).
 */
import type { Quad, Term } from 'n3';
import { compareGraphs, type Verdict } from './compare.js';
import { prepareStore, firstLine, type Context } from './evaluate.js';
import { statusMatches, type HttpRequestSpec } from './http-spec.js';
import { HttpTarget } from './http-target.js';
import type { TestCase } from './manifest.js';
import {
  isGraphSyntax,
  parseGraph,
  parseResult,
  syntaxFromMediaType,
  type ResultSyntax,
} from './results.js';
import type { Reply } from './target.js';

const SD = 'http://www.w3.org/ns/sparql-service-description#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const TABULAR_SYNTAXES = new Set<ResultSyntax>(['srx', 'srj', 'csv', 'tsv']);

function httpTarget(context: Context): HttpTarget {
  if (!(context.target instanceof HttpTarget))
    throw new Error('protocol tests need the HTTP server');
  return context.target;
}

function encodeBody(text: string, encoding: string): Buffer {
  if (/^utf-?16/i.test(encoding))
    return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return Buffer.from(text, 'utf8');
}

/** Whether a request addressed to the protocol's single /sparql/ endpoint is an update. */
function isUpdate(request: HttpRequestSpec, test: TestCase): boolean {
  const contentType = request.headers['content-type'] ?? '';
  const query = new URLSearchParams(request.path.replace(/^[^?]*\??/, ''));
  const form = contentType.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(request.body ?? '')
    : new URLSearchParams();
  if (contentType.startsWith('application/sparql-update')) return true;
  if (contentType.startsWith('application/sparql-query')) return false;
  if (
    ['update', 'using-graph-uri', 'using-named-graph-uri'].some(
      (name) => query.has(name) || form.has(name),
    )
  ) {
    return true;
  }
  if (query.has('query') || form.has('query')) return false;
  // No media type, or a wrong one: the test's name says which operation it invokes.
  return /\bupdate\b/i.test(test.name) || (request.body ?? '').startsWith('update=');
}

async function send(
  target: HttpTarget,
  path: string,
  request: HttpRequestSpec,
  body: string | undefined,
  auth: boolean,
): Promise<Reply> {
  const headers: Record<string, string> = { ...request.headers };
  if (auth) headers.authorization = `Bearer ${target.token}`;
  return target.send(path, {
    method: request.method,
    headers,
    body:
      body === undefined || request.method === 'GET' || request.method === 'HEAD'
        ? undefined
        : encodeBody(body, request.encoding),
  });
}

function checkStatus(index: number, reply: Reply, expected: readonly string[]): string | undefined {
  if (statusMatches(reply.status, expected)) return undefined;
  return `request ${index + 1}: expected ${expected.join(' or ')}, got ${reply.status} ${firstLine(reply.body)}`;
}

async function checkSparqlResponse(
  reply: Reply,
  request: HttpRequestSpec,
): Promise<string | undefined> {
  const { boolean, format } = request.response;
  if (boolean === undefined && format === undefined) return undefined;
  const syntax = syntaxFromMediaType(reply.contentType);
  if (!syntax) return `unexpected media type ${reply.contentType ?? '(none)'}`;
  if (format === 'RDF')
    return isGraphSyntax(syntax) ? undefined : `expected RDF, got ${reply.contentType}`;
  if (!TABULAR_SYNTAXES.has(syntax)) return `expected query results, got ${reply.contentType}`;
  if (format === 'boolean' && syntax !== 'srx' && syntax !== 'srj') {
    return `expected a boolean result format, got ${reply.contentType}`;
  }
  if (boolean === undefined) return undefined;
  const result = await parseResult(reply.body, syntax, 'urn:x-conformance:protocol');
  if (result.type !== 'boolean') return `expected a boolean result, got ${result.type}`;
  return result.value === boolean ? undefined : `expected ${boolean}, got ${result.value}`;
}

export async function runProtocolTest(context: Context, test: TestCase): Promise<Verdict> {
  const target = httpTarget(context);
  await prepareStore(context, test.action);
  for (const [index, request] of test.requests.entries()) {
    const update = isUpdate(request, test);
    const path = request.path.replace(/^\/sparql\/?/, update ? '/update' : '/sparql');
    const reply = await send(target, path, request, request.body, update);
    const problem =
      checkStatus(index, reply, request.response.statuses) ??
      (await checkSparqlResponse(reply, request));
    if (problem) return { ok: false, reason: `${request.method} ${path.slice(0, 60)}: ${problem}` };
  }
  return { ok: true };
}

function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

async function checkGraphStoreResponse(
  reply: Reply,
  request: HttpRequestSpec,
): Promise<string | undefined> {
  const expectedType = request.response.headers['content-type'];
  if (expectedType && mediaType(expectedType) !== mediaType(reply.contentType)) {
    return `expected Content-Type ${expectedType}, got ${reply.contentType ?? '(none)'}`;
  }
  if (request.response.body === undefined || request.method === 'HEAD') return undefined;
  const expectedSyntax = syntaxFromMediaType(expectedType ?? 'text/turtle');
  const actualSyntax = syntaxFromMediaType(reply.contentType);
  if (!isGraphSyntax(expectedSyntax) || !isGraphSyntax(actualSyntax)) {
    return `unreadable graph of type ${reply.contentType ?? '(none)'}`;
  }
  const base = 'urn:x-conformance:gsp';
  const expected = await parseGraph(request.response.body, expectedSyntax, base);
  const actual = await parseGraph(reply.body, actualSyntax, base);
  const verdict = compareGraphs(expected, actual);
  return verdict.ok ? undefined : verdict.reason;
}

export async function runGraphStoreTest(context: Context, test: TestCase): Promise<Verdict> {
  const target = httpTarget(context);
  await target.reset();
  const variables = new Map<string, string>();
  const fill = (text: string) =>
    [...variables].reduce((result, [name, value]) => result.split(name).join(value), text);
  for (const [index, request] of test.requests.entries()) {
    const path = fill(request.path).replace(/^\/gsp/, '/graph-store');
    const reply = await send(
      target,
      path,
      request,
      request.body === undefined ? undefined : fill(request.body),
      true,
    );
    const problem =
      checkStatus(index, reply, request.response.statuses) ??
      (await checkGraphStoreResponse(reply, request));
    if (problem) return { ok: false, reason: `${request.method} ${path.slice(0, 70)}: ${problem}` };
    const variable = request.response.location;
    if (variable) {
      if (!reply.location) return { ok: false, reason: `request ${index + 1}: no Location header` };
      variables.set(variable, new URL(reply.location, target.url).href);
    }
  }
  return { ok: true };
}

export async function runServiceDescriptionTest(
  context: Context,
  test: TestCase,
): Promise<Verdict> {
  const target = httpTarget(context);
  const endpoint = `${target.url}/sparql`;
  const reply = await target.send('/sparql', {
    headers: { accept: 'text/turtle, application/n-triples;q=0.9, application/ld+json;q=0.8' },
  });
  if (reply.status !== 200)
    return { ok: false, reason: `GET /sparql answered ${reply.status}: ${firstLine(reply.body)}` };
  const syntax = syntaxFromMediaType(reply.contentType);
  if (!isGraphSyntax(syntax)) {
    return {
      ok: false,
      reason: `GET /sparql answered ${reply.contentType ?? '(no type)'}, not RDF`,
    };
  }
  const quads = await parseGraph(reply.body, syntax, endpoint);
  const local = test.iri.replace(/^.*#/, '');
  if (local === 'returns-rdf')
    return quads.length > 0 ? { ok: true } : { ok: false, reason: 'empty description' };
  const services = quads
    .filter((quad) => quad.predicate.value === `${SD}endpoint` && quad.object.value === endpoint)
    .map((quad) => quad.subject);
  if (local === 'has-endpoint-triple') {
    return services.length > 0
      ? { ok: true }
      : { ok: false, reason: `no sd:endpoint <${endpoint}> triple` };
  }
  return conformsToSchema(quads, services);
}

/** The service-description schema's requirements: a typed sd:Service, its languages, IRIs where IRIs go. */
function conformsToSchema(quads: Quad[], services: Term[]): Verdict {
  const [service] = services;
  if (!service) return { ok: false, reason: 'no sd:Service with this endpoint' };
  const about = quads.filter((quad) => quad.subject.equals(service));
  if (
    !about.some((quad) => quad.predicate.value === RDF_TYPE && quad.object.value === `${SD}Service`)
  ) {
    return { ok: false, reason: 'the endpoint is not typed sd:Service' };
  }
  const languages = about.filter((quad) => quad.predicate.value === `${SD}supportedLanguage`);
  const known = [`${SD}SPARQL10Query`, `${SD}SPARQL11Query`, `${SD}SPARQL11Update`];
  if (languages.length === 0 || !languages.every((quad) => known.includes(quad.object.value))) {
    return { ok: false, reason: 'sd:supportedLanguage missing or not an sd: language' };
  }
  const iriValued = [
    'resultFormat',
    'inputFormat',
    'feature',
    'extensionFunction',
    'extensionAggregate',
  ];
  const literal = about.find(
    (quad) =>
      iriValued.some((name) => quad.predicate.value === `${SD}${name}`) &&
      quad.object.termType !== 'NamedNode',
  );
  if (literal) return { ok: false, reason: `${literal.predicate.value} must be an IRI` };
  return { ok: true };
}
