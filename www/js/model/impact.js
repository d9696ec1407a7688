// The impact screening questionnaire and its scoring. The questions, points,
// weights and cut-offs are documented in www/IMPACT.md; keep the two in step.
import { answer } from './state.js';

export const IMPACT_QUESTIONS = [
  {
    id: 'impact.automation', weight: 3, label: 'How much does the system decide on its own?',
    options: [
      { value: '0', label: 'It only gives information; a person decides freely' },
      { value: '1', label: 'A person decides, using the output as one input among several' },
      { value: '2', label: 'A person reviews every output before it takes effect' },
      { value: '3', label: 'The output takes effect unless a person steps in' },
      { value: '4', label: 'It decides with no person involved' },
    ],
  },
  {
    id: 'impact.severity', weight: 3, label: 'How serious is the effect of a wrong decision on a person?',
    options: [
      { value: '0', label: 'No noticeable effect' },
      { value: '1', label: 'Inconvenience: a delay, an extra form' },
      { value: '2', label: 'A short-term effect on money or access to a service' },
      { value: '3', label: 'A serious effect on income, housing, health, education or family life' },
      { value: '4', label: 'A severe effect: loss of liberty, home, children or livelihood' },
    ],
  },
  {
    id: 'impact.reversibility', weight: 3, label: 'If the decision is wrong, how easily can it be put right?',
    options: [
      { value: '0', label: 'At once, with no lasting effect' },
      { value: '1', label: 'Quickly, at little cost to the person' },
      { value: '2', label: 'Only through an appeal or complaint' },
      { value: '3', label: 'With difficulty; some effects last' },
      { value: '4', label: 'It cannot be reversed' },
    ],
  },
  {
    id: 'impact.people', weight: 2, label: 'How many people does it make decisions about each year?',
    options: [
      { value: '0', label: 'Fewer than 100' },
      { value: '1', label: '100 to 1,000' },
      { value: '2', label: '1,000 to 10,000' },
      { value: '3', label: '10,000 to 100,000' },
      { value: '4', label: 'More than 100,000' },
    ],
  },
  {
    id: 'impact.vulnerable', weight: 3, label: 'Does it affect people in vulnerable situations?',
    hint: 'For example children, disabled people, older people, people in debt or poverty, migrants, care leavers, people in crisis.',
    options: [
      { value: '0', label: 'No' },
      { value: '1', label: 'A few of the people affected' },
      { value: '2', label: 'A noticeable share of the people affected' },
      { value: '3', label: 'Many of the people affected' },
      { value: '4', label: 'It is aimed at them' },
    ],
  },
  {
    id: 'impact.rights', weight: 2, type: 'checkboxes', label: 'Which rights could it engage?',
    hint: 'Select all that apply. Each right adds a point, up to 4.',
    options: [
      { value: 'equality', label: 'Equality and non-discrimination' },
      { value: 'privacy', label: 'Private and family life, and data protection' },
      { value: 'social_security', label: 'Social security and an adequate standard of living' },
      { value: 'liberty', label: 'Liberty and security' },
      { value: 'fair_process', label: 'A fair hearing and an effective remedy' },
      { value: 'expression', label: 'Freedom of expression, assembly or religion' },
      { value: 'education_work', label: 'Education or work' },
    ],
  },
  {
    id: 'impact.transparency', weight: 1, label: 'How well can the system’s outputs be explained?',
    options: [
      { value: '0', label: 'Fixed rules anyone can read' },
      { value: '1', label: 'A simple model whose factors and weights are published' },
      { value: '2', label: 'A statistical model with an explanation for each output' },
      { value: '3', label: 'A complex model; explanations are approximate' },
      { value: '4', label: 'The supplier will not disclose how it works' },
    ],
  },
];

export const IMPACT_MAX = IMPACT_QUESTIONS.reduce((sum, q) => sum + 4 * q.weight, 0);

export const LEVELS = {
  I: { name: 'Level I: little impact', depth: 'A light review: describe the system, screen it for its equality impact (the Public Sector Equality Duty applies to every function) and for data protection (whether a DPIA is needed), check the data for obvious gaps, and record the decision.' },
  II: { name: 'Level II: moderate impact', depth: 'A standard review: complete every step, audit at least the characteristics in the data, and publish a transparency record.' },
  III: { name: 'Level III: high impact', depth: 'A full review: a person must make each final decision, error rates must be audited against a true outcome, an equality impact assessment is needed, and the board should seek an independent view before approving.' },
  IV: { name: 'Level IV: very high impact', depth: 'The fullest review: everything for Level III, plus consultation with the people affected, approval at the most senior level, and monitoring at least every quarter. Consider whether the system should be used at all.' },
};

/** Points for one answer (checkboxes: one per right, capped at 4). */
function points(q, answer) {
  if (q.type === 'checkboxes') return Math.min(4, Array.isArray(answer) ? answer.length : 0);
  const n = Number(answer);
  return answer === undefined || answer === '' || !Number.isFinite(n) ? 0 : n;
}

export function isAnswered(q, answer) {
  return q.type === 'checkboxes' ? Array.isArray(answer) && answer.length > 0 : answer !== undefined && answer !== '';
}

/** Score, level (I–IV), why, and how many questions are unanswered. */
export function scoreImpact(answers) {
  let score = 0;
  let unanswered = 0;
  for (const q of IMPACT_QUESTIONS) {
    score += q.weight * points(q, answers[q.id]);
    if (!isAnswered(q, answers[q.id])) unanswered += 1;
  }
  const share = score / IMPACT_MAX;
  let level = share <= 0.25 ? 'I' : share <= 0.5 ? 'II' : share <= 0.75 ? 'III' : 'IV';
  const reasons = [`The score is ${score} out of ${IMPACT_MAX} (${Math.round(share * 100)}%).`];
  // Floor: an output that takes effect without a person, with a serious
  // effect, is at least Level III (the territory of UK GDPR Articles 22A–22D).
  if (Number(answers['impact.automation']) >= 3 && Number(answers['impact.severity']) >= 3 && (level === 'I' || level === 'II')) {
    level = 'III';
    reasons.push('Raised to Level III because outputs take effect without a person and the effect on people is serious.');
  }
  return { score, max: IMPACT_MAX, level, unanswered, reasons };
}
