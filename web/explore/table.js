// The records of the current page as a table: sortable columns, paging within the 10,000 window
// of the search API (the export has no limit).
import { count, fill, formatCount, h, safeUrl } from '../common/dom.js';

const WINDOW = 10000;
const has = (f, a) => (f.annotations ?? []).some((x) => x.name === a);
const unitOf = (f) => (f.annotations ?? []).find((a) => a.name === 'unit')?.args?.[0];

/** Sortable: numbers and dates, and text fields annotated `sortable` (the v1 rules). */
export const isSortable = (f) => f.type === 'int' || f.type === 'double' || f.type === 'date' || f.type === 'datetime' || (f.type === 'text' && has(f, 'sortable'));

/** v1: a bare number or date key sorts descending, a bare text key ascending; `-` reverses. */
function direction(f, sort) {
  if (sort === f.name) return f.type === 'text' ? 'ascending' : 'descending';
  if (sort === `-${f.name}`) return f.type === 'text' ? 'descending' : 'ascending';
  return undefined;
}

/** Clicking a header: its natural order, then the other one, then no sort. */
function nextSort(f, sort) {
  if (sort === f.name) return `-${f.name}`;
  if (sort === `-${f.name}`) return '';
  return f.name;
}

/** 2018-02-03T06:27:05.530000+00:00 → 2018-02-03 06:27:05 (+00:00 as UTC); the full value is the cell's title. */
function readableDatetime(s) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(s);
  if (!m) return s;
  const zone = !m[3] ? '' : m[3] === 'Z' || m[3] === '+00:00' ? ' UTC' : ` ${m[3]}`;
  return `${m[1]} ${m[2]}${zone}`;
}

function cell(dataset, f, v) {
  if (v === undefined || v === null) return h('td', { class: 'empty' });
  switch (f.type) {
    case 'int':
    case 'double': {
      const unit = unitOf(f);
      return h('td', { class: 'number' }, `${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 6 }) : String(v)}${unit ? ` ${unit}` : ''}`);
    }
    case 'datetime':
      return h('td', { class: 'date', title: String(v) }, readableDatetime(String(v)));
    case 'geo_point_2d':
      return h('td', { class: 'geo' }, Array.isArray(v) ? `${Number(v[0]).toFixed(4)}, ${Number(v[1]).toFixed(4)}` : '');
    case 'geo_shape':
      return h('td', { class: 'geo' }, v && typeof v === 'object' && v.type ? v.type : 'shape');
    case 'file': {
      const id = v && typeof v === 'object' ? v.id : undefined;
      const url = id ? safeUrl(`/api/datasets/1.0/${encodeURIComponent(dataset.datasetid)}/files/${encodeURIComponent(id)}/`) : undefined;
      return h('td', {}, url ? h('a', { href: url, target: '_blank', rel: 'noopener' }, v.filename ?? 'file') : '');
    }
    default: {
      const s = String(v);
      const link = /^https?:\/\//.test(s) ? safeUrl(s) : undefined;
      const text = s.length > 140 ? `${s.slice(0, 139)}…` : s;
      return h('td', { title: s.length > 140 ? s : null }, link ? h('a', { href: link, target: '_blank', rel: 'noopener noreferrer' }, text) : text);
    }
  }
}

/** options: { dataset, records, nhits, state, onSort(sort), onPage(start, rows) } */
export function renderTable(panel, o) {
  const fields = o.dataset.fields ?? [];
  const { start, rows, sort } = o.state;
  const head = h(
    'tr',
    {},
    fields.map((f) => {
      const dir = direction(f, sort);
      const label = h('span', {}, f.label);
      if (!isSortable(f)) return h('th', { scope: 'col', title: f.name, dataset: { field: f.name } }, label);
      return h(
        'th',
        { scope: 'col', title: `${f.name}: click to sort`, 'aria-sort': dir ?? 'none', class: 'sortable', dataset: { field: f.name } },
        h('button', { type: 'button', class: 'sort', onclick: () => o.onSort(nextSort(f, sort)) }, label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ' ↕')),
      );
    }),
  );
  const body = o.records.map((r) =>
    h(
      'tr',
      { dataset: { recordid: r.recordid } },
      fields.map((f) => {
        const td = cell(o.dataset, f, r.fields[f.name]);
        td.dataset.field = f.name;
        if (r.fields[f.name] !== undefined && typeof r.fields[f.name] !== 'object') td.dataset.value = String(r.fields[f.name]);
        return td;
      }),
    ),
  );
  const last = Math.min(o.nhits, start + o.records.length);
  const reachable = Math.min(o.nhits, WINDOW);
  const pager = h(
    'div',
    { class: 'pager' },
    h('span', { class: 'range', id: 'table-range', dataset: { first: String(o.nhits === 0 ? 0 : start + 1), last: String(last), total: String(o.nhits) } },
      'Records ', formatCount(o.nhits === 0 ? 0 : start + 1), '–', formatCount(last), ' of ', count(o.nhits)),
    h('button', { type: 'button', id: 'table-previous', disabled: start === 0, onclick: () => o.onPage(Math.max(0, start - rows), rows) }, '← Previous'),
    h('button', { type: 'button', id: 'table-next', disabled: start + rows >= reachable, onclick: () => o.onPage(start + rows, rows) }, 'Next →'),
    h(
      'label',
      {},
      'Rows ',
      (() => {
        const s = h('select', { id: 'table-rows', onchange: (e) => o.onPage(0, Number(e.target.value)) }, [10, 20, 50, 100].map((n) => h('option', { value: n }, String(n))));
        s.value = String(rows);
        return s;
      })(),
    ),
    o.nhits > WINDOW ? h('span', { class: 'hint' }, ` Pages stop at ${formatCount(WINDOW)} records: the export has them all.`) : null,
  );
  fill(panel, pager, h('div', { class: 'table-scroll' }, h('table', { class: 'records', id: 'records-table' }, h('thead', {}, head), h('tbody', {}, body))));
  if (o.records.length === 0) panel.append(h('p', { class: 'muted' }, 'No record matches.'));
}
