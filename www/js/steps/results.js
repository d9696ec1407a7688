// Step 7, Results: per attribute, verdicts, charts and tables, with plain-English
// explanations. Every figure cell carries data-key and data-value (the exact
// number from the report) so tests can compare it with the command line.
import { boardThreshold, chosenMetrics } from '../model/fairness.js';
import { METRICS, RATE_NAMES, VERDICTS, flagged, flatten } from '../model/metrics-info.js';
import { characteristicLabel } from '../model/questions.js';
import { state } from '../model/state.js';
import { barChart } from '../ui/charts.js';
import { add, h, s } from '../ui/dom.js';
import { andList, attributeName, count, groupName, groupParts, interval, pValue, pct, ratio } from '../ui/format.js';
import { helpDetails } from '../ui/forms.js';

function cell(key, value, text, extra = {}) {
  return h('td', { class: ['govuk-table__cell govuk-table__cell--numeric', extra.class], 'data-key': key, 'data-value': value === null || value === undefined ? 'null' : String(value) }, text, extra.after || null);
}

function tag(verdict) {
  const v = VERDICTS[verdict] || { label: 'No verdict', tag: 'govuk-tag--grey' };
  return h('strong', { class: ['govuk-tag', v.tag] }, v.label);
}

function th(text, numeric = true) { return h('th', { class: ['govuk-table__header', numeric && 'govuk-table__header--numeric'], scope: 'col' }, text); }

function whatItMeans(paragraphs) { return helpDetails('What does this mean?', paragraphs); }

function attributeSection(a, rows, report, index) {
  const harmful = report.config?.outcome === 'harmful';
  const labelled = !!report.input?.labelled;
  const m = state.review.mapping;
  const cols = a.columns?.length ? a.columns : [a.column];
  const combined = cols.length > 1;
  const characteristic = combined
    ? cols.map((c) => characteristicLabel(m?.attributes?.find((x) => x.column === c)?.characteristic || '') || c).join(' × ')
    : m?.attributes?.find((x) => x.column === a.column)?.characteristic;
  const name = attributeName(a);
  const gname = (g) => groupName(a, g);
  const minCell = report.config?.min_cell ?? 10;
  const small = new Set((a.groups || []).filter((g) => g.below_min_cell).map((g) => g.group));
  const smallNote = (g) => (small.has(g) ? h('span', { class: 'ba-small-cell' }, ` (fewer than ${minCell} people: treat with care)`) : null);
  const threshold = a.four_fifths?.threshold ?? report.config?.four_fifths_threshold ?? 0.8;
  const ref = a.reference?.group;
  const refText = a.reference?.rule === 'overall' ? 'everyone together' : `“${groupName(a, ref)}”`;
  const top = a.four_fifths?.most_favoured_group;
  const id = `attr-results-${index}`;
  const decisionWord = harmful ? 'the harmful decision' : 'the positive decision';

  // Verdicts
  const verdictList = h('ul', { class: 'govuk-list ba-verdicts' }, rows.map((r) => h('li', { 'data-group': r.group },
    h('span', { class: 'ba-verdict-group' }, h('bdi', null, gname(r.group))), smallNote(r.group), ' ', tag(r.verdict), h('br'),
    h('span', { class: 'govuk-body-s' }, r.reason))));

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
    desc: `Bar chart. ${comparable.map((r) => `${gname(r.group)}: ${ratio(r.impact_ratio)}${r.impact_ratio_lower !== null ? ` (range ${ratio(r.impact_ratio_lower)} to ${ratio(r.impact_ratio_upper)})` : ''}${r.below_threshold ? ', below the line' : ''}`).join('; ')}. The line is at ${threshold}. The same figures are in the table below.`,
    rows: comparable.map((r) => ({ label: gname(r.group), value: r.impact_ratio, lower: r.impact_ratio_lower, upper: r.impact_ratio_upper, className: r.below_threshold ? 'ba-chart__bar--below' : null })),
    lines: [{ value: threshold, label: String(threshold), className: 'ba-chart__line--threshold' }],
    format: (v) => ratio(v, 2),
    tickFormat: (v) => ratio(v, 1),
    domainMax: 1.1,
  });

  const mainTable = h('table', { class: 'govuk-table ba-results-table', id: `${id}-table`, 'data-attribute': a.column },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${name}: decisions, impact ratios and verdicts`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
      th('Group', false), th('People'), th(harmful ? 'Given the harmful decision' : 'Given the positive decision'),
      th(`Rate (${Math.round((report.evidence?.options?.confidence ?? 0.95) * 100)}% range)`), th('Impact ratio'),
      harmful ? th('Times as often') : null, th('p (adjusted)'), th('Shortfall'), th('Verdict', false))),
    h('tbody', { class: 'govuk-table__body' }, rows.map((r) => h('tr', { class: 'govuk-table__row', 'data-group': r.group },
      h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, gname(r.group)), r.is_reference ? ' (reference)' : '', r.group === top ? ' (most favoured)' : '', smallNote(r.group)),
      cell('n', r.n, count(r.n)),
      cell('selected', r.selected, count(r.selected)),
      cell('selection_rate', r.selection_rate, pct(r.selection_rate), { after: r.selection_rate_lower !== null ? h('span', { class: 'ba-range' }, ` ${interval(r.selection_rate_lower, r.selection_rate_upper)}`) : null }),
      cell('impact_ratio', r.impact_ratio, ratio(r.impact_ratio), { class: r.below_threshold && 'ba-below' }),
      harmful ? cell('harm_ratio', r.harm_ratio, r.harm_ratio === null ? 'not defined' : `${ratio(r.harm_ratio)}×`) : null,
      cell('p_adjusted', r.p_adjusted, r.p_adjusted === null ? '—' : pValue(r.p_adjusted)),
      cell('shortfall_to_threshold', r.shortfall_to_threshold, r.shortfall_to_threshold === null ? '—' : count(r.shortfall_to_threshold)),
      h('td', { class: 'govuk-table__cell' }, tag(r.verdict))))));

  const parts = [
    h('h2', { class: 'govuk-heading-l', id: `${id}-heading` }, h('bdi', null, name), characteristic ? h('span', { class: 'govuk-caption-m' }, combined ? `In combination: ${characteristic}` : characteristicLabel(characteristic)) : null),
    combined ? h('p', { class: 'govuk-body' }, `Each group here is a combination of ${andList(cols)}: for example “${gname(a.groups?.[0]?.group ?? '')}”. Combinations are often small, so their figures are less certain.`) : null,
    small.size ? h('p', { class: 'govuk-body', id: `${id}-small` }, `${small.size} group${small.size > 1 ? 's have' : ' has'} fewer than ${minCell} people: ${[...small].map(gname).join('; ')}. Treat their figures with care; do not read a verdict from them alone.`) : null,
    h('p', { class: 'govuk-body' }, `Groups are compared with ${refText} for ratios and differences. The four-fifths check compares each group with the most favoured group${top ? `, “${gname(top)}”` : ''}: the group ${harmful ? 'least often given the harmful decision' : 'most often given the positive decision'}.`),
    h('h3', { class: 'govuk-heading-m' }, 'Verdicts'),
    verdictList,
    whatItMeans([
      '“Adverse impact indicated”: the group’s impact ratio is below the four-fifths line, the gap is statistically significant after adjusting for the number of comparisons, and the finding does not depend on one person’s outcome.',
      '“Possible adverse impact”: the ratio is below the line but the gap could be chance, or the finding would change if one person’s outcome were different. Look at the numbers and the range.',
      '“No adverse impact indicated”: the ratio is at or above the line. A gap can still matter; look at the error rates below.',
      '“Insufficient data”: too few people in the group for any finding. This is not a clean bill of health.',
      'The four-fifths line is a rule of thumb from US employment guidance, not UK law. UK law (indirect discrimination, Equality Act 2010 section 19) sets no number: a gap of any size may need to be justified.',
    ]),
    h('h3', { class: 'govuk-heading-m' }, harmful ? 'How often each group was given the harmful decision' : 'How often each group got the positive decision'),
    h('figure', { class: 'ba-figure' }, chart1, h('figcaption', { class: 'govuk-body-s' }, 'Bars show the rate; whiskers show the range the true rate is likely to lie in. The figures are in the table below.')),
    whatItMeans([
      `The rate is the share of the group given ${decisionWord}. The whiskers show its ${Math.round((report.evidence?.options?.confidence ?? 0.95) * 100)}% confidence range (${report.evidence?.options?.interval === 'clopper_pearson' ? 'Clopper–Pearson' : 'Wilson'} interval): with a small group the range is wide, and a gap between two groups whose ranges overlap a lot may be chance.`,
    ]),
    h('h3', { class: 'govuk-heading-m' }, 'Impact ratios'),
    h('figure', { class: 'ba-figure' }, chart2, h('figcaption', { class: 'govuk-body-s' }, `Each group’s rate of the beneficial outcome divided by the most favoured group’s. The line marks ${threshold}. The figures are in the table below.`)),
    whatItMeans([
      `The impact ratio divides the group’s rate of the beneficial outcome (${harmful ? 'not being given the harmful decision' : 'getting the positive decision'}) by the most favoured group’s rate. 1 means the same; below ${threshold} is flagged.`,
      harmful ? '“Times as often” reads the other way round: how many times as often the group was given the harmful decision as the most favoured group. For rare harmful decisions this shows a gap the impact ratio hides: 0.9 against 0.97 is an impact ratio of 0.93 but three times as many people flagged.' : null,
      `The shortfall is how many more people in the group would need ${harmful ? 'to be spared the harmful decision' : 'the positive decision'} to reach the four-fifths line.`,
      'The p-value is from Fisher’s exact test of the group against the most favoured group, adjusted for the number of comparisons made. Below 0.05 (at 95% confidence) the gap is unlikely to be chance alone.',
    ].filter(Boolean)),
    h('div', { class: 'ba-scroll', tabindex: '0', role: 'region', 'aria-label': `${name}: table of results (scrolls sideways)` }, mainTable),
  ];
  if (a.empty_cells) parts.push(emptyCells(a, id));

  if (labelled) parts.push(errorRates(a, rows, report, id));
  parts.push(summaryCriteria(a), stratified(a, id));
  return h('section', { class: 'ba-attribute', 'aria-labelledby': `${id}-heading`, 'data-attribute': a.column }, parts);
}

function emptyCells(a, id) {
  const e = a.empty_cells;
  const more = e.count - (e.cells?.length || 0);
  return h('div', { id: `${id}-empty` },
    h('h3', { class: 'govuk-heading-m' }, 'Combinations with no one in them'),
    e.count === 0
      ? h('p', { class: 'govuk-body' }, `Every combination of the values of ${andList(a.columns)} occurs in the data.`)
      : [h('p', { class: 'govuk-body' }, `${count(e.count)} combination${e.count > 1 ? 's do' : ' does'} not occur in the data. There are no figures for ${e.count > 1 ? 'them' : 'it'}, and no finding can be made about people in ${e.count > 1 ? 'them' : 'it'}:`),
        h('ul', { class: 'govuk-list govuk-list--bullet ba-empty-cells' }, e.cells.map((c) => h('li', { 'data-cell': c }, `no one in the data is both ${andList(groupParts(c))}`))),
        more > 0 ? h('p', { class: 'govuk-body' }, `and ${count(more)} more.`) : null]);
}

function errorRates(a, rows, report, id) {
  const chosen = chosenMetrics().filter((k) => METRICS[k]?.needsLabel);
  const keys = [...new Set(['base_rate', 'tpr', 'fpr', 'ppv', ...chosen])];
  const t = boardThreshold();
  const groups = new Map((a.groups || []).map((g) => [g.group, g]));
  const table = h('table', { class: 'govuk-table ba-results-table', id: `${id}-errors`, 'data-attribute': a.column },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${attributeName(a)}: error rates, with the ratio to the reference group`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th('Group', false), keys.map((k) => th(RATE_NAMES[k] + (chosen.includes(k) ? ' (chosen)' : ''))))),
    h('tbody', { class: 'govuk-table__body' }, rows.map((r) => {
      const g = groups.get(r.group);
      return h('tr', { class: 'govuk-table__row', 'data-group': r.group },
        h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, groupName(a, r.group)), r.is_reference ? ' (reference)' : ''),
        keys.map((k) => {
          const rr = g?.disparity?.ratio?.[k];
          const outside = chosen.includes(k) && typeof rr === 'number' && (rr < t || rr > 1 / t);
          return cell(k, g?.metrics?.[k] ?? null, pct(g?.metrics?.[k]), {
            class: outside && 'ba-below',
            after: typeof rr === 'number' ? h('span', { class: 'ba-range', 'data-key': `ratio.${k}`, 'data-value': String(rr) }, ` ratio ${ratio(rr)}${outside ? ' (outside the board’s range)' : ''}`) : null,
          });
        }));
    })));
  const bases = rows.filter((r) => !r.is_missing && r.base_rate !== null);
  const lo = bases.reduce((m, r) => (m && m.base_rate <= r.base_rate ? m : r), null);
  const hi = bases.reduce((m, r) => (m && m.base_rate >= r.base_rate ? m : r), null);
  return h('div', null,
    h('h3', { class: 'govuk-heading-m' }, 'Errors'),
    h('p', { class: 'govuk-body' }, 'These figures compare the decision with what really happened. A ratio outside the range the board set in “Which fairness question?” is highlighted for the figures the board chose.'),
    h('div', { class: 'ba-scroll', tabindex: '0', role: 'region', 'aria-label': `${attributeName(a)}: table of error rates (scrolls sideways)` }, table),
    lo && hi && lo !== hi ? h('p', { class: 'govuk-body' }, `Base rates (how often the true outcome was positive) run from ${pct(lo.base_rate)} (“${groupName(a, lo.group)}”) to ${pct(hi.base_rate)} (“${groupName(a, hi.group)}”). When base rates differ, equal selection rates, equal error rates and equal precision cannot all hold at once; see “Which fairness question?”.`) : null,
    whatItMeans(['base_rate', 'tpr', 'fpr', 'ppv', ...chosen].filter((k, i, arr) => arr.indexOf(k) === i).map((k) => (k === 'base_rate'
      ? 'Base rate: the share of the group whose true outcome was positive. It describes the data, not the system.'
      : `${METRICS[k].name}: ${METRICS[k].explain}`))));
}

/** @type {[string, string, (x: number) => string][]} */
const CRITERIA = [
  ['demographic_parity_difference', 'Largest gap in selection rate between two groups', pct],
  ['demographic_parity_ratio', 'Smallest selection rate ÷ largest', ratio],
  ['equalized_odds_difference', 'Largest gap in true or false positive rate', pct],
  ['equalized_odds_ratio', 'Smallest ratio of true or false positive rates', ratio],
  ['equal_opportunity_difference', 'Largest gap in true positive rate', pct],
];

function summaryCriteria(a) {
  const sum = a.summary || {};
  return h('div', null,
    h('h3', { class: 'govuk-heading-m' }, 'Summary across groups'),
    h('dl', { class: 'govuk-summary-list', 'data-attribute': a.column }, CRITERIA.map(([key, label, f]) => {
      const c = sum[key];
      if (!c) return null;
      return h('div', { class: 'govuk-summary-list__row' },
        h('dt', { class: 'govuk-summary-list__key' }, label),
        h('dd', { class: 'govuk-summary-list__value', 'data-key': key, 'data-value': c.value === null ? 'null' : String(c.value) },
          c.value === null ? `Not defined: ${c.reason}` : f(c.value), c.groups?.length ? h('span', { class: 'ba-range' }, ` (${c.groups.map((g) => groupName(a, g)).join(' and ')})`) : null));
    })),
    whatItMeans(['These are Fairlearn’s summary measures: the spread between the best and worst treated groups, whatever the reference. Groups with a figure that cannot be computed, and the “(missing)” group, are left out.']));
}

function stratified(a, id) {
  const st = a.stratified;
  if (!st || !Object.keys(st).length) return null;
  const strata = state.review.report?.config?.strata;
  return h('div', null,
    h('h3', { class: 'govuk-heading-m' }, `Within each ${strata || 'stratum'}`),
    h('table', { class: 'govuk-table', id: `${id}-strata` },
      h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${attributeName(a)}: does the gap in selection rate hold within each ${strata || 'stratum'}?`),
      h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th('Group', false), th('Common odds ratio (range)'), th('p (CMH test)'), th('Gap differs between strata? (p)'))),
      h('tbody', { class: 'govuk-table__body' }, Object.entries(st).map(([group, x]) => h('tr', { class: 'govuk-table__row', 'data-group': group },
        h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, groupName(a, group))),
        cell('common_odds_ratio', x.common_odds_ratio?.odds_ratio ?? null, x.common_odds_ratio?.odds_ratio !== undefined ? `${ratio(x.common_odds_ratio.odds_ratio)}${x.common_odds_ratio.ci ? ` (${ratio(x.common_odds_ratio.ci[0])} to ${ratio(x.common_odds_ratio.ci[1])})` : ''}` : x.common_odds_ratio?.undefined || 'not defined'),
        cell('cmh_p', x.cmh?.p_value ?? null, x.cmh?.p_value !== undefined ? pValue(x.cmh.p_value) : x.cmh?.undefined || 'not defined'),
        cell('breslow_day_p', x.breslow_day?.p_value ?? null, x.breslow_day?.p_value !== undefined ? pValue(x.breslow_day.p_value) : x.breslow_day?.undefined || 'not defined'))))),
    whatItMeans([
      'A gap between groups can appear because the groups are spread unevenly across sites, regions or months. The Cochran–Mantel–Haenszel (CMH) test asks whether the gap in selection rate holds within each stratum. The common odds ratio sums it up: 1 means no gap; above 1 means the group is selected more often than the reference.',
      'The Breslow–Day test asks whether the gap differs between strata. A small p-value means it does: look at each stratum separately.',
    ]));
}

export function renderResults(root, ctx) {
  const report = state.review.report;
  if (!report) {
    add(root, h('p', { class: 'govuk-body' }, 'There are no results yet. ', (() => {
      const a = h('a', { href: '#/data', class: 'govuk-link' }, 'Open a data file and check it');
      return a;
    })(), ' first. You can still answer the other questions of the review.'));
    return;
  }
  const all = flatten(report);
  const harmful = report.config?.outcome === 'harmful';
  const flaggedRows = all.filter((r) => r.verdict === 'adverse_impact_indicated' || r.verdict === 'possible_adverse_impact');
  add(root, 
    h('p', { class: 'govuk-body-l' }, `Results for ${state.review.dataset?.name || 'the data'}: ${count(report.input?.rows_used)} rows, ${harmful ? 'where the positive decision harms the person' : 'where the positive decision helps the person'}.`),
    h('div', { class: ['govuk-panel', flaggedRows.length ? 'ba-panel--flag' : 'ba-panel--ok'] },
      h('h2', { class: 'govuk-panel__title govuk-!-font-size-27' }, flaggedRows.length ? `${flaggedRows.length} group${flaggedRows.length > 1 ? 's' : ''} flagged` : 'No group flagged by the four-fifths check'),
      h('div', { class: 'govuk-panel__body govuk-!-font-size-19' }, flaggedRows.length
        ? flaggedRows.map((r) => { const a = report.attributes.find((x) => x.column === r.attribute); return `${groupName(a, r.group)} (${attributeName(a)}): ${VERDICTS[r.verdict].label.toLowerCase()}`; }).join('; ')
        : 'That does not prove the system is fair: check the error rates, the small groups and the evidence gap.')),
    h('nav', { 'aria-label': 'Characteristics in the results' }, h('ul', { class: 'govuk-list' }, (report.attributes || []).map((a, i) => {
      const link = h('a', { class: 'govuk-link', href: `#attr-results-${i}-heading` }, `Results for ${attributeName(a)}`);
      link.addEventListener('click', (e) => { e.preventDefault(); const t = document.getElementById(`attr-results-${i}-heading`); t.setAttribute('tabindex', '-1'); t.focus(); t.scrollIntoView(); });
      return h('li', null, link);
    }))));
  (report.attributes || []).forEach((a, i) => add(root, attributeSection(a, all.filter((r) => r.attribute === a.column), report, i)));
  const fam = report.evidence?.families || [];
  if (fam.length) {
    add(root, h('h2', { class: 'govuk-heading-m' }, 'How the tests were adjusted'),
      h('ul', { class: 'govuk-list govuk-list--bullet' }, fam.map((f) => h('li', null, `${f.description}: ${f.tests} tests, ${f.method === 'holm' ? 'Holm' : f.method === 'bh' ? 'Benjamini–Hochberg' : 'no'} adjustment.`))));
  }
  void ctx;
}
