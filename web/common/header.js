// The header of every page: where you are, the way to the other pages, and the visitor's credentials.
import { credentials, setCredentials } from './api.js';
import { h, fill } from './dom.js';

function credentialLabel() {
  const c = credentials();
  if (!c) return 'Anonymous';
  const tail = c.value.length > 4 ? `…${c.value.slice(-4)}` : '';
  return c.kind === 'apikey' ? `API key ${tail}` : `Access token ${tail}`;
}

function credentialForm(onDone) {
  const c = credentials();
  const kind = h(
    'select',
    { id: 'credential-kind', 'aria-label': 'Kind of credential' },
    h('option', { value: 'apikey' }, 'API key'),
    h('option', { value: 'token' }, 'OAuth2 access token'),
  );
  kind.value = c ? c.kind : 'apikey';
  const value = h('input', { id: 'credential-value', type: 'password', autocomplete: 'off', placeholder: 'Paste it here', value: c ? c.value : '', size: 28 });
  const form = h(
    'form',
    {
      class: 'credential-form',
      onsubmit: (e) => {
        e.preventDefault();
        setCredentials(value.value.trim() ? { kind: kind.value, value: value.value.trim() } : null);
        onDone();
      },
    },
    h('p', { class: 'hint' }, 'Restricted datasets need credentials. They stay in this browser tab only and are sent to this gateway with every call.'),
    kind,
    value,
    h('button', { type: 'submit', class: 'primary' }, 'Use'),
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          setCredentials(null);
          onDone();
        },
      },
      'Forget',
    ),
  );
  return form;
}

/** Renders the header into <header id="site-header">; `current` is 'explore' or 'console'. */
export function renderHeader(current) {
  const header = document.getElementById('site-header');
  const panel = h('div', { class: 'credential-panel', hidden: true });
  const button = h('button', { type: 'button', class: 'credential-button', id: 'credential-button', 'aria-expanded': 'false' });
  const refresh = () => fill(button, h('span', { class: 'key-icon', 'aria-hidden': 'true' }), credentialLabel());
  const close = () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    refresh();
  };
  button.addEventListener('click', () => {
    if (!panel.hidden) return close();
    fill(panel, credentialForm(close));
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    panel.querySelector('input')?.focus();
  });
  refresh();
  window.addEventListener('credentials-changed', refresh);
  const link = (href, text, key) => h('a', { href, class: current === key ? 'current' : null }, text);
  fill(
    header,
    h('a', { href: '/explore/', class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'), ' Open data'),
    h('nav', {}, link('/explore/', 'Datasets', 'explore'), link('/console/', 'API console', 'console'), link('/api/openapi.json', 'OpenAPI', 'openapi')),
    h('div', { class: 'credentials' }, button, panel),
  );
}
