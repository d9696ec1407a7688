// "Why not all of them?", to move: group B's base rate on a slider, and the
// figures of both groups under the same calibrated score (model/impossibility.js).
import { DEMO, groupAt } from '../model/impossibility.js';
import { h } from './dom.js';
import { pct } from './format.js';
import { th } from './table.js';

export function impossibilityDemo() {
  const id = 'impossibility';
  const slider = h('input', { type: 'range', class: 'ba-explorer__slider', id: `${id}-slider`, min: String(DEMO.low * 100), max: String(DEMO.high * 100), step: '1', value: '50', 'aria-describedby': `${id}-hint` });
  const output = h('output', { for: `${id}-slider`, id: `${id}-value`, class: 'govuk-body govuk-!-font-weight-bold' });
  const tbody = h('tbody', { class: 'govuk-table__body' });
  const summary = h('p', { class: 'govuk-body', id: `${id}-summary`, 'aria-live': 'polite' });
  const cell = (key, v) => h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-key': key, 'data-value': String(v) }, pct(v));
  const show = () => {
    const b = groupAt(Number(slider.value) / 100);
    const a = groupAt(DEMO.fixedBaseRate);
    output.textContent = pct(b.baseRate, 0);
    tbody.replaceChildren(...[{ name: 'Group A', g: a }, { name: 'Group B', g: b }].map(({ name, g }) => h('tr', { class: 'govuk-table__row', 'data-group': name },
      h('th', { class: 'govuk-table__header', scope: 'row' }, name),
      cell('base_rate', g.baseRate), cell('flagged', g.flagged), cell('ppv', g.ppv), cell('fpr', g.fpr), cell('fnr', g.fnr))));
    summary.textContent = Math.abs(b.baseRate - a.baseRate) < 1e-9
      ? `With equal base rates, the two groups have the same false positive rate (${pct(a.fpr)}) and false negative rate (${pct(a.fnr)}), and a flag is right ${pct(a.ppv, 0)} of the time in both.`
      : `A flag is right ${pct(a.ppv, 0)} of the time in both groups, but group B’s false positive rate is ${pct(b.fpr)} against ${pct(a.fpr)} for group A, and its false negative rate ${pct(b.fnr)} against ${pct(a.fnr)}. To make the error rates equal, a flag would have to mean something different in each group.`;
  };
  slider.addEventListener('input', show);
  show();
  return h('div', { class: 'ba-demo', id },
    h('h3', { class: 'govuk-heading-s' }, 'Try it: move one group’s base rate'),
    h('p', { class: 'govuk-body', id: `${id}-hint` }, `Two groups are scored by the same score, which means the same in both: a high score (the flag) is right ${pct(DEMO.high, 0)} of the time and a low score ${pct(DEMO.low, 0)} of the time, whoever gets it. Group A’s base rate is ${pct(DEMO.fixedBaseRate, 0)}. Move group B’s, with the slider or the arrow keys.`),
    h('div', { class: 'govuk-form-group' },
      h('label', { class: 'govuk-label govuk-!-font-weight-bold', for: `${id}-slider` }, 'Group B’s base rate'),
      h('div', { class: 'ba-explorer__controls' }, slider, output)),
    summary,
    h('div', { class: 'ba-scroll', role: 'region', 'aria-label': 'The two groups’ figures', tabindex: '0' },
      h('table', { class: 'govuk-table ba-results-table', id: `${id}-table` },
        h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, 'Both groups under the same calibrated score'),
        h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
          th('Group', false), th('Base rate'), th('Flagged'), th('Precision (a flag is right)'), th('False positive rate'), th('False negative rate'))),
        tbody)));
}
