import { badParameter } from '../../errors';
import { isValidTimezone } from '../../responses/format-dates';
import type { RequestParams } from './request-params';
import { truncate } from './request-params';

/** `timezone`: an IANA name, default UTC; anything else is a 400 naming the parameter. */
export function timezoneParam(params: RequestParams, name = 'timezone', def = 'UTC'): string {
  const tz = params.get(name);
  if (tz === undefined) return def;
  if (!isValidTimezone(tz)) throw badParameter(name, `expected an IANA time zone name such as UTC or Europe/Paris, got "${truncate(tz)}"`);
  return tz;
}
