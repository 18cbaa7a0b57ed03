// The Information tab: the dataset's metas, its fields and its attachments.
import { fill, h, safeUrl } from '../common/dom.js';

const list = (v) => (Array.isArray(v) ? v.join(', ') : v);

export function renderInformation(panel, dataset) {
  const m = dataset.metas ?? {};
  const rows = [
    ['Publisher', m.publisher],
    ['License', m.license],
    ['Language', m.language],
    ['Themes', list(m.theme)],
    ['Keywords', list(m.keyword)],
    ['Records', typeof m.records_count === 'number' ? m.records_count.toLocaleString('en-US') : undefined],
    ['Modified', m.modified],
    ['Time zone', m.timezone],
    ['References', m.references],
    ['Dataset id', dataset.datasetid],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  const value = (k, v) => {
    const url = k === 'References' ? safeUrl(String(v)) : undefined;
    return url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, String(v)) : String(v);
  };
  const annotations = (f) =>
    (f.annotations ?? []).map((a) => h('span', { class: 'tag' }, a.args ? `${a.name}: ${a.args.join(', ')}` : a.name));
  const base = `/api/datasets/1.0/${encodeURIComponent(dataset.datasetid)}`;
  fill(
    panel,
    h('h2', {}, 'About this dataset'),
    h('dl', { class: 'metas' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, value(k, v))])),
    h('h2', {}, 'Fields'),
    h(
      'table',
      { class: 'fields' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Label'), h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'Description'), h('th', {}, 'Annotations'))),
      h('tbody', {}, (dataset.fields ?? []).map((f) => h('tr', {}, h('td', {}, f.label), h('td', {}, h('code', {}, f.name)), h('td', {}, f.type), h('td', {}, f.description ?? ''), h('td', {}, annotations(f))))),
    ),
    (dataset.attachments ?? []).length > 0
      ? [
          h('h2', {}, 'Attachments'),
          h('ul', {}, dataset.attachments.map((a) => h('li', {}, h('a', { href: `${base}/attachments/${encodeURIComponent(a.id)}/` }, a.title), ` (${a.mimetype})`))),
        ]
      : null,
  );
}
