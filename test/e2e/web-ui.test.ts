import type { Page } from 'playwright-core';
import type { RunningServer } from '../../src/http/server.js';
import { addUser, type Account } from '../helpers/collab-helpers.js';
import { BASE } from '../helpers/project.js';
import { startTestServer } from '../helpers/server.js';
import { launchBrowser, screenshot, type Browser } from './browser.js';

const VERDIER = `${BASE}id/person/henri-verdier`;
const run = Date.now().toString(36);
const ACCEPTED_TEXT = `Les communs numériques se gouvernent ensemble, essai ${run}.`;
const REJECTED_TEXT = `Phrase inventée qui ne doit pas entrer, essai ${run}.`;

describe('the web interface in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let contributor: Account;
  let moderator: Account;
  const url = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    server = await startTestServer();
    contributor = await addUser(server.url, `camille-${run}`, 'contributor');
    moderator = await addUser(server.url, `dominique-${run}`, 'moderator');
    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (error) => {
      throw error;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = async (account: Account) => {
    if (await page.locator('#signed-in').isVisible()) await page.click('#sign-out');
    await page.fill('#token', account.token);
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#user-name', { hasText: account.name }).waitFor();
  };

  /** Proposes a claim by Henri Verdier as the contributor; returns its changeset number. */
  const proposeClaim = async (text: string, title: string): Promise<number> => {
    await page.goto(url(`/contribute?speaker=${encodeURIComponent(VERDIER)}`));
    await signIn(contributor);
    await page.locator('#claim-form fieldset.needs-session:not([disabled])').waitFor();
    await page.fill('#claim-text', text);
    await page.fill('#claim-label-fr', `Henri Verdier : ${title}`);
    await page.fill('#claim-label-en', `Henri Verdier: ${title}`);
    await page.selectOption('#claim-topics', [
      'https://w3id.org/communs-kg/topic/gouvernance',
      'https://w3id.org/communs-kg/topic/souverainete',
    ]);
    await page.selectOption('#claim-mentions', `${BASE}id/commons/wikipedia`);
    await page.fill('#claim-message', `e2e ${run}`);
    await page.click('#claim-form button[type="submit"]');
    const status = page.locator('#claim-form .form-status:not(:empty)');
    await status.waitFor();
    expect(await status.textContent()).toMatch(/^Submitted as changeset #\d+/);
    return Number(await status.getAttribute('data-changeset'));
  };

  it('runs an example query and shows its rows, with download links', async () => {
    await page.goto(url('/'));
    await page.selectOption('#example', 'claims-of-a-speaker');
    await page.click('#load-example');
    await page.click('#run');
    const rows = page.locator('#yasr table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(3);
    await expect(
      page.locator('#downloads a', { hasText: 'csv' }).getAttribute('href'),
    ).resolves.toMatch(/^\/sparql\?query=.*format=csv$/);
    await screenshot(page, 'query');
  });

  it('opens an entity page from a result', async () => {
    await page.locator('#yasr table tbody a[href^="/id/claim/"]').first().click();
    await page.waitForURL(/\/id\/claim\/remy-gerbet-\d+$/);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/Rémy Gerbet/);
    await expect(page.locator('.in-source mark').count()).resolves.toBe(1);
    await screenshot(page, 'claim');
  });

  it('searches "verdier" and reaches Henri Verdier, his neighbourhood drawn', async () => {
    await page.fill('#site-search', 'verdier');
    await page.press('#site-search', 'Enter');
    await page.waitForURL(/\/search\?q=verdier/);
    await screenshot(page, 'search');
    await page.getByRole('link', { name: 'Henri Verdier', exact: true }).click();
    await page.waitForURL(/\/id\/person\/henri-verdier$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Henri Verdier');
    const nodes = page.locator('figure.graph svg a.node');
    expect(await nodes.count()).toBeGreaterThan(5);
    await screenshot(page, 'entity');
  });

  it('finds people whatever the accents', async () => {
    await page.goto(url('/search?q=STEPHANIE%20schaer'));
    await page.getByRole('link', { name: 'Stéphanie Schaer', exact: true }).waitFor();
  });

  let acceptedId: number;
  it('submits a claim as a contributor', async () => {
    acceptedId = await proposeClaim(ACCEPTED_TEXT, 'gouverner les communs ensemble');
    expect(acceptedId).toBeGreaterThan(0);
    await screenshot(page, 'contribute');
  });

  it('accepts it as a moderator, from a readable diff', async () => {
    await page.goto(url('/moderate'));
    await signIn(moderator);
    const item = page.locator(`#changeset-${acceptedId}`);
    await item.locator('table.diff', { hasText: ACCEPTED_TEXT }).waitFor();
    await expect(item.locator('table.diff').textContent()).resolves.toContain('Henri Verdier');
    await screenshot(page, 'moderate');
    await item.locator('input[name="reason"]').fill('Checked against the recording');
    await item.getByRole('button', { name: 'Accept' }).click();
    await item.locator('.form-status', { hasText: 'Accepted.' }).waitFor();
    await expect(item.locator('.badge').textContent()).resolves.toBe('accepted');
  });

  it('shows the accepted claim on the entity page and in a SPARQL result', async () => {
    await page.goto(url('/id/person/henri-verdier'));
    await page.locator('blockquote', { hasText: ACCEPTED_TEXT }).waitFor();
    const query = `PREFIX ck: <https://w3id.org/communs-kg/ontology#>
SELECT ?claim ?text WHERE { ?claim ck:claimant <${VERDIER}> ; ck:text ?text FILTER(CONTAINS(?text, "${run}")) }`;
    await page.goto(url(`/?query=${encodeURIComponent(query)}`));
    await page.click('#run');
    await page.locator('#yasr table tbody td', { hasText: ACCEPTED_TEXT }).waitFor();
    // The new claim's page, then its history: the changeset that added it.
    await page.goto(url('/id/person/henri-verdier'));
    await page.locator('article.utterance', { hasText: ACCEPTED_TEXT }).locator('h3 a').click();
    await page.waitForURL(/\/id\/claim\/henri-verdier-/);
    await page.getByRole('link', { name: 'History of changes' }).click();
    await page
      .locator(`#changeset-${acceptedId}`, { hasText: 'Checked against the recording' })
      .waitFor();
    await screenshot(page, 'history');
  });

  it('rejects another claim with a reason, which then shows in recent changes', async () => {
    const rejectedId = await proposeClaim(REJECTED_TEXT, 'phrase inventée');
    await page.goto(url('/moderate'));
    await signIn(moderator);
    const item = page.locator(`#changeset-${rejectedId}`);
    await item.getByRole('button', { name: 'Reject' }).click();
    await item.locator('.form-status', { hasText: 'A rejection needs a reason.' }).waitFor();
    await item.locator('input[name="reason"]').fill('Not in the source');
    await item.getByRole('button', { name: 'Reject' }).click();
    await item.locator('.form-status', { hasText: 'Rejected.' }).waitFor();
    await page.goto(url('/changes'));
    await page.locator(`#changeset-${rejectedId}`, { hasText: 'Not in the source' }).waitFor();
    await screenshot(page, 'changes');
    await page.goto(url('/id/person/henri-verdier'));
    await expect(page.content()).resolves.not.toContain(REJECTED_TEXT);
  });

  it('draws a CONSTRUCT result as a graph', async () => {
    await page.goto(url('/?example=network-speakers-commons'));
    await page.click('#run');
    await page.locator('#yasr figure.graph svg a.node').first().waitFor();
    await screenshot(page, 'construct');
  });

  it('switches to French and back', async () => {
    await page.goto(url('/conference'));
    await page.getByRole('link', { name: 'Français' }).click();
    await page.locator('h2', { hasText: 'Tables rondes' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await screenshot(page, 'conference-fr');
    await page.getByRole('link', { name: 'English' }).click();
    await page.locator('h2', { hasText: 'Round tables' }).waitFor();
    await screenshot(page, 'conference');
  });

  it('can be used with the keyboard: skip link, labelled search box', async () => {
    await page.goto(url('/id/person/henri-verdier'));
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.textContent')).resolves.toBe(
      'Skip to content',
    );
    await page.getByLabel('Search the graph').fill('wikimedia');
    await page.keyboard.press('Enter');
    await page
      .getByRole('link', { name: /^Wikim[ée]dia France$/ })
      .first()
      .waitFor();
  });
});

describe('the entity and conference pages without JavaScript', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the conference, searches and opens an entity with its picture', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/conference`);
    await page.locator('h2', { hasText: 'What was said, by topic' }).waitFor();
    await page.fill('#site-search', 'slamich');
    await page.press('#site-search', 'Enter');
    await page.getByRole('link', { name: 'Pierre Slamich', exact: true }).click();
    await page.locator('figure.graph svg a.node').first().waitFor();
    await page.locator('blockquote').first().waitFor();
    await screenshot(page, 'entity-no-js');
  });
});
