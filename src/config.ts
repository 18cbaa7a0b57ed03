/**
 * Every setting of the gateway, documented, validated once at boot (design.md, habit 7).
 * `loadConfig(env)` is pure: it reads the object it is given (process.env in main.ts), and throws one
 * error listing every invalid setting. The README's configuration table is generated from SETTINGS
 * (`node dist/src/config.js --markdown`), so the two cannot drift.
 */
import { INDEX_PREFIX_PATTERN } from './datasets/index-names';

type Parser<T> = (raw: string) => T;

interface Setting<T> {
  env: string;
  doc: string;
  default: T | undefined;
  parse: Parser<T>;
}

const str = (): Parser<string> => (raw) => raw;
const int = (min: number, max: number): Parser<number> => (raw) => {
  if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new Error(`expected an integer between ${min} and ${max}, got ${n}`);
  return n;
};
const bool = (): Parser<boolean> => (raw) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`expected true or false, got "${raw}"`);
};
const oneOf = <T extends string>(...values: T[]): Parser<T> => (raw) => {
  if (!(values as string[]).includes(raw)) throw new Error(`expected one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
};
const url = (...protocols: string[]): Parser<string> => (raw) => {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`expected a URL, got "${raw}"`);
  }
  if (!protocols.includes(u.protocol)) throw new Error(`expected a ${protocols.join(' or ')} URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
};
const pattern = (re: RegExp, what: string): Parser<string> => (raw) => {
  if (!re.test(raw)) throw new Error(`expected ${what}, got "${raw}"`);
  return raw;
};
/** Express `trust proxy`: false, true, a hop count, or a comma list of addresses/subnets. */
const trustProxy = (): Parser<boolean | number | string> => (raw) => {
  const v = raw.trim();
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
};

function setting<T>(env: string, def: T | undefined, parse: Parser<T>, doc: string): Setting<T> {
  return { env, default: def, parse, doc };
}

export const SETTINGS = {
  host: setting('HOST', '127.0.0.1', str(), 'Address the HTTP server listens on (0.0.0.0 in containers).'),
  port: setting('PORT', 8080, int(0, 65535), 'HTTP port of the gateway (0 picks a free port).'),
  publicUrl: setting(
    'PUBLIC_URL',
    undefined,
    url('http:', 'https:'),
    'The URL clients use to reach the gateway (OAuth2 issuer, links in feeds). Default: http://HOST:PORT.',
  ),
  opensearchUrl: setting('OPENSEARCH_URL', 'http://127.0.0.1:9200', url('http:', 'https:'), 'OpenSearch endpoint.'),
  opensearchUsername: setting('OPENSEARCH_USERNAME', undefined, str(), 'OpenSearch basic-auth user (security plugin on).'),
  opensearchPassword: setting('OPENSEARCH_PASSWORD', undefined, str(), 'OpenSearch basic-auth password.'),
  opensearchTlsInsecure: setting(
    'OPENSEARCH_TLS_INSECURE',
    false,
    bool(),
    'Accept a self-signed OpenSearch certificate (development only).',
  ),
  opensearchRequestTimeoutMs: setting(
    'OPENSEARCH_REQUEST_TIMEOUT_MS',
    15000,
    int(100, 600000),
    'Timeout of one OpenSearch request; past it the caller gets 503 with Retry-After.',
  ),
  indexPrefix: setting(
    'INDEX_PREFIX',
    'ods',
    pattern(INDEX_PREFIX_PATTERN, 'lower-case letters, digits, _ and -'),
    'Prefix of every index and alias the gateway reads or writes.',
  ),
  redisUrl: setting(
    'REDIS_URL',
    undefined,
    url('redis:', 'rediss:'),
    'Redis for quotas, OAuth2 codes/tokens and sessions. Unset: an in-process store (one process only; the log says so).',
  ),
  logLevel: setting(
    'LOG_LEVEL',
    'info',
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    'Log level (structured JSON logs on stdout).',
  ),
  trustProxy: setting(
    'TRUST_PROXY',
    false,
    trustProxy(),
    'Express "trust proxy": false (default; client IP = socket address), true, a hop count, or addresses/subnets of trusted proxies. Decides the IP that anonymous quotas key on.',
  ),
  shutdownTimeoutMs: setting(
    'SHUTDOWN_TIMEOUT_MS',
    10000,
    int(0, 300000),
    'How long a graceful shutdown waits for requests in flight before closing connections.',
  ),
  maxRequestBodyBytes: setting(
    'MAX_REQUEST_BODY_BYTES',
    1048576,
    int(1024, 104857600),
    'Largest POST body accepted on query endpoints (form or JSON); larger answers 413.',
  ),
  datasetCacheTtlMs: setting(
    'DATASET_CACHE_TTL_MS',
    5000,
    int(0, 3600000),
    'How long a dataset descriptor read from the catalog is reused; a reload is visible on every replica after at most this.',
  ),
  fileStoreDir: setting(
    'FILE_STORE_DIR',
    '.local/files',
    str(),
    'Directory of the content-addressed file store (attachments, file fields).',
  ),
} as const;

/** The validated configuration (keys of SETTINGS; unset optional settings are undefined). */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly opensearchUrl: string;
  readonly opensearchUsername: string | undefined;
  readonly opensearchPassword: string | undefined;
  readonly opensearchTlsInsecure: boolean;
  readonly opensearchRequestTimeoutMs: number;
  readonly indexPrefix: string;
  readonly redisUrl: string | undefined;
  readonly logLevel: string;
  readonly trustProxy: boolean | number | string;
  readonly shutdownTimeoutMs: number;
  readonly maxRequestBodyBytes: number;
  readonly datasetCacheTtlMs: number;
  readonly fileStoreDir: string;
}
// A setting added to SETTINGS but not to Config (or the reverse) fails to compile here.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
const _settingsMatchConfig: SameKeys<typeof SETTINGS, Config> = true;
void _settingsMatchConfig;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads every setting from `env`; throws a ConfigError naming every invalid one. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, s] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const raw = env[s.env];
    if (raw === undefined || raw === '') {
      out[key] = s.default;
      continue;
    }
    try {
      out[key] = s.parse(raw);
    } catch (e) {
      problems.push(`${s.env}: ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (out.publicUrl === undefined) {
    const host = out.host === '0.0.0.0' || out.host === '::' ? '127.0.0.1' : out.host;
    out.publicUrl = `http://${String(host)}:${String(out.port)}`;
  }
  return Object.freeze(out) as unknown as Config;
}

/** The README's configuration table. */
export function settingsMarkdown(): string {
  const rows = Object.values(SETTINGS).map((s: Setting<unknown>) => {
    const def = s.default === undefined ? '(unset)' : `\`${String(s.default)}\``;
    return `| \`${s.env}\` | ${def} | ${s.doc} |`;
  });
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}

if (require.main === module && process.argv.includes('--markdown')) {
  process.stdout.write(`${settingsMarkdown()}\n`);
}
