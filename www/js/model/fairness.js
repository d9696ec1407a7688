// The fairness tree's questions and what they recommend: which figures the
// board weighs and its threshold. No DOM.
import { answer, state } from './state.js';

export const Q_FOCUS = {
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

export const Q_REPRESENTATION = {
  id: 'fairness.representation', type: 'radios', label: 'Similar in what sense?',
  options: [
    { value: 'proportional', label: 'In proportion to each group’s size', hint: 'Each group gets the decision at the same rate. This is what the four-fifths check tests.' },
    { value: 'equal_numbers', label: 'Equal numbers from each group', hint: 'For example when a fixed number of places should be shared equally.' },
  ],
};

export const Q_DIRECTION = {
  id: 'fairness.direction', type: 'radios', label: 'Is the intervention punitive or assistive?',
  hint: 'Punitive: it is done to people (an investigation, a sanction). Assistive: it is offered to people (support, a place, a job interview).',
  options: [
    { value: 'punitive', label: 'Punitive: being selected harms the person', hint: 'The error that falls on people is a false positive: being wrongly selected.' },
    { value: 'assistive', label: 'Assistive: being selected helps the person', hint: 'The error that falls on people is a false negative: being wrongly missed.' },
  ],
};

export const Q_RARE = {
  id: 'fairness.rare', type: 'radios', label: 'Does the intervention reach only a small share of the people considered?',
  hint: 'For example, only a few per cent of claims are investigated.',
  help: ['When only a few people are selected, what matters to them is how often a selection is wrong (the false discovery or false omission rate), more than how many of all the innocent or needy people were affected (the false positive or false negative rate).'],
  options: [
    { value: 'yes', label: 'Yes, a small share' },
    { value: 'no', label: 'No, a large share' },
  ],
};

export const Q_LABEL = {
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

export const Q_THRESHOLD = {
  id: 'fairness.threshold', type: 'number', width: 4, label: 'At what ratio should a gap be raised with the board?',
  hint: 'As a ratio: 0.8 raises a group’s figure when it is below 80% of the reference group’s (or above 1 ÷ 0.8 = 1.25 times it). This is a trigger for scrutiny, not a gap the law allows: the Equality Act sets no safe threshold, and a smaller gap may still need justifying. Left empty, the results use 0.8 as a signal.',
};

export const Q_REASONING = { id: 'fairness.reasoning', type: 'textarea', label: 'Why did the board choose these figures and this threshold?', rows: 5 };

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
