// The facet list of the v1 search answers (`facet_groups`), with refine on click and an exclude button.
import { count, fill, h } from './dom.js';

const SHOWN = 8;

/** A date level's path (2014/03) is shown as 2014-03; other values as their name. */
function valueLabel(v, isDate) {
  return isDate ? v.path.replaceAll('/', '-') : v.name;
}

function valueItem(group, v, options) {
  const isDate = options.dateFields?.has(group.name);
  const stateClass = `facet-value state-${v.state}`;
  const refine = h(
    'button',
    {
      type: 'button',
      class: 'facet-refine',
      title: v.state === 'refined' ? 'Remove this filter' : `Only records with ${valueLabel(v, isDate)}`,
      onclick: () => options.onRefine(group.name, v.path),
    },
    h('span', { class: 'facet-name' }, valueLabel(v, isDate)),
    count(v.count),
  );
  const exclude = h(
    'button',
    {
      type: 'button',
      class: 'facet-exclude',
      title: v.state === 'excluded' ? 'Include again' : `Leave out ${valueLabel(v, isDate)}`,
      'aria-label': v.state === 'excluded' ? 'Include again' : 'Exclude',
      onclick: () => options.onExclude(group.name, v.path),
    },
    v.state === 'excluded' ? '↺' : '⊘',
  );
  const li = h('li', { class: stateClass, dataset: { path: v.path, count: String(v.count), state: v.state } }, h('div', { class: 'facet-row' }, refine, exclude));
  if (v.facets && v.facets.length > 0) li.append(valueList(group, v.facets, options));
  return li;
}

function valueList(group, values, options) {
  const list = h('ul', { class: 'facet-values' });
  const important = (v) => v.state !== 'displayed';
  values.forEach((v, i) => {
    const li = valueItem(group, v, options);
    if (i >= SHOWN && !important(v)) li.classList.add('extra');
    list.append(li);
  });
  const extra = values.filter((v, i) => i >= SHOWN && !important(v)).length;
  if (extra > 0) {
    list.classList.add('collapsed');
    const more = h('button', { type: 'button', class: 'facet-more link' }, `Show ${extra} more`);
    more.addEventListener('click', () => {
      const collapsed = list.classList.toggle('collapsed');
      fill(more, collapsed ? `Show ${extra} more` : 'Show fewer');
    });
    list.append(h('li', { class: 'facet-more-item' }, more));
  }
  return list;
}

/**
 * groups: the `facet_groups` of a search answer; options: { labels: Map(name → label),
 * order: [names], onRefine(field, path), onExclude(field, path), dateFields: Set, empty: text }.
 */
export function renderFacets(container, groups, options) {
  const byName = new Map((groups ?? []).map((g) => [g.name, g]));
  const names = options.order ?? [...byName.keys()];
  const sections = names
    .filter((n) => byName.has(n))
    .map((name) => {
      const group = byName.get(name);
      return h(
        'section',
        { class: 'facet-group', dataset: { facet: name } },
        h('h3', {}, options.labels?.get(name) ?? name),
        valueList(group, group.facets, options),
      );
    });
  fill(container, sections.length > 0 ? sections : h('p', { class: 'muted' }, options.empty ?? 'No filter available.'));
}
