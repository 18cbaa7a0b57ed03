// The pages' v1 API client: what any client does, with the visitor's credentials.
//
// Credentials (an API key or an OAuth2 access token) are kept in sessionStorage: they last as long
// as the browser tab, are shared by the explore pages and the API console of this origin, and are
// sent as `Authorization: Apikey <key>` / `Authorization: Bearer <token>` on every API call. Download
// links cannot carry a header, so they carry the credential as `apikey=` / `access_token=` (v1
// convention; the gateway masks both in its logs).

const STORAGE_KEY = 'ods-gateway-credentials';

export function credentials() {
  try {
    const c = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (c && (c.kind === 'apikey' || c.kind === 'token') && typeof c.value === 'string' && c.value !== '') return c;
  } catch {
    // an unreadable entry counts as none
  }
  return null;
}

export function setCredentials(c) {
  if (c && c.value) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ kind: c.kind, value: c.value }));
  else sessionStorage.removeItem(STORAGE_KEY);
  window.dispatchEvent(new CustomEvent('credentials-changed'));
}

export function authHeaders() {
  const c = credentials();
  if (!c) return {};
  return { Authorization: c.kind === 'apikey' ? `Apikey ${c.value}` : `Bearer ${c.value}` };
}

/** [name, value] pairs (repeated names allowed) → a query string, without empty values. */
export function queryString(pairs) {
  const qs = new URLSearchParams();
  for (const [k, v] of pairs) if (v !== undefined && v !== null && v !== '') qs.append(k, String(v));
  return qs.toString();
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body && typeof body.error === 'string' ? body.error : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * GET a v1 endpoint; JSON answer, or ApiError with the v1 error body.
 * @param {string} path
 * @param {Array<Array<any>>} [pairs] [name, value] pairs
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function apiGet(path, pairs = [], { signal } = {}) {
  const qs = queryString(pairs);
  const res = await fetch(qs ? `${path}?${qs}` : path, { headers: { Accept: 'application/json', ...authHeaders() }, signal });
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { error: text.slice(0, 200) };
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** A link to an API URL that works without headers (downloads): the credential goes in the query. */
export function linkWithCredentials(path, pairs = []) {
  const c = credentials();
  const all = c ? [...pairs, [c.kind === 'apikey' ? 'apikey' : 'access_token', c.value]] : pairs;
  const qs = queryString(all);
  return qs ? `${path}?${qs}` : path;
}

/** The visitor's IANA time zone: datetimes and date facets are shown in it. */
export const timezone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
