// The chart of a dataset: /api/records/1.0/analyze/ over the current filters, drawn with Chart.js.
//
// Group by: a date field at a precision (x=<field>&precision=year|month|day|hour), or a text field
// (its 20 most frequent values: sort=-value&maxpoints=20). Value: the count of records, or the
// average, sum, minimum or maximum of a number field (y.value.func, y.value.expr).
import { apiGet, timezone } from '../common/api.js';
import { count, errorText, fill, h, setStatus } from '../common/dom.js';

const TOP = 20;
const PRECISIONS = ['year', 'month', 'day', 'hour'];
const FUNCS = [
  ['AVG', 'Average'],
  ['SUM', 'Sum'],
  ['MIN', 'Minimum'],
  ['MAX', 'Maximum'],
];
const has = (f, a) => (f.annotations ?? []).some((x) => x.name === a);

/** The choices of a dataset: [{ value, label, params, kind }] for x, [{ value, label, params }] for y. */
export function chartChoices(dataset) {
  const fields = dataset.fields ?? [];
  const xs = [];
  for (const f of fields.filter((f) => f.type === 'date' || f.type === 'datetime')) {
    for (const p of PRECISIONS) {
      if (p === 'hour' && f.type === 'date') continue;
      xs.push({ value: `${f.name}@${p}`, label: `${f.label} (by ${p})`, kind: 'date', field: f, precision: p });
    }
  }
  const texts = fields.filter((f) => f.type === 'text');
  for (const f of [...texts.filter((f) => has(f, 'facet')), ...texts.filter((f) => !has(f, 'facet'))]) {
    xs.push({ value: f.name, label: `${f.label} (${TOP} most frequent)`, kind: 'text', field: f });
  }
  const ys = [{ value: 'COUNT', label: 'Number of records', func: 'COUNT' }];
  for (const f of fields.filter((f) => f.type === 'int' || f.type === 'double')) {
    for (const [func, name] of FUNCS) ys.push({ value: `${func}:${f.name}`, label: `${name} of ${f.label}`, func, field: f });
  }
  return { xs, ys };
}

function xLabel(x, choice) {
  if (choice.kind !== 'date' || x === null || typeof x !== 'object') return String(x);
  const pad = (n) => String(n).padStart(2, '0');
  const parts = [x.year];
  if (x.month !== undefined) parts.push(pad(x.month));
  if (x.day !== undefined) parts.push(pad(x.day));
  const date = parts.join('-');
  return x.hour !== undefined ? `${date} ${pad(x.hour)}:00` : date;
}

function analyzePairs(dataset, filters, x, y) {
  const pairs = [['dataset', dataset.datasetid], ...filters, ['timezone', timezone()], ['y.value.func', y.func]];
  if (y.field) pairs.push(['y.value.expr', y.field.name]);
  pairs.push(['x', x.field.name]);
  if (x.kind === 'date') pairs.push(['precision', x.precision]);
  else pairs.push(['sort', '-value'], ['maxpoints', TOP]);
  return pairs;
}

export function createChart(panel, { onChoice }) {
  const form = panel.querySelector('#chart-controls');
  const summary = panel.querySelector('#chart-summary');
  const canvas = panel.querySelector('#chart-canvas');
  let chart;
  let generation = 0;

  function controls(choices, x, y, type) {
    const select = (id, label, options, value) => {
      const el = h('select', { id, name: id }, options.map((o) => h('option', { value: o.value }, o.label)));
      el.value = value;
      return h('label', {}, label, ' ', el);
    };
    fill(
      form,
      select('chart-x', 'Group by', choices.xs, x.value),
      select('chart-y', 'Value', choices.ys, y.value),
      select('chart-type', 'Chart', [{ value: 'bar', label: 'Bars' }, { value: 'line', label: 'Line' }], type),
    );
    form.onchange = () => onChoice({ x: form.elements['chart-x'].value, y: form.elements['chart-y'].value, type: form.elements['chart-type'].value });
  }

  function draw(labels, values, label, type) {
    if (chart) chart.destroy();
    chart = new window.Chart(canvas, {
      type,
      data: { labels, datasets: [{ label, data: values, backgroundColor: '#3a8fd0', borderColor: '#1f5f8b', borderWidth: 1, pointRadius: labels.length > 60 ? 0 : 3 }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, title: { display: true, text: label } },
        scales: { y: { beginAtZero: true } },
      },
    });
  }

  return {
    /** Draws the chart of the filtered records; `choice` is { x, y, type } from the page state. */
    async show(dataset, filters, choice) {
      const gen = ++generation;
      const choices = chartChoices(dataset);
      if (choices.xs.length === 0) {
        setStatus(panel, 'ready', 'This dataset has no field to group records by.');
        return;
      }
      const y = choices.ys.find((c) => c.value === choice.y) ?? choices.ys[0];
      const asked = choices.xs.find((c) => c.value === choice.x);
      const type = choice.type === 'line' || choice.type === 'bar' ? choice.type : undefined;
      setStatus(panel, 'loading');
      try {
        // Without a choice: the first date field, at the first precision that gives a few points
        // (one week of earthquakes by year is one bar), else the first facet.
        const candidates = asked ? [asked] : choices.xs.filter((c) => c.kind === 'date' && c.field.name === choices.xs[0].field.name);
        let x = candidates[0] ?? choices.xs[0];
        let rows = [];
        for (const c of candidates.length > 0 ? candidates : [x]) {
          x = c;
          rows = await apiGet('/api/records/1.0/analyze/', analyzePairs(dataset, filters, c, y));
          if (gen !== generation) return;
          if (asked || c.kind !== 'date' || rows.length >= 3) break;
        }
        const chartType = type ?? (x.kind === 'date' && rows.length > 12 ? 'line' : 'bar');
        controls(choices, x, y, chartType);
        const labels = rows.map((r) => xLabel(r.x, x));
        const values = rows.map((r) => (typeof r.value === 'number' ? r.value : null));
        draw(labels, values, `${y.label} by ${x.label.replace(/ \(.*\)$/, '')}`, chartType);
        canvas.dataset.points = String(rows.length);
        if (y.func === 'COUNT') {
          const total = values.reduce((a, b) => a + (b ?? 0), 0);
          fill(
            summary,
            count(total, { id: 'chart-total' }),
            ` records in `,
            count(rows.length, { id: 'chart-points' }),
            x.kind === 'date' ? ` ${x.precision === 'day' ? 'days' : `${x.precision}s`}` : ' values',
            x.kind === 'text' && rows.length === TOP ? ` (the ${TOP} most frequent)` : '',
            '.',
          );
        } else {
          fill(summary, count(rows.length, { id: 'chart-points' }), ` points.`);
        }
        setStatus(panel, 'ready');
      } catch (e) {
        if (gen !== generation) return;
        if (chart) chart.destroy();
        chart = undefined;
        fill(summary);
        setStatus(panel, 'error', errorText(e));
      }
    },
  };
}

