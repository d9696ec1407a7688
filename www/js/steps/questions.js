// Steps 2, 4 and 10 (the system, oversight and redress, the decision): lists of
// questions from model/questions.js, with their checks.
import { STEP_QUESTIONS } from '../model/questions.js';
import { state } from '../model/state.js';
import { add, h, s } from '../ui/dom.js';
import { checkDate, field } from '../ui/forms.js';
import { today } from '../ui/format.js';

export function renderQuestions(stepId) {
  return (root, ctx) => {
    const q = STEP_QUESTIONS[stepId];
    add(root, h('p', { class: 'govuk-body-l' }, q.intro));
    for (const section of q.sections) {
      add(root, h('h2', { class: 'govuk-heading-m' }, section.heading), ...section.fields.map((f) => field(f, ctx.fieldErrors)));
    }
  };
}

export function validateQuestions(stepId) {
  return () => STEP_QUESTIONS[stepId].sections.flatMap((s) => s.fields)
    .filter((f) => f.type === 'date')
    .map((f) => {
      const value = state.review.answers[f.id];
      const wrong = checkDate(value, f.label);
      // A review date already past schedules nothing.
      return { f, msg: wrong ?? (f.future && value && value <= today() ? `${f.label} must be in the future` : null) };
    })
    .filter((x) => x.msg)
    .map(({ f, msg }) => ({ field: f.id, text: msg }));
}
