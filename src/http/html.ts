/**
 * Server-rendered HTML without a template engine: an `html` tagged template that escapes every
 * interpolated value unless it is already `SafeHtml`, and the layout shared by every page.
 * Escaping is the default, so forgetting it is not possible by accident.
 */

import { withLanguage } from './i18n.js';
import { MESSAGES } from './messages.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** A fragment of markup that is known to be safe: produced by `html` from escaped parts. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** What may be interpolated: text (escaped), safe fragments, lists of them, or nothing. */
export type HtmlValue =
  SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested `html` fragments stay as is. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup);
}

export type PageLanguage = 'en' | 'fr';

export interface NavigationLink {
  href: string;
  label: string;
}

/** The site-wide navigation, in the page's language. */
export function siteNavigation(language: PageLanguage): NavigationLink[] {
  const nav = MESSAGES[language].nav;
  return [
    { href: '/sparql', label: nav.query },
    { href: '/conference', label: nav.conference },
    { href: '/contribute', label: nav.contribute },
    { href: '/moderate', label: nav.moderate },
    { href: '/changes', label: nav.changes },
    { href: '/ontology', label: nav.ontology },
    { href: '/.well-known/void', label: nav.dataset },
    { href: '/export/dump.ttl', label: nav.download },
  ];
}

export interface PageOptions {
  title: string;
  /** Language of the title when it differs from the page's (a French label on an English page). */
  titleLanguage?: PageLanguage;
  /** Language of the interface text. */
  language?: PageLanguage;
  /** The URL of the page (path and query), for the language switch; none: no switch. */
  url?: string;
  /** Extra elements for <head>, such as <link rel="alternate"> to RDF documents. */
  head?: SafeHtml;
  /** Scripts of the project (ES modules under /assets/), loaded after the page. */
  scripts?: readonly string[];
  /** Classic scripts loaded before them (the editor's bundles, which define globals). */
  classicScripts?: readonly string[];
  /** The text already in the search box. */
  searchText?: string;
  main: SafeHtml;
}

/** Links to the same page in each language; the current one marked. */
function languageSwitch(url: string, current: PageLanguage): SafeHtml {
  const links = (['fr', 'en'] as const).map((language) =>
    language === current
      ? html`<li>
          <a
            href="${withLanguage(url, language)}"
            hreflang="${language}"
            lang="${language}"
            aria-current="true"
            >${MESSAGES[language].languageName}</a
          >
        </li>`
      : html`<li>
          <a href="${withLanguage(url, language)}" hreflang="${language}" lang="${language}"
            >${MESSAGES[language].languageName}</a
          >
        </li>`,
  );
  return html`<nav class="languages" aria-label="${MESSAGES[current].languageSwitch}">
    <ul>
      ${links}
    </ul>
  </nav>`;
}

function searchForm(language: PageLanguage, text: string | undefined): SafeHtml {
  const m = MESSAGES[language].search;
  return html`<form class="search" role="search" method="get" action="/search">
    <label for="site-search">${m.label}</label>
    <input
      id="site-search"
      name="q"
      type="search"
      value="${text ?? ''}"
      placeholder="${m.placeholder}"
    />
    <button type="submit">${m.button}</button>
  </form>`;
}

/** The page shell: landmarks, skip link, navigation, search, language switch, footer. */
export function renderPage(options: PageOptions): string {
  const language = options.language ?? 'en';
  const m = MESSAGES[language];
  const titleLanguage = options.titleLanguage ?? language;
  const navigation = siteNavigation(language).map(
    (link) => html`<li><a href="${link.href}">${link.label}</a></li>`,
  );
  const scripts = [
    ...(options.classicScripts ?? []).map((src) => html`<script src="${src}"></script>`),
    ...(options.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`),
  ];
  const page = html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title${titleLanguage === language ? '' : html` lang="${titleLanguage}"`}>${options.title} · communs-kg</title>
<link rel="stylesheet" href="/assets/site.css">
${options.head}
</head>
<body>
<a class="skip" href="#main">${m.skip}</a>
<header class="site">
<nav aria-label="${m.nav.site}">
<ul><li><a href="/"><strong>communs-kg</strong></a></li>${navigation}</ul>
</nav>
<div class="tools">${searchForm(language, options.searchText)}${options.url !== undefined && languageSwitch(options.url, language)}</div>
</header>
<main id="main" tabindex="-1">
${options.main}
</main>
<footer class="site">
<p>communs-kg — ${m.footer.licence} <a href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license">CC0 1.0</a>; ${m.footer.queryAt} <a href="/sparql">/sparql</a>.</p>
</footer>
${scripts}
</body>
</html>
`;
  return page.markup;
}
