// Signing in with a token: kept in sessionStorage (this tab only), checked with GET /api/me,
// sent as "Authorization: Bearer …" to the JSON API.

const KEY = 'communs-kg-token';
const ROLES = ['contributor', 'moderator', 'admin'];

export const token = () => sessionStorage.getItem(KEY);

/** Calls the JSON API with the token; resolves to { ok, status, body }. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  const current = token();
  if (current) headers.Authorization = `Bearer ${current}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { error: text };
  }
  return { ok: response.ok, status: response.status, body: parsed };
}

/** The readable message of a refused API call, with the SHACL violations when there are some. */
export function errorText(result) {
  const body = result.body ?? {};
  const violations = (body.violations ?? []).map((v) => `${v.path ?? ''} ${v.message ?? ''}`);
  return [body.error ?? `HTTP ${result.status}`, ...violations].join(' — ');
}

/**
 * Wires the sign-in panel: enables the fieldsets marked `.needs-session` (and `data-role`) for a
 * user with the role, and calls `onChange(user)` after each sign-in or sign-out.
 */
export function setUpSession(messages, onChange = () => {}) {
  const form = document.getElementById('sign-in');
  const input = document.getElementById('token');
  const signedIn = document.getElementById('signed-in');
  const status = document.getElementById('session-status');
  const show = (user) => {
    form.hidden = Boolean(user);
    signedIn.hidden = !user;
    document.getElementById('user-name').textContent = user?.name ?? '';
    document.getElementById('user-role').textContent = user?.role ?? '';
    for (const fieldset of document.querySelectorAll('fieldset.needs-session')) {
      const needed = fieldset.dataset.role ?? 'contributor';
      fieldset.disabled = !user || ROLES.indexOf(user.role) < ROLES.indexOf(needed);
    }
    onChange(user);
  };
  const check = async () => {
    if (!token()) return show(undefined);
    const result = await api('/api/me');
    if (result.ok) {
      status.textContent = '';
      return show(result.body);
    }
    sessionStorage.removeItem(KEY);
    status.textContent = messages.refused;
    show(undefined);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    input.value = '';
    void check();
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    show(undefined);
    input.focus();
  });
  void check();
}
