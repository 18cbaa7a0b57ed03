/**
 * The explore pages keep their filters in the URL with the v1 parameter names, and a facet click
 * follows the portal's rules (web/common/state.js, run here as it runs in the browser).
 */
import { filterPairs, readState, stateSearch, toggleExclude, toggleRefine } from '../../../web/common/state.js';

type State = ReturnType<typeof readState>;
const state = (search: string): State => readState(search);
const refines = (s: State) => Object.fromEntries(s.refine);

describe('the page state in the URL', () => {
  it('reads the v1 names, repeated values, and the page\'s own keys', () => {
    const s = state('?q=mag+>%3D+4&refine.net=us&refine.net=ak&exclude.type=explosion&sort=-mag&start=20&rows=50&tab=map&chart.x=time%40day&refine.empty=');
    expect({ q: s.q, refine: refines(s), exclude: Object.fromEntries(s.exclude), sort: s.sort, start: s.start, rows: s.rows, tab: s.tab, chart: s.chart }).toEqual({
      q: 'mag >= 4',
      refine: { net: ['us', 'ak'] },
      exclude: { type: ['explosion'] },
      sort: '-mag',
      start: 20,
      rows: 50,
      tab: 'map',
      chart: { x: 'time@day', y: '', type: '' },
    });
  });

  it.each([['?start=-3'], ['?start=x'], ['?rows=']])('ignores a bad number (%s)', (search) => {
    expect([state(search).start, state(search).rows]).toEqual([0, 10]);
  });

  it('writes back what it read (rows 10 and start 0 are the defaults, left out)', () => {
    const search = '?q=paris&refine.country_code=FR&exclude.feature_code=PPLX&sort=population&start=10&tab=chart&chart.x=name&chart.y=COUNT&chart.type=bar';
    expect(stateSearch(state(search))).toBe(search);
    expect(stateSearch(state('?rows=10&start=0'))).toBe('');
  });

  it('gives the API the filters, with disjunctive.<field> for disjunctive facets', () => {
    const s = state('?q=x&refine.net=us&refine.net=ak&refine.type=earthquake&exclude.status=automatic');
    expect(filterPairs(s, new Set(['net']))).toEqual([
      ['q', 'x'],
      ['refine.net', 'us'],
      ['refine.net', 'ak'],
      ['disjunctive.net', 'true'],
      ['refine.type', 'earthquake'],
      ['exclude.status', 'automatic'],
    ]);
  });
});

describe('a facet click', () => {
  it.each([
    ['a value of a plain facet replaces the refined one', '?refine.f=a', 'b', false, { f: ['b'] }],
    ['a refined value is un-refined', '?refine.f=a', 'a', false, {}],
    ['a disjunctive facet collects values', '?refine.f=a', 'b', true, { f: ['a', 'b'] }],
    ['a disjunctive value is taken out alone', '?refine.f=a&refine.f=b', 'a', true, { f: ['b'] }],
    ['a child path replaces its parent', '?refine.d=2014', '2014/03', false, { d: ['2014/03'] }],
    ['a child path replaces its parent in a disjunctive facet too', '?refine.d=2014&refine.d=2016', '2014/03', true, { d: ['2016', '2014/03'] }],
    ['another field is left alone', '?refine.g=x', 'a', false, { g: ['x'], f: ['a'] }],
  ])('%s', (_name, search, value, disjunctive, expected) => {
    const field = value.includes('/') || search.includes('refine.d') ? 'd' : 'f';
    expect(refines(toggleRefine(state(search), field, value, { disjunctive }))).toEqual(expected);
  });

  it('refining or excluding restarts at the first page, and one undoes the other', () => {
    const excluded = toggleExclude(state('?refine.f=a&start=30'), 'f', 'a');
    expect([refines(excluded), Object.fromEntries(excluded.exclude), excluded.start]).toEqual([{}, { f: ['a'] }, 0]);
    const back = toggleRefine(excluded, 'f', 'a');
    expect([refines(back), Object.fromEntries(back.exclude)]).toEqual([{ f: ['a'] }, {}]);
    expect(Object.fromEntries(toggleExclude(excluded, 'f', 'a').exclude)).toEqual({});
  });

  it('does not change the state it was given', () => {
    const s = state('?refine.f=a');
    toggleRefine(s, 'f', 'b');
    toggleExclude(s, 'f', 'a');
    expect([refines(s), s.exclude.size]).toEqual([{ f: ['a'] }, 0]);
  });
});
