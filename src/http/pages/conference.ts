import type { EntityRef } from '../../graph/classes.js';
import type {
  ClaimSummary,
  ConferenceOverview,
  RoundTable,
  Speaker,
} from '../../graph/conference.js';
import { html, renderPage, type PageLanguage, type SafeHtml } from '../html.js';
import { hrefFor } from '../iri-paths.js';
import { MESSAGES } from '../messages.js';
import { compact, inLanguage, joined, pickLabel } from './rdf-view.js';

interface Context {
  baseIri: string;
  language: PageLanguage;
}

function name(ref: EntityRef, context: Context): SafeHtml {
  const label = pickLabel(ref.labels, context.language);
  return label ? inLanguage(label.text, label.language) : html`${compact(ref.iri)}`;
}

function link(ref: EntityRef, context: Context): SafeHtml {
  const href = hrefFor(ref.iri, context.baseIri);
  return href ? html`<a href="${href}">${name(ref, context)}</a>` : name(ref, context);
}

function links(refs: readonly EntityRef[], context: Context): SafeHtml[] {
  return joined(
    refs.map((ref) => link(ref, context)),
    ', ',
  );
}

/** A text in the page's language when the graph has it, else in the other one. */
function localized(text: { fr?: string; en?: string }, language: PageLanguage): SafeHtml | false {
  const other = language === 'fr' ? 'en' : 'fr';
  const chosen = text[language] ? language : text[other] ? other : undefined;
  return chosen ? inLanguage(text[chosen] ?? '', chosen) : false;
}

function speakerHtml(speaker: Speaker, context: Context): SafeHtml {
  const role = localized(speaker.role, context.language);
  return html`<li>
    ${link(speaker, context)}${role && html` — ${role}`}${
      speaker.organisation && html` (${link(speaker.organisation, context)})`
    }
  </li>`;
}

function roundTableHtml(table: RoundTable, context: Context): SafeHtml {
  const m = MESSAGES[context.language].conference;
  const alt = localized(table.altLabels, context.language);
  const id = `round-table-${table.ordinal ?? 0}`;
  return html`<section aria-labelledby="${id}">
    <h3 id="${id}">${alt && html`${alt} — `}${link(table, context)}</h3>
    ${table.moderators.length > 0 && html`<p>${m.moderator} ${links(table.moderators, context)}</p>`}
    <p><strong>${m.speakers}</strong></p>
    <ol class="speakers">
      ${table.speakers.map((speaker) => speakerHtml(speaker, context))}
    </ol>
  </section>`;
}

function claimHtml(claim: ClaimSummary, context: Context): SafeHtml {
  const m = MESSAGES[context.language].conference;
  return html`<li>
    <blockquote>
      <p lang="fr">${claim.quote ? html`« ${claim.text} »` : claim.text}</p>
      ${
        context.language === 'en' &&
        claim.english &&
        html`<p lang="en" class="muted">${claim.english}</p>`
      }
      <footer>
        — ${claim.speaker ? link(claim.speaker, context) : ''},
        <a href="${hrefFor(claim.iri, context.baseIri) ?? '#'}"
          >${claim.quote ? m.quote : m.paraphrase}</a
        >
      </footer>
    </blockquote>
  </li>`;
}

const slug = (iri: string) => iri.replace(/^.*\//, '').replace(/[^\w-]/g, '-');

/**
 * The conference as one page to read or send: what, when, where, who organised and moderated it,
 * its round tables with their speakers in speaking order, then what was said, topic by topic.
 * Everything is server-rendered: the page needs no script.
 */
export function conferencePage(
  overview: ConferenceOverview,
  context: Context & { url: string },
): string {
  const m = MESSAGES[context.language].conference;
  const title = pickLabel(overview.labels, context.language);
  const description = localized(overview.description, context.language);
  const main = html`<article class="conference">
    <header>
      <p class="muted">${m.title}</p>
      <h1${title?.language ? html` lang="${title.language}"` : ''}>${title?.text ?? overview.iri}</h1>
      ${description && html`<p>${description}</p>`}
      <dl class="statements">
        ${
          overview.date &&
          html`<dt>${m.date}</dt>
            <dd>
              <time datetime="${overview.date}"
                >${formatDate(overview.date, context.language)}</time
              >
            </dd>`
        }
        ${
          overview.place &&
          html`<dt>${m.place}</dt>
            <dd>${link(overview.place, context)}</dd>`
        }
        ${
          overview.organisers.length > 0 &&
          html`<dt>${m.organiser}</dt>
            <dd>${links(overview.organisers, context)}</dd>`
        }
        ${
          overview.moderators.length > 0 &&
          html`<dt>${m.moderator}</dt>
            <dd>${links(overview.moderators, context)}</dd>`
        }
        ${
          overview.themes.length > 0 &&
          html`<dt>${m.themes}</dt>
            <dd>${links(overview.themes, context)}</dd>`
        }
      </dl>
      <p><a href="${hrefFor(overview.iri, context.baseIri) ?? '#'}">${m.allRecord}</a></p>
    </header>
    <section aria-labelledby="round-tables">
      <h2 id="round-tables">${m.roundTables}</h2>
      ${overview.roundTables.map((table) => roundTableHtml(table, context))}
    </section>
    <section aria-labelledby="by-topic">
      <h2 id="by-topic">${m.byTopic}</h2>
      <p>${m.byTopicIntro(overview.claimCount, overview.topics.length)}</p>
      <nav class="toc" aria-label="${m.contents}">
        <ul>
          ${overview.topics.map(
            (entry) =>
              html`<li>
                <a href="#topic-${slug(entry.topic.iri)}">${name(entry.topic, context)}</a>
                <span class="muted">(${entry.claims.length})</span>
              </li>`,
          )}
        </ul>
      </nav>
      ${overview.topics.map(
        (entry) =>
          html`<section class="topic" aria-labelledby="topic-${slug(entry.topic.iri)}">
            <h3 id="topic-${slug(entry.topic.iri)}">
              ${link(entry.topic, context)}
              <span class="muted">· ${m.claims(entry.claims.length)}</span>
            </h3>
            <ul class="plain">
              ${entry.claims.map((claim) => claimHtml(claim, context))}
            </ul>
          </section>`,
      )}
    </section>
  </article>`;
  return renderPage({
    title: title?.text ?? m.title,
    titleLanguage:
      title?.language === 'fr' || title?.language === 'en' ? title.language : undefined,
    language: context.language,
    url: context.url,
    main,
  });
}

/** The list shown when the graph has several conferences (or none). */
export function conferenceListPage(
  conferences: readonly EntityRef[],
  context: Context & { url: string },
): string {
  const m = MESSAGES[context.language].conference;
  const main = html`<h1>${m.title}</h1>
    ${
      conferences.length === 0
        ? html`<p>${m.none}</p>`
        : html`<ul>
            ${conferences.map(
              (conference) =>
                html`<li>
                  <a href="/conference?iri=${encodeURIComponent(conference.iri)}"
                    >${name(conference, context)}</a
                  >
                </li>`,
            )}
          </ul>`
    }`;
  return renderPage({ title: m.title, language: context.language, url: context.url, main });
}

function formatDate(date: string, language: PageLanguage): string {
  const parsed = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return parsed.toLocaleDateString(language === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
