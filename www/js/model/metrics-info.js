// Plain-English names and explanations of the figures, and the flattening of
// a report into rows (shared by the results step and every export).

import { count } from '../ui/format.js';

// The engine's verdicts in the page's words. `finding`: shown amber or red,
// and listed as flagged (the engine's Verdict::is_finding).
export const VERDICTS = {
  adverse_impact_indicated: { label: 'Adverse impact indicated', tag: 'govuk-tag--red', finding: true },
  possible_adverse_impact: { label: 'Possible adverse impact', tag: 'govuk-tag--orange', finding: true },
  gap_within_threshold: { label: 'Gap to examine', tag: 'govuk-tag--yellow', finding: true },
  insufficient_evidence: { label: 'Not enough evidence either way', tag: 'govuk-tag--grey' },
  // Not a legal pass: the figures are within the lines, which the law does not set.
  no_adverse_impact_indicated: { label: 'Within the lines', tag: 'govuk-tag--green' },
  insufficient_data: { label: 'Too few to judge', tag: 'govuk-tag--grey' },
  comparison_group: { label: 'Comparison group', tag: 'govuk-tag--blue' },
  not_compared: { label: 'Not compared', tag: 'govuk-tag--grey' },
};

/** Whether a verdict is one a reader must look at. */
export const isFinding = (verdict) => !!VERDICTS[verdict]?.finding;

/** Rates a board can choose to weigh in the fairness step. */
export const METRICS = {
  selection_rate: {
    name: 'Selection rate',
    short: 'how often each group gets the positive decision',
    criterion: 'Demographic parity (and the four-fifths check)',
    explain: 'Of everyone in the group, the share who got the positive decision. Equal selection rates mean each group gets the decision equally often, whatever the true outcome.',
    needsLabel: false,
  },
  ppr: {
    name: 'Share of all positive decisions',
    short: 'what share of everyone selected comes from each group',
    criterion: 'Equal parity (Aequitas)',
    explain: 'Of everyone who got the positive decision, the share from this group. Equal shares mean each group supplies the same number of the people selected, whatever its size.',
    needsLabel: false,
  },
  fpr: {
    name: 'False positive rate',
    short: 'of the people who should not have got the positive decision, how many did',
    criterion: 'Predictive equality (false positive parity)',
    explain: 'Among people whose true outcome was negative, the share who got the positive decision anyway. For a harmful decision, these are people wrongly flagged.',
    needsLabel: true,
  },
  fdr: {
    name: 'False discovery rate',
    short: 'of the people given the positive decision, how many should not have been',
    criterion: 'False discovery rate parity',
    explain: 'Among people who got the positive decision, the share whose true outcome was negative. When only a few people are flagged, this is the error that matters to them.',
    needsLabel: true,
  },
  fnr: {
    name: 'False negative rate',
    short: 'of the people who should have got the positive decision, how many were missed',
    criterion: 'Equal opportunity (false negative parity)',
    explain: 'Among people whose true outcome was positive, the share who did not get the positive decision. For a helpful decision, these are people who missed out on help they needed.',
    needsLabel: true,
  },
  for: {
    name: 'False omission rate',
    short: 'of the people refused the positive decision, how many should have had it',
    criterion: 'False omission rate parity',
    explain: 'Among people who did not get the positive decision, the share whose true outcome was positive.',
    needsLabel: true,
  },
  tpr: {
    name: 'True positive rate',
    short: 'of the people who should have got the positive decision, how many did',
    criterion: 'Equal opportunity',
    explain: 'Among people whose true outcome was positive, the share who got the positive decision. It is 1 minus the false negative rate.',
    needsLabel: true,
  },
  ppv: {
    name: 'Precision (positive predictive value)',
    short: 'of the people given the positive decision, how many were right',
    criterion: 'Predictive parity (calibration of the decision)',
    explain: 'Among people who got the positive decision, the share whose true outcome was positive. It is 1 minus the false discovery rate.',
    needsLabel: true,
  },
};

export const RATE_NAMES = {
  selection_rate: 'Selection rate', base_rate: 'Base rate', tpr: 'True positive rate', fpr: 'False positive rate',
  fnr: 'False negative rate', tnr: 'True negative rate', ppv: 'Precision', npv: 'Negative predictive value',
  fdr: 'False discovery rate', for: 'False omission rate', accuracy: 'Accuracy', ppr: 'Share of positive decisions', share: 'Share of rows',
};

const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

// The error rates shown with their count and denominator.
export const FRACTION_KEYS = ['base_rate', 'tpr', 'fpr', 'fnr', 'ppv', 'fdr', 'for', 'accuracy'];

/**
 * A rate's count, denominator and interval ("4 of 4; 51% to 100%"), as the
 * engine gives them in `evidence.intervals` (the page keeps no formulas of its
 * own); null when the rate has none (no label, or nothing to divide by).
 */
export function fraction(g, key) {
  const i = g?.evidence?.intervals?.[key];
  if (!i || typeof i.count !== 'number') return null;
  return { count: i.count, of: i.of, lower: i.lower ?? null, upper: i.upper ?? null };
}

/**
 * The count behind a rate: "399 of 2,721" in rows; with weights the rate is
 * weighted, so rows are not its fraction and the effective size is given.
 * @param {{weighted: boolean, effective_size: number | null}} r
 */
export function countText(r, x, of) {
  if (!r.weighted) return `${count(x)} of ${count(of)}`;
  return r.effective_size === null ? 'weighted' : `weighted; effective size ${count(Math.round(r.effective_size))}`;
}

/** One row per attribute × group, with every figure the page shows. */
export function flatten(report) {
  const weighted = report?.input?.basis === 'weighted';
  const rows = [];
  for (const a of report?.attributes || []) {
    const ff = new Map((a.four_fifths?.groups || []).map((g) => [g.group, g]));
    // The engine's label for a group ("White × Male", "25 to under 35"); "everyone else" stays as it is.
    const labelOf = (name) => a.groups?.find((x) => x.group === name)?.label ?? name;
    for (const g of a.groups || []) {
      const ev = g.evidence || {};
      const ai = ev.adverse_impact;
      const f = ff.get(g.group) || {};
      const sr = ev.intervals?.selection_rate;
      rows.push({
        attribute: a.column,
        group: g.group,
        label: labelOf(g.group),
        is_reference: !!g.is_reference,
        is_missing: !!g.is_missing,
        weighted,
        effective_size: num(ai?.group_decisions?.effective_size),
        n: num(g.counts?.n),
        selected: num(g.counts?.selected),
        share: num(g.metrics?.share),
        selection_rate: num(g.metrics?.selection_rate),
        selection_rate_lower: num(sr?.lower),
        selection_rate_upper: num(sr?.upper),
        beneficial_rate: num(f.beneficial_rate),
        impact_ratio: num(f.impact_ratio),
        impact_ratio_lower: num(ai?.impact_ratio?.lower),
        impact_ratio_upper: num(ai?.impact_ratio?.upper),
        harm_ratio: num(f.harm_ratio),
        harm_ratio_lower: num(ai?.harm_ratio?.lower),
        harm_ratio_upper: num(ai?.harm_ratio?.upper),
        below_threshold: f.below_threshold ?? null,
        above_harm_threshold: f.above_harm_threshold ?? null,
        crossed: ai?.crossed ?? [],
        too_few: ev.too_few ?? {},
        p_adjusted: num(ai?.p_value?.adjusted),
        significant: ai?.p_value ? !!ai.p_value.significant : null,
        shortfall_to_reference: num(ai?.shortfall_to_reference),
        shortfall_to_threshold: num(ai?.shortfall_to_threshold),
        threshold_changes_with: num(ai?.threshold_changes_with),
        verdict: g.is_missing ? 'not_compared' : (ai?.verdict || null),
        reason: g.is_missing ? 'Rows with no value are shown but not compared: a missing value shares no characteristic.' : (ai?.reason || ''),
        compared_with: ai?.compared_with ?? null,
        compared_with_label: ai?.compared_with ? labelOf(ai.compared_with) : null,
        comparison_rate: num(ai?.comparison_decisions?.rate),
        base_rate: num(g.metrics?.base_rate),
        tpr: num(g.metrics?.tpr),
        fpr: num(g.metrics?.fpr),
        fnr: num(g.metrics?.fnr),
        ppv: num(g.metrics?.ppv),
        fdr: num(g.metrics?.fdr),
        for: num(g.metrics?.for),
        ppr: num(g.metrics?.ppr),
        accuracy: num(g.metrics?.accuracy),
        ...Object.fromEntries(FRACTION_KEYS.flatMap((k) => {
          const f = fraction(g, k);
          return [[`${k}_count`, f?.count ?? null], [`${k}_of`, f?.of ?? null], [`${k}_lower`, f?.lower ?? null], [`${k}_upper`, f?.upper ?? null]];
        })),
      });
    }
  }
  return rows;
}

/** Groups whose verdict is a finding (adverse impact, possible, or a gap to examine). */
export function flagged(report) {
  return flatten(report).filter((r) => isFinding(r.verdict));
}
