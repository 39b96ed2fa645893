// Proposing a claim or a correction: the forms become JSON-LD (expanded form, no context to
// fetch) sent to POST /api/changesets, where they are validated and wait for a moderator.
import { format, pageConfig } from './config.js';
import { api, errorText, setUpSession } from './session.js';

const CK = 'https://w3id.org/communs-kg/ontology#';
const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
const OA = 'http://www.w3.org/ns/oa#';

const { baseIri, messages } = pageConfig();
setUpSession(messages);

const selected = (select) => [...select.selectedOptions].map((option) => option.value);
const ids = (values) => values.map((value) => ({ '@id': value }));

/** A fresh claim IRI under the base: the speaker's slug and a time stamp. */
function claimIri(speaker) {
  const slug = speaker.replace(/\/+$/, '').replace(/^.*\//, '') || 'claim';
  return `${baseIri}id/claim/${slug}-${Date.now().toString(36)}`;
}

/** The claim as expanded JSON-LD: typed, labelled, its text, links and TextQuoteSelector. */
function claimDocument(form) {
  const field = (name) => form.elements.namedItem(name);
  const text = field('text').value.trim();
  const speaker = field('speaker').value;
  return {
    '@id': claimIri(speaker),
    '@type': [`${CK}${form.querySelector('input[name="kind"]:checked')?.value ?? 'Quote'}`],
    [RDFS_LABEL]: [
      { '@value': field('labelFr').value.trim(), '@language': 'fr' },
      { '@value': field('labelEn').value.trim(), '@language': 'en' },
    ],
    [`${CK}text`]: [{ '@value': text, '@language': 'fr' }],
    [`${CK}claimant`]: ids([speaker]),
    [`${CK}intervention`]: ids([field('intervention').value]),
    [`${CK}topic`]: ids(selected(field('topics'))),
    [`${CK}mentions`]: ids(selected(field('mentions'))),
    [`${CK}source`]: ids([field('source').value]),
    [`${CK}selector`]: [
      { '@type': [`${OA}TextQuoteSelector`], [`${OA}exact`]: [{ '@value': text }] },
    ],
  };
}

function report(form, result) {
  const status = form.querySelector('.form-status');
  status.classList.toggle('error', !result.ok);
  status.textContent = result.ok
    ? format(messages.submitted, { id: result.body.id })
    : `${messages.failed} ${errorText(result)}`;
  if (result.ok) status.dataset.changeset = String(result.body.id);
  return result.ok;
}

const claimForm = document.getElementById('claim-form');

// Choosing a speaker chooses their intervention, when the graph knows one.
claimForm.elements.namedItem('speaker').addEventListener('change', (event) => {
  const speaker = event.target.value;
  const intervention = claimForm.elements.namedItem('intervention');
  const match = [...intervention.options].find((option) =>
    (option.dataset.speakers ?? '').split(' ').includes(speaker),
  );
  if (match) intervention.value = match.value;
});

claimForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!claimForm.reportValidity()) return;
  const result = await api('/api/changesets', {
    method: 'POST',
    body: {
      message: claimForm.elements.namedItem('message').value.trim() || 'New claim',
      format: 'application/ld+json',
      add: claimDocument(claimForm),
    },
  });
  if (report(claimForm, result)) {
    for (const name of ['text', 'labelFr', 'labelEn', 'message']) {
      claimForm.elements.namedItem(name).value = '';
    }
  }
});

/** A literal as expanded JSON-LD: language-tagged or typed. */
function literal(value, input) {
  if (input.dataset.language) return { '@value': value, '@language': input.dataset.language };
  if (input.dataset.datatype) return { '@value': value, '@type': input.dataset.datatype };
  return { '@value': value };
}

const correctionForm = document.getElementById('correction-form');
correctionForm?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const entity = correctionForm.dataset.entity;
  const changed = [...correctionForm.querySelectorAll('[name="value"]')].filter(
    (input) => input.value !== input.dataset.original,
  );
  const status = correctionForm.querySelector('.form-status');
  if (changed.length === 0) {
    status.textContent = messages.noChange;
    return;
  }
  const kept = changed.filter((input) => input.value.trim() !== '');
  const result = await api('/api/changesets', {
    method: 'POST',
    body: {
      message: correctionForm.elements.namedItem('message').value.trim() || 'Correction',
      format: 'application/ld+json',
      remove: statementsOf(entity, changed, (input) => input.dataset.original),
      add: kept.length > 0 ? statementsOf(entity, kept, (input) => input.value) : undefined,
    },
  });
  report(correctionForm, result);
});

/** The entity's statements for some inputs, with the value `pick` reads (old or new). */
function statementsOf(entity, inputs, pick) {
  const document = { '@id': entity };
  for (const input of inputs) {
    (document[input.dataset.predicate] ??= []).push(literal(pick(input), input));
  }
  return document;
}
