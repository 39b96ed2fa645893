import type { Quad, Term } from 'n3';
import type { Labels } from '../../graph/describe.js';
import type { Changeset } from '../../graph/changesets.js';
import { html, renderPage, type PageLanguage, type SafeHtml } from '../html.js';
import { hrefFor } from '../iri-paths.js';
import { MESSAGES } from '../messages.js';
import { compact, inLanguage, pickLabel } from './rdf-view.js';

const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';

export interface ChangesetContext {
  baseIri: string;
  language: PageLanguage;
  /** Labels from the graph; a changeset's own labels (of what it adds) come first. */
  labelsOf: (iri: string) => Labels;
}

/** Labels that a changeset itself gives (a new claim is named by the changeset that adds it). */
function ownLabels(changeset: Changeset): Map<string, Labels> {
  const labels = new Map<string, Labels>();
  for (const quad of [...changeset.additions, ...changeset.deletions]) {
    if (quad.predicate.value !== RDFS_LABEL || quad.object.termType !== 'Literal') continue;
    const entry = labels.get(quad.subject.value) ?? {};
    const language = quad.object.language;
    if (language === 'fr' || language === 'en') entry[language] ??= quad.object.value;
    else entry.other ??= quad.object.value;
    labels.set(quad.subject.value, entry);
  }
  return labels;
}

function termCell(term: Term, labels: (iri: string) => Labels, context: ChangesetContext) {
  if (term.termType === 'Literal') {
    return term.language
      ? html`<span lang="${term.language}">${term.value}</span>
          <span class="lang">@${term.language}</span>`
      : html`${term.value}`;
  }
  if (term.termType === 'BlankNode') return html`<span class="muted">[ _:${term.value} ]</span>`;
  const label = pickLabel(labels(term.value), context.language);
  const content = label
    ? inLanguage(label.text, label.language)
    : html`<code>${compact(term.value)}</code>`;
  const href = hrefFor(term.value, context.baseIri);
  return href ? html`<a href="${href}" title="${term.value}">${content}</a>` : content;
}

/** The statements a changeset removes and adds, as a table of labelled entities and values. */
export function diffTable(changeset: Changeset, context: ChangesetContext): SafeHtml {
  const m = MESSAGES[context.language].changeset;
  const own = ownLabels(changeset);
  const labels = (iri: string) => {
    const mine = own.get(iri);
    return mine && (mine.fr || mine.en || mine.other) ? mine : context.labelsOf(iri);
  };
  const row = (quad: Quad, added: boolean) =>
    html`<tr class="${added ? 'added' : 'removed'}">
      <td>${added ? `+ ${m.added}` : `− ${m.removed}`}</td>
      <td>${termCell(quad.subject, labels, context)}</td>
      <td>${termCell(quad.predicate, labels, context)}</td>
      <td>${termCell(quad.object, labels, context)}</td>
    </tr>`;
  return html`<table class="diff">
    <caption class="muted">
      ${m.diffCaption(changeset.id)}
    </caption>
    <thead>
      <tr>
        <th scope="col"></th>
        <th scope="col">${m.subject}</th>
        <th scope="col">${m.property}</th>
        <th scope="col">${m.value}</th>
      </tr>
    </thead>
    <tbody>
      ${changeset.deletions.map((quad) => row(quad, false))}
      ${changeset.additions.map((quad) => row(quad, true))}
    </tbody>
  </table>`;
}

const when = (iso: string, language: PageLanguage) =>
  html`<time datetime="${iso}"
    >${new Date(iso).toLocaleString(language === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' })}
    UTC</time
  >`;

/** A changeset: number, status, author, date, message, review, then its diff. */
export function changesetHtml(
  changeset: Changeset,
  context: ChangesetContext,
  options: { headingLevel?: 2 | 3; review?: SafeHtml } = {},
): SafeHtml {
  const m = MESSAGES[context.language].changeset;
  const heading = html`${m.number(changeset.id)}
    <span class="badge ${changeset.status}"
      >${m.status[changeset.status] ?? changeset.status}</span
    >`;
  return html`<article
    class="changeset"
    id="changeset-${changeset.id}"
    data-changeset="${changeset.id}"
  >
    ${options.headingLevel === 3 ? html`<h3>${heading}</h3>` : html`<h2>${heading}</h2>`}
    <p>
      ${m.by} <strong>${changeset.author}</strong>, ${when(changeset.createdAt, context.language)}
      ${changeset.direct && html` · ${m.direct}`}
      ${changeset.reverts !== undefined && html` · ${m.reverts(changeset.reverts)}`}
    </p>
    ${changeset.message && html`<p><q>${changeset.message}</q></p>`}
    ${changeset.source && html`<p>${m.source}: ${/^https?:\/\//.test(changeset.source) ? html`<a href="${changeset.source}" rel="external nofollow">${changeset.source}</a>` : changeset.source}</p>`}
    ${
      changeset.reviewer &&
      html`<p class="review-outcome">
        ${m.reviewedBy}
        <strong>${changeset.reviewer}</strong
        >${changeset.reviewedAt && html`, ${when(changeset.reviewedAt, context.language)}`}${changeset.reviewReason && html` — ${m.reason}: <q>${changeset.reviewReason}</q>`}
      </p>`
    }
    ${diffTable(changeset, context)} ${options.review}
  </article>`;
}

export interface ListPageOptions {
  url: string;
  title: string;
  intro?: SafeHtml;
  empty: string;
  scripts?: string[];
  /** The review form under each changeset (moderation). */
  review?: (changeset: Changeset) => SafeHtml;
  before?: SafeHtml;
}

/** A page listing changesets: recent changes, an entity's history, the moderation queue. */
export function changesetListPage(
  changesets: readonly Changeset[],
  context: ChangesetContext,
  options: ListPageOptions,
): string {
  const main = html`<h1>${options.title}</h1>
    ${options.intro} ${options.before}
    ${
      changesets.length === 0
        ? html`<p class="empty">${options.empty}</p>`
        : changesets.map((changeset) =>
            changesetHtml(changeset, context, { review: options.review?.(changeset) }),
          )
    }`;
  return renderPage({
    title: options.title,
    language: context.language,
    url: options.url,
    scripts: options.scripts,
    main,
  });
}
