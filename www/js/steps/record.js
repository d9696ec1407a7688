// Step 11, Record and export: the decision record (shown, printable) and its
// exports: a JSON review file that reloads into the page, a standalone HTML
// report, Markdown, and a CSV of the results. Only aggregates, the file's
// name, size and SHA-256 fingerprint are recorded — never the rows.
import { IMPACT_QUESTIONS, LEVELS, scoreImpact, isAnswered as impactAnswered } from '../model/impact.js';
import { checkDate, isAnswered } from '../ui/forms.js';
import { IMPACT_OPTIONS, equalityFields, evidenceFor, mitigationCoverage, mitigationFields } from '../model/board.js';
import { FAIRNESS_FIELDS, boardThreshold, chosenMetrics } from '../model/fairness.js';
import { withDefaults, buildConfig, coverage, describeBins, describeIntersections, describeOutcome, describeReference } from '../model/mapping.js';
import { FRACTION_KEYS, METRICS, RATE_NAMES, VERDICTS, countText, flatten, isFinding } from '../model/metrics-info.js';
import { DATA_QUESTIONS, EQUALITY_CHARACTERISTICS, EQUALITY_FIELDS, LIKELIHOOD, MITIGATIONS, REVIEW_TYPES, SEVERITY, STEP_QUESTIONS, characteristicLabel, dutiesFor } from '../model/questions.js';
import * as engine from '../engine/engine.js';
import { FINGERPRINT_PENDING, fingerprintReady, session } from '../model/session.js';
import { attributeCharts } from '../ui/attribute-charts.js';
import { publicSummary, publicSummaryText } from '../model/public-summary.js';
import { atrsJson, registerEntry } from '../model/transparency.js';
import { CONTRACT_CLAUSES, EVIDENCE, dataRequest, dataRequestCsv, dataRequestTemplate, freezeDataRequest, supplierQuestions } from '../model/procurement.js';
import { FORMAT, FORMAT_VERSION, state, touch } from '../model/state.js';
import { ruleCharacteristics, ruleText } from '../model/monitor.js';
import { add, download, h, s, visible } from '../ui/dom.js';
import { elementMarkdown, fileStem, standaloneHtml } from '../ui/export.js';
import { andList, attributeName, bytes, count, csvCell, groupName, groupParts, longDate, pValue, pct, ratio, today } from '../ui/format.js';

export const PAGE_VERSION = '0.1.0';

// The error rates every record lists for each group (the CSV has them all; the board's chosen ones are added).
const ERROR_RATES = ['base_rate', 'tpr', 'fpr', 'ppv'];

// ---- Gaps --------------------------------------------------------------------------

/** Every question with the step it is on, for the list of gaps. */
/** @returns {[string, string, any[]][]} */
function allQuestions() {
  return [
    ['start', 'Start', [{ id: 'start.type', label: 'Type of review', options: REVIEW_TYPES }]],
    ['system', 'The system', STEP_QUESTIONS.system.sections.flatMap((/** @type {any} */ s) => s.fields)],
    ['impact', 'Impact screening', IMPACT_QUESTIONS],
    ['data', 'Data', DATA_QUESTIONS],
    ['oversight', 'Oversight and redress', STEP_QUESTIONS.oversight.sections.flatMap((/** @type {any} */ s) => s.fields)],
    ['fairness', 'Which fairness question?', FAIRNESS_FIELDS.filter((/** @type {any} */ f) => !f.conditional)],
    ['equality', 'Equality and rights', [...equalityFields(), ...EQUALITY_FIELDS.psed, ...EQUALITY_FIELDS.disability, ...EQUALITY_FIELDS.rights, ...EQUALITY_FIELDS.justification]],
    ['risks', 'Risks and mitigations', mitigationFields().filter((f) => f.type === 'radios')],
    ['decision', 'Decision', STEP_QUESTIONS.decision.sections.flatMap((/** @type {any} */ s) => s.fields).filter((/** @type {any} */ f) => f.id !== 'decision.dissent')],
  ];
}

export function gaps() {
  const a = state.review.answers;
  const out = [];
  for (const [step, title, fields] of allQuestions()) {
    for (const f of fields) {
      const answered = f.type === 'conditions' ? state.review.conditions.some((c) => c.text.trim()) : f.type === 'monitoring-rules' ? state.review.monitoring.rules.length > 0 : f.weight ? impactAnswered(f, a[f.id]) : isAnswered(a[f.id]);
      if (!answered) out.push({ step, stepTitle: title, id: f.id, label: f.characteristic ? `${characteristicLabel(f.characteristic)}: ${f.label}` : f.label });
    }
  }
  if (!state.review.report) out.push({ step: 'data', stepTitle: 'Data', id: null, label: 'No data was checked, so the record has no results' });
  else {
    for (const c of coverage(state.review.report, state.review.mapping).gap) {
      out.push({ step: 'data', stepTitle: 'Data', id: null, label: `Evidence gap: ${c.label.replace(/ \(.*\)$/, '')} is not in the data` });
    }
  }
  state.review.conditions.forEach((c, i) => {
    const missing = [!c.text.trim() && 'text', !c.owner.trim() && 'owner', !c.due && 'due date'].filter(Boolean);
    if (missing.length) out.push({ step: 'decision', stepTitle: 'Decision', id: null, label: `Condition ${i + 1} has no ${andList(missing)}` });
    if (c.due && checkDate(c.due, 'due')) out.push({ step: 'decision', stepTitle: 'Decision', id: null, label: `Condition ${i + 1}’s due date is not a real date` });
  });
  if (notQuorateApproval()) out.push({ step: 'decision', stepTitle: 'Decision', id: null, label: 'The meeting was not quorate: confirm the decision at a quorate meeting' });
  if (!state.review.risks.length) out.push({ step: 'risks', stepTitle: 'Risks and mitigations', id: null, label: 'No risks were recorded' });
  state.review.risks.forEach((r, i) => {
    const missing = ['likelihood', 'severity', 'owner', 'mitigation'].filter((k) => !r[k]);
    if (missing.length) out.push({ step: 'risks', stepTitle: 'Risks and mitigations', id: null, label: `Risk ${i + 1} has no ${missing.join(', ')}` });
  });
  return out;
}

// ---- Helpers -------------------------------------------------------------------------

function optionLabel(f, v) {
  if (Array.isArray(v)) return v.map((x) => optionLabel(f, x)).join('; ');
  return f?.options?.find((o) => o.value === v)?.label ?? f?.legacy?.[v] ?? v;
}

function show(f) {
  if (f.type === 'conditions') return conditionsShown();
  if (f.type === 'monitoring-rules') return rulesShown();
  const v = state.review.answers[f.id];
  if (!isAnswered(v)) return null;
  if (f.type === 'date') return longDate(v);
  return optionLabel(f, v);
}

/** The board's conditions, each with its owner and due date (or what is missing). */
function conditionsShown() {
  const list = state.review.conditions.filter((c) => c.text.trim());
  if (!list.length) return null;
  return h('ol', { class: 'govuk-list govuk-list--number ba-conditions' }, list.map((c) => h('li', null,
    c.text.trim(), ' — ', c.owner.trim() ? `owner: ${c.owner.trim()}` : 'no owner named', '; ', !c.due ? 'no due date' : checkDate(c.due, 'due') ? 'due date not a real date' : `due ${longDate(c.due)}`)));
}

/** The board's monitoring lines, each with who is told. */
function rulesShown() {
  const list = state.review.monitoring.rules;
  if (!list.length) return null;
  const named = (column) => ruleCharacteristics().find((c) => c.column === column)?.label ?? column;
  return h('ol', { class: 'govuk-list govuk-list--number ba-conditions' }, list.map((r) => h('li', null,
    ruleText(r, named), ' — ', r.notify?.trim() ? `tell: ${r.notify.trim()}` : 'no one named to tell')));
}

/** Whether a meeting recorded as not quorate approved the system (a decision it could not take). */
function notQuorateApproval() {
  const a = state.review.answers;
  return a['decision.quorate'] === 'no' && ['approve', 'approve_conditions', 'approve_justified'].includes(a['decision.outcome']);
}

const NOT_ANSWERED = 'Not answered';

function sl(rows) {
  return h('dl', { class: 'govuk-summary-list' }, rows.filter(Boolean).map(([k, v]) => h('div', { class: 'govuk-summary-list__row' },
    h('dt', { class: 'govuk-summary-list__key' }, k),
    h('dd', { class: ['govuk-summary-list__value', (v === null || v === undefined || v === '') && 'ba-gap'] }, v === null || v === undefined || v === '' ? NOT_ANSWERED : v))));
}

function fieldsList(fields) { return sl(fields.map((f) => [f.label, show(f)])); }

// Wide tables scroll sideways inside their own region, so nothing is clipped on a phone.
function table(caption, head, rows, attrs = {}) {
  return h('div', { class: 'ba-scroll', tabindex: '0', role: 'region', 'aria-label': `${caption} (scrolls sideways)` }, h('table', { class: 'govuk-table', ...attrs },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, caption),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, head.map((x) => h('th', { class: 'govuk-table__header', scope: 'col' }, x)))),
    h('tbody', { class: 'govuk-table__body' }, rows.map((r) => h('tr', { class: 'govuk-table__row' }, r.map((x, i) => (i === 0 ? h('th', { class: 'govuk-table__header', scope: 'row' }, x) : h('td', { class: 'govuk-table__cell' }, x))))))));
}

function reviewTypeLabel() { return optionLabel({ options: REVIEW_TYPES }, state.review.answers['start.type']) || null; }

function configFor() {
  return state.review.report?.config || (state.review.mapping ? withDefaults(buildConfig(state.review.mapping).config) : null);
}

// ---- The record as a DOM tree (shown in the page, printed, and serialised to HTML) ----

export function recordElement({ integrity = null } = {}) {
  const r = state.review;
  const report = r.report;
  const impact = scoreImpact(r.answers);
  const name = r.answers['system.name'] || 'Unnamed system';
  const m = r.mapping;
  const config = configFor();
  const rows = flatten(report);
  const fairnessChosen = chosenMetrics();
  const gapList = gaps();
  const cov = mitigationCoverage();
  const sec = (title, ...children) => h('section', { class: 'ba-record__section' }, h('h2', { class: 'govuk-heading-l' }, title), children);

  const decisionField = STEP_QUESTIONS.decision.sections[0].fields[0];
  const allFields = STEP_QUESTIONS.decision.sections.flatMap((/** @type {any} */ x) => x.fields);
  const decisionQuestion = (/** @type {string} */ id) => allFields.find((/** @type {any} */ f) => f.id === id);
  const nextReview = show(decisionQuestion('decision.review_date'));
  const reviewDate = isAnswered(r.answers['decision.review_date']) ? r.answers['decision.review_date'] : null;
  const reviewWhen = !nextReview || !reviewDate ? nextReview
    : reviewDate < today() ? `${nextReview} (this date has passed: set a new one)`
      : reviewDate === today() ? `${nextReview} (that is today: set a date in the future)` : nextReview;
  const questionGaps = gapList.filter((g) => g.id).length;
  const otherGaps = gapList.length - questionGaps;
  const findings = report ? rows.filter((x) => isFinding(x.verdict)) : [];
  // The error rates every record lists, and any other the board chose to weigh, each with its count and range.
  const weighed = new Set(fairnessChosen);
  const errorRates = FRACTION_KEYS.filter((k) => ERROR_RATES.includes(k) || weighed.has(k));

  return h('article', { class: 'ba-record', id: 'record', 'aria-labelledby': 'record-title' },
    h('h1', { class: 'govuk-heading-xl', id: 'record-title' }, h('span', { class: 'govuk-caption-l' }, 'Algorithm bias review: decision record'), name),
    // The decision and what it rests on come first; how the record was made is in the appendix.
    h('section', { class: 'ba-record__section ba-record__summary', id: 'record-summary', 'aria-labelledby': 'record-summary-title' },
      h('h2', { class: 'govuk-heading-l', id: 'record-summary-title' }, 'Board summary'),
      sl([
        ['The system', r.answers['system.description'] ? `${name}: ${r.answers['system.description']}` : name],
        ['Decision', show(decisionField)],
        ['Reasons', show(decisionQuestion('decision.reasons'))],
        ['Conditions', conditionsShown()],
        ['Next full review', reviewWhen],
        ['Decided', [show(decisionQuestion('decision.date')), show(decisionQuestion('decision.chair')) && `chaired by ${show(decisionQuestion('decision.chair'))}`].filter(Boolean).join(', ') || null],
        ['Members present', String(show(decisionQuestion('decision.members')) ?? '').split('\n').map((x) => x.trim()).filter(Boolean).join('; ') || null],
        ['Quorate', notQuorateApproval() ? 'No: a meeting that is not quorate cannot approve the system; confirm the decision at a quorate meeting' : show(decisionQuestion('decision.quorate'))],
        ['Declarations of interest', show(decisionQuestion('decision.interests'))],
        ['What the people affected said, and the board’s response', show(decisionQuestion('decision.public_voice'))],
        ['Dissent', show(decisionQuestion('decision.dissent'))],
        ['Review', reviewTypeLabel()],
        ['Impact level', impact.unanswered === IMPACT_QUESTIONS.length ? null : `${LEVELS[impact.level].name} (score ${impact.score} of ${impact.max}${impact.unanswered ? `; ${impact.unanswered} screening question${impact.unanswered === 1 ? '' : 's'} unanswered` : ''})`],
        ['Record produced', today()],
      ]),
      h('h3', { class: 'govuk-heading-m' }, 'Key findings'),
      report
        ? [h('ul', { class: 'govuk-list govuk-list--bullet', id: 'record-summary-findings' }, (report.at_a_glance || []).map((t) => h('li', null, t))),
          h('p', { class: 'govuk-body' }, findings.length
            ? `${findings.length} group${findings.length > 1 ? 's' : ''} flagged: ${findings.map((x) => {
              const a = report.attributes.find((/** @type {any} */ y) => y.column === x.attribute);
              return `${groupName(a, x.group)} (${attributeName(a)}), ${VERDICTS[x.verdict].label.toLowerCase()}`;
            }).join('; ')}. Section 6 gives every group, with its counts and ranges.`
            : 'No group flagged. That does not prove the system is fair: section 6 gives the error rates and the groups too few to judge, and section 4 the evidence gap.')]
        : h('p', { class: 'govuk-body ba-gap' }, 'No data was checked, so there are no findings.'),
      gapList.length ? h('p', { class: 'govuk-body', id: 'record-summary-gaps' }, `Gaps in the review (section 10): ${andList([
        questionGaps && `${count(questionGaps)} ${questionGaps === 1 ? 'question' : 'questions'} not answered`,
        otherGaps && `${count(otherGaps)} other ${otherGaps === 1 ? 'gap' : 'gaps'}`].filter(Boolean))}.`) : null),
    sec('1. The system', ...STEP_QUESTIONS.system.sections.map((s) => [h('h3', { class: 'govuk-heading-m' }, s.heading), fieldsList(s.fields)])),
    sec('2. Impact screening',
      h('p', { class: 'govuk-body' }, h('strong', null, LEVELS[impact.level].name), `. ${impact.reasons.join(' ')}`),
      h('p', { class: 'govuk-body' }, LEVELS[impact.level].depth),
      fieldsList(IMPACT_QUESTIONS.map((q) => ({ ...q, type: q.type || 'radios' })))),
    sec('3. Oversight and redress', ...STEP_QUESTIONS.oversight.sections.map((s) => [h('h3', { class: 'govuk-heading-m' }, s.heading), fieldsList(s.fields)])),
    sec('4. Data',
      fieldsList(DATA_QUESTIONS),
      r.dataset ? sl([
        ['File', r.dataset.sample ? `${r.dataset.name} (sample dataset for learning)` : r.dataset.name],
        ['Size', r.dataset.size !== null ? bytes(r.dataset.size) : null],
        ['SHA-256 fingerprint', r.dataset.sha256 || session.fingerprint
          ? h('code', { class: 'ba-hash', id: 'record-sha256', 'data-fingerprint': '' }, r.dataset.sha256 || FINGERPRINT_PENDING)
          : null],
        [report?.config?.count ? 'Cases read, used, left out (a table of counts)' : 'Rows read, used, left out', report ? `${count(report.input?.rows_read)}, ${count(report.input?.rows_used)}, ${count(report.input?.rows_excluded)}` : null],
        ['Characteristics audited', m ? m.attributes.map((x) => `${x.column} (${characteristicLabel(x.characteristic)})`).join('; ') : null],
        ['Bands for numbers', config ? describeBins(config.bins) : null],
        ['Combinations', config ? describeIntersections(config.intersections) : null],
        ['Decision', config ? describeOutcome(config.decision) : null],
        ['A positive decision', config ? (config.outcome === 'harmful' ? 'harms the person' : 'helps the person') : null],
        ['True outcome', config ? (config.label ? describeOutcome(config.label) : 'none') : null],
        ['Score column', m?.score || 'none'],
        ['Strata', config?.strata || 'none'],
        ['Weights', config?.weight || 'none'],
        ['Compared with', config ? describeReference(config.reference) : null],
        ['Four-fifths threshold', config?.four_fifths_threshold != null ? String(config.four_fifths_threshold) : null],
        ['Statistics', config?.evidence?.confidence != null ? `${Math.round(config.evidence.confidence * 1000) / 10}% confidence, ${config.evidence.interval === 'clopper_pearson' ? 'Clopper–Pearson' : 'Wilson'} intervals, ${config.evidence.adjust === 'none' ? 'no' : config.evidence.adjust === 'bh' ? 'Benjamini–Hochberg' : 'Holm'} adjustment, groups under ${config.evidence.min_group} not judged` : null],
      ]) : h('p', { class: 'govuk-body ba-gap' }, 'No data was checked.'),
      report ? h('p', { class: 'govuk-body' }, `Evidence gap: ${coverage(report, m).gap.map((c) => c.label.replace(/ \(.*\)$/, '')).join(', ') || 'none'}.`) : null),
    sec('5. The fairness question',
      sl([
        ['What matters most', show(FAIRNESS_FIELDS[0])],
        ['Figures weighed', fairnessChosen.map((k) => METRICS[k]?.name || k).join('; ') || null],
        // Nothing is recorded as the board's choice that it did not make, and a line is a trigger for scrutiny, not a tolerated gap.
        ['Line at which the board is alerted (ratio)', isAnswered(r.answers['fairness.threshold']) ? String(boardThreshold()) : null],
        ['Trust in the true outcome', show(FAIRNESS_FIELDS.find((f) => f.id === 'fairness.label_trust'))],
        ['Reasoning', show({ id: 'fairness.reasoning' })],
      ])),
    sec('6. Results',
      report ? (report.attributes || []).map((a) => {
        const rs = rows.filter((x) => x.attribute === a.column);
        const harmful = report.config?.outcome === 'harmful';
        const small = new Set((a.groups || []).filter((g) => g.below_min_cell).map((g) => g.group));
        return [h('h3', { class: 'govuk-heading-m' }, attributeName(a)),
          table(`${attributeName(a)}: every group compared with ${a.reference?.group != null ? groupName(a, a.reference.group) : 'everyone else'}`,
            ['Group', 'People', 'Rate', 'Range', 'Impact ratio', ...(harmful ? ['Times as often'] : []), 'p (adjusted)', 'Shortfall', 'Verdict'],
            rs.map((x) => [groupName(a, x.group) + (x.verdict === 'comparison_group' ? ' (comparison group)' : '') + (small.has(x.group) ? ` (fewer than ${report.config?.min_cell ?? 10} people: treat with care)` : ''), count(x.n),
              `${pct(x.selection_rate)} (${countText(x, x.selected, x.n)})`,
              x.selection_rate_lower !== null ? `${pct(x.selection_rate_lower)}–${pct(x.selection_rate_upper)}` : '', ratio(x.impact_ratio),
              ...(harmful ? [x.harm_ratio === null ? '' : `${ratio(x.harm_ratio)}×${x.harm_ratio_lower !== null ? ` (${ratio(x.harm_ratio_lower)}–${x.harm_ratio_upper === null ? 'no limit' : ratio(x.harm_ratio_upper)})` : ''}`] : []), x.p_adjusted === null ? '' : pValue(x.p_adjusted),
              x.shortfall_to_threshold === null ? '' : count(x.shortfall_to_threshold), VERDICTS[x.verdict]?.label || ''])),
          // The reasons are sentences: a list reads better than a narrow column.
          h('ul', { class: 'govuk-list govuk-list--bullet ba-record-reasons' }, rs.filter((x) => x.reason).map((x) => h('li', null, h('strong', null, `${groupName(a, x.group)}: `), x.reason))),
          // The charts the results step shows, as inline SVG (each with its description and the table above).
          attributeCharts(a, rs, report, `record-attr-${report.attributes.indexOf(a)}`, { tag: 'h4', headingClass: 'govuk-heading-s', named: true }),
          report.input?.labelled ? table(`${attributeName(a)}: error rates, each with its count and range`,
            ['Group', ...errorRates.map((k) => (weighed.has(k) ? `${RATE_NAMES[k]} (weighed by the board)` : RATE_NAMES[k]))],
            rs.filter((x) => !x.is_missing).map((x) => [groupName(a, x.group), ...errorRates.map((k) => (x[k] === null ? 'not defined'
              : `${pct(x[k])} (${x.weighted ? 'weighted' : `${count(x[`${k}_count`])} of ${count(x[`${k}_of`])}`}${x[`${k}_lower`] !== null ? `; ${pct(x[`${k}_lower`])}–${pct(x[`${k}_upper`])}` : ''})${(x.too_few ?? {})[k] !== undefined ? ', too few to judge' : ''}`))])) : null,
          a.empty_cells?.count ? h('p', { class: 'govuk-body' }, `Combinations with no one in the data: ${a.empty_cells.cells.map((c) => andList(groupParts(c))).join('; ')}${a.empty_cells.count > a.empty_cells.cells.length ? ` and ${count(a.empty_cells.count - a.empty_cells.cells.length)} more` : ''}.`) : null];
      }) : h('p', { class: 'govuk-body ba-gap' }, 'No results.'),
      report?.warnings?.length || report?.notes?.length ? h('ul', { class: 'govuk-list govuk-list--bullet' }, [...(report.warnings || []).map((w) => `Warning: ${w}`), ...(report.notes || [])].map((n) => h('li', null, n))) : null),
    sec('7. Equality and rights',
      h('div', { class: 'ba-record-duties', 'data-jurisdiction': String(r.answers['system.jurisdiction'] ?? 'unknown') }, dutiesFor(r.answers['system.jurisdiction']).map((t) => h('p', { class: 'govuk-body' }, t))),
      table('Impact on people who share each protected characteristic', ['Characteristic', 'Impact', 'From the results', 'Evidence and reasoning'],
        EQUALITY_CHARACTERISTICS.map((c) => [c.label.replace(/ \(.*\)$/, ''),
          optionLabel({ options: IMPACT_OPTIONS }, r.answers[`equality.${c.value}.impact`]) || NOT_ANSWERED,
          evidenceFor(c.value).lines.join(' '), r.answers[`equality.${c.value}.notes`] || ''])),
      h('h3', { class: 'govuk-heading-m' }, 'Public Sector Equality Duty'), fieldsList(EQUALITY_FIELDS.psed),
      h('h3', { class: 'govuk-heading-m' }, 'Disability'), fieldsList(EQUALITY_FIELDS.disability),
      h('h3', { class: 'govuk-heading-m' }, 'Human rights'), fieldsList(EQUALITY_FIELDS.rights),
      h('h3', { class: 'govuk-heading-m' }, 'Justification'), fieldsList(EQUALITY_FIELDS.justification)),
    sec('8. Risks and mitigations',
      r.risks.length ? table('Risk register', ['#', 'Risk', 'Who', 'Likelihood', 'Severity', 'Owner', 'Mitigation'],
        r.risks.map((x, i) => [String(i + 1), x.title || '', x.group || '', optionLabel({ options: LIKELIHOOD }, x.likelihood) || '', optionLabel({ options: SEVERITY }, x.severity) || '', x.owner || '', x.mitigation || '']))
        : h('p', { class: 'govuk-body ba-gap' }, 'No risks recorded.'),
      h('p', { class: 'govuk-body' }, `Mitigations in place: ${cov.yes} of ${cov.of} applicable (${cov.total} listed).`),
      table('Mitigation checklist', ['Measure', 'In place', 'Evidence'], MITIGATIONS.map((mi) => [mi.label,
        optionLabel({ options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }, { value: 'na', label: 'Does not apply' }] }, r.answers[`mitigation.${mi.id}`]) || NOT_ANSWERED,
        r.answers[`mitigation.${mi.id}.evidence`] || '']))),
    sec('9. Decision', ...STEP_QUESTIONS.decision.sections.map((s) => [h('h3', { class: 'govuk-heading-m' }, s.heading), fieldsList(s.fields)])),
    sec('10. Gaps in this review',
      gapList.length ? [h('p', { class: 'govuk-body' }, `${gapList.length} ${gapList.length === 1 ? 'gap' : 'gaps'}: questions not answered, and what the review could not do:`),
        h('ul', { class: 'govuk-list govuk-list--bullet', id: 'record-gaps' }, gapList.map((g) => h('li', null, `${g.stepTitle}: ${g.label}`)))]
        : h('p', { class: 'govuk-body' }, 'None: every question was answered.')),
    sec('Appendix: how this record was made',
      sl([
        ['Review ID', r.id],
        ['Started', r.created.slice(0, 10)],
        ['Record produced', today()],
        ['Engine', r.engine_version ? `biasaudit ${r.engine_version}` : (report?.engine ? `${report.engine.name} ${report.engine.version}` : null)],
        ['Page', `biasaudit review page ${PAGE_VERSION}, record format ${FORMAT_VERSION}`],
        ['Data file', r.dataset ? `${r.dataset.name}${r.dataset.sha256 ? `, SHA-256 ${r.dataset.sha256}` : ''}` : null],
        integrity ? ['Record fingerprint (SHA-256 of the JSON record)', h('code', { class: 'ba-hash' }, integrity)] : null,
      ]),
      h('p', { class: 'govuk-body' }, 'The settings of the check are in section 4; the JSON record holds them exactly, and reloads into the page.')));
}

// ---- Exports ----------------------------------------------------------------------------

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The JSON record: the review (reloadable), plus a summary and a fingerprint of itself. */
export async function recordJson() {
  await fingerprintReady(); // a record names the data it was made from
  const r = state.review;
  const impact = scoreImpact(r.answers);
  const body = {
    format: FORMAT,
    format_version: FORMAT_VERSION,
    exported: new Date().toISOString(),
    page_version: PAGE_VERSION,
    engine_version: r.engine_version || r.report?.engine?.version || null,
    data_sha256: r.dataset?.sha256 || null,
    config: configFor(),
    summary: {
      impact_level: impact.level,
      impact_score: impact.score,
      decision: r.answers['decision.outcome'] || null,
      metrics_weighed: chosenMetrics(),
      board_threshold: boardThreshold(),
      flagged: flatten(r.report).filter((x) => isFinding(x.verdict)).map((x) => ({ attribute: x.attribute, group: x.group, verdict: x.verdict })),
      gaps: gaps().map((g) => `${g.stepTitle}: ${g.label}`),
    },
    review: r,
  };
  const text = JSON.stringify(body, null, 2);
  const hash = await sha256Hex(text);
  return { text: JSON.stringify({ ...body, integrity: { algorithm: 'SHA-256', of: 'this JSON object without the integrity field, serialised with 2-space indentation', value: hash } }, null, 2), hash };
}

/** The results table as CSV: the review's report, or another (the publication copy). */
export function resultsCsv(report = state.review.report) {
  const cols = ['attribute', 'group', 'label', 'is_reference', 'is_missing', 'compared_with', 'n', 'selected', 'share', 'selection_rate', 'selection_rate_lower', 'selection_rate_upper',
    'impact_ratio', 'impact_ratio_lower', 'impact_ratio_upper', 'harm_ratio', 'harm_ratio_lower', 'harm_ratio_upper', 'below_threshold', 'above_harm_threshold', 'p_adjusted', 'significant',
    'shortfall_to_reference', 'shortfall_to_threshold', 'verdict', 'reason',
    ...FRACTION_KEYS.flatMap((k) => [k, `${k}_count`, `${k}_of`, `${k}_lower`, `${k}_upper`]), 'ppr'];
  const lines = [cols.join(',')];
  for (const row of flatten(report)) lines.push(cols.map((c) => csvCell(row[c])).join(','));
  // A suppressed group is listed, marked as statistical offices mark it, with no figures.
  for (const a of report?.attributes || []) {
    for (const g of a.suppressed_groups || []) {
      const row = { attribute: a.column, group: g, label: groupName(a, g), verdict: 'suppressed [c]', reason: SUPPRESSED_REASON };
      lines.push(cols.map((c) => csvCell(row[c])).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

const SUPPRESSED_REASON = 'Left out of the publication copy: too few people, everyone or no one in a small group got the decision, or its figures could be worked out from the published ones';

// ---- The publication copy: the results re-checked with small groups left out ----

/** The publication copy of the current results, if one was made (kept in memory only). */
function publicationCopy() {
  const p = session.publication;
  return p && p.of === state.review.report ? p : null;
}

/** Whether the file the results came from is open in the page (it is never saved). */
function resultsFileOpen() {
  const f = session.file;
  const d = state.review.dataset;
  return !!(f && d && f.name === d.name && f.size === d.size);
}

async function makePublicationCopy(ctx) {
  const of = state.review.report;
  const run = { of, running: true, report: null, error: null };
  session.publication = run;
  ctx.rerender({ focus: 'publication-status' });
  let done;
  try {
    const job = engine.auditFile(session.file, { ...configFor(), publication: true });
    const report = await job.promise;
    const sha256 = report.input.sha256 ?? await job.fingerprint;
    await fingerprintReady();
    const reviewed = state.review.dataset?.sha256;
    if (!reviewed) throw new Error('the fingerprint of the file these results came from is not known, so the page cannot tell that the open file is the same one; check the data again in the data step first');
    if (reviewed !== sha256) throw new Error('the open file is not the one these results came from (its SHA-256 fingerprint differs); check it in the data step first');
    report.input.sha256 = sha256;
    done = { of, running: false, report, error: null };
  } catch (e) {
    done = { of, running: false, report: null, error: e.detail || e.message || String(e) };
  }
  // Newer results, or a newer copy, win over this one.
  if (session.publication !== run || state.review.report !== of) return;
  session.publication = done;
  ctx.rerender({ focus: 'publication-status' });
}

function publicationSection(ctx, button) {
  const report = state.review.report;
  if (!report) return null;
  // Said beside these buttons, not at the top of the page where the record's own exports are.
  const saved = h('p', { class: 'govuk-body', id: 'publication-export-status', 'aria-live': 'polite' });
  const done = (what) => { saved.textContent = `${what} saved to your downloads folder.`; };
  const k = report.config?.min_cell ?? 10;
  const copy = publicationCopy();
  const left = (copy?.report?.attributes || []).filter((a) => a.suppressed_groups?.length);
  const total = left.reduce((n, a) => n + a.suppressed_groups.length, 0);
  const status = [];
  if (copy?.running) status.push(h('p', { class: 'govuk-body' }, 'Making the publication copy…'));
  else if (copy?.error) status.push(h('div', { class: 'govuk-error-summary', role: 'alert' }, h('p', { class: 'govuk-body' }, `The publication copy could not be made: ${copy.error}`)));
  else if (copy?.report) {
    status.push(h('p', { class: 'govuk-body', id: 'publication-summary' }, total
      ? `The publication copy leaves out ${count(total)} ${total === 1 ? 'group' : 'groups'}; every figure in it is worked out again without them:`
      : 'No group needed to be left out: the publication copy has every group.'));
    if (total) {
      status.push(h('ul', { class: 'govuk-list govuk-list--bullet', id: 'publication-left-out' },
        left.map((a) => h('li', null, `${attributeName(a)}: ${andList(a.suppressed_groups.map((g) => groupName(a, g)))}`))));
    }
    status.push(h('div', { class: 'govuk-button-group ba-export' },
      button('export-publication-csv', 'Save the publication copy of the results (CSV)', () => { download(`${fileStem()}-publication.csv`, 'text/csv', resultsCsv(copy.report)); done('The publication copy of the results'); }),
      button('export-publication-json', 'Save the publication report (JSON)', () => { download(`${fileStem()}-publication-report.json`, 'application/json', `${JSON.stringify(copy.report, null, 2)}\n`); done('The publication report'); }),
      publishedButtons(button, done, copy.report)), saved);
  } else if (!resultsFileOpen()) {
    status.push(h('div', { class: 'govuk-inset-text' }, 'The data file is not open in this page: the page never saves it. ',
      h('a', { class: 'govuk-link', href: '#/data' }, 'Open it again in the data step'), ', check it, and come back here to make the copy.'));
  } else {
    status.push(h('div', { class: 'govuk-button-group' }, button('publication-make', 'Make a publication copy', () => makePublicationCopy(ctx))));
  }
  return [
    h('h2', { class: 'govuk-heading-m', id: 'publication-heading' }, 'A copy of the results to publish'),
    h('p', { class: 'govuk-body' }, `Before you publish the results, or release them under the Freedom of Information Act, make a publication copy. It leaves out groups of fewer than ${count(k)} people, groups of fewer than ${count(2 * k)} in which everyone or no one got the decision, and any group whose figures could be worked out from the others. The file is checked again, on this computer, without them. The summary for the public, the ATRS record and the algorithm register entry are made from this copy.`),
    h('div', { id: 'publication-status', tabindex: '-1', 'aria-live': 'polite' }, status),
  ];
}

export function recordMarkdown(hash) {
  return elementMarkdown(recordElement({ integrity: hash }));
}

export function recordHtml(hash) {
  return standaloneHtml(`Decision record: ${state.review.answers['system.name'] || 'Unnamed system'}`, recordElement({ integrity: hash }));
}

/** The public summary as a page of its own (`report`: the publication copy, or null without results). */
export function publicSummaryHtml(report = null) {
  const { title, sections } = publicSummary(report);
  return standaloneHtml(title, h('article', { id: 'public-summary' }, h('h1', null, title),
    sections.map((x) => [h('h2', null, x.heading), x.paragraphs.map((p) => h('p', null, p)), x.list?.length ? h('ul', null, x.list.map((i) => h('li', null, i))) : null,
      (x.after ?? []).map((p) => h('p', null, p))])));
}

/** The ATRS record as CSV: one row per field of the template, in its order, with its value and whether it is empty. */
export function atrsCsv(report = null) {
  const record = atrsJson(report);
  const lines = [['sheet', 'reference', 'field', 'attribute', 'value', 'empty'].join(',')];
  for (const f of record.fields) lines.push([f.sheet, f.ref, f.name, f.attribute, f.value, !f.value].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The register entry as CSV: one row per field. */
export function registerCsv(report = null) {
  const entry = registerEntry(report);
  const lines = [['field', 'key', 'value', 'empty'].join(',')];
  for (const f of entry.fields) lines.push([f.name, f.key, f.value, !f.value].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The exports made to be published: the summary for the public, the ATRS
 * record and the register entry, made from `report` (the publication copy,
 * or null without results), so none of them can name a small group.
 */
function publishedButtons(button, done, report) {
  const json = (value) => visible(`${JSON.stringify(value, null, 2)}\n`);
  return [
    button('export-public-html', 'Save the summary for the public (HTML)', () => { download(`${fileStem()}-public.html`, 'text/html', publicSummaryHtml(report)); done('The summary for the public'); }),
    button('export-public-text', 'Save the summary for the public (text)', () => { download(`${fileStem()}-public.txt`, 'text/plain', visible(publicSummaryText(report))); done('The summary for the public'); }),
    button('export-atrs-csv', 'Save the ATRS record (CSV)', () => { download(`${fileStem()}-atrs.csv`, 'text/csv', atrsCsv(report)); done('The ATRS record'); }),
    button('export-atrs-json', 'Save the ATRS record (JSON)', () => { download(`${fileStem()}-atrs.json`, 'application/json', json(atrsJson(report))); done('The ATRS record'); }),
    button('export-register-csv', 'Save the algorithm register entry (CSV)', () => { download(`${fileStem()}-register.csv`, 'text/csv', registerCsv(report)); done('The algorithm register entry'); }),
    button('export-register-json', 'Save the algorithm register entry (JSON)', () => { download(`${fileStem()}-register.json`, 'application/json', json(registerEntry(report))); done('The algorithm register entry'); }),
  ];
}

// ---- The procurement pack: what the board sends a supplier ----

/** The whole pack as one document. */
export function procurementPackElement() {
  const a = state.review.answers;
  const name = a['system.name'] || 'Unnamed system';
  const sec = (title, ...children) => h('section', null, h('h2', { class: 'govuk-heading-l' }, title), children);
  const list = (tag, items) => h(tag, { class: `govuk-list govuk-list--${tag === 'ol' ? 'number' : 'bullet'}` }, items.map((x) => h('li', null, x)));
  return h('article', { id: 'procurement-pack' },
    h('h1', { class: 'govuk-heading-xl' }, h('span', { class: 'govuk-caption-l' }, 'Procurement pack'), name),
    h('p', { class: 'govuk-body' }, `From the ethics board of ${a['system.organisation'] || 'the council'}${a['system.supplier'] ? ` to ${a['system.supplier']}` : ''}, ${longDate(today())}. The board is testing the system’s outputs on its own cases before deciding whether to use it. Please answer each question, provide the evidence listed, and send the data file described below.`),
    h('p', { class: 'govuk-body', id: 'pack-not-for-publication' }, h('strong', null, 'Not for publication. '), 'The questions give figures for every group, including small ones that could identify people. To publish the findings, use the publication copy of the results.'),
    sec('1. The data we need from you',
      h('p', { class: 'govuk-body' }, 'One CSV file (UTF-8, with a header row) with one row per case the system assessed, on the council’s own cases: every case in the period, not a selection. Do not include names, addresses, dates of birth or National Insurance numbers. The board checks the file on its own computer; it is not uploaded anywhere.'),
      table('The columns of the file', ['Column', 'What it means', 'Permitted values', 'Required'],
        dataRequest().map((c) => [c.name, c.meaning, c.values, c.required ? 'Yes' : 'If you have it']))),
    sec('2. Questions for you', h('p', { class: 'govuk-body' }, 'From what the board’s review found, and what it could not find out.'), list('ol', supplierQuestions())),
    sec('3. Evidence to provide', list('ol', EVIDENCE)),
    sec('4. Contract clauses we will propose', h('p', { class: 'govuk-body' }, 'Suggested wording, which the council’s lawyers will adapt.'), list('ol', CONTRACT_CLAUSES)));
}

function procurementSection(button) {
  const supplier = state.review.answers['start.type'] === 'supplier';
  const saved = h('p', { class: 'govuk-body', id: 'pack-export-status', 'aria-live': 'polite' });
  // What the pack asks for is kept with the review, so the supplier's file is checked against it.
  const done = (what) => { freezeDataRequest(today()); touch(); saved.textContent = `${what} saved to your downloads folder. The data step will check the supplier’s file against this data request.`; };
  const title = `Procurement pack: ${state.review.answers['system.name'] || 'Unnamed system'}`;
  return h('section', { 'aria-labelledby': 'pack-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'pack-heading' }, 'A pack for the supplier'),
    h('p', { class: 'govuk-body' }, `${supplier ? 'This review tests a supplier’s outputs. ' : ''}The pack asks the supplier for the data file the board needs (with a template to fill), puts the questions the review’s findings and gaps raise${state.review.report ? ', naming each group flagged' : ''}, lists the evidence to demand, and suggests contract clauses.`),
    h('div', { class: 'govuk-button-group ba-export' },
      button('export-pack-html', 'Save the procurement pack (HTML)', () => { download(`${fileStem()}-procurement-pack.html`, 'text/html', standaloneHtml(title, procurementPackElement())); done('The procurement pack'); }),
      button('export-pack-md', 'Save the procurement pack (Markdown)', () => { download(`${fileStem()}-procurement-pack.md`, 'text/markdown', elementMarkdown(procurementPackElement())); done('The procurement pack'); }),
      button('export-request-template', 'Save the data file template (CSV)', () => { download(`${fileStem()}-data-template.csv`, 'text/csv', dataRequestTemplate()); done('The data file template'); }),
      button('export-request-columns', 'Save the column descriptions (CSV)', () => { download(`${fileStem()}-data-columns.csv`, 'text/csv', dataRequestCsv()); done('The column descriptions'); })),
    saved);
}


export function renderRecord(root, ctx) {
  const gapList = gaps();
  const button = (id, text, fn) => {
    const b = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id }, text);
    b.addEventListener('click', fn);
    return b;
  };
  const status = h('p', { class: 'govuk-body', id: 'export-status', 'aria-live': 'polite' });
  const done = (what) => { status.textContent = `${what} saved to your downloads folder.`; };
  add(root, 
    h('p', { class: 'govuk-body-l' }, 'Check the record, then save it. The JSON review file can be opened again on the start page to carry on or to re-check a new file against the same settings.'),
    gapList.length
      ? h('div', { class: 'govuk-inset-text', id: 'gaps' }, h('h2', { class: 'govuk-heading-m' }, `${gapList.length} ${gapList.length === 1 ? 'gap' : 'gaps'} in this review`),
        h('p', { class: 'govuk-body' }, 'Every answer is optional, but the record lists what is missing.'),
        h('details', { class: 'govuk-details' }, h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'Show the gaps')),
          h('div', { class: 'govuk-details__text' }, h('ul', { class: 'govuk-list govuk-list--bullet' }, gapList.map((g) => {
            const a = h('a', { class: 'govuk-link', href: `#/${g.step}` }, g.stepTitle);
            return h('li', null, a, `: ${g.label}`);
          })))))
      : h('div', { class: 'govuk-inset-text', id: 'gaps' }, 'Every question has an answer.'),
    h('h2', { class: 'govuk-heading-m' }, 'Save the record'),
    h('div', { class: 'govuk-button-group ba-export' },
      button('export-json', 'Save the review file (JSON)', async () => { const { text } = await recordJson(); download(`${fileStem()}.json`, 'application/json', text); done('The review file'); }),
      button('export-html', 'Save the report (HTML)', async () => { const { hash } = await recordJson(); download(`${fileStem()}.html`, 'text/html', recordHtml(hash)); done('The HTML report'); }),
      button('export-md', 'Save the report (Markdown)', async () => { const { hash } = await recordJson(); download(`${fileStem()}.md`, 'text/markdown', recordMarkdown(hash)); done('The Markdown report'); }),
      button('export-csv', 'Save the results table (CSV)', () => { download(`${fileStem()}-results.csv`, 'text/csv', resultsCsv()); done('The results table'); }),
      button('export-print', 'Print or save as PDF', () => window.print()),
      // With results, what is published is made from the publication copy (below), so it cannot name a small group.
      state.review.report ? null : publishedButtons(button, done, null)),
    status,
    state.review.answers['start.type'] === 'supplier' ? [procurementSection(button), publicationSection(ctx, button)] : [publicationSection(ctx, button), procurementSection(button)],
    recordElement());
}
