// The user's browser on the gateway's login and consent pages: fetch with a cookie jar (tough-cookie
// applies Domain, Path and expiry as a browser does), forms read from the HTML and submitted with
// their hidden fields, redirects followed by hand until the one that leaves for the client.
import { CookieJar } from 'tough-cookie';

const decode = (s) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

/** The page's form: its action (resolved against the page) and hidden fields. */
function formOf(html, pageUrl) {
  const form = /<form method="post" action="([^"]*)"/.exec(html);
  if (!form) throw new Error(`no form on ${pageUrl}:\n${html}`);
  const fields = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[decode(m[1])] = decode(m[2]);
  return { action: new URL(decode(form[1]), pageUrl).href, fields };
}

/**
 * Opens `authorizationUrl`, signs in as `user`, then clicks Allow (`approve`) or Deny (`deny`).
 * Returns the URL the gateway sends the browser back to (the client's redirect URI with the code or
 * the error), the HTTP statuses on the way, and the session cookie's path.
 */
export async function login(authorizationUrl, user, decision) {
  const jar = new CookieJar();
  const statuses = [];
  const go = async (url, form) => {
    const headers = { cookie: await jar.getCookieString(url) };
    const init = form ? { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() } : { headers };
    const res = await fetch(url, { ...init, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) await jar.setCookie(c, url);
    statuses.push(res.status);
    const location = res.headers.get('location');
    return { res, url, location: location === null ? undefined : new URL(location, url).href, text: await res.text() };
  };
  const page = await go(authorizationUrl);
  if (page.res.status !== 200) return { callbackUrl: page.location, statuses };
  const signIn = formOf(page.text, page.url);
  const signedIn = await go(signIn.action, { ...signIn.fields, username: user.username, password: user.password });
  if (signedIn.res.status !== 303) return { callbackUrl: signedIn.location, statuses };
  const consent = await go(signedIn.location);
  const cookies = await jar.getCookies(consent.url);
  const decide = formOf(consent.text, consent.url);
  // The clicked button's name and value go with the form, as a browser sends them.
  const decided = await go(decide.action, { ...decide.fields, action: decision });
  return { callbackUrl: decided.location, statuses, cookiePath: cookies.map((c) => c.path).join(',') };
}
