/**
 * Dataset permissions: who may see a dataset, which of its records and which of its fields.
 *
 * Every endpoint that touches a dataset calls ONE function after loading the descriptor:
 *
 *   const d = await deps.registry.get(id);
 *   const access = await resolveAccess(req, d);        // throws 401 / 404 (see below)
 *   // then use access.descriptor (hidden fields removed) for rendering, facets, geofilters,
 *   // querySchemaOf(access) as the query schema, and
 *   withMandatoryFilters(body, recordFilterClauses(access, now));   // on every _search body
 *
 * Rules (docs/security.md):
 * - visibility (descriptor `visibility`): `public`, or restricted to users and groups. Without
 *   credentials a restricted dataset answers 401 (v1: "a private portal answers 401"); with
 *   credentials lacking rights it answers exactly like a dataset that does not exist (404
 *   `Unknown dataset: <id>`), so its existence does not leak. Administrators see every dataset.
 * - access rules (security index, per dataset and per user, group or `anonymous`): a record filter (a
 *   `q` expression, `#attr` allowed) and hidden fields. The caller's own rules (their user, each of
 *   their groups) all apply: filters are ANDed, each as its own `bool.filter` clause beside the user's
 *   query, so no `OR` of the user can widen them; hidden fields are united and behave as unknown
 *   fields everywhere. A caller without a rule of their own gets the dataset's `anonymous` rule, the
 *   default rule: signing in never widens access unless a rule grants it (administrators excepted).
 */
import type { Request } from 'express';
import type { DatasetDescriptor } from '../datasets/descriptor';
import { GatewayError, unknownDataset } from '../errors';
import type { Backend } from '../opensearch/backend';
import { compileQuery, type OsQuery, type QuerySchema } from '../query';
import type { StoredRecord } from '../responses/record';
import type { AccessRule, Attributes } from './identity-store';
import { catalogVisibilityFilter } from './catalog-visibility';
import { principalOf, type Principal } from './principal';

export {
  CATALOG_VISIBILITY_FIELD,
  CATALOG_VISIBILITY_MAPPING,
  MATCH_CATALOG_DOCS_WITHOUT_VISIBILITY,
  catalogVisibilityFields,
  catalogVisibilityFilter,
  type CatalogVisibility,
} from './catalog-visibility';

export interface Access {
  principal: Principal;
  /** The descriptor with hidden fields removed from `fields`: what the caller may know of. */
  descriptor: DatasetDescriptor;
  /** The descriptor as loaded: record filters are compiled against it (they may use hidden fields). */
  source: DatasetDescriptor;
  /** Names of the fields hidden from the caller. */
  hidden: ReadonlySet<string>;
  /** `q` expressions the caller's records must all match (empty: every record). */
  recordFilters: string[];
  /** The caller's attributes, for `#attr` in record filters (and in the caller's own q). */
  attributes: Attributes;
}

/** The realm of every authentication challenge of the gateway. */
export const AUTH_REALM = 'ods';

/** 401 for an anonymous caller on a restricted dataset (RFC 6750 §3.1: a challenge without `error`). */
export function authenticationRequired(): GatewayError {
  return new GatewayError('unauthorized', 'Authentication required: send an API key (Authorization: Apikey <key>) or an OAuth2 access token', {
    headers: { 'WWW-Authenticate': `Bearer realm="${AUTH_REALM}"` },
  });
}

/** True when the principal may see the dataset at all. */
export function canSee(principal: Principal, d: Pick<DatasetDescriptor, 'visibility'>): boolean {
  const v = d.visibility;
  if (v === 'public') return true;
  if (principal.kind !== 'user') return false;
  if (principal.admin) return true;
  return v.restricted.users.includes(principal.userId) || v.restricted.groups.some((g) => principal.groups.includes(g));
}

/** True when the rule names the principal: their user or one of their groups (never `anonymous`). */
export function ruleNames(rule: AccessRule, principal: Principal): boolean {
  const s = rule.subject;
  if (s.type === 'anonymous' || principal.kind !== 'user') return false;
  return s.type === 'user' ? s.name === principal.userId : principal.groups.includes(s.name);
}

/**
 * The rules of a dataset that apply to the principal:
 * - the rules naming them (their user, their groups), all of them, when there is at least one: an
 *   administrator granted those rules on purpose, they replace the default;
 * - otherwise the `anonymous` rule, which is the dataset's DEFAULT rule: it applies to anonymous
 *   callers and to every authenticated user without a rule of their own, so that signing in never
 *   shows more than the anonymous view unless a rule grants it (v1: the default security of a
 *   dataset applies to everyone, specific user and group permissions override it);
 * - administrators without a rule of their own are not restricted (they manage the rules).
 */
export function applicableRules(principal: Principal, datasetId: string, rules: readonly AccessRule[]): AccessRule[] {
  const ofDataset = rules.filter((r) => r.dataset === datasetId);
  const own = ofDataset.filter((r) => ruleNames(r, principal));
  if (own.length > 0) return own;
  if (principal.kind === 'user' && principal.admin) return [];
  return ofDataset.filter((r) => r.subject.type === 'anonymous');
}

/**
 * The caller's view of a dataset (pure). Throws 401 (anonymous, restricted) or 404 (authenticated
 * without rights, the same error as an unknown dataset).
 */
export function accessFor(principal: Principal, d: DatasetDescriptor, rules: readonly AccessRule[]): Access {
  if (!canSee(principal, d)) {
    throw principal.kind === 'anonymous' ? authenticationRequired() : unknownDataset(d.datasetid);
  }
  const applying = applicableRules(principal, d.datasetid, rules);
  const hidden = new Set(applying.flatMap((r) => r.hiddenFields));
  const recordFilters = applying.map((r) => r.recordFilter).filter((q): q is string => q !== undefined && q.trim() !== '');
  const descriptor = hidden.size === 0 ? d : { ...d, fields: d.fields.filter((f) => !hidden.has(f.name)) };
  return {
    principal,
    descriptor,
    source: d,
    hidden,
    recordFilters,
    attributes: principal.kind === 'user' ? principal.attributes : {},
  };
}

/** Where the access rules of a dataset come from; attached to each request by the authentication middleware. */
export interface AccessRuleSource {
  accessRules(dataset: string): Promise<AccessRule[]>;
  /** Every rule of every dataset (the catalog shows many datasets at once). */
  allAccessRules(): Promise<AccessRule[]>;
}

const RULES = Symbol('accessRules');

export function setAccessRuleSource(req: Request, source: AccessRuleSource): void {
  (req as unknown as { [RULES]?: AccessRuleSource })[RULES] = source;
}

function ruleSourceOf(req: Request): AccessRuleSource {
  const source = (req as unknown as { [RULES]?: AccessRuleSource })[RULES];
  if (!source) throw new GatewayError('internal', 'Permissions are not wired (authentication middleware missing)');
  return source;
}

/**
 * THE permission check of every dataset endpoint: the caller's view of the dataset, or 401/404.
 * Fails closed: a request that did not go through the authentication middleware is a 500, never an
 * unfiltered answer.
 */
export async function resolveAccess(req: Request, d: DatasetDescriptor): Promise<Access> {
  const source = ruleSourceOf(req);
  const principal = principalOf(req);
  // Visibility first: a caller who may not see the dataset learns nothing more, at no store cost.
  if (!canSee(principal, d)) return accessFor(principal, d, []);
  return accessFor(principal, d, await source.accessRules(d.datasetid));
}

// ---- record filters -----------------------------------------------------------------------------

/** The query schema of the caller: the visible fields; hidden ones behave as unknown. */
export function querySchemaOf(access: Access): QuerySchema {
  return { fields: access.descriptor.fields, hidden: access.hidden };
}

/**
 * The caller's record filters as OpenSearch clauses, one per rule. They are compiled against the
 * full schema (a rule may filter on a field it hides) with the caller's attributes (`#attr`). A rule
 * that does not compile is a 500 whose body says nothing of the rule (the log has the cause): the
 * caller must neither see unfiltered records nor learn the filter.
 */
export function recordFilterClauses(access: Access, now: Date): OsQuery[] {
  return access.recordFilters.map((q) => {
    try {
      return compileQuery(q, { schema: { fields: access.source.fields }, now, attributes: access.attributes, timezone: 'UTC' });
    } catch (e) {
      throw new GatewayError('internal', `An access rule of dataset ${access.source.datasetid} has an invalid record filter`, { cause: e });
    }
  });
}

/**
 * Adds mandatory filters to a `_search` body (in place, and returns it): the body's query becomes a
 * `must` beside them, never their parent, so nothing in the user's query (an `OR`, a `NOT`) can
 * widen them. Hits, `nhits` and aggregations (facets, analyze, geocluster) are all computed inside
 * the query, so all of them are restricted; a `post_filter` only narrows further.
 */
export function withMandatoryFilters<T extends Record<string, unknown>>(body: T, clauses: readonly unknown[]): T {
  if (clauses.length === 0) return body;
  const query = body.query ?? { match_all: {} };
  (body as Record<string, unknown>).query = { bool: { must: [query], filter: [...clauses] } };
  return body;
}

/**
 * Record lookup under record filters: the record only if it matches every filter (else undefined,
 * the same 404 as an unknown record). Without filters, a plain GET by id.
 */
export async function getPermittedRecord(backend: Backend, access: Access, recordId: string, now: Date): Promise<StoredRecord | undefined> {
  const datasetId = access.source.datasetid;
  if (access.recordFilters.length === 0) return backend.getRecord(datasetId, recordId);
  const body = withMandatoryFilters({ size: 1, query: { ids: { values: [recordId] } } as unknown }, recordFilterClauses(access, now));
  const res = (await backend.searchRecords(datasetId, body)) as { hits?: { hits?: { _source?: StoredRecord }[] } };
  return res.hits?.hits?.[0]?._source;
}

/**
 * The number of records the caller may see: the loaded count without record filters, else a count
 * under them (a caller must not learn how many records a filter hides from them).
 */
export async function permittedRecordsCount(backend: Backend, access: Access, now: Date): Promise<number | undefined> {
  const loaded = access.source.metas.records_count;
  if (access.recordFilters.length === 0) return loaded;
  const body = withMandatoryFilters({ size: 0, track_total_hits: true } as Record<string, unknown>, recordFilterClauses(access, now));
  const res = (await backend.searchRecords(access.source.datasetid, body)) as { hits?: { total?: number | { value?: number } } };
  const total = res.hits?.total;
  return typeof total === 'number' ? total : (total?.value ?? 0);
}

/**
 * The dataset object's view for the caller: hidden fields left out, `records_count` counting only
 * the records the caller may see (dataset lookup and catalog alike).
 */
export async function callerDescriptor(backend: Backend, access: Access, now: Date): Promise<DatasetDescriptor> {
  const d = access.descriptor;
  if (access.recordFilters.length === 0) return d;
  const count = await permittedRecordsCount(backend, access, now);
  return { ...d, metas: { ...d.metas, ...(count === undefined ? {} : { records_count: count }) } };
}

// ---- catalog ------------------------------------------------------------------------------------

/** At most this many record counts run at once for one catalog page. */
const CATALOG_COUNT_CONCURRENCY = 8;

/**
 * The caller's view of each dataset of a catalog page (after dropInvisibleCatalogHits, so every one
 * is visible): the same view as the dataset lookup gives (callerDescriptor), with every rule read
 * once for the page.
 */
export async function catalogViews(req: Request, backend: Backend, descriptors: readonly DatasetDescriptor[], now: Date): Promise<DatasetDescriptor[]> {
  if (descriptors.length === 0) return [];
  const principal = principalOf(req);
  const rules = await ruleSourceOf(req).allAccessRules();
  const out: DatasetDescriptor[] = new Array<DatasetDescriptor>(descriptors.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < descriptors.length; i = next++) {
      const d = descriptors[i]!;
      out[i] = await callerDescriptor(backend, accessFor(principal, d, rules), now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CATALOG_COUNT_CONCURRENCY, descriptors.length) }, worker));
  return out;
}

/** catalogVisibilityFilter for the caller of a request. */
export const catalogFilterFor = (req: Request): Record<string, unknown> | undefined => catalogVisibilityFilter(principalOf(req));

/**
 * Drops, from a catalog `_search` response (in place), the hits whose stored descriptor the caller
 * may not see: the second check that makes catalog listings exact whatever the index holds.
 */
export function dropInvisibleCatalogHits(req: Request, response: Record<string, unknown>): void {
  const principal = principalOf(req);
  const hits = (response as { hits?: { hits?: { _source?: { dataset?: { visibility?: unknown } } }[] } }).hits;
  if (!hits?.hits) return;
  hits.hits = hits.hits.filter((h) => {
    const v = h._source?.dataset?.visibility ?? 'public';
    return canSee(principal, { visibility: v as DatasetDescriptor['visibility'] });
  });
}
