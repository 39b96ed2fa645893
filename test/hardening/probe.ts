import { readFileSync } from 'node:fs';
import { startTestServer, ADMIN_TOKEN } from '../helpers/server.js';
const s = await startTestServer({ 'query-timeout-ms': '20000' });
const count = async (label: string, q = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }') => {
  const t0 = performance.now();
  const r = await fetch(`${s.url}/sparql?query=${encodeURIComponent(q)}`, {
    headers: { Accept: 'application/sparql-results+json' },
  });
  console.log(label, r.status, (await r.text()).slice(0, 160), Math.round(performance.now() - t0));
};
await count('before');
const mode = process.argv[2] ?? 'default';
const body = readFileSync('data/people.ttl', 'utf8');
const r = await fetch(
  `${s.url}/graph-store?${mode === 'default' ? 'default' : 'graph=' + encodeURIComponent('https://example.org/g')}`,
  {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/turtle' },
    body,
  },
);
console.log('put', r.status, await r.text());
await count('after');
await count('after2');
await count('ask', 'ASK { ?s ?p ?o }');
await s.close();
