// Step 3, Impact screening: the questions of model/impact.js and the level of
// review they set.
import { IMPACT_QUESTIONS, LEVELS, scoreImpact } from '../model/impact.js';
import { state } from '../model/state.js';
import { add, h } from '../ui/dom.js';
import { count } from '../ui/format.js';
import { field } from '../ui/forms.js';

function impactPanel() {
  const r = scoreImpact(state.review.answers);
  return h('div', { class: 'ba-impact-result', id: 'impact-result', 'aria-live': 'polite' },
    h('h2', { class: 'govuk-heading-m' }, `Provisional impact: ${LEVELS[r.level].name}`),
    h('p', { class: 'govuk-body' }, r.reasons.join(' '), r.unanswered ? ` ${r.unanswered} of ${IMPACT_QUESTIONS.length} questions are unanswered and count as 0.` : ''),
    h('p', { class: 'govuk-body govuk-!-margin-bottom-0' }, h('strong', null, 'What this means for the review: '), LEVELS[r.level].depth));
}

export function renderImpact(root, ctx) {
  const update = () => { const old = document.getElementById('impact-result'); if (old) old.replaceWith(impactPanel()); };
  add(root, 
    h('p', { class: 'govuk-body-l' }, 'Seven questions give a provisional impact level, from I (little) to IV (very high). The level sets how deep the rest of the review should go.'),
    h('details', { class: 'govuk-details' },
      h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'How the level is worked out')),
      h('div', { class: 'govuk-details__text' },
        h('p', { class: 'govuk-body' }, 'Each answer scores 0 to 4 points, multiplied by the question’s weight (shown with each question). The levels are: I up to 25% of the maximum score, II up to 50%, III up to 75%, IV above. An output that takes effect without a person, with a serious effect on people, is at least Level III.'),
        h('p', { class: 'govuk-body' }, 'The idea follows the Canadian Algorithmic Impact Assessment, with our own questions and weights, documented in IMPACT.md alongside this page.'))),
    ...IMPACT_QUESTIONS.map((q) => field({ ...q, type: q.type || 'radios', hint: [q.hint, `Weight ${q.weight}.`].filter(Boolean).join(' ') }, ctx.fieldErrors, { onChange: update })),
    impactPanel());
}
