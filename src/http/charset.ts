import type { NextFunction, Request, Response } from 'express';

/**
 * Request bodies are read as UTF-8 (SPARQL 1.1 Protocol §2.1.2/2.2.2 require it): one that
 * declares another charset is refused with 415 rather than misread.
 */
export function requireUtf8Body(request: Request, response: Response, next: NextFunction): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.get('content-type') ?? '')?.[1];
  if (charset && !/^(utf-?8|us-ascii)$/i.test(charset)) {
    response
      .status(415)
      .type('text/plain')
      .send(`Unsupported charset "${charset}": send the body in UTF-8.\n`);
    return;
  }
  next();
}

/**
 * Media-type parameters such as `charset=utf-8` in Accept would make Express's negotiation
 * refuse every offered type that lacks them; they do not change what the client can read.
 */
export function acceptWithoutCharset(request: Request): void {
  const accept = request.headers.accept;
  if (accept) request.headers.accept = accept.replace(/;\s*charset\s*=\s*[^,;]+/gi, '');
}
