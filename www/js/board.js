// Steps 8 and 9: Equality and rights; Risks and mitigations.
import { add, h } from './dom.js';
import { field } from './forms.js';
import { EQUALITY_CHARACTERISTICS, EQUALITY_FIELDS, MITIGATIONS, LIKELIHOOD, SEVERITY } from './questions.js';
import { VERDICTS, flatten, flagged } from './metrics-info.js';
import { coverage } from './data.js';
import { state, touch } from './state.js';
import { ratio, pct } from './format.js';

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
    const bad = rs.filter((r) => r.verdict === 'adverse_impact_indicated' || r.verdict === 'possible_adverse_impact');
    return bad.length
      ? `${col}: ${bad.map((r) => `${r.group} — ${VERDICTS[r.verdict].label.toLowerCase()} (impact ratio ${ratio(r.impact_ratio)})`).join('; ')}.`
      : `${col}: no group flagged by the four-fifths check (${rs.length} groups compared).`;
  });
  return { gap: false, lines };
}

export function renderEquality(root, ctx) {
  const cov = state.review.report ? coverage(state.review.report, state.review.mapping) : null;
  add(root, 
    h('p', { class: 'govuk-body-l' }, 'Record the likely impact on people who share each protected characteristic, with the evidence. This is the core of an Equality Impact Assessment and helps show due regard under the Public Sector Equality Duty (Equality Act 2010, section 149).'),
    cov && cov.gap.length ? h('div', { class: 'govuk-inset-text' }, `The data does not cover ${cov.gap.length} of the 9 characteristics. For those, say where other evidence could come from, or record the impact as unknown.`) : null);
  for (const c of EQUALITY_CHARACTERISTICS) {
    const ev = evidenceFor(c.value);
    const fields = equalityFields().filter((f) => f.characteristic === c.value);
    add(root, h('section', { class: 'ba-characteristic', 'aria-labelledby': `eq-${c.value}-heading` },
      h('h2', { class: 'govuk-heading-m', id: `eq-${c.value}-heading` }, c.label),
      h('div', { class: ['ba-evidence', ev.gap && 'ba-evidence--gap'] }, h('p', { class: 'govuk-body-s govuk-!-margin-bottom-1' }, h('strong', null, 'From the results: ')), ev.lines.map((l) => h('p', { class: 'govuk-body-s govuk-!-margin-bottom-1' }, l))),
      fields.map((f) => field(f, ctx.fieldErrors))));
  }
  add(root, h('h2', { class: 'govuk-heading-l' }, 'Public Sector Equality Duty'),
    h('p', { class: 'govuk-body' }, 'A public authority must have due regard to the need to achieve three aims. Say how this system affects each.'),
    ...EQUALITY_FIELDS.psed.map((f) => field(f, ctx.fieldErrors)),
    h('h2', { class: 'govuk-heading-l' }, 'Indirect discrimination and justification'),
    h('p', { class: 'govuk-body' }, 'A rule or system that applies to everyone but puts people who share a protected characteristic at a particular disadvantage is indirect discrimination (Equality Act 2010, section 19), unless it is a proportionate means of achieving a legitimate aim. The Act sets no numeric threshold: the four-fifths figure in the results is a signal, not the test.'),
    ...EQUALITY_FIELDS.justification.map((f) => field(f, ctx.fieldErrors)));
}

// ---- Risks -------------------------------------------------------------------------

function newId() { return [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, '0')).join(''); }

/** Suggested risks from flagged results, the evidence gap and missing values. */
export function suggestRisks(report, m) {
  const out = [];
  const harmful = report.config?.outcome === 'harmful';
  for (const r of flagged(report)) {
    const how = harmful
      ? `${r.group} were given the harmful decision ${ratio(r.harm_ratio)} times as often as ${r.compared_with}`
      : `${r.group} got the positive decision at ${ratio(r.impact_ratio)} times the rate of ${r.compared_with}`;
    out.push({
      id: newId(), source: 'suggested', title: `${how} (${VERDICTS[r.verdict].label.toLowerCase()}). The system may discriminate indirectly by ${r.attribute}.`,
      group: `${r.attribute}: ${r.group}`, likelihood: r.verdict === 'adverse_impact_indicated' ? '4' : '3', severity: '', owner: '', mitigation: '',
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

function riskBlock(r, i, ctx) {
  const set = (key) => (_, v) => { r[key] = v; touch(); };
  const base = `risk-${i + 1}`;
  const remove = h('button', { type: 'button', class: 'govuk-button govuk-button--warning govuk-!-margin-bottom-0' }, 'Remove this risk', h('span', { class: 'govuk-visually-hidden' }, ` (risk ${i + 1})`));
  remove.addEventListener('click', () => {
    state.review.risks.splice(i, 1);
    touch();
    ctx.rerender({ focus: 'risks-heading' });
  });
  const score = Number(r.likelihood) * Number(r.severity);
  return h('fieldset', { class: 'govuk-fieldset ba-risk', 'aria-describedby': r.source === 'suggested' ? `${base}-src` : null },
    h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--m' }, `Risk ${i + 1}`),
    r.source === 'suggested' ? h('p', { class: 'govuk-hint', id: `${base}-src` }, 'Suggested from the results. Edit it or remove it.') : null,
    field({ id: `${base}.title`, type: 'textarea', rows: 3, label: 'What could go wrong?' }, {}, { value: r.title, set: set('title') }),
    field({ id: `${base}.group`, type: 'text', label: 'Who would be affected?' }, {}, { value: r.group, set: set('group') }),
    h('div', { class: 'ba-two' },
      field({ id: `${base}.likelihood`, type: 'select', label: 'Likelihood', options: [{ value: '', label: 'Not rated' }, ...LIKELIHOOD.map((o) => ({ value: o.value, label: `${o.value} – ${o.label}` }))] }, {}, { value: r.likelihood, set: (k, v) => { set('likelihood')(k, v); ctx.rerender({ focus: `f-${base}-likelihood` }); } }),
      field({ id: `${base}.severity`, type: 'select', label: 'Severity', options: [{ value: '', label: 'Not rated' }, ...SEVERITY.map((o) => ({ value: o.value, label: `${o.value} – ${o.label}` }))] }, {}, { value: r.severity, set: (k, v) => { set('severity')(k, v); ctx.rerender({ focus: `f-${base}-severity` }); } })),
    h('p', { class: 'govuk-body' }, 'Rating: ', h('strong', null, score ? `${score} out of 25 (${score >= 15 ? 'high' : score >= 8 ? 'medium' : 'low'})` : 'not rated')),
    field({ id: `${base}.owner`, type: 'text', label: 'Owner (role)' }, {}, { value: r.owner, set: set('owner') }),
    field({ id: `${base}.mitigation`, type: 'textarea', rows: 3, label: 'Mitigation' }, {}, { value: r.mitigation, set: set('mitigation') }),
    remove);
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

export function renderRisks(root, ctx) {
  const review = state.review;
  if (review.report && !review.risks_seeded) {
    review.risks.push(...suggestRisks(review.report, review.mapping));
    review.risks_seeded = true;
    touch();
  }
  const addBtn = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: 'risk-add' }, 'Add a risk');
  addBtn.addEventListener('click', () => {
    review.risks.push({ id: newId(), source: 'board', title: '', group: '', likelihood: '', severity: '', owner: '', mitigation: '' });
    touch();
    ctx.rerender({ focus: `f-risk-${review.risks.length}-title` });
  });
  const cov = mitigationCoverage();
  add(root, 
    h('p', { class: 'govuk-body-l' }, 'List what could go wrong, for whom, how likely and how bad it would be, who owns it and what will be done. Risks suggested from the results are filled in for you.'),
    h('h2', { class: 'govuk-heading-l', id: 'risks-heading', tabindex: '-1' }, 'Risk register'),
    review.risks.length ? null : h('p', { class: 'govuk-body' }, review.report ? 'No risks recorded.' : 'No risks recorded. Check the data first to get suggestions from the results.'),
    ...review.risks.map((r, i) => riskBlock(r, i, ctx)),
    addBtn,
    h('h2', { class: 'govuk-heading-l' }, 'Mitigation checklist'),
    h('p', { class: 'govuk-body', id: 'mitigation-coverage' }, cov.of ? `${cov.yes} of ${cov.of} applicable measures in place.` : 'No measures answered yet.'),
    ...mitigationFields().map((f) => field(f, ctx.fieldErrors, { onChange: () => {
      const c = mitigationCoverage();
      const p = document.getElementById('mitigation-coverage');
      if (p) p.textContent = c.of ? `${c.yes} of ${c.of} applicable measures in place.` : 'No measures answered yet.';
    } })));
}
