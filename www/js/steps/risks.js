// Step 9, Risks and mitigations: the risk register, seeded from the results.
import { mitigationCoverage, mitigationFields, newId, suggestRisks } from '../model/board.js';
import { LIKELIHOOD, SEVERITY } from '../model/questions.js';
import { state, touch } from '../model/state.js';
import { add, h } from '../ui/dom.js';
import { field } from '../ui/forms.js';

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
