// A characteristic's groups period by period (the report's `periods`): each
// group's ratio to the comparison group as a chart with its range, the line
// and a hollow point where too few people were there to judge; a table of
// every figure beside it; and each group's trend. Shown in the results and
// in monitoring.
import { VERDICTS } from '../model/metrics-info.js';
import { h, scrollTable } from './dom.js';
import { adjustedBy, count, pValue, pct, ratio, signedPoints, whyUndefined } from './format.js';
import { periodChart } from './period-chart.js';

const UNIT_WORDS = { month: 'month', quarter: 'quarter', year: 'year' };
/** A verdict as the page names it; a dash for none. */
export const verdictText = (v) => (v ? VERDICTS[v]?.label ?? v : '—');
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
  // Rows with no date are counted, but they are not a period in time: left out of the chart and the counts.
  const dated = pa.periods.filter((f) => f.period !== '(missing)');
  const undated = pa.periods.find((f) => f.period === '(missing)');
  if (dated.length < 2) return null;
  const labels = new Map();
  for (const f of dated) for (const g of f.groups) labels.set(g.group, g.label);
  // A group is left out only of the periods in which it is the comparison group.
  const isCompared = (f, g) => f.compared_with === g;
  const groups = [...labels.keys()].filter((g) => g !== '(missing)' && dated.some((f) => !isCompared(f, g) && f.groups.some((x) => x.group === g)));
  const unit = UNIT_WORDS[p.unit] ?? 'period';
  const point = (f, group) => {
    if (isCompared(f, group)) return null;
    const x = f.groups.find((y) => y.group === group);
    const r = x?.[key];
    if (!r || whyUndefined(r) !== null) return null;
    // An infinite ratio (only the group has the outcome) is drawn at the top edge, unbounded.
    const value = r.ratio === 'infinite' ? Infinity : r.ratio;
    if (typeof value !== 'number') return null;
    return { value, lower: r.lower, upper: r.upper, few: x.verdict === 'insufficient_data' };
  };
  const series = groups.map((g) => ({ label: labels.get(g), points: dated.map((f) => point(f, g)) }));
  const referenceNames = [...new Set(dated.map((f) => f.compared_with).filter(Boolean))].map((g) => labels.get(g) ?? g);
  const reference = referenceNames.length > 1 ? `the period’s comparison group (${referenceNames.join(' or ')})` : referenceNames[0] ?? 'everyone else';
  const figureName = harmful ? 'harm ratio' : 'impact ratio';
  // The engine's verdicts say which are clearly beyond the line: a range alone would count a group of one.
  const flagged = dated.flatMap((f) => f.groups.filter((x) => x.verdict === 'adverse_impact_indicated').map((x) => `${x.label} in ${f.period}`));
  const level = `at least ${(p.verdict_confidence * 100).toFixed(2)}% (wider where a ${unit} compares several groups)`;
  const desc = `Each group’s ${figureName} against ${reference}, ${unit} by ${unit}, from ${dated[0].period} to ${dated[dated.length - 1].period}, with its range ${level} and the line at ${lineValue}. ${flagged.length ? `Adverse impact indicated: ${flagged.join('; ')}.` : `In no ${unit} is adverse impact indicated for a group.`} A dotted line marks equal treatment. A hollow point is a ${unit} with too few people in the group to judge: its range is wide, and it is not a finding. The table below gives every figure.`;
  const chart = periodChart({
    id: `${id}-chart`, title: `${name}: ${figureName} by ${unit}`, desc, periods: dated.map((f) => f.period), series,
    lines: [{ value: lineValue, label: `line ${lineValue}`, className: 'ba-chart__line--threshold' }, { value: 1, label: '', className: 'ba-chart__line--even' }],
    format: (v) => (v < 10 ? String(Number(v.toFixed(2))) : v.toFixed(0)),
  });
  const cellText = (f, g) => {
    const x = f.groups.find((y) => y.group === g);
    if (!x) return '—';
    if (isCompared(f, g)) return `${pct(x.rate)} of ${count(x.n)}; the comparison group`;
    const pt = point(f, g);
    const upper = (u) => (u === null || u === undefined ? 'unbounded' : ratio(u));
    const shown = pt ? `; ${pt.value === Infinity ? 'infinite' : ratio(pt.value)} (${ratio(pt.lower)} to ${upper(pt.upper)})` : '';
    const judged = x.verdict && !['no_adverse_impact_indicated', 'comparison_group'].includes(x.verdict) ? `; ${verdictText(x.verdict).toLowerCase()}` : '';
    return `${pct(x.rate)} of ${count(x.n)}${shown}${judged}`;
  };
  const all = [...labels.keys()].filter((g) => g !== '(missing)');
  const table = h('table', { class: 'govuk-table', id: `${id}-table` },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${name} by ${unit}: each group’s rate, its size, its ${figureName} with its range, and any verdict other than within the lines`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th(unit.charAt(0).toUpperCase() + unit.slice(1)), all.map((g) => th(labels.get(g))))),
    h('tbody', { class: 'govuk-table__body' }, dated.map((f) => h('tr', { class: 'govuk-table__row' },
      h('th', { class: 'govuk-table__header', scope: 'row' }, f.period, f.not_compared ? h('span', { class: 'govuk-body-s ba-block' }, ` Not compared: ${f.not_compared}.`) : null),
      all.map((g) => td(cellText(f, g)))))));
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
      h('p', { class: 'govuk-body' }, `Trends in each group’s rate across the ${dated.length} ${unit}s (Cochran–Armitage test, adjusted by ${adjustedBy(pa.trends_family.method)} across ${pa.trends_family.tests} tests):`),
      h('ul', { class: 'govuk-list govuk-list--bullet', id: `${id}-trends` }, trends.map((t) => h('li', null, trend(t))))] : null,
    changesList(pa, p.baseline, unit, id),
    undated ? h('p', { class: 'govuk-body' }, `${count(undated.rows)} rows have no date: they are counted in the results above, and left out of the ${unit}s.`) : null,
    // What the chart shows, in words a sighted reader sees too (the chart's description repeats it).
    h('p', { class: 'govuk-body', id: `${id}-key` }, `The chart shows each group’s ${figureName} against ${reference} in each ${unit}, with its range ${level} as a shaded band. The red dashed line is the line at ${lineValue}; the dotted line is equal treatment. A hollow point: too few people in that ${unit} to judge. ${flagged.length ? `Adverse impact indicated: ${flagged.join('; ')}.` : `In no ${unit} is adverse impact indicated for a group.`}`),
    // On a phone the chart keeps a readable size and scrolls sideways.
    h('div', { class: 'ba-scroll ba-scroll--chart', tabindex: '0', role: 'region', 'aria-label': `${name}: chart by ${unit} (scrolls sideways)` }, h('figure', { class: 'ba-figure' }, chart)),
    scrollTable(table, `${name} by ${unit}`),
  ];
}



/** Each group's rate in each period against the baseline period: the clear changes, or that there are none. */
function changesList(pa, baseline, unit, id) {
  if (!baseline || !pa.changes.length) return null;
  const clear = pa.changes.filter((c) => c.significant && c.group !== '(missing)' && whyUndefined(c.difference) === null);
  const family = pa.changes_family;
  const intro = `Each group’s rate in each ${unit} against ${baseline} (two proportions: Newcombe ranges at ${(family.interval_confidence * 100).toFixed(2)}%, Fisher’s test adjusted by ${adjustedBy(family.method)} across ${family.tests} tests): `;
  if (!clear.length) return h('p', { class: 'govuk-body', id: `${id}-changes` }, `${intro}no group’s rate changed clearly from ${baseline}.`);
  return [
    h('p', { class: 'govuk-body' }, `${intro}these changed clearly.`),
    h('ul', { class: 'govuk-list govuk-list--bullet', id: `${id}-changes` }, clear.map((c) => {
      const d = /** @type {{ estimate: number, lower: number, upper: number }} */ (c.difference);
      return h('li', null, `${c.label} in ${c.period}: ${signedPoints(d.estimate)} points (${signedPoints(d.lower)} to ${signedPoints(d.upper)}), adjusted p ${pValue(c.adjusted_p ?? c.p_value)}.`);
    })),
  ];
}
