import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { rawRequest } from '../helpers/raw-http.js';
import { startTestServer } from '../helpers/server.js';

/** The web interface's pages as HTML (the browser tests in test/e2e drive them in Chromium). */
describe('web pages', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  const get = (path: string) => request(server.url).get(path).set('Accept', 'text/html');

  it('serves the query page at / and /sparql with the competency questions, under a strict CSP', async () => {
    for (const path of ['/', '/sparql']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.text).toContain('<textarea id="query" name="query"');
      expect(response.text).toContain('value="claims-per-topic"');
      expect(response.text).toContain('src="/assets/vendor/yasqe/yasqe.min.js"');
      // Scripts are files; the only inline one is a JSON data block, which never runs.
      const inline = [...response.text.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
      expect(inline.map((match) => match[1])).toEqual([' type="application/json" id="ui-config"']);
      const csp = response.headers['content-security-policy'] ?? '';
      expect(csp).toMatch(/script-src 'self'(;|$)/);
    }
    const vendor = await request(server.url).get('/assets/vendor/yasr/yasr.min.js');
    expect(vendor.status).toBe(200);
    expect(vendor.type).toBe('text/javascript');
    expect((await request(server.url).get('/assets/missing.js')).status).toBe(404);
  });

  it('searches names and quotes whatever the accents, escaping what was typed', async () => {
    const people = await get('/search?q=STEPHANIE');
    expect(people.text).toMatch(/<a href="\/id\/person\/stephanie-schaer"><strong>/);
    const quote = await get('/search?q=cables%20transatlantiques');
    expect(quote.text).toContain('href="/id/claim/henri-verdier-3"');
    expect(quote.text).toContain('<mark>câbles</mark>');
    const hostile = await get(`/search?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(hostile.status).toBe(200);
    expect(hostile.text).not.toContain('<script>alert');
    expect(hostile.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('speaks French by Accept-Language, by the switch, then by the cookie it sets', async () => {
    const byHeader = await get('/conference').set('Accept-Language', 'fr-FR,fr;q=0.9');
    expect(byHeader.text).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(byHeader.text).toContain('Tables rondes');
    expect(byHeader.headers.vary).toMatch(/Accept-Language/);
    const switched = await get('/conference?lang=en').set('Accept-Language', 'fr');
    expect(switched.text).toContain('Round tables');
    expect(switched.headers['set-cookie']?.[0]).toMatch(/^lang=en;/);
    const remembered = await get('/id/person/henri-verdier')
      .set('Accept-Language', 'en')
      .set('Cookie', 'lang=fr');
    expect(remembered.text).toContain('<h2 id="neighbourhood">Voisinage</h2>');
  });

  it('answers a path starting with "//" without an error, its language switch a local path', async () => {
    // Found by the fuzzer: the language switch read "//" as the start of a host and threw (500).
    for (const path of ['//', '//?q=x', '//evil.example/']) {
      const outcome = await rawRequest(
        server.url,
        { path, headers: { Accept: 'text/html' } },
        10_000,
      );
      expect(outcome.kind).toBe('response');
      if (outcome.kind !== 'response') continue;
      expect({ path, status: outcome.status < 500 }).toEqual({ path, status: true });
      // No link of the page leads to another host.
      expect(outcome.body).not.toMatch(/href="\/\/evil/);
    }
    const page = await rawRequest(
      server.url,
      { path: '//?q=x', headers: { Accept: 'text/html' } },
      10_000,
    );
    expect(page.kind === 'response' && page.status).toBe(200);
    expect(page.kind === 'response' && page.body).toContain('href="/?q=x&amp;lang=fr"');
  });

  it('tells the conference by round table and by topic', async () => {
    const page = (await get('/conference')).text;
    expect(page).toContain('href="/id/person/henri-verdier"');
    expect(page).toContain('Interministerial Digital Director (DINUM)');
    expect(page).toMatch(/id="topic-souverainete"/);
    // Speakers in speaking order, each with the role stated at the event.
    expect(page).toContain('Henri Verdier</span></a> — <span lang="en">Ambassador');
    expect(page.indexOf('Henri Verdier</span></a> —')).toBeLessThan(
      page.indexOf('Stéphanie Schaer</span></a> —'),
    );
  });

  it('draws an entity neighbourhood as SVG links, with history and contribution links', async () => {
    const page = (await get('/id/person/henri-verdier')).text;
    expect(page).toMatch(/<svg\s[^>]*role="group"/);
    expect(page).toContain('<a class="node kind-claim" href="/id/claim/henri-verdier-1">');
    expect(page).toContain(
      'href="/history?entity=https%3A%2F%2Fw3id.org%2Fcommuns-kg%2Fid%2Fperson%2Fhenri-verdier"',
    );
  });

  it('offers the contribution forms and an empty moderation queue', async () => {
    const contribute = (
      await get(
        '/contribute?entity=' + encodeURIComponent('https://w3id.org/communs-kg/id/commons/tchap'),
      )
    ).text;
    expect(contribute).toContain('<select id="claim-speaker" name="speaker" required>');
    expect(contribute).toContain('data-predicate="http://www.w3.org/2000/01/rdf-schema#label"');
    const moderate = (await get('/moderate')).text;
    expect(moderate).toContain('Nothing waits for review.');
  });
});
