// The state of an explore page lives in its URL (shareable links, the Back button works) with the
// v1 parameter names: q, refine.<field>, exclude.<field>, sort, start, rows; and the page's own
// tab, chart.x, chart.y, chart.type.

export function readState(search = window.location.search) {
  const qs = new URLSearchParams(search);
  const refine = new Map();
  const exclude = new Map();
  for (const [k, v] of qs) {
    if (v === '') continue;
    const m = /^(refine|exclude)\.(.+)$/.exec(k);
    if (!m) continue;
    const target = m[1] === 'refine' ? refine : exclude;
    target.set(m[2], [...(target.get(m[2]) ?? []), v]);
  }
  const int = (name, def) => {
    const n = Number(qs.get(name));
    return Number.isInteger(n) && n >= 0 && qs.get(name) !== null && qs.get(name) !== '' ? n : def;
  };
  return {
    q: qs.get('q') ?? '',
    refine,
    exclude,
    sort: qs.get('sort') ?? '',
    start: int('start', 0),
    rows: int('rows', 10),
    tab: qs.get('tab') ?? '',
    chart: { x: qs.get('chart.x') ?? '', y: qs.get('chart.y') ?? '', type: qs.get('chart.type') ?? '' },
  };
}

/** The filters as v1 parameters: q, refine.*, exclude.*, and disjunctive.* for the given fields. */
export function filterPairs(state, disjunctive = new Set()) {
  const pairs = [];
  if (state.q) pairs.push(['q', state.q]);
  for (const [f, values] of state.refine) {
    for (const v of values) pairs.push([`refine.${f}`, v]);
    // A disjunctive facet keeps its other values (with their counts) listed, to be ORed in.
    if (disjunctive.has(f)) pairs.push([`disjunctive.${f}`, 'true']);
  }
  for (const [f, values] of state.exclude) for (const v of values) pairs.push([`exclude.${f}`, v]);
  return pairs;
}

export function stateSearch(state) {
  const pairs = filterPairs(state);
  if (state.sort) pairs.push(['sort', state.sort]);
  if (state.start) pairs.push(['start', state.start]);
  if (state.rows && state.rows !== 10) pairs.push(['rows', state.rows]);
  if (state.tab) pairs.push(['tab', state.tab]);
  if (state.chart?.x) pairs.push(['chart.x', state.chart.x]);
  if (state.chart?.y) pairs.push(['chart.y', state.chart.y]);
  if (state.chart?.type) pairs.push(['chart.type', state.chart.type]);
  const qs = new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString();
  return qs ? `?${qs}` : '';
}

const clone = (state) => ({ ...state, refine: new Map(state.refine), exclude: new Map(state.exclude), chart: { ...state.chart } });
const isUnder = (path, parent) => path === parent || path.startsWith(`${parent}/`);

/**
 * Clicking a facet value:
 * - a refined value (or one of its ancestors in a hierarchy) is un-refined;
 * - a child of a refined path replaces it (2014 → 2014/03);
 * - a disjunctive facet collects values (ORed); any other facet keeps one value.
 * Paging restarts at the first page.
 */
export function toggleRefine(state, field, path, { disjunctive = false } = {}) {
  const next = clone(state);
  const current = next.refine.get(field) ?? [];
  let values;
  if (current.includes(path)) values = current.filter((v) => v !== path);
  else if (current.some((v) => isUnder(path, v))) values = [...current.filter((v) => !isUnder(path, v)), path];
  else values = disjunctive ? [...current, path] : [path];
  if (values.length > 0) next.refine.set(field, values);
  else next.refine.delete(field);
  const ex = (next.exclude.get(field) ?? []).filter((v) => v !== path);
  if (ex.length > 0) next.exclude.set(field, ex);
  else next.exclude.delete(field);
  next.start = 0;
  return next;
}

export function toggleExclude(state, field, path) {
  const next = clone(state);
  const current = next.exclude.get(field) ?? [];
  const values = current.includes(path) ? current.filter((v) => v !== path) : [...current, path];
  if (values.length > 0) next.exclude.set(field, values);
  else next.exclude.delete(field);
  const re = (next.refine.get(field) ?? []).filter((v) => v !== path);
  if (re.length > 0) next.refine.set(field, re);
  else next.refine.delete(field);
  next.start = 0;
  return next;
}

export function withChanges(state, changes) {
  return { ...clone(state), ...changes };
}
