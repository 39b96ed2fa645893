import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Accounts } from '../graph/accounts.js';
import type { Changesets } from '../graph/changesets.js';
import type { Dataset } from '../graph/dataset.js';
import type { Reconciler } from '../graph/reconciliation.js';
import { apiRouter } from './api.js';
import { authenticate } from './auth.js';
import { rateLimits } from './rate-limit.js';
import { reconcileRouter } from './reconcile.js';
import type { QueryPolicy } from '../sparql/policy.js';
import type { GraphBackend } from '../sparql/backend.js';
import { sparqlRouter } from './sparql-endpoint.js';
import { updateRouter } from './update-endpoint.js';
import { graphStoreRouter } from './graph-store.js';
import { linkedDataRouter } from './linked-data.js';
import { dumpsRouter } from './dumps.js';
import { languageMiddleware } from './i18n.js';
import { queryPageHandler, uiRouter } from './ui.js';
import { UnserializableError } from '../rdf/serialize.js';
import { RemoteStoreError } from '../store/remote-sparql.js';

export interface AppServices {
  dataset: Dataset;
  changesets: Changesets;
  accounts: Accounts;
  reconciler: Reconciler;
  backend: GraphBackend;
  policy: QueryPolicy;
  settings: Settings;
  unionDefaultGraph: boolean;
  logger: Logger;
}

export function createApp(services: AppServices): express.Express {
  const { dataset, backend, policy, settings, logger } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const given = request.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      // Log the query text's length, never the body: it may carry tokens or large data.
      serializers: {
        req: (request) => ({ id: request.id, method: request.method, url: request.url }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"] },
      },
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );

  // Every route knows who asks: an invalid token is refused here, before any handler.
  app.use(authenticate(services.accounts));
  // Abuse limits on /sparql and on writes, per account or IP address (429 with Retry-After).
  app.use(rateLimits(settings));
  // Pages speak the language of the switch, the cookie or Accept-Language.
  app.use(languageMiddleware);

  const common = { baseIri: settings.baseIri, bodyLimitBytes: settings.bodyLimitBytes };
  app.use(
    '/sparql',
    sparqlRouter({
      ...common,
      queries: backend.queries,
      policy,
      graphNames: () => backend.graphNames(),
      unionDefaultGraph: services.unionDefaultGraph,
      htmlPage: queryPageHandler({ baseIri: settings.baseIri }),
    }),
  );
  const { changesets } = services;
  app.use('/update', updateRouter({ ...common, dataset, changesets, policy }));
  app.use('/graph-store', graphStoreRouter({ ...common, dataset, changesets }));
  app.use(
    '/api',
    apiRouter({
      ...common,
      dataset,
      changesets,
      accounts: services.accounts,
      policy,
      reviewPeriodMonths: settings.reviewPeriodMonths,
    }),
  );
  app.use('/reconcile', reconcileRouter({ ...common, reconciler: services.reconciler }));
  app.use(uiRouter({ store: backend.reads, changesets, baseIri: settings.baseIri }));
  app.use(linkedDataRouter({ store: backend.reads, settings }));
  app.use(dumpsRouter({ store: backend.reads, settings }));
  app.get('/healthz', async (_request, response) => {
    response.json({ status: 'ok', triples: await backend.size() });
  });

  // Never leak a stack trace: log it, answer with a plain message.
  app.use((error: Error, request: Request, response: Response, _next: NextFunction) => {
    // The store's own status (RemoteStoreError#status) is not ours to answer with.
    const status =
      error instanceof UnserializableError
        ? 406
        : error instanceof RemoteStoreError
          ? 503
          : ((error as { status?: number }).status ?? 500);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const message =
      status === 413
        ? `Request body too large: the limit is ${settings.bodyLimitBytes} bytes.`
        : status === 503 && error instanceof RemoteStoreError
          ? `The graph store did not answer (${error.kind}); nothing was changed. Try again later.`
          : status >= 500 && status !== 503
            ? 'Internal error.'
            : error.message;
    response.status(status).type('text/plain').send(`${message}\n`);
  });
  return app;
}
