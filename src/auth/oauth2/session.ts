/**
 * Login sessions of the authorization endpoint: a random id in an HttpOnly, SameSite=Lax cookie
 * scoped to `/oauth2` (Secure when PUBLIC_URL is https), the session itself in the TokenStore under
 * the id's sha256, with a per-session CSRF token that every POST of the forms must echo.
 *
 * The cookie authenticates nothing but the authorization endpoint: API calls need an API key or an
 * access token, so a page elsewhere cannot ride a user's session (JSONP included).
 */
import type { Request, Response } from 'express';
import { randomToken, safeEqual, sha256 } from '../secrets';
import type { SessionData, TokenStore } from '../token-store';

export const SESSION_COOKIE = 'ods_oauth2_session';

export interface SessionSettings {
  ttlSeconds: number;
  secure: boolean;
  /** Cookie path: `<PUBLIC_URL path>/oauth2`. */
  path: string;
}

export interface Session {
  id: string;
  data: SessionData;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

const SESSION_ID = /^[A-Za-z0-9]{32}$/;

export function sessions(tokens: TokenStore, settings: SessionSettings) {
  const cookie = (value: string, maxAge: number) =>
    [
      `${SESSION_COOKIE}=${value}`,
      `Path=${settings.path}`,
      `Max-Age=${maxAge}`,
      'HttpOnly',
      'SameSite=Lax',
      ...(settings.secure ? ['Secure'] : []),
    ].join('; ');

  return {
    /** The session of the request's cookie, if it exists and has not expired. */
    async load(req: Request): Promise<Session | undefined> {
      const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
      if (id === undefined || !SESSION_ID.test(id)) return undefined;
      const data = await tokens.getSession(sha256(id));
      return data ? { id, data } : undefined;
    },

    /**
     * A new session (new id, new CSRF token) replacing `previous`: called on first visit and after a
     * login, so an id planted before the login is worthless after it (session fixation).
     */
    async start(res: Response, data: Omit<SessionData, 'csrf'>, previous?: Session): Promise<Session> {
      if (previous) await tokens.deleteSession(sha256(previous.id));
      const id = randomToken(32);
      const session: Session = { id, data: { ...data, csrf: randomToken(32) } };
      await tokens.putSession(sha256(id), session.data, settings.ttlSeconds);
      res.append('Set-Cookie', cookie(id, settings.ttlSeconds));
      return session;
    },

    /** True when the form's token is the session's (constant time). */
    csrfMatches(session: Session | undefined, token: unknown): boolean {
      return session !== undefined && typeof token === 'string' && safeEqual(token, session.data.csrf);
    },
  };
}

export type Sessions = ReturnType<typeof sessions>;
