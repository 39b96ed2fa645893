/**
 * The HTTP-in-RDF description of protocol tests (ht:Request, ht:Response, cnt:ContentAsText, plus
 * the suite's mf:expectedStatus / mf:expectedBoolean / mf:expectedFormat / mf:expectedLocation).
 */
import type { Term } from 'n3';
import { NS, type ManifestGraph } from './manifest.js';

export interface HttpResponseSpec {
  /** Status codes or classes, as local names of hts: terms: "OK", "Created", "StatusCode2xx"… */
  statuses: string[];
  boolean?: boolean;
  /** "boolean", "tabular" or "RDF". */
  format?: string;
  /** Template variable to bind to the Location header (e.g. "$LOCATION$"). */
  location?: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpRequestSpec {
  method: string;
  /** As in the manifest, starting with /sparql/ or /gsp. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** cnt:characterEncoding of the body, UTF-8 unless stated. */
  encoding: string;
  response: HttpResponseSpec;
}

export function readHttpRequests(graph: ManifestGraph, connection: Term): HttpRequestSpec[] {
  return graph
    .list(graph.object(connection, `${NS.ht}requests`))
    .map((request) => readRequest(graph, request));
}

function readRequest(graph: ManifestGraph, request: Term): HttpRequestSpec {
  const body = graph.object(request, `${NS.ht}body`);
  const response = graph.object(request, `${NS.ht}resp`);
  return {
    method: graph.value(request, `${NS.ht}methodName`) ?? 'GET',
    path: graph.value(request, `${NS.ht}absolutePath`) ?? '/',
    headers: readHeaders(graph, request),
    body: body ? graph.value(body, `${NS.cnt}chars`) : undefined,
    encoding: (body && graph.value(body, `${NS.cnt}characterEncoding`)) ?? 'UTF-8',
    response: response ? readResponse(graph, response) : { statuses: [], headers: {} },
  };
}

function readResponse(graph: ManifestGraph, response: Term): HttpResponseSpec {
  const body = graph.object(response, `${NS.ht}body`);
  const boolean = graph.value(response, `${NS.mf}expectedBoolean`);
  return {
    statuses: graph
      .objects(response, `${NS.mf}expectedStatus`)
      .map((term) => term.value.replace(NS.hts, '')),
    boolean: boolean === undefined ? undefined : boolean === 'true',
    format: graph.value(response, `${NS.mf}expectedFormat`),
    location: graph.value(response, `${NS.mf}expectedLocation`),
    headers: readHeaders(graph, response),
    body: body ? graph.value(body, `${NS.cnt}chars`) : undefined,
  };
}

function readHeaders(graph: ManifestGraph, message: Term): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of graph.list(graph.object(message, `${NS.ht}headers`))) {
    const name = graph.value(header, `${NS.ht}fieldName`);
    const value = graph.value(header, `${NS.ht}fieldValue`);
    if (name && value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** Whether an HTTP status matches one of the expected hts: terms. */
export function statusMatches(status: number, expected: readonly string[]): boolean {
  if (expected.length === 0) return true;
  return expected.some((name) => {
    const range = /^StatusCode(\d)xx$/.exec(name);
    if (range) return Math.floor(status / 100) === Number(range[1]);
    return STATUS_NAMES[name] === status;
  });
}

const STATUS_NAMES: Record<string, number> = {
  OK: 200,
  Created: 201,
  Accepted: 202,
  NoContent: 204,
  BadRequest: 400,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
};
