import type { EntityRef } from '../../graph/classes.js';
import type { LiteralStatement } from '../../graph/catalogue.js';
import { html, renderPage, type PageLanguage, type SafeHtml } from '../html.js';
import { MESSAGES } from '../messages.js';
import { compact, pickLabel } from './rdf-view.js';
import { dataBlock, scriptMessages, sessionPanel } from './session.js';

export interface ContributeChoices {
  people: EntityRef[];
  topics: EntityRef[];
  mentionable: EntityRef[];
  sources: EntityRef[];
  interventions: (EntityRef & { speakers: string[] })[];
  correctable: EntityRef[];
}

export interface ContributeState {
  /** The speaker chosen beforehand (from a person's page). */
  speaker?: string;
  /** The entity to correct, with its literal statements. */
  entity?: { iri: string; statements: LiteralStatement[] };
}

interface Context {
  baseIri: string;
  language: PageLanguage;
  url: string;
}

const nameOf = (ref: EntityRef, language: PageLanguage) =>
  pickLabel(ref.labels, language)?.text ?? compact(ref.iri);

function options(refs: readonly EntityRef[], language: PageLanguage, selected?: string) {
  return refs.map((ref) =>
    ref.iri === selected
      ? html`<option value="${ref.iri}" selected>${nameOf(ref, language)}</option>`
      : html`<option value="${ref.iri}">${nameOf(ref, language)}</option>`,
  );
}

function claimForm(choices: ContributeChoices, state: ContributeState, language: PageLanguage) {
  const m = MESSAGES[language].contribute;
  const source = choices.sources[0]?.iri;
  return html`<section id="claim" aria-labelledby="claim-title">
    <h2 id="claim-title">${m.claimTitle}</h2>
    <form id="claim-form" novalidate>
      <fieldset class="needs-session" disabled>
        <div class="field">
          <label for="claim-speaker">${m.speaker}</label>
          <select id="claim-speaker" name="speaker" required>
            <option value=""></option>
            ${options(choices.people, language, state.speaker)}
          </select>
        </div>
        <div class="field">
          <label for="claim-intervention">${m.intervention}</label>
          <select id="claim-intervention" name="intervention" required>
            <option value=""></option>
            ${choices.interventions.map((intervention) =>
              state.speaker && intervention.speakers.includes(state.speaker)
                ? html`<option
                    value="${intervention.iri}"
                    data-speakers="${intervention.speakers.join(' ')}"
                    selected
                  >
                    ${nameOf(intervention, language)}
                  </option>`
                : html`<option
                    value="${intervention.iri}"
                    data-speakers="${intervention.speakers.join(' ')}"
                  >
                    ${nameOf(intervention, language)}
                  </option>`,
            )}
          </select>
        </div>
        <fieldset>
          <legend>${m.kind}</legend>
          <label><input type="radio" name="kind" value="Quote" checked /> ${m.quote}</label><br />
          <label><input type="radio" name="kind" value="Paraphrase" /> ${m.paraphrase}</label>
        </fieldset>
        <div class="field">
          <label for="claim-text">${m.text}</label>
          <textarea id="claim-text" name="text" rows="4" lang="fr" required></textarea>
        </div>
        <div class="field">
          <label for="claim-label-fr">${m.labelFr}</label>
          <input id="claim-label-fr" name="labelFr" lang="fr" required />
        </div>
        <div class="field">
          <label for="claim-label-en">${m.labelEn}</label>
          <input id="claim-label-en" name="labelEn" lang="en" required />
        </div>
        <div class="field">
          <label for="claim-topics">${m.topics}</label>
          <select
            id="claim-topics"
            name="topics"
            multiple
            size="6"
            aria-describedby="claim-multiple"
          >
            ${options(choices.topics, language)}
          </select>
          <small id="claim-multiple">${m.multiple}</small>
        </div>
        <div class="field">
          <label for="claim-mentions">${m.mentions}</label>
          <select
            id="claim-mentions"
            name="mentions"
            multiple
            size="6"
            aria-describedby="claim-multiple"
          >
            ${options(choices.mentionable, language)}
          </select>
        </div>
        <div class="field">
          <label for="claim-source">${m.source}</label>
          <select id="claim-source" name="source" required>
            ${options(choices.sources, language, source)}
          </select>
        </div>
        <div class="field">
          <label for="claim-message">${m.message}</label>
          <input id="claim-message" name="message" />
        </div>
        <button type="submit">${m.submitClaim}</button>
      </fieldset>
      <p class="form-status" role="status" aria-live="polite"></p>
    </form>
  </section>`;
}

function statementRow(statement: LiteralStatement, index: number, language: PageLanguage) {
  const name = nameOf(statement.predicate, language);
  const id = `correction-value-${index}`;
  const tag = statement.language ? `@${statement.language}` : '';
  const long = statement.value.length > 80;
  const attributes = html`id="${id}" name="value" data-predicate="${statement.predicate.iri}"
  data-language="${statement.language ?? ''}" data-datatype="${statement.datatype ?? ''}"
  data-original="${statement.value}"${statement.language ? html` lang="${statement.language}"` : ''}`;
  return html`<div class="field">
    <label for="${id}"
      >${name} <span class="lang">${compact(statement.predicate.iri)} ${tag}</span></label
    >
    ${long ? html`<textarea ${attributes} rows="3">${statement.value}</textarea>` : html`<input ${attributes} value="${statement.value}" />`}
  </div>`;
}

function correctionForm(
  choices: ContributeChoices,
  state: ContributeState,
  language: PageLanguage,
) {
  const m = MESSAGES[language].contribute;
  const entity = state.entity;
  return html`<section id="correction" aria-labelledby="correction-title">
    <h2 id="correction-title">${m.correctionTitle}</h2>
    <form id="choose-entity" method="get" action="/contribute#correction" class="query-tools">
      <div class="field">
        <label for="correction-entity">${m.entity}</label>
        <select id="correction-entity" name="entity">
          <option value=""></option>
          ${options(choices.correctable, language, entity?.iri)}
        </select>
      </div>
      <button type="submit" class="secondary">${m.choose}</button>
    </form>
    ${
      entity &&
      html`<form id="correction-form" data-entity="${entity.iri}" novalidate>
        <fieldset class="needs-session" disabled>
          <legend>${m.editField}: <code>${compact(entity.iri)}</code></legend>
          ${entity.statements.map((statement, index) => statementRow(statement, index, language))}
          <div class="field">
            <label for="correction-message">${m.message}</label>
            <input id="correction-message" name="message" />
          </div>
          <button type="submit">${m.submitCorrection}</button>
        </fieldset>
        <p class="form-status" role="status" aria-live="polite"></p>
      </form>`
    }
  </section>`;
}

/** Proposing a claim or a correction, after signing in with a token (needs JavaScript). */
export function contributePage(
  choices: ContributeChoices,
  state: ContributeState,
  context: Context,
): string {
  const m = MESSAGES[context.language].contribute;
  const main: SafeHtml = html`<h1>${m.title}</h1>
    <p>${m.intro}</p>
    ${sessionPanel(context.language)} ${claimForm(choices, state, context.language)}
    ${correctionForm(choices, state, context.language)}
    ${dataBlock('ui-config', { baseIri: context.baseIri, messages: scriptMessages(context.language) })}`;
  return renderPage({
    title: m.title,
    language: context.language,
    url: context.url,
    scripts: ['/assets/contribute.js'],
    main,
  });
}
