import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { startTestServer } from '../helpers/server.js';

describe('the full server mounts every route', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it.each([
    ['/id/person/henri-verdier', 'text/html', 200, 'text/html'],
    ['/id/person/henri-verdier', 'text/turtle', 200, 'text/turtle'],
    ['/id/person/nobody', 'text/html', 404, 'text/html'],
    ['/ontology', 'text/html', 200, 'text/html'],
    ['/topic/gouvernance', 'application/ld+json', 200, 'application/ld+json'],
    ['/export/dump.nq', '*/*', 200, 'application/n-quads'],
    ['/.well-known/void', 'text/turtle', 200, 'text/turtle'],
    ['/healthz', '*/*', 200, 'application/json'],
  ])('GET %s (%s) → %d', async (path, accept, status, type) => {
    const response = await request(server.url).get(path).set('Accept', accept);
    expect(response.status).toBe(status);
    expect(response.type).toBe(type);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
