/**
 * A passport strategy for v1 API keys (`Authorization: Apikey <key>`, or `apikey=` in the query
 * string or body), the counterpart of passport-http-bearer. Small enough to own rather than pull in
 * passport-custom or passport-headerapikey:
 *
 * - no key → fail with a challenge (401; the middleware only runs it when a key is presented);
 * - a malformed key (header with other than two parts, a repeated parameter) → fail(400);
 * - a key the verify function does not know → fail(challenge) (401 "API key is not valid").
 */
import type { Request } from 'express';
import { Strategy } from 'passport';
import type { UserPrincipal } from './principal';
import { apiKeyOf } from './credentials';

export type ApiKeyVerify = (key: string) => Promise<UserPrincipal | undefined>;

export class ApiKeyStrategy extends Strategy {
  override name = 'apikey';

  constructor(
    private readonly verify: ApiKeyVerify,
    private readonly realm: string,
  ) {
    super();
  }

  override authenticate(req: Request): void {
    const key = apiKeyOf(req);
    const challenge = `Apikey realm="${this.realm}"`;
    if (key === undefined) return this.fail(challenge, 401);
    if (key === 'malformed') return this.fail(400);
    this.verify(key).then(
      (principal) => (principal ? this.success(principal) : this.fail(challenge, 401)),
      (err: unknown) => this.error(err as Error),
    );
  }
}
