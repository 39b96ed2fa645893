import type { NextFunction, Request, Response } from 'express';
import type { PageLanguage } from './html.js';
import { MESSAGES, type Messages } from './messages.js';

export const LANGUAGES: readonly PageLanguage[] = ['en', 'fr'];
const COOKIE = 'lang';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

const isLanguage = (value: unknown): value is PageLanguage =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

function cookieLanguage(request: Request): PageLanguage | undefined {
  const header = request.headers.cookie ?? '';
  const match = /(?:^|;\s*)lang=(en|fr)(?:;|$)/.exec(header);
  return match ? (match[1] as PageLanguage) : undefined;
}

/**
 * The interface language of a page: `?lang=` (the switch, remembered in a cookie), else the
 * cookie, else the browser's Accept-Language, else English.
 */
export function chooseLanguage(request: Request): PageLanguage {
  const asked = request.query.lang;
  if (isLanguage(asked)) return asked;
  const remembered = cookieLanguage(request);
  if (remembered) return remembered;
  const accepted = request.acceptsLanguages(...LANGUAGES);
  return isLanguage(accepted) ? accepted : 'en';
}

/** Middleware: decides the language once per request and remembers a switch in a cookie. */
export function languageMiddleware(request: Request, response: Response, next: NextFunction) {
  const language = chooseLanguage(request);
  if (isLanguage(request.query.lang)) {
    response.cookie(COOKIE, language, {
      path: '/',
      sameSite: 'lax',
      maxAge: ONE_YEAR_SECONDS * 1000,
    });
  }
  response.locals.language = language;
  next();
}

/** The language the middleware chose (English where it did not run). */
export function pageLanguage(response: Response): PageLanguage {
  const language: unknown = response.locals.language;
  return isLanguage(language) ? language : 'en';
}

export function messagesFor(language: PageLanguage): Messages {
  return MESSAGES[language];
}

/** Sends a page that depends on the language: caches must key it on what chose the language. */
export function sendPage(response: Response, markup: string, status = 200): void {
  response.vary('Accept-Language');
  response.vary('Cookie');
  response.status(status).type('text/html').send(markup);
}

/** The current URL with `lang` set: the target of the language switch. */
export function withLanguage(url: string, language: PageLanguage): string {
  // "//x" would read as a host (and "//" alone throws): the request's URL is always a path.
  const parsed = new URL(url.replace(/^\/{2,}/, '/'), 'http://localhost');
  parsed.searchParams.set('lang', language);
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
