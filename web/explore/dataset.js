// /explore/dataset/<id>/: one dataset as a portal visitor expects it — its description, a search box
// and facets, and the Table, Map, Chart and Export tabs — all through the v1 API with the visitor's
// credentials. The filters live in the page URL (v1 parameter names).
import { apiGet, timezone } from '../common/api.js';
import { count, errorText, fill, h, setStatus } from '../common/dom.js';
import { renderFacets } from '../common/facets.js';
import { renderActiveFilters } from '../common/filters.js';
import { renderHeader } from '../common/header.js';
import { filterPairs, readState, stateSearch, toggleExclude, toggleRefine, withChanges } from '../common/state.js';
import { createChart } from './chart.js';
import { renderExports } from './exports.js';
import { renderInformation } from './info.js';
import { createMap, geoKindOf } from './map.js';
import { renderTable } from './table.js';

const TABS = ['information', 'table', 'map', 'chart', 'export'];
const datasetId = decodeURIComponent(window.location.pathname.replace(/^\/explore\/dataset\/([^/]+).*$/, '$1'));
const has = (f, a) => (f.annotations ?? []).some((x) => x.name === a);

let state = readState();
let dataset;
let nhits = 0;
let searchController;
/** Which tabs show data older than the current filters. */
const stale = new Set(TABS);

/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
const map = createMap($('tab-map'));
const chart = createChart($('tab-chart'), { onChoice: (c) => go(withChanges(state, { chart: c }), { reload: false }) });

const labels = () => new Map((dataset?.fields ?? []).map((f) => [f.name, f.label]));
const facetFields = () => (dataset?.fields ?? []).filter((f) => has(f, 'facet')).map((f) => f.name);
const disjunctive = () => new Set((dataset?.fields ?? []).filter((f) => has(f, 'disjunctive')).map((f) => f.name));
const dateFields = () => new Set((dataset?.fields ?? []).filter((f) => f.type === 'date' || f.type === 'datetime').map((f) => f.name));
const filters = () => filterPairs(state, disjunctive());

function currentTab() {
  const visible = TABS.filter((t) => !$(`tab-button-${t}`).hidden);
  return visible.includes(state.tab) ? state.tab : 'table';
}

function go(next, { push = true, reload = true } = {}) {
  const filtersChanged = JSON.stringify(filterPairs(next)) !== JSON.stringify(filterPairs(state));
  const chartChanged = JSON.stringify(next.chart) !== JSON.stringify(state.chart);
  state = next;
  const url = `${window.location.pathname}${stateSearch(state)}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
  if (filtersChanged) for (const t of ['map', 'chart', 'export']) stale.add(t);
  if (chartChanged) stale.add('chart');
  if (reload) search();
  showTab();
}

function showTab() {
  const tab = currentTab();
  for (const t of TABS) {
    const selected = t === tab;
    $(`tab-button-${t}`).setAttribute('aria-selected', String(selected));
    $(`tab-${t}`).hidden = !selected;
  }
  refreshTab(tab);
}

/** Map, chart and export follow the search (they need its count); the table is drawn by search(). */
function refreshTab(tab) {
  if (tab === 'map') map.resize(); // a panel that was hidden must be measured again
  if (!dataset || !stale.has(tab) || $('tab-table').dataset.status === 'loading') return;
  if (tab === 'map') {
    stale.delete(tab);
    map.show(dataset, filters(), nhits);
  } else if (tab === 'chart') {
    stale.delete(tab);
    chart.show(dataset, filters(), state.chart);
  } else if (tab === 'export') {
    stale.delete(tab);
    renderExports($('tab-export'), dataset, filters(), nhits);
  }
}

async function search() {
  searchController?.abort();
  searchController = new AbortController();
  const table = $('tab-table');
  const facets = $('dataset-facets');
  setStatus(table, 'loading');
  setStatus(facets, 'loading');
  $('dataset-q').value = state.q;
  renderActiveFilters($('dataset-filters'), state, {
    labels: labels(),
    onClearQuery: () => go(withChanges(state, { q: '', start: 0 })),
    onRemove: (kind, f, v) => go(kind === 'refine' ? toggleRefine(state, f, v, { disjunctive: disjunctive().has(f) }) : toggleExclude(state, f, v)),
    onClearAll: () => go(withChanges(state, { q: '', refine: new Map(), exclude: new Map(), start: 0 })),
  });
  const pairs = [
    ['dataset', datasetId],
    ...filters(),
    ...facetFields().map((f) => ['facet', f]),
    ['rows', state.rows],
    ['start', state.start],
    ['timezone', timezone()],
  ];
  if (state.sort) pairs.push(['sort', state.sort]);
  try {
    const body = await apiGet('/api/records/1.0/search/', pairs, { signal: searchController.signal });
    nhits = body.nhits;
    fill($('dataset-summary'), count(body.nhits, { id: 'dataset-count' }), body.nhits === 1 ? ' record' : ' records', state.q || state.refine.size || state.exclude.size ? ' match the filters' : '');
    renderFacets(facets, body.facet_groups, {
      labels: labels(),
      order: facetFields(),
      dateFields: dateFields(),
      empty: facetFields().length === 0 ? 'This dataset has no facet.' : 'No value to filter on.',
      onRefine: (f, p) => go(toggleRefine(state, f, p, { disjunctive: disjunctive().has(f) })),
      onExclude: (f, p) => go(toggleExclude(state, f, p)),
    });
    renderTable(table, {
      dataset,
      records: body.records,
      nhits: body.nhits,
      state,
      onSort: (sort) => go(withChanges(state, { sort, start: 0 })),
      onPage: (start, rows) => go(withChanges(state, { start, rows })),
    });
    setStatus(table, 'ready');
    setStatus(facets, 'ready');
    refreshTab(currentTab());
  } catch (e) {
    if (e.name === 'AbortError') return;
    fill($('dataset-summary'));
    fill(table);
    setStatus(table, 'error', errorText(e));
    setStatus(facets, 'error');
  }
}

function renderHead() {
  const m = dataset.metas ?? {};
  document.title = `${m.title ?? dataset.datasetid}`;
  fill($('crumb'), m.title ?? dataset.datasetid);
  // The description is HTML written by the publisher: sanitised (DOMPurify) to text formatting and links.
  const description = h('div', { class: 'description' });
  description.append(
    window.DOMPurify.sanitize(String(m.description ?? ''), {
      ALLOWED_TAGS: ['p', 'br', 'a', 'b', 'strong', 'i', 'em', 'code', 'ul', 'ol', 'li', 'span'],
      ALLOWED_ATTR: ['href', 'title'],
      RETURN_DOM_FRAGMENT: true,
    }),
  );
  for (const a of description.querySelectorAll('a')) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  fill(
    $('dataset-head'),
    h('h1', {}, m.title ?? dataset.datasetid),
    description,
    h('p', { class: 'meta' }, m.publisher ? h('span', {}, m.publisher) : null, m.license ? h('span', {}, m.license) : null, h('span', {}, count(m.records_count ?? 0), ' records')),
  );
  setStatus($('dataset-head'), 'ready');
}

async function start() {
  renderHeader('explore');
  for (const t of TABS) $(`tab-button-${t}`).addEventListener('click', () => go(withChanges(state, { tab: t }), { reload: false }));
  $('dataset-search').addEventListener('submit', (e) => {
    e.preventDefault();
    go(withChanges(state, { q: $('dataset-q').value.trim(), start: 0 }));
  });
  window.addEventListener('popstate', () => {
    const next = readState();
    const reload = JSON.stringify([filterPairs(next), next.start, next.rows, next.sort]) !== JSON.stringify([filterPairs(state), state.start, state.rows, state.sort]);
    go(next, { push: false, reload });
  });
  window.addEventListener('credentials-changed', () => load());
  await load();
}

async function load() {
  setStatus($('dataset-head'), 'loading');
  try {
    dataset = await apiGet(`/api/datasets/1.0/${encodeURIComponent(datasetId)}/`, [['extrametas', 'true']]);
  } catch (e) {
    dataset = undefined;
    fill($('dataset-head'), h('h1', {}, datasetId));
    setStatus($('dataset-head'), 'error', e.status === 404 ? 'Unknown dataset, or one you may not see: set an API key (top right) if you have one.' : errorText(e));
    for (const t of ['tab-table', 'dataset-facets']) setStatus($(t), 'error');
    return;
  }
  renderHead();
  renderInformation($('tab-information'), dataset);
  $('tab-button-map').hidden = geoKindOf(dataset) === 'none';
  for (const t of TABS) stale.add(t);
  go(state, { push: false });
}

start();
