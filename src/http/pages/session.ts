import { html, SafeHtml, type PageLanguage } from '../html.js';
import { MESSAGES } from '../messages.js';

/**
 * Strings and settings for the page's script, as a JSON data block: not executed, so the
 * Content-Security-Policy (scripts from 'self' only) holds. `<` is escaped so that no text in
 * it can close the element.
 */
export function dataBlock(id: string, value: unknown): SafeHtml {
  const json = JSON.stringify(value).replace(/</g, '\\u003c');
  return html`<script type="application/json" id="${id}">
    ${new SafeHtml(json)}
  </script>`;
}

/** The strings the contribution and moderation scripts show, in the page's language. */
export function scriptMessages(language: PageLanguage) {
  const m = MESSAGES[language];
  return {
    refused: m.session.refused,
    signedInAs: m.session.signedInAs,
    submitted: m.contribute.submitted(0).replace('0', '{id}'),
    failed: m.contribute.failed,
    noChange: m.contribute.noChange,
    accepted: m.moderate.accepted,
    rejected: m.moderate.rejected,
    needsReason: m.moderate.needsReason,
    reviewFailed: m.moderate.failed,
    status: m.changeset.status,
  };
}

/**
 * Sign-in with a token: kept in sessionStorage by the script (this tab only), checked against
 * /api/me, sent as `Authorization: Bearer …` to the JSON API. Without JavaScript it says so.
 */
export function sessionPanel(language: PageLanguage): SafeHtml {
  const m = MESSAGES[language].session;
  return html`<section id="session" class="session" aria-labelledby="session-title">
    <h2 id="session-title">${m.title}</h2>
    <noscript><p class="status error">${m.needsJs}</p></noscript>
    <form id="sign-in" class="query-tools">
      <div class="field">
        <label for="token">${m.token}</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck="false"
          required
          aria-describedby="token-help"
          size="40"
        />
      </div>
      <button type="submit">${m.signIn}</button>
    </form>
    <p><small id="token-help" class="muted">${m.tokenHelp}</small></p>
    <p id="signed-in" hidden>
      ${m.signedInAs} <strong id="user-name"></strong> (<span id="user-role"></span>)
      <button type="button" id="sign-out" class="secondary">${m.signOut}</button>
    </p>
    <p id="session-status" role="status" aria-live="polite"></p>
  </section>`;
}
