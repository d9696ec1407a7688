// Equality and rights, risks and mitigations: the fields, the evidence for
// each characteristic, and the risks suggested by the results. No DOM.
import { coverage } from './mapping.js';
import { VERDICTS, flagged, flatten, isFinding } from './metrics-info.js';
import { EQUALITY_CHARACTERISTICS, MITIGATIONS } from './questions.js';
import { state } from './state.js';
import { pct, ratio } from '../ui/format.js';

export const IMPACT_OPTIONS = [
  { value: 'positive', label: 'Positive' },
  { value: 'negative', label: 'Negative' },
  { value: 'neutral', label: 'Neutral' },
  { value: 'unknown', label: 'Unknown' },
];

export function equalityFields() {
  return EQUALITY_CHARACTERISTICS.flatMap((c) => [
    { id: `equality.${c.value}.impact`, type: 'radios', label: `Impact on people by ${c.label.replace(/ \(.*\)$/, '').toLowerCase()}`, options: IMPACT_OPTIONS, characteristic: c.value },
    { id: `equality.${c.value}.notes`, type: 'textarea', label: 'Evidence and reasoning', rows: 3, characteristic: c.value },
  ]);
}

/** Text summarising the results for one characteristic (or the evidence gap). */
export function evidenceFor(characteristic) {
  const m = state.review.mapping;
  const report = state.review.report;
  const cols = (m?.attributes || []).filter((a) => a.characteristic === characteristic).map((a) => a.column);
  if (!report || !cols.length) return { gap: true, lines: [report ? 'Evidence gap: this characteristic is not in the data.' : 'No results yet.'] };
  const rows = flatten(report).filter((r) => cols.includes(r.attribute));
  const lines = cols.map((col) => {
    const rs = rows.filter((r) => r.attribute === col && !r.is_missing);
    const bad = rs.filter((r) => isFinding(r.verdict));
    return bad.length
      ? `${col}: ${bad.map((r) => `${r.label} — ${VERDICTS[r.verdict].label.toLowerCase()} (${r.harm_ratio !== null && report.config?.outcome === 'harmful' ? `${ratio(r.harm_ratio)} times as often` : `impact ratio ${ratio(r.impact_ratio)}`})`).join('; ')}.`
      : `${col}: no group flagged (${rs.length} groups compared).`;
  });
  return { gap: false, lines };
}

export function newId() { return [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, '0')).join(''); }

/** Suggested risks from flagged results, the evidence gap and missing values. */
export function suggestRisks(report, m) {
  const out = [];
  const harmful = report.config?.outcome === 'harmful';
  for (const r of flagged(report)) {
    const how = harmful
      ? `${r.label} were given the harmful decision ${ratio(r.harm_ratio)} times as often as ${r.compared_with_label}`
      : `${r.label} got the positive decision at ${ratio(r.impact_ratio)} times the rate of ${r.compared_with_label}`;
    out.push({
      id: newId(), source: 'suggested', title: `${how} (${VERDICTS[r.verdict].label.toLowerCase()}). The system may discriminate indirectly by ${r.attribute}.`,
      group: `${r.attribute}: ${r.label}`, likelihood: r.verdict === 'adverse_impact_indicated' ? '4' : '3', severity: '', owner: '', mitigation: '',
    });
  }
  const cov = coverage(report, m);
  if (cov.gap.length) {
    out.push({ id: newId(), source: 'suggested', title: `No evidence on ${cov.gap.length} protected characteristics (${cov.gap.map((c) => c.label.replace(/ \(.*\)$/, '').toLowerCase()).join(', ')}): unfair treatment of these groups would go unseen.`, group: 'People with the characteristics not in the data', likelihood: '3', severity: '', owner: '', mitigation: '' });
  }
  for (const x of cov.missing) {
    if (x.share >= 0.05) out.push({ id: newId(), source: 'suggested', title: `${pct(x.share)} of rows have no ${x.column}; if values are missing more often for some groups, the results understate gaps.`, group: `${x.column}: (missing)`, likelihood: '3', severity: '', owner: '', mitigation: '' });
  }
  return out;
}

export function mitigationFields() {
  return MITIGATIONS.flatMap((mi) => [
    { id: `mitigation.${mi.id}`, type: 'radios', label: mi.label, options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }, { value: 'na', label: 'Does not apply' }], inline: true },
    { id: `mitigation.${mi.id}.evidence`, type: 'text', label: 'Evidence', hint: 'A document, a link, or who confirmed it.' },
  ]);
}

export function mitigationCoverage(a = state.review.answers) {
  const answered = MITIGATIONS.map((mi) => a[`mitigation.${mi.id}`]).filter((v) => v === 'yes' || v === 'no');
  const yes = answered.filter((v) => v === 'yes').length;
  return { yes, of: answered.length, total: MITIGATIONS.length };
}
