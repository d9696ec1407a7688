// A characteristic's groups period by period (the report's `periods`): each
// group's ratio to the comparison group as a chart with its range, the line
// and a hollow point where too few people were there to judge; a table of
// every figure beside it; and each group's trend. Shown in the results and
// in monitoring.
import { VERDICTS } from '../model/metrics-info.js';
import { h, scrollTable } from './dom.js';
import { count, pValue, pct, ratio, whyUndefined } from './format.js';
import { periodChart } from './period-chart.js';

const UNIT_WORDS = { month: 'month', quarter: 'quarter', year: 'year' };
const ADJUSTED_BY = { holm: 'Holm’s method', bh: 'the Benjamini–Hochberg method', none: 'no adjustment' };
const verdictText = (v) => (v ? VERDICTS[v]?.label ?? v : '—');
function th(text) { return h('th', { class: 'govuk-table__header', scope: 'col' }, text); }
function td(text) { return h('td', { class: 'govuk-table__cell' }, text); }

/** Each group's ratio to the comparison group, period by period: a chart and the table beside it. */
export function periodSection(report, column, { id, name, heading = 'h4' }) {
  const p = report.periods;
  const pa = p?.attributes.find((x) => x.column === column);
  if (!p || !pa || p.periods.length < 2) return null;
  const harmful = report.config.outcome === 'harmful';
  const key = harmful ? 'harm_ratio' : 'impact_ratio';
  const lineValue = harmful ? report.config.harm_ratio_threshold : report.config.four_fifths_threshold;
  const labels = new Map();
  for (const f of pa.periods) for (const g of f.groups) labels.set(g.group, g.label);
  const compared = new Set(pa.periods.map((f) => f.compared_with));
  const groups = [...labels.keys()].filter((g) => !compared.has(g) && g !== '(missing)');
  const unit = UNIT_WORDS[p.unit] ?? 'period';
  const point = (f, group) => {
    const x = f.groups.find((y) => y.group === group);
    const r = x?.[key];
    if (!r || whyUndefined(r) !== null || typeof r.ratio !== 'number') return null;
    return { value: r.ratio, lower: r.lower, upper: r.upper, few: x.verdict === 'insufficient_data' };
  };
  const series = groups.map((g) => ({ label: labels.get(g), points: pa.periods.map((f) => point(f, g)) }));
  const reference = [...compared].filter(Boolean).map((g) => labels.get(g) ?? g).join(', ');
  const figureName = harmful ? 'harm ratio' : 'impact ratio';
  // The engine's verdicts say which are clearly beyond the line: a range alone would count a group of one.
  const flagged = groups.flatMap((g) => pa.periods.filter((f) => f.groups.find((x) => x.group === g)?.verdict === 'adverse_impact_indicated').map((f) => `${labels.get(g)} in ${f.period}`));
  const desc = `Each group’s ${figureName} against ${reference || 'the comparison group'}, ${unit} by ${unit}, from ${p.periods[0]} to ${p.periods[p.periods.length - 1]}, with its range at ${(p.verdict_confidence * 100).toFixed(2)}% and the line at ${lineValue}. ${flagged.length ? `Adverse impact indicated: ${flagged.join('; ')}.` : 'In no period is adverse impact indicated for a group.'} A dotted line marks equal treatment. A hollow point is a period with too few people in the group to judge: its range is wide, and it is not a finding. The table below gives every figure.`;
  const chart = periodChart({
    id: `${id}-chart`, title: `${name}: ${figureName} by ${unit}`, desc, periods: p.periods, series,
    lines: [{ value: lineValue, label: `line ${lineValue}`, className: 'ba-chart__line--threshold' }, { value: 1, label: '', className: 'ba-chart__line--even' }],
    format: (v) => ratio(v, v < 10 ? 2 : 0).replace(/\.?0+$/, '') || '0',
  });
  const cellText = (f, g) => {
    const x = f.groups.find((y) => y.group === g);
    if (!x) return '—';
    const pt = point(f, g);
    const judged = x.verdict && !['no_adverse_impact_indicated', 'comparison_group'].includes(x.verdict) ? `; ${verdictText(x.verdict).toLowerCase()}` : '';
    return `${pct(x.rate)} of ${count(x.n)}${pt ? `; ${ratio(pt.value)} (${ratio(pt.lower)} to ${pt.upper === null || pt.upper === undefined ? 'unbounded' : ratio(pt.upper)})` : ''}${judged}`;
  };
  const all = [...labels.keys()].filter((g) => g !== '(missing)');
  const table = h('table', { class: 'govuk-table', id: `${id}-table` },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${name} by ${unit}: each group’s rate, its size, its ${figureName} with its range, and any verdict other than within the lines`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th(unit.charAt(0).toUpperCase() + unit.slice(1)), all.map((g) => th(labels.get(g))))),
    h('tbody', { class: 'govuk-table__body' }, pa.periods.map((f) => h('tr', { class: 'govuk-table__row' },
      h('th', { class: 'govuk-table__header', scope: 'row' }, f.period), all.map((g) => td(cellText(f, g)))))));
  // Each group's rate over the periods: a Cochran–Armitage trend, adjusted across the groups.
  const trend = (t) => {
    if (!t.test || whyUndefined(t.test) !== null) return `${t.label}: no trend can be tested (${whyUndefined(t.test) ?? 'no figures'}).`;
    const p = t.adjusted_p ?? t.test.p_value;
    const per = `${Math.abs(t.test.slope * 100).toFixed(2)} points a ${unit}`;
    return t.significant
      ? `${t.label}: the rate ${t.test.slope > 0 ? 'rises' : 'falls'} by about ${per} (adjusted p ${pValue(p)}).`
      : `${t.label}: no clear trend (adjusted p ${pValue(p)}).`;
  };
  const trends = pa.trends.filter((t) => t.group !== '(missing)');
  return [
    h(heading, { class: heading === 'h3' ? 'govuk-heading-m' : 'govuk-heading-s', id: `${id}-heading` }, `${name} ${unit} by ${unit}`),
    trends.length ? [
      h('p', { class: 'govuk-body' }, `Trends in each group’s rate across the ${p.periods.length} ${unit}s (Cochran–Armitage test, adjusted by ${ADJUSTED_BY[pa.trends_family.method] ?? pa.trends_family.method} across ${pa.trends_family.tests} tests):`),
      h('ul', { class: 'govuk-list govuk-list--bullet', id: `${id}-trends` }, trends.map((t) => h('li', null, trend(t))))] : null,
    // On a phone the chart keeps a readable size and scrolls sideways.
    // What the chart shows, in words a sighted reader sees too (the chart's description repeats it).
    h('p', { class: 'govuk-body', id: `${id}-key` }, `The chart shows each group’s ${figureName} against ${reference || 'the comparison group'} in each ${unit}, with its range at ${(p.verdict_confidence * 100).toFixed(2)}% as a shaded band. The red dashed line is the line at ${lineValue}; the dotted line is equal treatment. A hollow point: too few people in that ${unit} to judge. ${flagged.length ? `Adverse impact indicated: ${flagged.join('; ')}.` : `In no ${unit} is adverse impact indicated for a group.`}`),
    h('div', { class: 'ba-scroll ba-scroll--chart', tabindex: '0', role: 'region', 'aria-label': `${name}: chart by ${unit} (scrolls sideways)` }, h('figure', { class: 'ba-figure' }, chart)),
    scrollTable(table, `${name} by ${unit}`),
  ];
}

