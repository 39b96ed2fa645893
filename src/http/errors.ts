import type { Request, Response } from 'express';

/**
 * Sends an error in the style of the endpoint: JSON under /api (`{ "error": message, ...details }`),
 * plain text on the SPARQL and Graph Store endpoints, whose clients show the text as is.
 */
export function sendError(
  request: Request,
  response: Response,
  status: number,
  message: string,
  details: Record<string, unknown> = {},
): void {
  response.status(status);
  if (request.baseUrl.startsWith('/api')) {
    response.json({ error: message, ...details });
    return;
  }
  response.type('text/plain').send(`${message}\n`);
}
