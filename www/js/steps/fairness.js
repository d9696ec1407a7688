// Step 6, Which fairness question? An interactive fairness tree (after the
// Aequitas tree and AI Verify's guidance, in our own words) that recommends
// the figures to weigh and records the board's reasoning and threshold.
import { Q_DIRECTION, Q_FOCUS, Q_LABEL, Q_RARE, Q_REASONING, Q_REPRESENTATION, Q_THRESHOLD, recommended } from '../model/fairness.js';
import { METRICS } from '../model/metrics-info.js';
import { answer, state } from '../model/state.js';
import { add, h } from '../ui/dom.js';
import { pct } from '../ui/format.js';
import { field } from '../ui/forms.js';
import { impossibilityDemo } from '../ui/impossibility-demo.js';

function baseRateNote() {
  const report = state.review.report;
  if (!report?.input?.labelled) return null;
  const lines = [];
  for (const a of report.attributes || []) {
    const groups = (a.groups || []).filter((g) => !g.is_missing && typeof g.metrics?.base_rate === 'number');
    if (groups.length < 2) continue;
    const lo = groups.reduce((m, g) => (g.metrics.base_rate < m.metrics.base_rate ? g : m));
    const hi = groups.reduce((m, g) => (g.metrics.base_rate > m.metrics.base_rate ? g : m));
    lines.push(`${a.column}: from ${pct(lo.metrics.base_rate)} (${lo.group}) to ${pct(hi.metrics.base_rate)} (${hi.group})`);
  }
  return lines.length ? h('div', null, h('p', { class: 'govuk-body' }, 'In your data the base rates (how often the true outcome is positive) are:'),
    h('ul', { class: 'govuk-list govuk-list--bullet' }, lines.map((l) => h('li', null, l)))) : null;
}

export function renderFairness(root, ctx) {
  const a = state.review.answers;
  const rerender = (id) => () => ctx.rerender({ focus: id });
  const parts = [
    h('p', { class: 'govuk-body-l' }, 'There is no single measure of fairness. Before looking at the results, the board should decide which question matters most for this decision, and say why.'),
    field(Q_FOCUS, ctx.fieldErrors, { onChange: rerender('f-fairness-focus') }),
  ];
  const focus = a['fairness.focus'];
  if (focus === 'outcomes' || focus === 'both') parts.push(field(Q_REPRESENTATION, ctx.fieldErrors, { onChange: rerender('f-fairness-representation') }));
  if (focus === 'errors' || focus === 'both') {
    const fromData = state.review.mapping?.outcome;
    if (fromData && !a['fairness.direction']) parts.push(h('p', { class: 'govuk-body' }, `In the data step you said a positive decision ${fromData === 'harmful' ? 'harms' : 'helps'} the person, so the tree assumes it is ${fromData === 'harmful' ? 'punitive' : 'assistive'} unless you say otherwise.`));
    parts.push(field(Q_DIRECTION, ctx.fieldErrors, { onChange: rerender('f-fairness-direction') }),
      field(Q_RARE, ctx.fieldErrors, { onChange: rerender('f-fairness-rare') }),
      field(Q_LABEL, ctx.fieldErrors));
    if (state.review.report && !state.review.report.input?.labelled) {
      parts.push(h('div', { class: 'govuk-warning-text' }, h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
        h('strong', { class: 'govuk-warning-text__text' }, h('span', { class: 'govuk-visually-hidden' }, 'Warning: '), 'The data has no true outcome, so error rates cannot be worked out. Only outcome rates can be compared.')));
    }
  }
  const rec = recommended();
  parts.push(h('div', { class: 'govuk-inset-text', id: 'fairness-recommendation', 'aria-live': 'polite' },
    h('h2', { class: 'govuk-heading-s' }, 'Recommended figures to weigh'),
    rec.length
      ? h('ul', { class: 'govuk-list govuk-list--bullet' }, rec.map((k) => h('li', { 'data-metric': k }, h('strong', null, METRICS[k].name), `: ${METRICS[k].short}. `, h('span', { class: 'govuk-body-s' }, `(${METRICS[k].criterion})`))))
      : h('p', { class: 'govuk-body govuk-!-margin-bottom-0' }, 'Answer the questions above to see a recommendation.')));
  parts.push(field({
    id: 'fairness.metrics', type: 'checkboxes', label: 'Which figures will the board weigh?',
    hint: rec.length ? 'The recommended figures are used unless you choose others.' : 'Select all that apply.',
    options: Object.entries(METRICS).map(([k, m]) => ({ value: k, label: `${m.name}${rec.includes(k) ? ' (recommended)' : ''}`, hint: `${m.short}${m.needsLabel ? '; needs a true outcome' : ''}.` })),
  }, ctx.fieldErrors));
  parts.push(field(Q_THRESHOLD, ctx.fieldErrors), field(Q_REASONING, ctx.fieldErrors));
  parts.push(h('h2', { class: 'govuk-heading-m' }, 'Why not all of them?'),
    h('p', { class: 'govuk-body' }, 'When groups differ in how often the true outcome happens (their base rates), no decision short of a perfect one can give every group equal selection rates, equal error rates and equal precision at the same time. Improving one can worsen another: equalising false positive rates, for example, can make a flag mean something different for one group than for another. This is a mathematical fact, not a flaw of a particular system (Chouldechova 2017; Kleinberg, Mullainathan and Raghavan 2016).'),
    impossibilityDemo(),
    baseRateNote(),
    h('p', { class: 'govuk-body' }, 'So the board has to choose which kind of fairness matters most here, record why, and watch the others.'));
  add(root, ...parts);
}

export function validateFairness() {
  const t = answer('fairness.threshold');
  if (t === undefined || t === '') return [];
  const n = Number(String(t).trim());
  if (!Number.isFinite(n) || n <= 0 || n > 1) return [{ field: 'fairness.threshold', text: 'The gap the board will accept must be a number above 0 and up to 1, like 0.8' }];
  return [];
}
