/**
 * Dataset permissions as pure functions of a Principal: who may see a dataset, which of its records
 * and which of its fields. No request, no backend: the dataset-view service (src/app/dataset-view.ts)
 * reads the descriptor and the access rules and calls these, and every record endpoint goes through it:
 *
 *   const access = accessFor(principal, descriptor, rules);   // throws 401 / 404 (see below)
 *   // then access.descriptor (hidden fields removed) for rendering, facets, geofilters,
 *   // querySchemaOf(access) as the query schema, and
 *   body = withMandatoryFilters(body, recordFilterClauses(access, now));   // on every _search body
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
import type { DatasetDescriptor } from '../datasets/descriptor';
import { GatewayError, unknownDataset } from '../errors';
import { compileQuery, type OsQuery, type QuerySchema } from '../query';
import type { AccessRule, Attributes } from './identity-store';
import type { Principal } from './principal';

export { catalogVisibilityFilter } from './catalog-visibility';

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

/** Where the access rules of a dataset come from (the identity store; src/http/context.ts attaches it to each request). */
export interface AccessRuleSource {
  accessRules(dataset: string): Promise<AccessRule[]>;
  /** Every rule of every dataset (the catalog shows many datasets at once). */
  allAccessRules(): Promise<AccessRule[]>;
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
 * A `_search` body with mandatory filters added (a new object; the given body is not changed): its query becomes a
 * `must` beside them, never their parent, so nothing in the user's query (an `OR`, a `NOT`) can
 * widen them. Hits, `nhits` and aggregations (facets, analyze, geocluster) are all computed inside
 * the query, so all of them are restricted; a `post_filter` only narrows further.
 */
export function withMandatoryFilters<T extends Record<string, unknown>>(body: T, clauses: readonly unknown[]): T {
  if (clauses.length === 0) return body;
  const query = body.query ?? { match_all: {} };
  return { ...body, query: { bool: { must: [query], filter: [...clauses] } } };
}

// ---- catalog ------------------------------------------------------------------------------------

/**
 * Drops, from a catalog `_search` response (in place), the hits whose stored descriptor the caller
 * may not see: the second check that makes catalog listings exact whatever the index holds.
 */
export function dropInvisibleCatalogHits(principal: Principal, response: Record<string, unknown>): void {
  const hits = (response as { hits?: { hits?: { _source?: { dataset?: { visibility?: unknown } } }[] } }).hits;
  if (!hits?.hits) return;
  hits.hits = hits.hits.filter((h) => {
    const v = h._source?.dataset?.visibility ?? 'public';
    return canSee(principal, { visibility: v as DatasetDescriptor['visibility'] });
  });
}
