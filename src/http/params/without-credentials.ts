/**
 * A request URL as the gateway may repeat it to the client (the self link and id of RSS and Atom
 * feeds): without the credentials it carried. A feed is meant to be shared, subscribed to and cached
 * by feed readers; an `apikey` or `access_token` copied into it would travel with it.
 *
 * Only the parameters are removed; the others keep their exact encoding and order.
 */

/** Query-string parameters that carry a credential (src/auth/credentials.ts reads them). */
export const CREDENTIAL_PARAMETERS: ReadonlySet<string> = new Set(['apikey', 'access_token']);

function nameOf(pair: string): string {
  const raw = pair.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

export function withoutCredentials(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const kept = query.split('&').filter((pair) => pair !== '' && !CREDENTIAL_PARAMETERS.has(nameOf(pair)));
  return url.slice(0, q) + (kept.length > 0 ? `?${kept.join('&')}` : '');
}
