/**
 * Structured JSON logs (pino). Secrets never reach a log line: authorization headers, API keys,
 * access tokens, passwords and cookies are redacted wherever they appear in a logged object.
 */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'apikey',
  'api_key',
  'access_token',
  'refresh_token',
  'client_secret',
  'password',
  'pushkey',
  '*.apikey',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.password',
  '*.pushkey',
];

/** Query-string parameters whose values are secrets; masked in logged URLs. */
const SECRET_QUERY_PARAMS = /([?&](?:apikey|access_token|refresh_token|client_secret|pushkey|code)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMS, '$1[Redacted]');
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ods-gateway' },
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
