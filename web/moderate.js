// The moderation queue: accept or reject each pending changeset through the JSON API.
import { pageConfig } from './config.js';
import { api, errorText, setUpSession } from './session.js';

const { messages } = pageConfig();
setUpSession(messages);

for (const form of document.querySelectorAll('form.review')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const decision = event.submitter?.value;
    const reason = form.elements.namedItem('reason').value.trim();
    const status = form.querySelector('.form-status');
    status.classList.remove('error');
    if (decision === 'reject' && !reason) {
      status.textContent = messages.needsReason;
      status.classList.add('error');
      form.elements.namedItem('reason').focus();
      return;
    }
    const body = reason ? { reason } : {};
    const result = await api(`/api/changesets/${form.dataset.id}/${decision}`, {
      method: 'POST',
      body,
    });
    if (!result.ok) {
      status.textContent = `${messages.reviewFailed} ${errorText(result)}`;
      status.classList.add('error');
      return;
    }
    status.textContent = decision === 'accept' ? messages.accepted : messages.rejected;
    const badge = form.closest('article')?.querySelector('.badge');
    if (badge) {
      badge.className = `badge ${result.body.status}`;
      badge.textContent = messages.status[result.body.status] ?? result.body.status;
    }
    form.querySelector('fieldset').remove();
    status.tabIndex = -1;
    status.focus();
  });
}
