/**
 * Every setting of the gateway, documented, validated once at boot (docs/architecture.md, habit 7).
 * `loadConfig(env)` is pure: it reads the object it is given (process.env in main.ts), and throws one
 * error listing every invalid setting. The README's configuration table is generated from SETTINGS
 * (`node dist/src/config.js --markdown`), so the two cannot drift.
 */
/** What INDEX_PREFIX accepts (src/datasets/index-names.ts derives every index name from it). */
export const INDEX_PREFIX_PATTERN = /^[a-z0-9][a-z0-9_-]{0,40}$/;

type Parser<T> = (raw: string) => T;

interface Setting<T, D extends T | undefined = T | undefined> {
  env: string;
  doc: string;
  default: D;
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
/**
 * One URL or a comma-separated list (OPENSEARCH_URL: every node the gateway may talk to). Each is
 * checked; the result is the list joined by commas, without trailing slashes or duplicates.
 */
const urlList = (...protocols: string[]): Parser<string> => (raw) => {
  const one = url(...protocols);
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new Error(`expected a URL or a comma-separated list of URLs, got "${raw}"`);
  const urls = items.map(one);
  if (new Set(urls).size !== urls.length) throw new Error(`the same URL is listed twice in "${raw}"`);
  return urls.join(',');
};
const pattern = (re: RegExp, what: string): Parser<string> => (raw) => {
  if (!re.test(raw)) throw new Error(`expected ${what}, got "${raw}"`);
  return raw;
};
/** A secret token: never echoed in an error message. */
const secret = (minLength: number): Parser<string> => (raw) => {
  if (raw.length < minLength || /\s/.test(raw)) throw new Error(`expected at least ${minLength} characters without spaces (value not shown)`);
  return raw;
};
/** Express `trust proxy`: false, true, a hop count, or a comma list of addresses/subnets. */
const trustProxy = (): Parser<boolean | number | string> => (raw) => {
  const v = raw.trim();
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
};

function setting<T, D extends T | undefined>(env: string, def: D, parse: Parser<T>, doc: string): Setting<T, D> {
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
  opensearchUrl: setting(
    'OPENSEARCH_URL',
    'http://127.0.0.1:9200',
    urlList('http:', 'https:'),
    'OpenSearch node URL, or a comma-separated list of nodes of one cluster: requests go round-robin to the live ones, a node that fails is set aside and pinged back in, and reads (and pushes) are retried on another node within OPENSEARCH_REQUEST_TIMEOUT_MS.',
  ),
  opensearchSniffIntervalMs: setting(
    'OPENSEARCH_SNIFF_INTERVAL_MS',
    0,
    int(0, 86400000),
    'Sniffing: when above 0, the gateway also asks the cluster for its HTTP nodes at start, after a connection failure and every this many ms, and uses the addresses they publish (they must be reachable from the gateway, and covered by its certificate checks). 0: only the nodes of OPENSEARCH_URL.',
  ),
  opensearchUsername: setting('OPENSEARCH_USERNAME', undefined, str(), 'OpenSearch basic-auth user (security plugin on).'),
  opensearchPassword: setting('OPENSEARCH_PASSWORD', undefined, str(), 'OpenSearch basic-auth password.'),
  opensearchTlsInsecure: setting(
    'OPENSEARCH_TLS_INSECURE',
    false,
    bool(),
    'Accept a self-signed OpenSearch certificate (development only).',
  ),
  opensearchCaFile: setting(
    'OPENSEARCH_CA_FILE',
    undefined,
    str(),
    'PEM file of the certificate authority that signed the OpenSearch nodes\' certificates (https URLs); the gateway then verifies them against it (hostname included).',
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
    'Log level.',
  ),
  logFormat: setting(
    'LOG_FORMAT',
    'auto',
    oneOf('auto', 'json', 'pretty'),
    'Log lines on stdout: json (one JSON object a line, for log collectors), pretty (one readable line a request, colored), or auto: pretty when stdout is a terminal, json otherwise.',
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
  responseCacheMaxBytes: setting(
    'RESPONSE_CACHE_MAX_BYTES',
    67108864,
    int(0, 17179869184),
    'Memory bound of the response cache (answers of record search, analyze, geocluster, lookups; docs/response-cache.md), least recently used first out; 0 turns the cache off.',
  ),
  responseCacheTtlMs: setting(
    'RESPONSE_CACHE_TTL_MS',
    300000,
    int(0, 86400000),
    'Longest life of a cached answer. Writes through the gateway and reloads end it at once (dataset generation in Redis); this bounds what nothing else invalidates.',
  ),
  responseCacheNowTtlMs: setting(
    'RESPONSE_CACHE_NOW_TTL_MS',
    1000,
    int(0, 3600000),
    'Longest life of a cached answer whose request or record filter uses #now (it moves with the clock).',
  ),
  maxFacetValues: setting(
    'MAX_FACET_VALUES',
    1000,
    int(1, 10000),
    'Values returned per facet level by record and catalog search (refined and excluded values are always added).',
  ),
  domainId: setting(
    'DOMAIN_ID',
    'gateway',
    pattern(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -'),
    'The domain id of this portal, shown as metas.domain of every dataset (ods-widgets build dataset ids from it). `dataset=<id>@<domain>` is accepted whatever the domain.',
  ),
  fileStoreDir: setting(
    'FILE_STORE_DIR',
    '.local/files',
    str(),
    'Directory of the content-addressed file store (attachments, file fields), when no FILE_STORE_S3_BUCKET is set: one host only (or a volume every replica mounts).',
  ),
  fileStoreS3Bucket: setting(
    'FILE_STORE_S3_BUCKET',
    undefined,
    pattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
    'Keep the file store in this S3-compatible bucket instead of FILE_STORE_DIR, so that every replica on every host serves every file (it must exist).',
  ),
  fileStoreS3Prefix: setting('FILE_STORE_S3_PREFIX', '', pattern(/^[A-Za-z0-9._/-]{0,200}$/, 'a key prefix (letters, digits, . _ - /)'), 'Key prefix of the file store in the bucket.'),
  fileStoreS3Endpoint: setting(
    'FILE_STORE_S3_ENDPOINT',
    undefined,
    url('http:', 'https:'),
    'URL of an S3-compatible service (MinIO, ...); unset: AWS S3 in FILE_STORE_S3_REGION.',
  ),
  fileStoreS3Region: setting('FILE_STORE_S3_REGION', 'us-east-1', pattern(/^[a-z0-9-]{1,40}$/, 'a region name'), 'Region of the bucket.'),
  fileStoreS3ForcePathStyle: setting(
    'FILE_STORE_S3_FORCE_PATH_STYLE',
    undefined,
    bool(),
    'Path-style URLs (http://host/bucket/key), as MinIO and S3Proxy need. Unset: true when FILE_STORE_S3_ENDPOINT is set.',
  ),
  fileStoreS3AccessKeyId: setting(
    'FILE_STORE_S3_ACCESS_KEY_ID',
    undefined,
    str(),
    'Access key of the bucket. Unset (with the secret): the AWS SDK\'s default credentials (AWS_ACCESS_KEY_ID..., an instance or task role).',
  ),
  fileStoreS3SecretAccessKey: setting('FILE_STORE_S3_SECRET_ACCESS_KEY', undefined, secret(1), 'Secret of FILE_STORE_S3_ACCESS_KEY_ID.'),
  // Real-time push and multimedia (docs/push-and-multimedia.md).
  pushMaxBodyBytes: setting(
    'PUSH_MAX_BODY_BYTES',
    5242880,
    int(1024, 104857600),
    'Largest push body (/api/push/1.0/...; v1: 5 MB); larger answers 413.',
  ),
  thumbnailMaxSize: setting(
    'THUMBNAIL_MAX_SIZE',
    2048,
    int(16, 8192),
    'Largest <size> of /files/<id>/<size>/ thumbnails (longer side, pixels); sizes 1..this are made once and cached in the file store.',
  ),
  quotaAnonymousDailyLimit: setting(
    'QUOTA_ANONYMOUS_DAILY_LIMIT',
    1000,
    int(0, 1000000000),
    'Calls a day for each anonymous client IP (key ip:<address>; resets at 00:00 UTC). Over it: 429, errorcode 10005.',
  ),
  quotaUserDailyLimit: setting(
    'QUOTA_USER_DAILY_LIMIT',
    10000,
    int(0, 1000000000),
    'Calls a day for each authenticated user (key user:<id>, whichever credential is used), unless an override is set (admin API, CLI).',
  ),
  quotaDomainDailyLimit: setting(
    'QUOTA_DOMAIN_DAILY_LIMIT',
    0,
    int(0, 1000000000),
    'Calls a day for all callers together (domain-wide cap; 429 with errorcode 10002). 0: no cap.',
  ),
  quotaRedisFailurePolicy: setting(
    'QUOTA_REDIS_FAILURE_POLICY',
    'open',
    oneOf('open', 'closed'),
    'When Redis fails: open (admit within an in-process insurance limit) or closed (answer 503, never 429).',
  ),
  quotaFailOpenPercent: setting(
    'QUOTA_FAIL_OPEN_PERCENT',
    100,
    int(1, 100),
    'Under the open policy, the share of each daily limit one gateway process may admit on its own while Redis is down (R replicas admit up to R times this).',
  ),
  quotaStoreTimeoutMs: setting(
    'QUOTA_STORE_TIMEOUT_MS',
    500,
    int(20, 10000),
    'Longest wait for one quota store (Redis) call; past it the failure policy applies.',
  ),
  quotaOverridesRefreshMs: setting(
    'QUOTA_OVERRIDES_REFRESH_MS',
    5000,
    int(0, 3600000),
    'How long a process reuses the per-identity limit overrides read from Redis; a new override reaches every replica within this.',
  ),
  adminToken: setting(
    'ADMIN_TOKEN',
    undefined,
    secret(16),
    'Bearer token of the admin API (/admin/quota/...; administrator principals may use it too). Unset: the admin API is off and answers 404.',
  ),
  metricsToken: setting(
    'METRICS_TOKEN',
    undefined,
    secret(16),
    'When set, GET /metrics needs Authorization: Bearer <METRICS_TOKEN>. Unset: /metrics is open (keep it on a private network).',
  ),
  // Identity, OAuth2 and permissions (src/auth; docs/security.md).
  bootstrapFile: setting(
    'BOOTSTRAP_FILE',
    undefined,
    str(),
    'JSON file of groups, users, API keys, OAuth2 clients and access rules applied idempotently at start (example: ops/bootstrap.example.json).',
  ),
  identityCacheTtlMs: setting(
    'IDENTITY_CACHE_TTL_MS',
    5000,
    int(0, 600000),
    'How long a process reuses an API key, user or access rule read from the security index; a revocation made on another replica applies within this.',
  ),
  oauth2CodeTtlSeconds: setting(
    'OAUTH2_CODE_TTL_SECONDS',
    3600,
    int(1, 86400),
    'Lifetime of an OAuth2 authorization code (v1: 1 hour; RFC 6749 recommends at most 600). Codes are single-use.',
  ),
  oauth2AccessTokenTtlSeconds: setting(
    'OAUTH2_ACCESS_TOKEN_TTL_SECONDS',
    3600,
    int(60, 86400),
    'Lifetime of an OAuth2 access token (expires_in; v1: 3600).',
  ),
  oauth2RefreshTokenTtlSeconds: setting(
    'OAUTH2_REFRESH_TOKEN_TTL_SECONDS',
    31536000,
    int(60, 315360000),
    'Lifetime of an OAuth2 refresh token and of its grant, renewed at each (single-use, rotating) refresh. v1 tokens never expire.',
  ),
  oauth2SessionTtlSeconds: setting(
    'OAUTH2_SESSION_TTL_SECONDS',
    1800,
    int(60, 86400),
    'Lifetime of a login session of the OAuth2 authorization pages (cookie scoped to /oauth2).',
  ),
  // Analyze, geocluster and download (docs/analyze-geocluster-download.md).
  analyzeMaxBuckets: setting(
    'ANALYZE_MAX_BUCKETS',
    100000,
    int(1000, 10000000),
    'Most x values (composite buckets, before periodic folding) one analyze request may read; past it the request answers 400 naming this setting, never a truncated result.',
  ),
  geoclusterMaxCells: setting(
    'GEOCLUSTER_MAX_CELLS',
    100000,
    int(1000, 10000000),
    'Most grid cells one geocluster request may read before merging them into clusters; past it: 400 naming this setting (send a geofilter.bbox, as map clients do).',
  ),
  downloadPageSize: setting(
    'DOWNLOAD_PAGE_SIZE',
    1000,
    int(10, 10000),
    'Records read per point-in-time page by the streamed download (memory per download is about two pages).',
  ),
  downloadPitKeepAliveSeconds: setting(
    'DOWNLOAD_PIT_KEEP_ALIVE_SECONDS',
    120,
    int(10, 3600),
    'Keep-alive of a download point-in-time between two pages (a client slower than this between pages loses its download); the PIT is deleted at the end, on error and on disconnect.',
  ),
  // Bounds on what one caller may cost (docs/security.md, "Resource bounds").
  downloadMaxConcurrent: setting(
    'DOWNLOAD_MAX_CONCURRENT',
    50,
    int(1, 10000),
    'Downloads one gateway process runs at once (each holds an OpenSearch point-in-time); more answer 503 with Retry-After. Keep it times the replicas well under search.max_open_pit_context (300 per node).',
  ),
  downloadMaxPerIdentity: setting(
    'DOWNLOAD_MAX_PER_IDENTITY',
    3,
    int(1, 1000),
    'Downloads one caller (a user, or an anonymous IP) runs at once in one process; more answer 429 with Retry-After.',
  ),
  downloadMaxSeconds: setting(
    'DOWNLOAD_MAX_SECONDS',
    3600,
    int(10, 86400),
    'Longest duration of one download; past it the download is cut (its point-in-time deleted, the connection closed).',
  ),
  downloadIdleTimeoutSeconds: setting(
    'DOWNLOAD_IDLE_TIMEOUT_SECONDS',
    60,
    int(1, 3600),
    'A download whose client reads nothing for this long is cut (its point-in-time deleted, the connection closed).',
  ),
  analyzeCompilationsPer5m: setting(
    'ANALYZE_COMPILATIONS_PER_5M',
    30,
    int(0, 100000),
    'New analyze expression shapes one process lets OpenSearch compile per 5 minutes; past it (or past the per-caller budget) expressions run through one interpreted script, never refused. Keep 2 × this × replicas under script.max_compilations_rate (75/5m per node).',
  ),
  analyzeCompilationsPerIdentityPer5m: setting(
    'ANALYZE_COMPILATIONS_PER_IDENTITY_PER_5M',
    10,
    int(0, 100000),
    'New analyze expression shapes one caller (a user, or an anonymous IP) may have compiled per 5 minutes (see ANALYZE_COMPILATIONS_PER_5M).',
  ),
  authFailureLimit: setting(
    'AUTH_FAILURE_LIMIT',
    20,
    int(1, 1000000),
    'Failed authentications (bad API key or token, bad client secret, bad password) one client IP may make per AUTH_FAILURE_WINDOW_SECONDS; past it every credential it presents answers 429 until the window ends.',
  ),
  authFailureWindowSeconds: setting(
    'AUTH_FAILURE_WINDOW_SECONDS',
    900,
    int(1, 86400),
    'Window of AUTH_FAILURE_LIMIT, in seconds (counted in Redis when configured, shared by the replicas).',
  ),
  httpRequestTimeoutMs: setting(
    'HTTP_REQUEST_TIMEOUT_MS',
    30000,
    int(1000, 600000),
    'Longest time a client may take to send a whole request (headers and body); slower ones get 408 and are disconnected. Responses (downloads) are not bounded by it.',
  ),
} as const;

/** The value type of a setting: its parser's type, or undefined too when it has no default. */
type SettingValue<S> = S extends Setting<infer T, infer D> ? (undefined extends D ? T | undefined : T) : never;

/**
 * The validated configuration, derived from SETTINGS (one key per setting; unset optional settings are
 * undefined). PUBLIC_URL has no default but loadConfig always fills it from HOST and PORT.
 */
export type Config = { readonly [K in Exclude<keyof typeof SETTINGS, 'publicUrl'>]: SettingValue<(typeof SETTINGS)[K]> } & {
  readonly publicUrl: string;
};

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
