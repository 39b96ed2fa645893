/**
 * The communs-kg server on a generated graph: the file's quads in a GraphStore, then the project's
 * startServer (Express, query workers each loading a replica of the store). Quiet logs, the given
 * time limit, no row bound, so that large results are compared whole, and no rate limit.
 *
 * Plain JavaScript on the build (dist/, `npm run build`), started with plain `node` as `npm start`
 * is: a TypeScript loader (tsx) in the process and in its worker threads would add seconds of
 * module loading to the cold start.
 *
 *   node bench/communs-server.mjs --data FILE --port N --timeout MS
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { StreamParser } from 'n3';
import { resolveSettings } from '../dist/config/settings.js';
import { startServer } from '../dist/http/server.js';
import { GraphStore } from '../dist/store/graph-store.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '0' },
    timeout: { type: 'string', default: '30000' },
  },
});
const store = new GraphStore();
await new Promise((resolve, reject) => {
  const parser = new StreamParser({ format: 'application/n-quads' });
  parser.on('data', (quad) => store.index.addQuad(quad));
  parser.on('error', reject);
  parser.on('end', resolve);
  createReadStream(values.data).on('error', reject).pipe(parser);
});
const settings = resolveSettings(
  {
    port: values.port,
    host: '127.0.0.1',
    'log-level': 'silent',
    'query-timeout-ms': values.timeout,
    'max-rows': '0',
    // A benchmark is not an abuse: no rate limit.
    'rate-limit-sparql': '0',
    'rate-limit-writes': '0',
  },
  process.env,
);
const server = await startServer(settings, { store });
process.stdout.write(`ready ${server.url}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
