// Step 8, Equality and rights: the likely impact on each protected
// characteristic, with the evidence from the results.
import { equalityFields, evidenceFor } from '../model/board.js';
import { coverage } from '../model/mapping.js';
import { EQUALITY_CHARACTERISTICS, EQUALITY_FIELDS } from '../model/questions.js';
import { state } from '../model/state.js';
import { add, h } from '../ui/dom.js';
import { field } from '../ui/forms.js';

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
