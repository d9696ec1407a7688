// Step 8, Equality and rights: the likely impact on each protected
// characteristic, with the evidence from the results.
import { equalityFields, evidenceFor } from '../model/board.js';
import { coverage } from '../model/mapping.js';
import { EQUALITY_CHARACTERISTICS, EQUALITY_FIELDS, dutiesFor } from '../model/questions.js';
import { answer, state } from '../model/state.js';
import { add, h } from '../ui/dom.js';
import { field } from '../ui/forms.js';

export function renderEquality(root, ctx) {
  const cov = state.review.report ? coverage(state.review.report, state.review.mapping) : null;
  add(root, 
    h('p', { class: 'govuk-body-l' }, 'Record the likely impact on people who share each protected characteristic, with the evidence. This is the core of an Equality Impact Assessment and helps show due regard under the Public Sector Equality Duty.'),
    h('div', { class: 'govuk-inset-text', id: 'equality-duties', 'data-jurisdiction': String(answer('system.jurisdiction') ?? 'unknown') },
      dutiesFor(answer('system.jurisdiction')).map((t) => h('p', { class: 'govuk-body' }, t)),
      h('p', { class: 'govuk-body-s' }, 'Each legal statement and its source: ', h('a', { class: 'govuk-link', href: 'LEGAL.md' }, 'the legal basis of the review'), '.')),
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
    h('p', { class: 'govuk-body' }, 'In exercising its functions a public authority must have due regard to the need to do three things (Equality Act 2010, section 149). Say how this system bears on each, and how the regard was had.'),
    ...EQUALITY_FIELDS.psed.map((f) => field(f, ctx.fieldErrors)),
    h('h2', { class: 'govuk-heading-l' }, 'Disability'),
    ...EQUALITY_FIELDS.disability.map((f) => field(f, ctx.fieldErrors)),
    h('h2', { class: 'govuk-heading-l' }, 'Human rights'),
    ...EQUALITY_FIELDS.rights.map((f) => field(f, ctx.fieldErrors)),
    h('h2', { class: 'govuk-heading-l' }, 'Indirect discrimination and justification'),
    h('p', { class: 'govuk-body' }, 'Indirect discrimination (Equality Act 2010, section 19) is a rule or practice applied to everyone that puts people who share a protected characteristic at a particular disadvantage compared with people who do not share it, unless it is a proportionate means of achieving a legitimate aim. Figures can show the disadvantage, and its reason need not be known (Essop v Home Office [2017] UKSC 27), but they must be reliable, not a fluke of small numbers. For services and public functions section 19 does not cover marriage and civil partnership, nor age for people under 18 (section 28); the rules differ for housing, jobs and schools. It does not list pregnancy and maternity, but section 17 bars unfavourable treatment because of pregnancy or maternity, with no justification.'),
    h('p', { class: 'govuk-body' }, 'The Act sets no numeric threshold: the four-fifths figure in the results is a US rule of thumb, a signal and not the test. A justification answers section 19; it does not answer a failure to make reasonable adjustments. Treating a group less favourably because of a characteristic is direct discrimination (section 13), which can be justified only for age; other exceptions (positive action, Schedules 3 and 22) are narrow. Take advice first.'),
    ...EQUALITY_FIELDS.justification.map((f) => field(f, ctx.fieldErrors)));
}
