// The Export tab: downloads of the filtered records (the streamed download API: every record, no
// 10,000 limit) and the same search as an API call, for developers.
import { linkWithCredentials, timezone } from '../common/api.js';
import { count, fill, h } from '../common/dom.js';

export function renderExports(panel, dataset, filters, nhits) {
  const id = dataset.datasetid;
  const geo = (dataset.fields ?? []).some((f) => f.type === 'geo_point_2d' || f.type === 'geo_shape');
  const base = [['dataset', id], ...filters, ['timezone', timezone()]];
  const link = (format, label, note) =>
    h(
      'li',
      {},
      h('a', { class: 'download button', href: linkWithCredentials('/api/records/1.0/download/', [...base, ['format', format]]), download: `${id}.${format}`, dataset: { format } }, label),
      ' ',
      h('span', { class: 'muted' }, note),
    );
  const apiUrl = `${window.location.origin}/api/records/1.0/search/?${new URLSearchParams([...base, ['rows', '10']].map(([k, v]) => [k, String(v)]))}`;
  fill(
    panel,
    h('h2', {}, 'Download'),
    h('p', {}, count(nhits, { id: 'export-count' }), nhits === 1 ? ' record' : ' records', filters.length > 0 ? ', with the current filters.' : '.'),
    h(
      'ul',
      { class: 'downloads' },
      link('csv', 'CSV', 'semicolon-separated, for spreadsheets'),
      link('json', 'JSON', 'an array of records'),
      geo ? link('geojson', 'GeoJSON', 'for maps and GIS tools') : null,
    ),
    h('h2', {}, 'API'),
    h('p', {}, 'The same search through the API (add your API key as ', h('code', {}, 'apikey='), ' or an ', h('code', {}, 'Authorization'), ' header):'),
    h('pre', { class: 'api-url' }, h('code', { id: 'export-api-url' }, apiUrl)),
    h('p', {}, h('a', { href: '/console/#/Records/searchRecords' }, 'Try the records API in the console'), ' · ', h('a', { href: '/api/openapi.json' }, 'OpenAPI document')),
  );
}
