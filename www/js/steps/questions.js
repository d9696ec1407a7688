// Steps 2, 4 and 10 (the system, oversight and redress, the decision): lists of
// questions from model/questions.js, with their checks. The decision's
// conditions are a list of their own: each with its owner and due date.
import { newId } from '../model/board.js';
import { STEP_QUESTIONS } from '../model/questions.js';
import { state, touch } from '../model/state.js';
import { add, h } from '../ui/dom.js';
import { today } from '../ui/format.js';
import { checkDate, field, hint } from '../ui/forms.js';

/** The form fields of condition `i` (from 0): their ids are `condition-N.text`, `.owner`, `.due`. */
export const conditionFieldId = (i, key) => `condition-${i + 1}.${key}`;

function conditionsList(f, ctx) {
  const list = state.review.conditions;
  const errors = ctx.fieldErrors || {};
  const addButton = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: 'condition-add' }, list.length ? 'Add another condition' : 'Add a condition');
  addButton.addEventListener('click', () => {
    list.push({ id: newId(), text: '', owner: '', due: '' });
    touch();
    ctx.rerender({ focus: `f-condition-${list.length}-text` });
  });
  const block = (c, i) => {
    const set = (key) => (_, v) => { c[key] = v; touch(); };
    const remove = h('button', { type: 'button', class: 'govuk-button govuk-button--warning govuk-!-margin-bottom-0' },
      'Remove this condition', h('span', { class: 'govuk-visually-hidden' }, ` (condition ${i + 1})`));
    remove.addEventListener('click', () => {
      list.splice(i, 1);
      touch();
      ctx.rerender({ focus: 'decision-conditions-heading' });
    });
    return h('fieldset', { class: 'govuk-fieldset ba-risk' },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, `Condition ${i + 1}`),
      field({ id: conditionFieldId(i, 'text'), type: 'textarea', rows: 2, label: 'What must be done?' }, errors, { value: c.text, set: set('text') }),
      field({ id: conditionFieldId(i, 'owner'), type: 'text', label: 'Who owns it (role, not name)?' }, errors, { value: c.owner, set: set('owner') }),
      field({ id: conditionFieldId(i, 'due'), type: 'date', label: 'Due by' }, errors, { value: c.due, set: set('due') }),
      remove);
  };
  return h('div', { class: 'govuk-form-group', id: 'decision-conditions' },
    h('h3', { class: 'govuk-heading-s', id: 'decision-conditions-heading', tabindex: '-1' }, f.label),
    hint('decision-conditions-hint', f.hint),
    list.length ? list.map(block) : h('p', { class: 'govuk-body' }, 'No conditions set.'),
    addButton);
}

export function renderQuestions(stepId) {
  return (root, ctx) => {
    const q = STEP_QUESTIONS[stepId];
    add(root, h('p', { class: 'govuk-body-l' }, q.intro));
    for (const section of q.sections) {
      add(root, h('h2', { class: 'govuk-heading-m' }, section.heading),
        ...section.fields.map((f) => (f.type === 'conditions' ? conditionsList(f, ctx) : field(f, ctx.fieldErrors))));
    }
  };
}

export function validateQuestions(stepId) {
  return () => {
    const dates = STEP_QUESTIONS[stepId].sections.flatMap((s) => s.fields)
      .filter((f) => f.type === 'date')
      .map((f) => {
        const value = state.review.answers[f.id];
        const wrong = checkDate(value, f.label);
        // A review date already past schedules nothing.
        return { field: f.id, text: wrong ?? (f.future && value && value <= today() ? `${f.label} must be in the future` : null) };
      });
    const conditions = STEP_QUESTIONS[stepId].sections.some((s) => s.fields.some((f) => f.type === 'conditions'))
      ? state.review.conditions.map((c, i) => ({ field: conditionFieldId(i, 'due'), text: checkDate(c.due, `The due date of condition ${i + 1}`) }))
      : [];
    return [...dates, ...conditions].filter((x) => x.text);
  };
}
