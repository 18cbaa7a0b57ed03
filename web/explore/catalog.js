// /explore/: the catalog, searched and filtered through /api/datasets/1.0/search/.
import { apiGet, timezone } from '../common/api.js';
import { count, errorText, fill, formatCount, h, setStatus } from '../common/dom.js';
import { renderFacets } from '../common/facets.js';
import { renderActiveFilters } from '../common/filters.js';
import { renderHeader } from '../common/header.js';
import { filterPairs, readState, stateSearch, toggleExclude, toggleRefine, withChanges } from '../common/state.js';

const ROWS = 20;
const FACETS = ['theme', 'keyword', 'publisher', 'license', 'language'];
const LABELS = new Map([
  ['theme', 'Themes'],
  ['keyword', 'Keywords'],
  ['publisher', 'Publishers'],
  ['license', 'Licenses'],
  ['language', 'Languages'],
]);
const MULTIVALUED = new Set(['theme', 'keyword']);

let state = readState();
let controller;

/** The text of an HTML description, parsed in an inert document (nothing runs, nothing loads). */
function plainText(html, max = 240) {
  const text = (new DOMParser().parseFromString(String(html ?? ''), 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const list = (v) => (Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : []);

function datasetCard(d) {
  const m = d.metas ?? {};
  const href = `/explore/dataset/${encodeURIComponent(d.datasetid)}/`;
  const modified = m.modified ? new Date(m.modified) : undefined;
  return h(
    'li',
    { class: 'dataset-card', dataset: { datasetid: d.datasetid } },
    h('h2', {}, h('a', { href }, m.title ?? d.datasetid)),
    h('p', { class: 'description' }, plainText(m.description)),
    h(
      'p',
      { class: 'meta' },
      h('span', {}, count(m.records_count ?? 0, { class: 'count records-count' }), ' records'),
      m.publisher ? h('span', {}, m.publisher) : null,
      modified && !Number.isNaN(modified.getTime()) ? h('span', {}, `Modified ${modified.toLocaleDateString('en-GB')}`) : null,
      (d.features ?? []).filter((f) => f === 'geo' || f === 'timeserie').map((f) => h('span', { class: `badge feature-${f}` }, f === 'geo' ? 'Map' : 'Time series')),
    ),
    h('p', { class: 'tags' }, list(m.theme).map((t) => h('span', { class: 'tag theme' }, t)), list(m.keyword).map((k) => h('span', { class: 'tag' }, k))),
  );
}

function go(next, { push = true } = {}) {
  state = next;
  const url = `/explore/${stateSearch(state)}`;
  if (push) history.pushState(null, '', url);
  load();
}

async function load() {
  controller?.abort();
  controller = new AbortController();
  const listEl = document.getElementById('catalog-list');
  const facetsEl = document.getElementById('catalog-facets');
  setStatus(listEl, 'loading');
  setStatus(facetsEl, 'loading');
  const input = /** @type {HTMLInputElement} */ (document.getElementById('catalog-q'));
  input.value = state.q;
  renderActiveFilters(document.getElementById('catalog-filters'), state, {
    labels: LABELS,
    onClearQuery: () => go(withChanges(state, { q: '', start: 0 })),
    onRemove: (kind, f, v) => go(kind === 'refine' ? toggleRefine(state, f, v, { disjunctive: MULTIVALUED.has(f) }) : toggleExclude(state, f, v)),
    onClearAll: () => go(withChanges(state, { q: '', refine: new Map(), exclude: new Map(), start: 0 })),
  });
  const pairs = [
    ...filterPairs(state),
    ...FACETS.map((f) => ['facet', f]),
    ['rows', ROWS],
    ['start', state.start],
    ['timezone', timezone()],
  ];
  // Without a query, A to Z (sortable text sorts ascending when bare); with one, by relevance.
  if (!state.q) pairs.push(['sort', 'title']);
  try {
    const body = await apiGet('/api/datasets/1.0/search/', pairs, { signal: controller.signal });
    fill(listEl, body.datasets.map(datasetCard));
    if (body.datasets.length === 0) listEl.append(h('li', { class: 'muted' }, 'No dataset matches.'));
    const first = body.nhits === 0 ? 0 : state.start + 1;
    fill(
      document.getElementById('catalog-summary'),
      count(body.nhits, { id: 'catalog-count' }),
      body.nhits === 1 ? ' dataset' : ' datasets',
      body.nhits > ROWS ? ` (${formatCount(first)}–${formatCount(state.start + body.datasets.length)})` : '',
    );
    renderPager(body.nhits);
    renderFacets(facetsEl, body.facet_groups, {
      labels: LABELS,
      order: FACETS,
      empty: 'No filter for these datasets.',
      onRefine: (f, p) => go(toggleRefine(state, f, p, { disjunctive: MULTIVALUED.has(f) })),
      onExclude: (f, p) => go(toggleExclude(state, f, p)),
    });
    setStatus(listEl, 'ready');
    setStatus(facetsEl, 'ready');
  } catch (e) {
    if (e.name === 'AbortError') return;
    fill(listEl);
    setStatus(listEl, 'error', errorText(e));
    setStatus(facetsEl, 'error');
  }
}

function renderPager(nhits) {
  const pager = document.getElementById('catalog-pager');
  const window10k = Math.min(nhits, 10000);
  const prev = h('button', { type: 'button', disabled: state.start === 0, onclick: () => go(withChanges(state, { start: Math.max(0, state.start - ROWS) })) }, '← Previous');
  const next = h('button', { type: 'button', disabled: state.start + ROWS >= window10k, onclick: () => go(withChanges(state, { start: state.start + ROWS })) }, 'Next →');
  fill(pager, nhits > ROWS ? [prev, next] : []);
}

renderHeader('explore');
document.getElementById('catalog-search').addEventListener('submit', (e) => {
  e.preventDefault();
  go(withChanges(state, { q: /** @type {HTMLInputElement} */ (document.getElementById('catalog-q')).value.trim(), start: 0 }));
});
window.addEventListener('popstate', () => go(readState(), { push: false }));
window.addEventListener('credentials-changed', () => load());
load();
