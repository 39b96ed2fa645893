import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { Catalogue } from '../graph/catalogue.js';
import type { Changesets } from '../graph/changesets.js';
import { ClassIndex } from '../graph/classes.js';
import { ConferenceReader } from '../graph/conference.js';
import { EntitySearch } from '../graph/search.js';
import { catalogueScope, labelsScope, projectScope, searchScope } from '../graph/scopes.js';
import { isIriRef } from '../store/ntriples.js';
import { PROJECT_ROOT } from '../paths.js';
import type { GraphReads } from '../store/graph-reads.js';
import { loadExamples, type ExampleQuery } from './examples.js';
import { html } from './html.js';
import { messagesFor, pageLanguage, sendPage } from './i18n.js';
import { hrefFor } from './iri-paths.js';
import { changesetListPage, type ChangesetContext } from './pages/changesets.js';
import { conferenceListPage, conferencePage } from './pages/conference.js';
import { contributePage } from './pages/contribute.js';
import { queryPage } from './pages/query.js';
import { searchPage } from './pages/search.js';
import { dataBlock, scriptMessages, sessionPanel } from './pages/session.js';

export interface UiDeps {
  store: GraphReads;
  changesets: Changesets;
  baseIri: string;
  /** The example queries (default: queries/*.rq and the CONSTRUCT example). */
  examples?: ExampleQuery[];
}

const require = createRequire(import.meta.url);
/** The directory of an npm package's browser bundle, served as is under /assets/vendor/. */
const bundleDirectory = (name: string) => dirname(require.resolve(name));

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Renders the query page for a request: used by `/` and by `/sparql` for browsers. */
export type QueryPageHandler = (request: Request, response: Response, endpoint: string) => void;

export function queryPageHandler(deps: Pick<UiDeps, 'baseIri' | 'examples'>): QueryPageHandler {
  const examples = deps.examples ?? loadExamples();
  return (request, response, endpoint) => {
    sendPage(
      response,
      queryPage({
        examples,
        selected: text(request.query.example),
        text: text(request.query.query),
        endpoint,
        baseIri: deps.baseIri,
        language: pageLanguage(response),
        url: request.originalUrl,
      }),
    );
  };
}

/**
 * The web interface: static assets (the project's scripts and styles, YASQE and YASR from npm),
 * the query page at `/`, search, the conference page, contributing, moderating, recent changes
 * and entity history. Pages are rendered on the server; scripts only add editing and the calls
 * to the JSON API that need a token.
 */
export function uiRouter(deps: UiDeps): Router {
  const router = express.Router();
  const { store, changesets, baseIri } = deps;
  // Each page's readers read a view scoped to it (graph/scopes.ts): the embedded store's index
  // as it is, a remote store's answer to one query per page.
  const view = (scope: string) => store.view(scope);
  const showQueryPage = queryPageHandler(deps);
  const staticOptions = { fallthrough: false, index: false, maxAge: '1h' } as const;

  for (const name of ['yasqe', 'yasr']) {
    const directory = bundleDirectory(`@zazuko/${name}`);
    router.use(`/assets/vendor/${name}`, express.static(directory, staticOptions));
  }
  router.use('/assets', express.static(join(PROJECT_ROOT, 'web'), staticOptions));

  const changesetContext = async (response: Response): Promise<ChangesetContext> => {
    const classes = new ClassIndex(await view(labelsScope(baseIri)));
    return { baseIri, language: pageLanguage(response), labelsOf: (iri) => classes.labelsOf(iri) };
  };

  router.get('/', (request, response) => {
    const endpoint = `${request.protocol}://${request.get('host')}/sparql`;
    showQueryPage(request, response, endpoint);
  });

  router.get('/search', async (request, response) => {
    const query = (text(request.query.q) ?? '').slice(0, 200);
    const search = new EntitySearch(await view(searchScope(baseIri)), baseIri);
    sendPage(
      response,
      searchPage(query, search.search(query), {
        baseIri,
        language: pageLanguage(response),
        url: request.originalUrl,
      }),
    );
  });

  router.get('/conference', async (request, response) => {
    const context = { baseIri, language: pageLanguage(response), url: request.originalUrl };
    // Not scoped yet: the whole project graph.
    const conferences = new ConferenceReader(await view(projectScope(baseIri)), baseIri);
    const list = conferences.list();
    const iri = text(request.query.iri) ?? (list.length === 1 ? list[0]?.iri : undefined);
    const overview = iri ? conferences.read(iri) : undefined;
    if (overview) sendPage(response, conferencePage(overview, context));
    else sendPage(response, conferenceListPage(list, context), iri ? 404 : 200);
  });

  router.get('/contribute', async (request, response) => {
    const entity = text(request.query.entity);
    const asked = entity !== undefined && isIriRef(entity) ? entity : undefined;
    const catalogue = new Catalogue(await view(catalogueScope(baseIri, asked)), baseIri);
    const known = entity && catalogue.correctable().some((ref) => ref.iri === entity);
    sendPage(
      response,
      contributePage(
        {
          people: catalogue.people(),
          topics: catalogue.topics(),
          mentionable: catalogue.mentionable(),
          sources: catalogue.sources(),
          interventions: catalogue.interventions(),
          correctable: catalogue.correctable(),
        },
        {
          speaker: text(request.query.speaker),
          entity: known
            ? { iri: entity, statements: catalogue.literalStatements(entity) }
            : undefined,
        },
        { baseIri, language: pageLanguage(response), url: request.originalUrl },
      ),
    );
  });

  router.get('/moderate', async (request, response) => {
    const language = pageLanguage(response);
    const m = messagesFor(language).moderate;
    const pending = changesets
      .list({ status: 'pending', limit: 200, offset: 0 })
      .changesets.reverse();
    const review = (changeset: { id: number }) =>
      html`<form class="review" data-id="${changeset.id}" novalidate>
        <fieldset class="needs-session" data-role="moderator" disabled>
          <div class="field">
            <label for="reason-${changeset.id}">${m.reason}</label>
            <input id="reason-${changeset.id}" name="reason" size="40" />
          </div>
          <button type="submit" name="decision" value="accept">${m.accept}</button>
          <button type="submit" name="decision" value="reject" class="danger">${m.reject}</button>
        </fieldset>
        <p class="form-status" role="status" aria-live="polite"></p>
      </form>`;
    sendPage(
      response,
      changesetListPage(pending, await changesetContext(response), {
        url: request.originalUrl,
        title: m.title,
        intro: html`<p>${m.intro}</p>`,
        before: html`${sessionPanel(language)}${dataBlock('ui-config', { baseIri, messages: scriptMessages(language) })}`,
        empty: m.none,
        review,
        scripts: ['/assets/moderate.js'],
      }),
    );
  });

  router.get('/changes', async (request, response) => {
    const m = messagesFor(pageLanguage(response)).changes;
    sendPage(
      response,
      changesetListPage(changesets.recent(50), await changesetContext(response), {
        url: request.originalUrl,
        title: m.title,
        intro: html`<p>
          ${m.intro} <a href="/api/changes.atom" type="application/atom+xml">${m.feed}</a>
        </p>`,
        empty: m.none,
      }),
    );
  });

  router.get('/history', async (request, response) => {
    const m = messagesFor(pageLanguage(response)).history;
    const entity = text(request.query.entity) ?? '';
    const context = await changesetContext(response);
    const labels = context.labelsOf(entity);
    const name = labels.fr ?? labels.en ?? labels.other ?? entity;
    const path = hrefFor(entity, baseIri);
    sendPage(
      response,
      changesetListPage(changesets.historyOf(entity), context, {
        url: request.originalUrl,
        title: `${m.of} ${name}`,
        intro: path
          ? html`<p><a href="${path}">${name}</a> · <code>${entity}</code></p>`
          : undefined,
        empty: m.none,
      }),
    );
  });

  return router;
}
