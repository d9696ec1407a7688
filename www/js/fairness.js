// Step 6, Which fairness question? An interactive fairness tree (after the
// Aequitas tree and AI Verify's guidance, in our own words) that recommends
// the figures to weigh and records the board's reasoning and threshold.
import { add, h } from './dom.js';
import { field } from './forms.js';
import { METRICS } from './metrics-info.js';
import { state, answer } from './state.js';
import { pct } from './format.js';

const Q_FOCUS = {
  id: 'fairness.focus', type: 'radios', label: 'What matters most for this decision?',
  help: [
    'Equal outcomes: every group should get the decision at a similar rate, whatever the data says about the people in it. Choose this when the true outcome is unknown or itself the product of past unfairness (for example, who was hired before), or when the decision allocates a benefit that should be shared fairly.',
    'Equal errors: the system should be as accurate for one group as for another, so nobody is wrongly flagged or wrongly missed more often because of who they are. This needs a trustworthy true outcome.',
  ],
  options: [
    { value: 'outcomes', label: 'Equal outcomes: each group gets the decision at a similar rate' },
    { value: 'errors', label: 'Equal errors: the system is wrong equally often for each group' },
    { value: 'both', label: 'Both matter' },
  ],
};

const Q_REPRESENTATION = {
  id: 'fairness.representation', type: 'radios', label: 'Similar in what sense?',
  options: [
    { value: 'proportional', label: 'In proportion to each group’s size', hint: 'Each group gets the decision at the same rate. This is what the four-fifths check tests.' },
    { value: 'equal_numbers', label: 'Equal numbers from each group', hint: 'For example when a fixed number of places should be shared equally.' },
  ],
};

const Q_DIRECTION = {
  id: 'fairness.direction', type: 'radios', label: 'Is the intervention punitive or assistive?',
  hint: 'Punitive: it is done to people (an investigation, a sanction). Assistive: it is offered to people (support, a place, a job interview).',
  options: [
    { value: 'punitive', label: 'Punitive: being selected harms the person', hint: 'The error that falls on people is a false positive: being wrongly selected.' },
    { value: 'assistive', label: 'Assistive: being selected helps the person', hint: 'The error that falls on people is a false negative: being wrongly missed.' },
  ],
};

const Q_RARE = {
  id: 'fairness.rare', type: 'radios', label: 'Does the intervention reach only a small share of the people considered?',
  hint: 'For example, only a few per cent of claims are investigated.',
  help: ['When only a few people are selected, what matters to them is how often a selection is wrong (the false discovery or false omission rate), more than how many of all the innocent or needy people were affected (the false positive or false negative rate).'],
  options: [
    { value: 'yes', label: 'Yes, a small share' },
    { value: 'no', label: 'No, a large share' },
  ],
};

const Q_LABEL = {
  id: 'fairness.label_trust', type: 'radios', label: 'How far can the true outcome be trusted?',
  help: [
    'Error rates are only as good as the true outcome they are measured against. If fraud is only ever found where someone looked for it, or reoffending is measured by re-arrest, the “true outcome” can carry the same bias as the decision. A random audit sample is better.',
  ],
  options: [
    { value: 'independent', label: 'Well: it was measured independently of the decision (for example a random audit)' },
    { value: 'partial', label: 'Partly: it may depend on the decision or on past practice' },
    { value: 'none', label: 'There is no true outcome in the data' },
  ],
};

const Q_THRESHOLD = {
  id: 'fairness.threshold', type: 'number', width: 4, label: 'How large a gap will the board accept?',
  hint: 'As a ratio: 0.8 means a group’s figure may be down to 80% of the reference group’s (or up to 1 ÷ 0.8 = 1.25 times it) before the board treats it as a problem. Leave empty for 0.8.',
};
const Q_REASONING = { id: 'fairness.reasoning', type: 'textarea', label: 'Why did the board choose these figures and this threshold?', rows: 5 };

/** Every question of this step; `conditional` ones are not listed as gaps. */
export const FAIRNESS_FIELDS = [
  Q_FOCUS, { ...Q_REPRESENTATION, conditional: true }, { ...Q_DIRECTION, conditional: true }, { ...Q_RARE, conditional: true },
  { ...Q_LABEL, conditional: true }, { id: 'fairness.metrics', type: 'checkboxes', label: 'Figures the board will weigh', conditional: true },
  { ...Q_THRESHOLD, conditional: true }, Q_REASONING,
];

/** The metrics the tree recommends for the current answers. */
export function recommended(a = state.review.answers) {
  const out = [];
  const focus = a['fairness.focus'];
  if (focus === 'outcomes' || focus === 'both') out.push(a['fairness.representation'] === 'equal_numbers' ? 'ppr' : 'selection_rate');
  if (focus === 'errors' || focus === 'both') {
    const dir = a['fairness.direction'] || (state.review.mapping?.outcome === 'harmful' ? 'punitive' : state.review.mapping?.outcome === 'beneficial' ? 'assistive' : null);
    const rare = a['fairness.rare'] === 'yes';
    if (dir === 'punitive') out.push(rare ? 'fdr' : 'fpr');
    if (dir === 'assistive') out.push(rare ? 'for' : 'fnr');
  }
  return out;
}

/** The metrics the board chose (or, if it chose none, the recommendation). */
export function chosenMetrics() {
  const chosen = answer('fairness.metrics');
  return Array.isArray(chosen) && chosen.length ? chosen : recommended();
}

export function boardThreshold() {
  const t = Number(answer('fairness.threshold'));
  return Number.isFinite(t) && t > 0 && t <= 1 ? t : 0.8;
}

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
