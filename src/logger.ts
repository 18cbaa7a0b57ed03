/**
 * Logs (pino): structured JSON lines, or the same records as readable lines (pino-pretty) for a
 * person at a terminal (LOG_FORMAT). Secrets never reach a log line: authorization headers, API
 * keys, access tokens, passwords and cookies are redacted wherever they appear in a logged object,
 * before either format writes it.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

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

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT=auto: readable lines for a person at a terminal, JSON for everything else. */
export function resolveLogFormat(setting: 'auto' | LogFormat, isTty: boolean): LogFormat {
  return setting === 'auto' ? (isTty ? 'pretty' : 'json') : setting;
}

interface PrettyRecord {
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  [key: string]: unknown;
}

/**
 * One line a request: `GET /api/records/1.0/search?dataset=x 200 12 ms`; other records keep their
 * message. The request objects are left out of the line (they are the message); any other key
 * (an error, a dataset id...) follows it.
 */
export function prettyMessage(log: PrettyRecord, messageKey: string): string {
  const message = typeof log[messageKey] === 'string' ? (log[messageKey] as string) : '';
  if (log.req && log.res && message === 'request completed') {
    const ms = typeof log.responseTime === 'number' ? ` ${Math.round(log.responseTime)} ms` : '';
    return `${log.req.method ?? ''} ${log.req.url ?? ''} ${log.res.statusCode ?? ''}${ms}`;
  }
  return message;
}

/** Colors when the terminal supports them (pino-pretty decides), none into a given stream. */
export function prettyStream(destination?: NodeJS.WritableStream): pino.DestinationStream {
  return pretty({
    ...(destination ? { colorize: false, destination } : {}),
    translateTime: 'SYS:HH:MM:ss',
    // `error` is the message of a rejected request, kept on its line; `err` is an Error, with its stack.
    errorLikeObjectKeys: ['err'],
    ignore: 'pid,hostname,service,req,res,responseTime,reqId',
    messageFormat: prettyMessage as never,
    singleLine: true,
  });
}

export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = 'json'): Logger {
  const options = {
    level,
    base: { service: 'ods-gateway' },
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (format === 'pretty') return pino(options, prettyStream(destination as NodeJS.WritableStream | undefined));
  return pino(options, destination);
}

export type { Logger };
