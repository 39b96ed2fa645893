/**
 * A minimal SPARQL endpoint over Oxigraph, so that the HTTP figures of both engines include a
 * comparable HTTP layer: node:http, POST /sparql with an application/sparql-query body (or GET
 * ?query=), answered with Oxigraph's own serialisation in the media type of the Accept header.
 *
 * Plain JavaScript started with plain `node`, like the communs-kg server (communs-server.mjs).
 *
 *   node bench/oxigraph-server.mjs --data FILE --port N
 */
import { Buffer } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:http';
import { URL, URLSearchParams } from 'node:url';
import { parseArgs } from 'node:util';
import oxigraph from 'oxigraph';

const BASE_IRI = 'https://w3id.org/communs-kg/';

/** The file in 4 MiB byte chunks (Oxigraph's load takes an iterable). */
function* fileChunks(path, size = 4 << 20) {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(size);
      const read = readSync(fd, buffer, 0, size, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

const SUPPORTED = [
  'application/sparql-results+json',
  'application/sparql-results+xml',
  'text/csv',
  'text/tab-separated-values',
  'application/n-triples',
  'text/turtle',
  'application/n-quads',
];

const { values } = parseArgs({
  options: { data: { type: 'string' }, port: { type: 'string', default: '0' } },
});
const store = new oxigraph.Store();
store.load(fileChunks(values.data), { format: 'application/n-quads' });

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== '/sparql') {
    response.writeHead(404).end();
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const contentType = request.headers['content-type'] ?? '';
    const query =
      request.method === 'POST'
        ? contentType.startsWith('application/x-www-form-urlencoded')
          ? new URLSearchParams(body).get('query')
          : body
        : url.searchParams.get('query');
    if (!query) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('missing query');
      return;
    }
    const accept = request.headers.accept?.split(',')[0]?.split(';')[0]?.trim() ?? '';
    const format = SUPPORTED.includes(accept) ? accept : undefined;
    try {
      const result = store.query(query, {
        base_iri: BASE_IRI,
        use_default_graph_as_union: true,
        results_format: format ?? 'application/sparql-results+json',
      });
      response.writeHead(200, { 'content-type': format ?? 'application/sparql-results+json' });
      response.end(result);
    } catch (error) {
      // A CONSTRUCT asked for in a bindings format (and the reverse): retry in a graph format.
      if (!format) {
        try {
          const result = store.query(query, {
            base_iri: BASE_IRI,
            use_default_graph_as_union: true,
            results_format: 'application/n-triples',
          });
          response.writeHead(200, { 'content-type': 'application/n-triples' }).end(result);
          return;
        } catch {
          // fall through to the first error
        }
      }
      response.writeHead(400, { 'content-type': 'text/plain' }).end(error.message);
    }
  });
});

server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
