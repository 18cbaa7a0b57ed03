// The active filters of a page as removable chips: the query, refined and excluded values.
import { fill, h } from './dom.js';

/** options: { labels: Map, onClearQuery(), onRemove(kind, field, value), onClearAll() } */
export function renderActiveFilters(container, state, options) {
  const chips = [];
  const label = (f) => options.labels?.get(f) ?? f;
  const chip = (text, onRemove, kind) =>
    h('span', { class: `chip ${kind}` }, text, h('button', { type: 'button', class: 'chip-remove', 'aria-label': `Remove ${text}`, onclick: onRemove }, '×'));
  if (state.q) chips.push(chip(`Search: ${state.q}`, options.onClearQuery, 'query'));
  for (const [f, values] of state.refine) for (const v of values) chips.push(chip(`${label(f)}: ${v}`, () => options.onRemove('refine', f, v), 'refine'));
  for (const [f, values] of state.exclude) for (const v of values) chips.push(chip(`${label(f)}: not ${v}`, () => options.onRemove('exclude', f, v), 'exclude'));
  if (chips.length > 1) chips.push(h('button', { type: 'button', class: 'link clear-all', onclick: options.onClearAll }, 'Clear all'));
  fill(container, chips);
}
