/**
 * The server-rendered pages of the authorization endpoint: login, consent, and the error page shown
 * when the client or its redirect URI cannot be trusted. Every interpolated value goes through
 * `escapeHtml`; the pages carry no script, and the route serves them with a CSP that forbids scripts
 * and framing.
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem}.error{color:#a00}.muted{color:#666;font-size:.9rem}code{word-break:break-all}`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

function hiddenFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n');
}

export interface FormPageOptions {
  /** Where the form posts (the authorization endpoint). */
  action: string;
  csrf: string;
  /** The checked authorization request, carried through the form. */
  params: Record<string, string>;
  clientName: string;
}

export function loginPage(o: FormPageOptions & { error?: string; username?: string }): string {
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p class="muted">to let <strong>${escapeHtml(o.clientName)}</strong> use the API on your behalf.</p>
${o.error ? `<p class="error" role="alert">${escapeHtml(o.error)}</p>` : ''}
<form method="post" action="${escapeHtml(o.action)}" autocomplete="on">
${hiddenFields({ ...o.params, csrf_token: o.csrf, action: 'login' })}
<label for="username">Username</label><input type="text" id="username" name="username" value="${escapeHtml(o.username ?? '')}" required autofocus>
<label for="password">Password</label><input type="password" id="password" name="password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

export function consentPage(o: FormPageOptions & { username: string; redirectUri: string }): string {
  return layout(
    'Authorize application',
    `<h1>Authorize ${escapeHtml(o.clientName)}?</h1>
<p><strong>${escapeHtml(o.clientName)}</strong> asks to read the datasets and records you, <strong>${escapeHtml(o.username)}</strong>, can read (scope <code>all</code>).</p>
<p class="muted">You will be sent back to <code>${escapeHtml(o.redirectUri)}</code>.</p>
<form method="post" action="${escapeHtml(o.action)}">
${hiddenFields({ ...o.params, csrf_token: o.csrf })}
<button type="submit" name="action" value="approve">Allow</button>
<button type="submit" name="action" value="deny">Deny</button>
</form>`,
  );
}

export function errorPage(error: string, description: string): string {
  return layout(
    'Authorization error',
    `<h1>Authorization error</h1>
<p class="error"><code>${escapeHtml(error)}</code>: ${escapeHtml(description)}</p>
<p class="muted">The application that sent you here is misconfigured; you were not redirected to it.</p>`,
  );
}
