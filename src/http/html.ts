/**
 * Server-rendered HTML without a template engine: an `html` tagged template that escapes every
 * interpolated value unless it is already `SafeHtml`, and the layout shared by every page.
 * Escaping is the default, so forgetting it is not possible by accident.
 */

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

/** The site-wide navigation; later pages (search, contribute) add their entries here. */
export const SITE_NAVIGATION: readonly NavigationLink[] = [
  { href: '/sparql', label: 'SPARQL' },
  { href: '/ontology', label: 'Ontology' },
  { href: '/.well-known/void', label: 'Dataset (VoID)' },
  { href: '/export/dump.ttl', label: 'Download (Turtle)' },
];

export interface PageOptions {
  title: string;
  /** Language of the title when it differs from the page's (a French label on an English page). */
  titleLanguage?: PageLanguage;
  /** Language of the interface text. */
  language?: PageLanguage;
  /** Extra elements for <head>, such as <link rel="alternate"> to RDF documents. */
  head?: SafeHtml;
  main: SafeHtml;
}

const STYLE = `
:root { color-scheme: light dark; --accent: #0b5cad; --muted: #5a5a5a; --line: #d0d0d0; }
@media (prefers-color-scheme: dark) { :root { --accent: #7fb6ff; --muted: #b0b0b0; --line: #444; } }
body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; }
header.site, main, footer.site { max-width: 60rem; margin: 0 auto; padding: 0.5rem 1rem; }
header.site nav ul { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; margin: 0; }
header.site { border-bottom: 1px solid var(--line); }
footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9rem; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -100vw; }
.skip:focus { left: 1rem; top: 1rem; background: Canvas; padding: 0.5rem; }
.iri, code { font-family: ui-monospace, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
dl.statements { display: grid; grid-template-columns: minmax(10rem, 16rem) 1fr; gap: 0.25rem 1rem; }
dl.statements dt { font-weight: 600; }
dl.statements dd { margin: 0; }
dl.statements ul, ul.plain { list-style: none; padding: 0; margin: 0; }
dl.nested { border-left: 3px solid var(--line); padding-left: 0.5rem; }
blockquote { margin: 0.5rem 0; padding-left: 1rem; border-left: 4px solid var(--accent); }
.in-source { white-space: pre-wrap; border: 1px dashed var(--line); padding: 0.5rem; }
article.utterance { border-top: 1px solid var(--line); padding: 0.5rem 0; }
.lang { font-size: 0.75em; color: var(--muted); }
`;

/** The page shell: landmarks, skip link, navigation, footer with the licence. */
export function renderPage(options: PageOptions): string {
  const language = options.language ?? 'en';
  const titleLanguage = options.titleLanguage ?? language;
  const navigation = SITE_NAVIGATION.map(
    (link) => html`<li><a href="${link.href}">${link.label}</a></li>`,
  );
  const page = html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title${titleLanguage === language ? '' : html` lang="${titleLanguage}"`}>${options.title} · communs-kg</title>
<style>${new SafeHtml(STYLE)}</style>
${options.head}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<nav aria-label="Site">
<ul><li><a href="/"><strong>communs-kg</strong></a></li>${navigation}</ul>
</nav>
</header>
<main id="main">
${options.main}
</main>
<footer class="site">
<p>communs-kg — data and ontology under <a href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license">CC0 1.0</a>; query them at <a href="/sparql">/sparql</a>.</p>
</footer>
</body>
</html>
`;
  return page.markup;
}
