// The procurement pack: what a board sends a supplier. The file it needs
// (a data request, with a template and a check of the file that comes
// back), the questions the review's findings and gaps raise, the evidence
// to demand and contract clauses to propose. Built from the review; the
// record step writes it as one document.
import { flatten, isFinding } from './metrics-info.js';
import { EQUALITY_CHARACTERISTICS, characteristicLabel } from './questions.js';
import { coverage } from './mapping.js';
import { state } from './state.js';
import { andList, attributeName, csvCell, groupName, pct, ratio } from '../ui/format.js';

// Characteristics asked for when the board has not yet mapped a file: the ones it marked as affected, else these.
const DEFAULT_CHARACTERISTICS = ['age', 'disability', 'race', 'sex'];
const COLUMN_FOR = { age: 'age_band', disability: 'disability', gender_reassignment: 'gender_reassignment', marriage_civil_partnership: 'marital_status', pregnancy_maternity: 'pregnancy_maternity', race: 'ethnicity', religion_belief: 'religion_belief', sex: 'sex', sexual_orientation: 'sexual_orientation' };

/**
 * The file the board needs from the supplier: one row per case, each column
 * with its meaning, its permitted values and whether it is required. Column
 * names are the ones the review already uses, when a file has been mapped.
 * @returns {{ name: string, meaning: string, values: string, required: boolean, permitted?: string[], number?: boolean }[]}
 */
export function dataRequest() {
  const m = state.review.mapping;
  const a = state.review.answers;
  const mapped = (m?.attributes ?? []).filter((x) => x.column);
  const affected = EQUALITY_CHARACTERISTICS.map((c) => c.value).filter((c) => ['negative', 'unknown'].includes(a[`equality.${c}.impact`]));
  // The columns already mapped, and every characteristic the board marked as affected that they do not cover.
  const covered = new Set(mapped.map((x) => x.characteristic));
  const characteristics = [
    ...mapped.map((x) => ({ name: x.column, characteristic: x.characteristic })),
    ...(mapped.length || affected.length ? affected : DEFAULT_CHARACTERISTICS).filter((c) => !covered.has(c)).map((c) => ({ name: COLUMN_FOR[c], characteristic: c })),
  ];
  const protectedOnes = new Set(EQUALITY_CHARACTERISTICS.map((c) => c.value));
  const decision = m?.decision?.column ? m.decision : null;
  const values = (o, fallback) => (o?.threshold !== undefined && o?.threshold !== '' && o?.mode === 'threshold' ? `a number; ${o.threshold} or more counts as positive`
    : o?.positive?.length ? `${o.positive.join(' or ')} for positive${o.negative?.length ? `; ${o.negative.join(' or ')} for negative` : '; anything else negative'}` : fallback);
  // What a returned file's column must hold: the values named (when nothing else counts), or numbers for a threshold.
  const expected = (o) => (o?.mode === 'threshold' ? { number: true }
    : o?.positive?.length && o?.negative?.length && !o.rest_negative ? { permitted: [...o.positive, ...o.negative] } : {});
  return [
    { name: 'case_id', meaning: 'A reference for the case that is not a name, address or National Insurance number, so that cases can be checked again without identifying anyone.', values: 'any text, unique per row', required: false },
    ...characteristics.map((c) => ({
      name: c.name,
      meaning: `${protectedOnes.has(c.characteristic)
        ? `The person’s ${characteristicLabel(c.characteristic).toLowerCase()} (a protected characteristic under the Equality Act 2010), as recorded.`
        : `The value of “${c.name}” for the case, as recorded (the board checks it for unfair treatment, although it is not a protected characteristic).`} Leave the cell empty when it was not recorded; do not guess it.`,
      values: 'the categories you record, the same spelling throughout; empty when not recorded',
      required: true,
    })),
    { name: decision?.column || 'decision', ...expected(decision), meaning: `What the system decided or recommended for the case${a['system.description']?.trim() ? ` (${a['system.description'].trim().replace(/\.$/, '')})` : ''}.`, values: values(decision, '1 when the system flagged or selected the case, 0 when it did not'), required: true },
    { name: m?.label?.column || 'true_outcome', ...expected(m?.label?.column ? m.label : null), meaning: 'What turned out to be true for the case, found independently of the system (for example after a full check by an officer).', values: values(m?.label, '1 when the outcome the system predicts happened, 0 when it did not; empty when not yet known'), required: false },
    { name: m?.score || 'score', number: true, meaning: 'The score the system gave the case, before any threshold was applied.', values: 'a number, with a full stop for decimals', required: false },
    { name: 'decision_date', meaning: 'The date of the system’s decision, so that the figures can be followed over time.', values: 'a date as YYYY-MM-DD', required: false },
  ];
}

/** The data request as CSV: a header row to fill, for the supplier's file. */
export function dataRequestTemplate() {
  // A name from a supplier's header could hold a comma, a quote or a formula: quoted as CSV, a formula kept as text.
  const cell = (name) => {
    const text = /^[=+\-@\t\r]/.test(name) ? `'${name}` : name;
    return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${dataRequest().map((c) => cell(c.name)).join(',')}\r\n`;
}

/** The data request as a data dictionary (CSV): each column, what it means, its permitted values and whether it is required. */
export function dataRequestCsv() {
  const lines = [['column', 'meaning', 'permitted_values', 'required'].join(',')];
  for (const c of dataRequest()) lines.push([c.name, c.meaning, c.values, c.required].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Keeps the data request as the pack sends it, so that the file the
 * supplier returns is checked against what was asked, not against settings
 * changed since. Called when the pack or its template is saved.
 * @param {string} date YYYY-MM-DD
 */
export function freezeDataRequest(date) {
  state.review.data_request = {
    sent: date,
    columns: dataRequest().map((c) => ({ name: c.name, required: c.required, ...(c.permitted ? { permitted: c.permitted } : {}), ...(c.number ? { number: true } : {}) })),
  };
}

/**
 * A returned file checked against the data request (as sent, or as it
 * stands if none was sent): the required columns it lacks, the optional ones
 * it lacks, the columns it has that were not asked for, for a column with
 * permitted values the values it has that are not among them, and the
 * columns asked for as numbers (a score, a threshold's column) that hold
 * something else.
 * @param {string[]} header
 * @param {(name: string) => string[] | null} valuesOf the distinct values of a column, as the engine's preview lists them
 *   (trimmed, missing cells left out), or null when there are too many to list
 * @param {(name: string) => boolean | null} hasNonNumber whether the preview found a value in the column that is not a
 *   number (null when it cannot say)
 */
export function checkAgainstRequest(header, valuesOf = () => null, hasNonNumber = () => null) {
  const have = new Set(header.map((h) => h.trim()));
  const asked = state.review.data_request?.columns ?? dataRequest();
  return {
    sent: state.review.data_request?.sent ?? null,
    missing: asked.filter((c) => c.required && !have.has(c.name)).map((c) => c.name),
    missingOptional: asked.filter((c) => !c.required && !have.has(c.name)).map((c) => c.name),
    extra: header.map((h) => h.trim()).filter((h) => h && !asked.some((c) => c.name === h)),
    unexpected: asked.filter((c) => c.permitted && have.has(c.name)).flatMap((c) => {
      const seen = valuesOf(c.name);
      const bad = (seen ?? []).filter((v) => !c.permitted.includes(v));
      return bad.length ? [{ column: c.name, values: bad.slice(0, 10), permitted: c.permitted }] : [];
    }),
    notNumbers: asked.filter((c) => c.number && have.has(c.name) && hasNonNumber(c.name) === true).map((c) => c.name),
  };
}

/** Questions for the supplier, from the review's findings and gaps: each names what it is about. */
export function supplierQuestions(report = state.review.report) {
  const a = state.review.answers;
  const out = [];
  if (report) {
    const harmful = report.config?.outcome === 'harmful';
    const decision = report.config?.decision?.column ?? 'the decision';
    for (const x of flatten(report).filter((row) => isFinding(row.verdict))) {
      const attribute = report.attributes.find((y) => y.column === x.attribute);
      const group = groupName(attribute, x.group);
      const named = x.compared_with != null && attribute.groups.some((g) => g.group === x.compared_with);
      const compared = named ? `“${groupName(attribute, x.compared_with)}”` : 'everyone else';
      // For a harmful decision the impact ratio compares the rates of not being flagged, so it is never the figure quoted.
      const how = harmful
        ? typeof x.harm_ratio === 'number' ? `${ratio(x.harm_ratio, 1)} times as often as ${compared}` : `more often than ${compared}`
        : typeof x.impact_ratio === 'number' ? `at ${ratio(x.impact_ratio)} times the rate of ${compared}` : `less often than ${compared}`;
      out.push(`People in the group “${group}” (${attributeName(attribute)}) got “${decision}” ${how} (${pct(x.selection_rate)} against ${pct(x.comparison_rate)}). Explain the cause of the ${harmful ? 'higher' : 'lower'} rate for “${group}”, and what you will change.`);
    }
    if (!report.input?.labelled) out.push('The file has no true outcome, so the board could not check the system’s errors for each group. Provide outcome data from an independent audit of a sample of cases, with how the sample was drawn.');
    if (!report.config?.score) out.push('The file has no score. Provide the score for each case, and the threshold and how it was chosen, so that the board can see the effect of the threshold on each group.');
    const gap = coverage(report, state.review.mapping).gap.map((c) => characteristicLabel(c.value).toLowerCase());
    if (gap.length) {
      out.push(`The file does not record ${andList(gap)}. For each, provide it for the cases where it is recorded, or explain why it is not, and say how you checked the system for bias by it.`);
    }
  } else {
    out.push('The board has not yet seen the system’s decisions. Provide the file described in the data request, on the board’s own cases.');
  }
  const ask = [
    ['system.how_it_works', 'Describe how the system works, in words a member of the public would understand, and where it does not apply.'],
    ['system.input', 'List the information that goes into the system, and any input that could stand in for a protected characteristic (for example postcode or first language).'],
    ['system.model_type', 'Say what kind of model or rules the system is, and which version the board is reviewing.'],
    ['system.third_party_data_access', 'Set out what access you will have to the council’s data, on what terms, and for how long.'],
  ];
  for (const [id, question] of ask) if (!a[id]) out.push(question);
  return out;
}

/** The evidence a board should demand from a supplier before it buys. */
export const EVIDENCE = [
  'Validation results for each group the board compares (selection rates, error rates and precision), with the counts behind them and the data they came from.',
  'The make-up of the training data: how many cases, from when and where, and how each protected characteristic is represented in it.',
  'How the threshold was chosen, and its effect on each group.',
  'The monitoring plan: which figures you will report to the council, how often, and what happens when one crosses a line.',
  'The council’s audit rights: access to the decisions, the scores and the documentation needed to check them independently.',
  'Any equality, data protection or algorithmic impact assessment of the system, and the independent audits it has had.',
];

/** Suggested contract clauses, for the council’s lawyers to adapt. */
export const CONTRACT_CLAUSES = [
  'Access to decision data: the supplier gives the council, at no extra cost, each decision, score and input the council needs to monitor the system by group, in a documented file format, at least every quarter.',
  'Notice of change: the supplier tells the council in writing, at least 30 days before, of any change to the model, its training data, its threshold or its inputs, and gives the council the validation results for each group before the change takes effect.',
  'Remediation: where monitoring shows a disparity the council judges unacceptable, the supplier proposes and makes changes within an agreed time, and the council may suspend use of the system until they are made.',
  'Audit: the council, or an auditor it appoints, may audit the system and its documentation; the supplier cooperates, including with an ethics board or regulator.',
  'Transparency: the supplier provides what the council needs to publish an Algorithmic Transparency Recording Standard record and to answer Freedom of Information requests, and does not treat it as commercially confidential without reason.',
  'Data: the supplier uses the council’s data only to provide the service, and returns or deletes it at the end of the contract.',
];
