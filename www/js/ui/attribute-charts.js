// The two charts of one characteristic's results, drawn the same way in the
// results step and in the record (and so in its HTML, Markdown and PDF).
import { isFinding } from '../model/metrics-info.js';
import { barChart } from './charts.js';
import { h } from './dom.js';
import { attributeName, groupName, interval, pct, ratio } from './format.js';

/**
 * The two charts of a characteristic, each a headed figure with its caption:
 * how often each group got the decision (with ranges), and the impact ratios
 * against the line. Used by the results step and the record (its exports),
 * whose characteristic headings sit a level higher: `heading` gives the
 * charts' heading tag and class, and `named` puts the characteristic in them.
 */
export function attributeCharts(a, rows, report, id, { tag = 'h3', headingClass = 'govuk-heading-m', named = false } = {}) {
  const harmful = report.config?.outcome === 'harmful';
  const name = attributeName(a);
  const gname = (g) => groupName(a, g);
  const threshold = a.four_fifths?.threshold ?? report.config?.four_fifths_threshold ?? 0.8;
  const ref = a.reference?.group;
  const refText = ref == null ? 'everyone else' : `“${groupName(a, ref)}”`;
  const decisionWord = harmful ? 'the harmful decision' : 'the positive decision';
  // Chart 1: selection rates with intervals
  const comparable = rows.filter((r) => !r.is_missing);
  const refRow = rows.find((r) => r.is_reference);
  const chart1 = barChart({
    id: `${id}-rates`,
    title: `${name}: how often each group got ${decisionWord}`,
    desc: `Bar chart. ${rows.map((r) => `${gname(r.group)}: ${pct(r.selection_rate)}${r.selection_rate_lower !== null ? ` (range ${interval(r.selection_rate_lower, r.selection_rate_upper)})` : ''}`).join('; ')}.${refRow ? ` The line marks the reference group ${gname(refRow.group)} at ${pct(refRow.selection_rate)}.` : ''} The same figures are in the table below.`,
    rows: rows.map((r) => ({ label: gname(r.group), value: r.selection_rate, lower: r.selection_rate_lower, upper: r.selection_rate_upper, className: r.is_reference ? 'ba-chart__bar--ref' : r.is_missing ? 'ba-chart__bar--missing' : null })),
    lines: refRow ? [{ value: refRow.selection_rate, label: 'reference', className: 'ba-chart__line--ref' }] : [],
    format: (v) => pct(v, 1),
    tickFormat: (v) => pct(v, 0),
  });

  // Chart 2: impact ratios against the threshold
  const chart2 = barChart({
    id: `${id}-impact`,
    title: `${name}: impact ratio of each group against the four-fifths line`,
    desc: `Bar chart. ${comparable.map((r) => `${gname(r.group)}: ${ratio(r.impact_ratio)}${r.impact_ratio_lower !== null ? ` (range ${ratio(r.impact_ratio_lower)} to ${ratio(r.impact_ratio_upper)})` : ''}${r.below_threshold ? ', below the line' : ''}${r.verdict === 'insufficient_data' ? ' (too few to judge)' : ''}`).join('; ')}. The line is at ${threshold}. The same figures are in the table below.`,
    rows: comparable.map((r) => ({ label: gname(r.group), value: r.impact_ratio, lower: r.impact_ratio_lower, upper: r.impact_ratio_upper, className: r.crossed.includes('impact_ratio') && isFinding(r.verdict) ? 'ba-chart__bar--below' : null })),
    lines: [{ value: threshold, label: String(threshold), className: 'ba-chart__line--threshold' }],
    format: (v) => ratio(v, 2),
    tickFormat: (v) => ratio(v, 1),
    domainMax: 1.1,
  });

  const title = (text) => h(tag, { class: headingClass }, named ? `${name}: ${text[0].toLowerCase()}${text.slice(1)}` : text);
  return [
    title(harmful ? 'How often each group was given the harmful decision' : 'How often each group got the positive decision'),
    h('figure', { class: 'ba-figure' }, chart1, h('figcaption', { class: 'govuk-body-s' }, 'Bars show the rate; whiskers show the range the true rate is likely to lie in. The figures are in the table.')),
    title('Impact ratios'),
    h('figure', { class: 'ba-figure' }, chart2, h('figcaption', { class: 'govuk-body-s' }, `Each group’s rate of the beneficial outcome divided by that of ${refText}. The line marks ${threshold}. The figures are in the table.`)),
  ];
}
