// Step 7, Results: per attribute, verdicts, charts and tables, with plain-English
// explanations. Every figure cell carries data-key and data-value (the exact
// number from the report) so tests can compare it with the command line.
import { boardThreshold, chosenMetrics } from '../model/fairness.js';
import { METRICS, RATE_NAMES, VERDICTS, countText, flatten, fraction, isFinding } from '../model/metrics-info.js';
import { characteristicLabel } from '../model/questions.js';
import { state } from '../model/state.js';
import { attributeCharts } from '../ui/attribute-charts.js';
import { add, h, s, scrollTable } from '../ui/dom.js';
import { periodSection } from '../ui/period-section.js';
import { andList, attributeName, count, figure, groupName, groupParts, interval, pValue, pct, ratio, whyUndefined } from '../ui/format.js';
import { helpDetails } from '../ui/forms.js';
import * as engine from '../engine/engine.js';
import { scoreTalliesFor } from '../model/session.js';
import { distributionPlot, unitPlot } from '../ui/score-charts.js';
import { thresholdExplorer } from '../ui/threshold-explorer.js';
import { glossarySection, termLink } from '../ui/glossary.js';
import { SAMPLES } from '../model/samples.js';
import { th, verdictTag as tag } from '../ui/table.js';

function cell(key, value, text, extra = {}) {
  return h('td', { class: ['govuk-table__cell govuk-table__cell--numeric', extra.class], 'data-key': key, 'data-value': value === null || value === undefined || whyUndefined(value) !== null ? 'null' : String(value) }, text, extra.after || null);
}


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
  const ref = a.reference?.group;
  const refText = ref == null ? 'everyone else' : `“${groupName(a, ref)}”`;
  const id = `attr-results-${index}`;

  // Verdicts
  const verdictList = h('ul', { class: 'govuk-list ba-verdicts' }, rows.map((r) => h('li', { 'data-group': r.group },
    h('span', { class: 'ba-verdict-group' }, h('bdi', null, gname(r.group))), smallNote(r.group), ' ', tag(r.verdict), h('br'),
    h('span', { class: 'govuk-body-s' }, r.reason))));

  const mainTable = h('table', { class: 'govuk-table ba-results-table', id: `${id}-table`, 'data-attribute': a.column },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${name}: every group compared with ${refText}`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
      th('Group', false), th('People'), th(harmful ? 'Given the harmful decision' : 'Given the positive decision'),
      th(['Rate (', termLink('wilson', `${Math.round((report.evidence?.options?.confidence ?? 0.95) * 100)}% range`), ')']),
      harmful ? th(termLink('harm_ratio', 'Times as often')) : null, th(termLink('impact_ratio', 'Impact ratio')), th(termLink('holm', 'p (adjusted)')), th(termLink('shortfall', 'Shortfall')), th('Verdict', false))),
    h('tbody', { class: 'govuk-table__body' }, rows.map((r) => h('tr', { class: 'govuk-table__row', 'data-group': r.group },
      h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, gname(r.group)), r.verdict === 'comparison_group' ? ' (comparison group)' : '', smallNote(r.group)),
      cell('n', r.n, count(r.n)),
      cell('selected', r.selected, count(r.selected)),
      cell('selection_rate', r.selection_rate, pct(r.selection_rate), { after: r.selection_rate_lower !== null ? h('span', { class: 'ba-range' }, ` ${interval(r.selection_rate_lower, r.selection_rate_upper)}`) : null }),
      harmful ? cell('harm_ratio', r.harm_ratio, r.harm_ratio === null ? 'not defined' : `${ratio(r.harm_ratio)}×`, { class: r.crossed.includes('harm_ratio') && isFinding(r.verdict) && 'ba-below', after: r.harm_ratio_lower !== null ? h('span', { class: 'ba-range' }, ` ${ratio(r.harm_ratio_lower)} to ${r.harm_ratio_upper === null ? 'no limit' : ratio(r.harm_ratio_upper)}`) : null }) : null,
      cell('impact_ratio', r.impact_ratio, ratio(r.impact_ratio), { class: r.crossed.includes('impact_ratio') && isFinding(r.verdict) && 'ba-below', after: r.impact_ratio_lower !== null ? h('span', { class: 'ba-range' }, ` ${ratio(r.impact_ratio_lower)} to ${r.impact_ratio_upper === null ? 'no limit' : ratio(r.impact_ratio_upper)}`) : null }),
      cell('p_adjusted', r.p_adjusted, r.p_adjusted === null ? '—' : pValue(r.p_adjusted)),
      cell('shortfall_to_threshold', r.shortfall_to_threshold, r.shortfall_to_threshold === null ? '—' : count(r.shortfall_to_threshold)),
      h('td', { class: 'govuk-table__cell' }, tag(r.verdict))))));

  const findings = rows.filter((r) => isFinding(r.verdict));
  const tooFew = rows.filter((r) => r.verdict === 'insufficient_data');
  const detail = [
    h('h3', { class: 'govuk-heading-m' }, 'Verdicts'),
    verdictList,
    ...attributeCharts(a, rows, report, id),
    scrollTable(mainTable, `${name}: table of results`),
  ];
  if (a.empty_cells) detail.push(emptyCells(a, id));
  if (labelled) detail.push(errorRates(a, rows, report, id));
  if (a.scores) detail.push(scoreSection(a, report, id, index));
  detail.push(summaryCriteria(a), stratified(a, id), periodSection(report, a.column, { id: `${id}-periods`, name, heading: 'h3' }));
  const parts = [
    h('h2', { class: 'govuk-heading-l', id: `${id}-heading` }, h('bdi', null, name), characteristic ? h('span', { class: 'govuk-caption-m' }, combined ? `In combination: ${characteristic}` : characteristicLabel(characteristic)) : null),
    combined ? h('p', { class: 'govuk-body' }, `Each group here is a combination of ${andList(cols)}: for example “${gname(a.groups?.[0]?.group ?? '')}”. Combinations are often small, so their figures are less certain, and their tests are exploratory: adjusted among the combinations only.`) : null,
    h('p', { class: 'govuk-body', 'data-summary': a.column }, `${count(rows.filter((r) => !r.is_missing).length)} groups, each compared with ${refText}. `,
      findings.length ? `Flagged: ${findings.map((r) => `${gname(r.group)} (${VERDICTS[r.verdict].label.toLowerCase()})`).join('; ')}.` : 'No group flagged.',
      tooFew.length ? ` Too few to judge: ${tooFew.map((r) => gname(r.group)).join('; ')}.` : ''),
    small.size ? h('p', { class: 'govuk-body', id: `${id}-small` }, `${small.size} group${small.size > 1 ? 's have' : ' has'} fewer than ${minCell} people: ${[...small].map(gname).join('; ')}. Treat their figures with care; do not read a verdict from them alone.`) : null,
    h('details', { class: 'govuk-details ba-attribute__detail', id: `${id}-detail` },
      h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, `Verdicts, charts and tables for ${name}`)),
      h('div', { class: 'govuk-details__text' }, detail)),
  ];
  return h('section', { class: 'ba-attribute', 'aria-labelledby': `${id}-heading`, 'data-attribute': a.column }, parts);
}

/** The score's range of values as written, for a band's label. */
function scoreText(v) {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
}

function bandLabel(b, last) {
  if (b.lower === b.upper) return scoreText(b.lower);
  return last ? `${scoreText(b.lower)} to ${scoreText(b.upper)}` : `${scoreText(b.lower)} to under ${scoreText(b.upper)}`;
}

/** Scores: how well they rank and how honest they are, per group; then the threshold explorer. */
function scoreSection(a, report, id, index) {
  const sc = a.scores;
  const labelled = !!report.input?.labelled;
  const gname = (g) => groupName(a, g);
  const score = report.config?.score ?? 'the score';
  const groups = (sc.groups || []).filter((g) => g.rows > 0);
  const confidence = Math.round((report.evidence?.options?.confidence ?? 0.95) * 100);
  const value = (o) => (typeof o === 'number' ? o : null);
  const parts = [h('h3', { class: 'govuk-heading-m', id: `${id}-scores` }, `Scores (${score})`),
    h('p', { class: 'govuk-body' }, `The system gives each person a score in the column “${score}”. These figures ask whether the score ranks people of each group equally well, and whether it means the same thing in each group. They use the people with a score, unweighted.`)];

  // AUC, Brier, mean score
  const aucs = groups.filter((g) => value(g.auc) !== null && !g.group.startsWith('('));
  if (labelled && aucs.length) {
    const lo = aucs.reduce((m, g) => (m && m.auc <= g.auc ? m : g), null);
    const hi = aucs.reduce((m, g) => (m && m.auc >= g.auc ? m : g), null);
    const range = (g) => (g.auc_interval?.lower !== undefined ? ` (${confidence}% range ${ratio(g.auc_interval.lower)} to ${ratio(g.auc_interval.upper)})` : '');
    parts.push(h('p', { class: 'govuk-body', 'data-headline': 'auc' }, lo === hi
      ? `The score’s AUC is ${ratio(lo.auc)}${range(lo)}.`
      : `The score ranks people best for “${gname(hi.group)}”, AUC ${ratio(hi.auc)}${range(hi)}, and worst for “${gname(lo.group)}”, AUC ${ratio(lo.auc)}${range(lo)}.`));
  }
  parts.push(helpDetails('What the AUC and the Brier score mean', [
    'The AUC is the chance that a person whose true outcome was positive scores higher than one whose outcome was negative (ties count half): 1 ranks perfectly, 0.5 is no better than a coin. A lower AUC for one group means the score sorts that group’s people less well, so a threshold makes more mistakes for them.',
    `The range is DeLong’s method (DeLong, DeLong and Clarke-Pearson, 1988), at ${confidence}% confidence, not adjusted for the number of groups: it is a description, not a test. It needs at least 2 people with each outcome in the group.`,
    'The Brier score is the average squared gap between the score, read as a probability, and what happened (1 or 0): lower is better, and it is given only for scores between 0 and 1.',
  ]));
  // The Brier score reads scores as probabilities: without one anywhere, its column gives way to a sentence.
  const brier = labelled && groups.some((g) => value(g.brier_score) !== null);
  parts.push(scrollTable(h('table', { class: 'govuk-table ba-results-table', id: `${id}-auc` },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${attributeName(a)}: how well the score ranks each group`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th('Group', false), th('People with a score'), th('Mean score'),
      labelled ? th(`AUC (${confidence}% range, DeLong)`) : null, brier ? th('Brier score') : null)),
    h('tbody', { class: 'govuk-table__body' }, groups.map((g) => h('tr', { class: 'govuk-table__row', 'data-group': g.group },
      h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, gname(g.group))),
      cell('rows', g.rows, count(g.rows)),
      cell('mean_score', value(g.mean_score), value(g.mean_score) === null ? 'not defined' : scoreText(g.mean_score)),
      labelled ? [
        cell('auc', value(g.auc), value(g.auc) === null ? `not defined: ${whyUndefined(g.auc) ?? ''}` : ratio(g.auc, 3), {
          after: g.auc_interval?.lower !== undefined ? h('span', { class: 'ba-range', 'data-key': 'auc_interval', 'data-value': `${g.auc_interval.lower},${g.auc_interval.upper}` }, ` ${ratio(g.auc_interval.lower, 3)} to ${ratio(g.auc_interval.upper, 3)}`)
            : value(g.auc) !== null ? h('span', { class: 'ba-range' }, ` no range: ${whyUndefined(g.auc_interval) ?? ''}`) : null,
        }),
        brier ? cell('brier_score', value(g.brier_score), value(g.brier_score) === null ? `not defined: ${whyUndefined(g.brier_score) ?? ''}` : ratio(g.brier_score, 3)) : null,
      ] : null)))), `${attributeName(a)}: table of AUC`));
  if (labelled && !brier) parts.push(h('p', { class: 'govuk-body-s', id: `${id}-brier-none` }, `No Brier score: ${whyUndefined((groups.find((g) => !g.group.startsWith('(')) ?? groups[0])?.brier_score) ?? 'it is not defined here'}.`));

  // ROC curves
  const rocs = groups.filter((g) => Array.isArray(g.roc));
  if (labelled && rocs.length) {
    parts.push(h('h4', { class: 'govuk-heading-s' }, 'ROC curves'),
      h('p', { class: 'govuk-body' }, 'Each curve follows one group as the threshold falls from the top score to the bottom: across, the share of people with a negative outcome who are given the decision (false positives); up, the share of people with a positive outcome who are (true positives). A curve nearer the top left ranks better; the diagonal is chance. Where two curves differ, no single threshold treats the groups’ errors alike.'),
      unitPlot({
        id: `${id}-roc-chart`, title: `ROC curves by ${attributeName(a)}`,
        desc: rocs.map((g) => `${gname(g.group)}: AUC ${ratio(g.auc)}`).join('; '),
        xLabel: 'False positive rate', yLabel: 'True positive rate', diagonal: 'chance',
        series: rocs.slice(0, 6).map((g) => ({ label: gname(g.group), points: g.roc.map((p) => [p.fpr, p.tpr]) })),
      }),
      rocs.length > 6 ? h('p', { class: 'govuk-body-s' }, `The chart shows the first 6 of ${rocs.length} groups; the table has them all.`) : null,
      h('details', { class: 'govuk-details' }, h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'The ROC curves as a table')),
        h('div', { class: 'govuk-details__text' }, scrollTable(h('table', { class: 'govuk-table', id: `${id}-roc` },
          h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, 'True and false positive rates at ten thresholds of each group'),
          h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th('Group', false), th('Score at or above'), th('False positive rate'), th('True positive rate'))),
          h('tbody', { class: 'govuk-table__body' }, rocs.flatMap((g) => {
            const pts = g.roc.filter((p) => p.threshold !== null);
            const pick = pts.filter((_, i) => pts.length <= 10 || i % Math.ceil(pts.length / 10) === 0 || i === pts.length - 1);
            return pick.map((p) => h('tr', { class: 'govuk-table__row', 'data-group': g.group },
              h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, gname(g.group))),
              cell('threshold', p.threshold, scoreText(p.threshold)), cell('fpr', p.fpr, pct(p.fpr)), cell('tpr', p.tpr, pct(p.tpr))));
          }))), 'ROC table'))));
  }

  // Calibration
  const calibrated = groups.filter((g) => Array.isArray(g.calibration) && g.calibration.length);
  if (labelled) {
    parts.push(h('h4', { class: 'govuk-heading-s' }, 'Does a score mean the same in every group? (calibration)'));
    if (!calibrated.length) {
      const why = whyUndefined(groups[0]?.calibration);
      parts.push(h('p', { class: 'govuk-body', id: `${id}-calibration-none` }, `Calibration is not shown${why ? `: ${why}` : ''}. It reads a score as a probability, so it needs scores between 0 and 1.`));
    } else {
      parts.push(h('p', { class: 'govuk-body' }, 'People are put into bins by score. For each bin, across is the average score and up is how often the true outcome was positive. On the diagonal, a score of 0.3 means a 30% chance for everyone. A group whose points lie below another’s at the same score gets higher scores for the same risk. Bins with few people are uncertain: the table gives their counts and ranges.'),
        unitPlot({
          id: `${id}-calibration-chart`, title: `Calibration by ${attributeName(a)}`,
          desc: calibrated.map((g) => `${gname(g.group)}: ${g.calibration.length} bins`).join('; '),
          xLabel: 'Average score in the bin', yLabel: 'Share with a positive outcome', diagonal: 'perfectly calibrated',
          series: calibrated.slice(0, 6).map((g) => ({ label: gname(g.group), markers: true, points: g.calibration.map((b) => [b.mean_score, b.observed_rate]) })),
        }),
        h('details', { class: 'govuk-details' }, h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'Calibration as a table, with each bin’s count')),
          h('div', { class: 'govuk-details__text' }, scrollTable(h('table', { class: 'govuk-table', id: `${id}-calibration` },
            h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, 'Each group’s bins of score'),
            h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th('Group', false), th('Scores'), th('People'), th('Average score'), th(`Positive outcome (${confidence}% range)`))),
            h('tbody', { class: 'govuk-table__body' }, calibrated.flatMap((g) => g.calibration.map((b) => h('tr', { class: 'govuk-table__row', 'data-group': g.group },
              h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, gname(g.group))),
              h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, `${scoreText(b.lower)} to ${scoreText(b.upper)}`),
              cell('n', b.n, count(b.n)), cell('mean_score', b.mean_score, ratio(b.mean_score, 3)),
              cell('observed_rate', b.observed_rate, pct(b.observed_rate), { after: b.observed_interval ? h('span', { class: 'ba-range' }, ` ${interval(b.observed_interval[0], b.observed_interval[1])}`) : null })))))), 'Calibration table'))));
    }
  }

  // Distribution
  const bands = sc.bands || [];
  if (bands.length) {
    const labels = bands.map((b, i) => bandLabel(b, i === bands.length - 1));
    parts.push(h('h4', { class: 'govuk-heading-s' }, 'How the scores are spread'),
      h('p', { class: 'govuk-body' }, `How each group’s scores are spread${labelled ? ', split by what really happened' : ''}, each as shares of the group. A group whose scores sit higher will be given the decision more often at any one threshold.`),
      distributionPlot({
        id: `${id}-distribution-chart`, title: `Scores by ${attributeName(a)}`, labelled,
        desc: groups.map((g) => `${gname(g.group)}: mean score ${value(g.mean_score) === null ? 'not defined' : scoreText(g.mean_score)}`).join('; '),
        bandLabels: labels, groups: groups.slice(0, 8).map((g) => ({ label: gname(g.group), bands: g.distribution || [] })),
      }),
      h('details', { class: 'govuk-details' }, h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'The spread of scores as a table')),
        h('div', { class: 'govuk-details__text' }, scrollTable(h('table', { class: 'govuk-table', id: `${id}-distribution` },
          h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `People in each band of ${score}${labelled ? ' (of them: positive outcome / negative)' : ''}`),
          h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th('Scores', false), groups.map((g) => th(gname(g.group))))),
          h('tbody', { class: 'govuk-table__body' }, bands.map((b, i) => h('tr', { class: 'govuk-table__row' },
            h('th', { class: 'govuk-table__header', scope: 'row' }, labels[i]),
            groups.map((g) => {
              const c = g.distribution?.[i] || { rows: 0, positives: 0, negatives: 0 };
              return cell(`band.${i}`, c.rows, labelled ? `${count(c.rows)} (${count(c.positives)} / ${count(c.negatives)})` : count(c.rows));
            }))))), 'Score table'))));
  }

  const tallies = scoreTalliesFor(report);
  parts.push(thresholdExplorer({
    a, report, id: `${id}-explorer`, initial: value(sc.single_threshold?.threshold),
    open: tallies ? () => engine.openExplorer(tallies, index) : null,
  }));
  return h('div', { class: 'ba-scores', 'data-attribute': a.column }, parts);
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
  // With weights the rates are weighted: rows are not their fraction.
  const weighted = rows.some((r) => r.weighted);
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
          // A rate from fewer than min_group people is never highlighted.
          const few = g?.evidence?.too_few?.[k];
          const outside = few === undefined && chosen.includes(k) && typeof rr === 'number' && (rr < t || rr > 1 / t);
          const why = whyUndefined(g?.metrics?.[k]);
          return cell(k, figure(g?.metrics?.[k]), pct(g?.metrics?.[k]), {
            class: outside && 'ba-below',
            after: [
              why !== null ? h('span', { class: 'ba-range', 'data-undefined': k }, `: ${why}`) : null,
              typeof rr === 'number' ? h('span', { class: 'ba-range', 'data-key': `ratio.${k}`, 'data-value': String(rr) }, ` ratio ${ratio(rr)}${outside ? ' (outside the board’s range)' : ''}`) : null,
              few !== undefined ? h('span', { class: 'ba-range ba-too-few', 'data-too-few': k }, ` too few to judge (from ${count(few)} ${few === 1 ? 'person' : 'people'})`) : null,
              (() => {
                const f = fraction(g, k);
                return f ? h('span', { class: 'ba-range', 'data-fraction': k }, ` ${weighted ? 'weighted' : `${count(f.count)} of ${count(f.of)}`}${f.lower !== null ? `; ${interval(f.lower, f.upper)}` : ''}`) : null;
              })(),
            ],
          });
        }));
    })));
  const bases = rows.filter((r) => !r.is_missing && r.base_rate !== null);
  const lo = bases.reduce((m, r) => (m && m.base_rate <= r.base_rate ? m : r), null);
  const hi = bases.reduce((m, r) => (m && m.base_rate >= r.base_rate ? m : r), null);
  return h('div', null,
    h('h3', { class: 'govuk-heading-m' }, 'Errors'),
    h('p', { class: 'govuk-body' }, 'These figures compare the decision with what really happened. A ratio outside the range the board set in “Which fairness question?” is highlighted for the figures the board chose.'),
    scrollTable(table, `${attributeName(a)}: table of error rates`),
    lo && hi && lo !== hi ? h('p', { class: 'govuk-body' }, `Base rates (how often the true outcome was positive) run from ${pct(lo.base_rate)} (“${groupName(a, lo.group)}”) to ${pct(hi.base_rate)} (“${groupName(a, hi.group)}”). When base rates differ, equal selection rates, equal error rates and equal precision cannot all hold at once; see “Which fairness question?”.`) : null,
  );
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
  const leftOut = (sum.groups_left_out || []).filter((l) => l.reason.startsWith('too few')).map((l) => `${groupName(a, l.group)} (${RATE_NAMES[l.rate]?.toLowerCase() ?? l.rate})`);
  return h('div', null,
    h('h3', { class: 'govuk-heading-m' }, 'Summary across groups'),
    h('dl', { class: 'govuk-summary-list', 'data-attribute': a.column }, CRITERIA.map(([key, label, f]) => {
      const c = sum[key];
      if (!c) return null;
      return h('div', { class: 'govuk-summary-list__row' },
        h('dt', { class: 'govuk-summary-list__key' }, label),
        h('dd', { class: 'govuk-summary-list__value', 'data-key': key, 'data-value': figure(c.value) === null ? 'null' : String(c.value) },
          figure(c.value) === null ? `Not defined: ${whyUndefined(c.value) ?? 'no value'}` : f(c.value), c.groups?.length ? h('span', { class: 'ba-range' }, ` (${c.groups.map((g) => groupName(a, g)).join(' and ')})`) : null));
    })),
    leftOut.length ? h('p', { class: 'govuk-body-s', 'data-left-out': a.column }, `Left out of these figures, too few to judge: ${leftOut.join('; ')}.`) : null);
}

function stratified(a, id) {
  const st = a.stratified;
  if (!st || !Object.keys(st).length) return null;
  const strata = state.review.report?.config?.strata;
  return h('div', null,
    h('h3', { class: 'govuk-heading-m' }, `Within each ${strata || 'stratum'}`),
    scrollTable(h('table', { class: 'govuk-table', id: `${id}-strata` },
      h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${attributeName(a)}: does the gap in selection rate hold within each ${strata || 'stratum'}?`),
      h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th('Group', false), th('Common odds ratio (range)'), th('p (CMH test)'), th('Gap differs between strata? (p)'))),
      h('tbody', { class: 'govuk-table__body' }, Object.entries(st).map(([group, x]) => h('tr', { class: 'govuk-table__row', 'data-group': group },
        h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, groupName(a, group))),
        cell('common_odds_ratio', x.common_odds_ratio?.odds_ratio ?? null, x.common_odds_ratio?.odds_ratio !== undefined ? `${ratio(x.common_odds_ratio.odds_ratio)}${x.common_odds_ratio.ci ? ` (${ratio(x.common_odds_ratio.ci[0])} to ${ratio(x.common_odds_ratio.ci[1])})` : ''}` : x.common_odds_ratio?.undefined || 'not defined'),
        cell('cmh_p', x.cmh?.p_value ?? null, x.cmh?.p_value !== undefined ? pValue(x.cmh.p_value) : x.cmh?.undefined || 'not defined'),
        cell('breslow_day_p', x.breslow_day?.p_value ?? null, x.breslow_day?.p_value !== undefined ? pValue(x.breslow_day.p_value) : x.breslow_day?.undefined || 'not defined'))))), `${attributeName(a)}: stratified tests`));
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
  const findings = all.filter((r) => isFinding(r.verdict));
  add(root,
    h('p', { class: 'govuk-body-l' }, `Results for ${state.review.dataset?.name || 'the data'}: ${count(report.input?.rows_used)} ${report.config?.count ? `cases (a table of counts: each row stands for the cases in “${report.config.count}”)` : 'rows'}${report.input?.basis === 'weighted' ? `, weighted by “${report.config?.weight ?? ''}” (ranges and tests use each group’s effective size)` : ''}, ${harmful ? 'where the positive decision harms the person' : 'where the positive decision helps the person'}.`),
    h('h2', { class: 'govuk-heading-m', id: 'at-a-glance' }, 'At a glance'),
    h('ul', { class: 'govuk-list govuk-list--bullet', id: 'results-summary' }, (report.at_a_glance || []).map((t) => h('li', null, t))),
    h('div', { class: ['govuk-panel', findings.length ? 'ba-panel--flag' : 'ba-panel--ok'], id: 'results-flagged' },
      h('h2', { class: 'govuk-panel__title govuk-!-font-size-27' }, findings.length ? `${findings.length} group${findings.length > 1 ? 's' : ''} flagged` : 'No group flagged'),
      findings.length
        ? (report.attributes || []).filter((a) => findings.some((r) => r.attribute === a.column)).map((a) => h('div', { class: 'govuk-panel__body govuk-!-font-size-19' },
          h('p', { class: 'govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1' }, attributeName(a)),
          h('ul', { class: 'govuk-list govuk-list--bullet' }, findings.filter((r) => r.attribute === a.column).map((r) => h('li', { 'data-flagged': `${a.column}/${r.group}` }, h('bdi', null, groupName(a, r.group)), `: ${VERDICTS[r.verdict].label.toLowerCase()}`)))))
        : h('div', { class: 'govuk-panel__body govuk-!-font-size-19' }, 'That does not prove the system is fair: check the error rates, the groups too few to judge and the evidence gap.')),
    h('h2', { class: 'govuk-heading-m' }, 'Every group'),
    scrollTable(overview(report, all), 'Every group, every characteristic'),
    readingHelp(report),
    h('nav', { 'aria-label': 'Characteristics in the results' }, h('ul', { class: 'govuk-list' }, (report.attributes || []).map((a, i) => {
      const link = h('a', { class: 'govuk-link', href: `#attr-results-${i}-heading` }, `Results for ${attributeName(a)}`);
      link.addEventListener('click', (e) => { e.preventDefault(); const t = document.getElementById(`attr-results-${i}-heading`); t.setAttribute('tabindex', '-1'); t.focus(); t.scrollIntoView(); });
      return h('li', null, link);
    }))));
  (report.attributes || []).forEach((a, i) => add(root, attributeSection(a, all.filter((r) => r.attribute === a.column), report, i)));
  const sample = SAMPLES.find((x) => x.id === state.review.dataset?.sample);
  if (sample) add(root, exercises(sample));
  add(root, glossarySection());
  const fam = report.evidence?.families || [];
  if (fam.length) {
    add(root, h('h2', { class: 'govuk-heading-m' }, 'How the tests were adjusted'),
      h('ul', { class: 'govuk-list govuk-list--bullet' }, fam.map((f) => h('li', null, `${f.description}: ${f.tests} tests${f.left_out ? ` (${f.left_out} left out: no outcome could be significant)` : ''}, ${f.method === 'holm' ? 'Holm' : f.method === 'bh' ? 'Benjamini–Hochberg' : 'no'} adjustment; ranges at ${pctLevel(f.interval_confidence)}.`))));
  }
  void ctx;
}

/** Learning mode: questions to answer on the sample, then what was built into it. */
function exercises(sample) {
  return h('section', { 'aria-labelledby': 'exercises-heading', id: 'exercises' },
    h('h2', { class: 'govuk-heading-m', id: 'exercises-heading' }, `Exercises with the sample: ${sample.title}`),
    h('p', { class: 'govuk-body' }, 'The sample is invented, with unfairness built in on purpose. Try to find it from the results before you read what it is.'),
    h('ol', { class: 'govuk-list govuk-list--number' }, sample.exercises.map((q) => h('li', null, q))),
    h('details', { class: 'govuk-details', id: 'exercises-answer' },
      h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'Show what was built into the data')),
      h('div', { class: 'govuk-details__text' }, sample.builtIn)));
}

const pctLevel = (c) => `${(Math.round(c * 1000) / 10).toString()}%`;

/** The figure that decides a verdict: the harm ratio for a harmful decision, else the impact ratio. */
function deciding(r, harmful) {
  const harm = harmful && r.harm_ratio !== null;
  const value = harm ? r.harm_ratio : r.impact_ratio;
  const lower = harm ? r.harm_ratio_lower : r.impact_ratio_lower;
  const upper = harm ? r.harm_ratio_upper : r.impact_ratio_upper;
  const range = lower === null ? '' : ` (range ${ratio(lower)} to ${upper === null ? 'no limit' : ratio(upper)})`;
  return { value, text: value === null ? 'not defined' : harm ? `${ratio(value)} times as often${range}` : `${ratio(value)}${range}` };
}

/** One table across every characteristic: who, how many, how often, the deciding ratio, the verdict. */
function overview(report, all) {
  const harmful = report.config?.outcome === 'harmful';
  const attr = (r) => report.attributes.find((x) => x.column === r.attribute);
  return h('table', { class: 'govuk-table ba-results-table ba-overview', id: 'results-overview' },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `Every group, against each characteristic’s comparison group, with the ${harmful ? 'harm ratio' : 'impact ratio'} that decides the verdict`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
      th('Group', false), th('Characteristic', false), th('People'), th(harmful ? 'Given the decision' : 'Given the positive decision'), th(harmful ? 'Times as often' : 'Impact ratio'), th('Verdict', false))),
    h('tbody', { class: 'govuk-table__body' }, all.filter((r) => !r.is_missing).map((r) => {
      const a = attr(r);
      const d = deciding(r, harmful);
      return h('tr', { class: 'govuk-table__row', 'data-attribute': r.attribute, 'data-group': r.group },
        h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, groupName(a, r.group))),
        h('td', { class: 'govuk-table__cell' }, attributeName(a)),
        cell('n', r.n, count(r.n)),
        cell('selection_rate', r.selection_rate, pct(r.selection_rate), { after: h('span', { class: 'ba-range' }, ` ${countText(r, r.selected, r.n)}${r.selection_rate_lower !== null ? `; ${interval(r.selection_rate_lower, r.selection_rate_upper)}` : ''}`) }),
        r.verdict === 'comparison_group' ? h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, 'compared with') : cell('deciding_ratio', d.value, d.text),
        h('td', { class: 'govuk-table__cell' }, tag(r.verdict)));
    })));
}

/** How to read the results, said once for every characteristic. */
function readingHelp(report) {
  const harmful = report.config?.outcome === 'harmful';
  const t = report.config?.four_fifths_threshold ?? 0.8;
  const ht = report.config?.harm_ratio_threshold ?? 1.25;
  const floor = report.config?.practical_ratio ?? 0.9;
  return helpDetails('How to read these results', [
    `Each group is compared with one comparison group, chosen before the results were looked at (the table captions name it). ${harmful ? `For a harmful decision the main figure is how many times as often a group was given it (the harm ratio): above ${ht} is flagged. The four-fifths figure on not being given it (impact ratio below ${t}) is shown too, and either line flags a group.` : `The impact ratio divides a group’s rate of the positive decision by the comparison group’s: below ${t} is flagged.`}`,
    '“Adverse impact indicated”: a line is crossed, the whole range lies beyond it, the gap is statistically significant after adjusting for the comparisons within the characteristic, and one person’s outcome would not change that.',
    '“Possible adverse impact”: a line is crossed, but the range reaches back over it, or one person’s outcome would change the finding. Look at the numbers and the range.',
    `“Gap to examine”: within the lines, but a statistically significant gap larger than the practical floor (an impact ratio below ${floor}). UK law sets no number: a gap of any size may need to be justified.`,
    '“Not enough evidence either way”: a line is crossed, but the test had little chance of telling a gap at the line from chance. This is not a clean bill of health.',
    '“Too few to judge”: too few people, or no outcome in a group this size could be significant. Error rates from fewer people than the smallest group to judge are marked the same way and never highlighted.',
    '“Within the lines”: no line is crossed, and the gap is not significant or is below the practical floor; the reason gives the smallest gap the data could have found. This is not a legal pass: the lines are signals the law does not set, and any gap may still need justifying.',
    'The four-fifths line is a rule of thumb from US employment guidance, not UK law (indirect discrimination, Equality Act 2010 section 19).',
    'Ranges are confidence ranges at the level of each family of tests, so they agree with the adjusted p-values. The p-value is from Fisher’s exact test. Combinations of characteristics are exploratory: adjusted among themselves only.',
    'Error rates compare the decision with what really happened. The Cochran–Mantel–Haenszel test asks whether a gap holds within each stratum (site, region, month); Breslow–Day asks whether it differs between strata. The summary measures are Fairlearn’s spread between the best and worst treated groups with enough people.',
    ...(report.input?.basis === 'weighted' ? [`The rates and ratios are weighted by the column “${report.config?.weight ?? ''}”. “People” counts rows. Each group’s effective size is the number of unweighted people that would give the same precision; the ranges, tests and verdicts use it, so a heavily weighted group counts as fewer people than its rows. Shortfalls are not given: a weighted case is not one person.`] : []),
  ]);
}
