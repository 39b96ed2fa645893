import express, { type NextFunction, type Request, type Response } from 'express';
import type { SparqlEngine } from '../sparql/engine.js';
import type { GraphStore } from '../store/graph-store.js';
import { sparqlRouter } from './sparql-endpoint.js';

export interface AppServices {
  store: GraphStore;
  engine: SparqlEngine;
}

export function createApp({ store, engine }: AppServices): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use('/sparql', sparqlRouter(engine));
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok', triples: store.size });
  });
  // Never leak a stack trace: log it, answer with a plain message.
  app.use((error: Error, _request: Request, response: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) console.error(error);
    if (!response.headersSent) {
      response
        .status(status)
        .type('text/plain')
        .send(status >= 500 ? 'Internal error\n' : `${error.message}\n`);
    }
  });
  return app;
}
