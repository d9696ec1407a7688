// The review's answers in the shapes public bodies publish: a record under
// the UK Algorithmic Transparency Recording Standard (ATRS v4.0), and an
// entry for a public algorithm register (the fields the Amsterdam and
// Helsinki registers and the Dutch Algoritmeregister share). Results come
// from the publication copy only (`report`), so no small group is named.
import { flatten, isFinding } from './metrics-info.js';
import { DATA_QUESTIONS, LIKELIHOOD, SEVERITY, STEP_QUESTIONS } from './questions.js';
import { state } from './state.js';
import { figureLabel, lineText } from './monitor.js';
import { unpublishedSentences } from './public-summary.js';
import { attributeName, count, groupName, longDate } from '../ui/format.js';

/**
 * The ATRS v4.0 template's fields, in its order: reference, attribute (the
 * template's machine name), name and sheet. tests/fixtures/atrs/derive_v4.py
 * derives the same list from the published template table and change log,
 * and a test holds this one to it.
 */
export const ATRS_FIELDS = [
  ['0.11', 'title', 'Title', 'Summary information'],
  ['0.12', 'organisation_name', 'Organisation name', 'Summary information'],
  ['0.13', 'phase', 'Phase', 'Summary information'],
  ['0.14', 'region', 'Region', 'Summary information'],
  ['0.15', 'one_sentence_description', 'One sentence description', 'Summary information'],
  ['1.1', 'name', 'Name', 'Summary information'],
  ['1.2', 'description', 'Description', 'Summary information'],
  ['1.3', 'website_url', 'Website URL', 'Summary information'],
  ['1.4', 'contact_email', 'Contact email', 'Summary information'],
  ['2.1.1', 'organisation_or_department', 'Organisation or department', 'Owner and responsibility'],
  ['2.1.2', 'team', 'Team', 'Owner and responsibility'],
  ['2.1.3', 'senior_responsible_owner', 'Senior responsible owner', 'Owner and responsibility'],
  ['2.1.4', 'third_party_involvement', 'Third party involvement', 'Owner and responsibility'],
  ['2.1.4.1', 'third_party', 'Third party', 'Owner and responsibility'],
  ['2.1.4.2', 'companies_house_number', 'Companies House Number', 'Owner and responsibility'],
  ['2.1.4.3', 'third_party_role', 'Third party role', 'Owner and responsibility'],
  ['2.1.4.4', 'procurement_procedure_type', 'Procurement procedure type', 'Owner and responsibility'],
  ['2.1.4.5', 'third_party_data_access_terms', 'Third party data access terms', 'Owner and responsibility'],
  ['2.2.1', 'detailed_description', 'Detailed description', 'Description and rationale'],
  ['2.2.2', 'benefit', 'Benefit', 'Description and rationale'],
  ['2.2.3', 'previous_process', 'Previous process', 'Description and rationale'],
  ['2.2.4', 'alternatives_considered', 'Alternatives considered', 'Description and rationale'],
  ['2.3.1', 'integration_into_broader_operational_process', 'Integration into broader operational process', 'Deployment context'],
  ['2.3.2', 'frequency_and_scale_of_usage', 'Frequency and scale of usage', 'Deployment context'],
  ['2.3.3', 'human_review', 'Human review', 'Deployment context'],
  ['2.3.4', 'required_training', 'Required training', 'Deployment context'],
  ['2.3.5', 'appeals_and_review', 'Appeals and review', 'Deployment context'],
  ['2.4.1.1', 'system_architecture', 'System architecture', 'Tool specification'],
  ['2.4.1.2', 'system_level_input', 'System-level input', 'Tool specification'],
  ['2.4.1.3', 'system_level_output', 'System-level output', 'Tool specification'],
  ['2.4.1.4', 'maintenance', 'Maintenance', 'Tool specification'],
  ['2.4.1.5', 'models', 'Models', 'Tool specification'],
  ['2.4.2.1', 'model_name', 'Model name', 'Model specification'],
  ['2.4.2.2', 'model_version', 'Model version', 'Model specification'],
  ['2.4.2.3', 'model_task', 'Model task', 'Model specification'],
  ['2.4.2.4', 'model_input', 'Model input', 'Model specification'],
  ['2.4.2.5', 'model_output', 'Model output', 'Model specification'],
  ['2.4.2.6', 'model_architecture', 'Model architecture', 'Model specification'],
  ['2.4.2.7', 'model_performance', 'Model performance', 'Model specification'],
  ['2.4.2.8', 'datasets_and_their_purposes', 'Datasets and their purposes', 'Model specification'],
  ...dataSheet('2.4.3', 'Development data specification'),
  ...dataSheet('2.4.4', 'Operational data specification'),
  ['2.5.1', 'impact_assessment', 'Impact assessment', 'Risks, mitigations and impact assessments'],
  ['2.5.2', 'risks_and_mitigations', 'Risks and mitigations', 'Risks, mitigations and impact assessments'],
].map(([ref, attribute, name, sheet]) => ({ ref, attribute, name, sheet, tier: sheet === 'Summary information' ? 1 : 2 }));

// The development and the operational data sheets ask the same fields.
function dataSheet(prefix, sheet) {
  return [
    ['source_data_name', 'Source data name'], ['data_modality', 'Data modality'], ['data_description', 'Data description'],
    ['data_quantities', 'Data quantities'], ['sensitive_attributes', 'Sensitive attributes'],
    ['data_completeness_and_representativeness', 'Data completeness and representativeness'], ['source_data_url', 'Source data URL'],
    ['data_collection', 'Data collection'], ['data_cleaning', 'Data cleaning'], ['data_sharing_agreements', 'Data sharing agreements'],
    ['data_access_and_storage', 'Data access and storage'],
  ].map(([attribute, name], i) => [`${prefix}.${i + 1}`, attribute, name, sheet]);
}

/** Where the field list comes from, said in every export so a team checks it against the workbook it was sent. */
export const ATRS_PROVENANCE = 'Field names and order of the ATRS v4.0 template, as its published guidance and change log give them (co-cddo/algorithmic-transparency-recording-standard); the Operational data sheet is taken to ask the Development data fields. Check against the current workbook before you submit it.';

// ATRS v4.0's phase options, from the review's phase answer.
const ATRS_PHASE = { idea: 'Pre-deployment', private_beta: 'Private beta', public_beta: 'Public beta', production: 'Production', retired: 'Retired', pilot: 'Private beta' };
const REGION = { england: 'England', wales: 'Wales', scotland: 'Scotland', northern_ireland: 'Northern Ireland' };

const ALL_FIELDS = [...DATA_QUESTIONS, ...Object.values(STEP_QUESTIONS).flatMap((step) => step.sections.flatMap((s) => s.fields))];

/** An answer as text: a choice by its label, empty as ''. */
function answerText(id) {
  const v = state.review.answers[id];
  if (v === undefined || v === null || v === '') return '';
  const f = ALL_FIELDS.find((x) => x.id === id);
  const label = (x) => f?.options?.find((o) => o.value === x)?.label ?? f?.legacy?.[x] ?? String(x);
  return (Array.isArray(v) ? v.map(label).join('; ') : f?.options ? label(v) : String(v)).trim();
}

const joined = (...parts) => parts.filter(Boolean).join(' ');
const firstSentence = (text) => (/^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text);

const realDate = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v ?? '') ? longDate(v) : '');

/** What the review found, from the publication copy: for the model performance field and the register's non-discrimination entry. */
function reviewFindings(report) {
  const r = state.review;
  const decided = answerText('decision.outcome');
  const when = realDate(r.answers['decision.date']);
  const board = `The ethics board of ${answerText('system.organisation') || 'the organisation'}`;
  const tool = report?.engine?.version ? ` (with biasaudit ${report.engine.version})` : '';
  if (!report) return joined(`${board} reviewed the system for bias${when ? ` on ${when}` : ''}. It had no decisions data to check, so there are no figures.`, decided ? `Decision: ${decided}.` : '');
  const characteristics = (report.attributes ?? []).map((a) => attributeName(a));
  const flagged = flatten(report).filter((x) => isFinding(x.verdict));
  const rows = typeof report.input?.rows_used === 'number' ? `${count(report.input.rows_used)} decisions` : 'the decisions';
  return joined(
    `${board} reviewed the system for bias${when ? ` on ${when}` : ''}${tool}. It compared how often ${rows} went to each group by ${characteristics.join(', ') || 'no characteristic'}.`,
    ...(report.at_a_glance ?? []),
    flagged.length ? `Flagged: ${flagged.map((x) => {
      const a = report.attributes.find((y) => y.column === x.attribute);
      return `${groupName(a, x.group)} (${attributeName(a)})`;
    }).join('; ')}.` : '',
    ...unpublishedSentences(report),
    decided ? `Decision: ${decided}.` : '',
  );
}

/**
 * The risks register as sentences: each risk, its likelihood and severity,
 * mitigation and owner. A risk about a group the publication copy leaves
 * out is not published (the register's suggested risks name the group and
 * give its figures); the text says how many were left out.
 */
function risksText(report) {
  const label = (list, v) => list.find((x) => x.value === v)?.label?.toLowerCase();
  const hidden = new Set((report?.attributes ?? []).flatMap((a) => (a.suppressed_groups ?? []).flatMap((g) => {
    const label = groupName(state.review.report?.attributes?.find((x) => x.column === a.column) ?? a, g);
    return [`${attributeName(a)}: ${label}`, `${a.column}: ${label}`];
  })));
  const shown = state.review.risks.filter((k) => !hidden.has(k.group));
  const left = state.review.risks.length - shown.length;
  return joined(...shown.map((k, i) => {
    const rating = [label(LIKELIHOOD, k.likelihood) && `likelihood ${label(LIKELIHOOD, k.likelihood)}`, label(SEVERITY, k.severity) && `severity ${label(SEVERITY, k.severity)}`].filter(Boolean);
    return joined(
      `(${i + 1}) ${(k.title || 'Unnamed risk').replace(/\.\s*$/, '')}${k.group ? `; for ${k.group}` : ''}${rating.length ? ` (${rating.join(', ')})` : ''}.`,
      k.mitigation ? `Mitigation: ${k.mitigation.replace(/\.\s*$/, '')}.` : 'No mitigation recorded.',
      k.owner ? `Owner: ${k.owner}.` : '',
    );
  }), left ? `${left === 1 ? 'One risk is' : `${left} risks are`} left out because ${left === 1 ? 'it is' : 'they are'} about a small group.` : '');
}

/** The data the review checked, as the operational data fields describe it (figures from the publication copy). */
function operationalData(report) {
  if (!report) return {};
  const columns = [...new Set((report.attributes ?? []).flatMap((a) => a.columns ?? [a.column]))];
  const full = state.review.report;
  const missing = (report.attributes ?? []).filter((a) => (a.columns ?? [a.column]).length === 1).map((a) => {
    const g = (a.groups ?? []).find((x) => x.is_missing);
    if (g) return `${attributeName(a)}: ${count(g.counts?.n)} decisions with it not recorded`;
    // Left out of the copy: say it is there, not how many.
    const absent = full?.attributes?.find((x) => x.column === a.column)?.groups?.find((x) => x.is_missing);
    return absent && (a.suppressed_groups ?? []).includes(absent.group) ? `${attributeName(a)}: not recorded for a few decisions (the number is left out because it is small)` : null;
  }).filter(Boolean);
  return {
    data_description: `The decisions the system made: one row per case, with the decision${report.input?.labelled ? ', the true outcome' : ''}${report.config?.score ? ', the score' : ''} and the characteristics compared.`,
    data_quantities: `${typeof report.input?.rows_used === 'number' ? count(report.input.rows_used) : 'The'} decisions checked in this review${report.input?.rows_excluded ? ` (${count(report.input.rows_excluded)} more left out for a missing decision or outcome)` : ''}.`,
    sensitive_attributes: joined(`Characteristics the bias review compared the decisions by (not necessarily inputs to the system): ${columns.join(', ') || 'none'}.`,
      answerText('oversight.special_category') ? `Does the decision rest on special category data: ${answerText('oversight.special_category')}.` : ''),
    data_completeness_and_representativeness: missing.length ? `${missing.join('; ')}.` : 'Every characteristic compared was recorded for every decision checked.',
  };
}

/** The ATRS record: every field of the template, in order, with its value ('' when the review has none). */
/** The board's monitoring lines as one sentence for the record. */
function monitoringLines() {
  const rules = state.review.monitoring?.rules ?? [];
  if (!rules.length) return '';
  const one = (r) => `${r.figure === 'verdict' ? 'a verdict of adverse impact' : figureLabel(r.figure).toLowerCase()}${lineText(r) ? ` beyond ${lineText(r)}` : ''}${r.attribute ? ` by ${r.attribute}` : ''}${r.notify?.trim() ? ` (tell ${r.notify.trim()})` : ''}`;
  return `The board is told when a new file of decisions shows ${rules.map(one).join('; ')}.`;
}

export function atrsRecord(report = null) {
  const a = (id) => answerText(id);
  const supplier = a('system.supplier');
  const values = {
    title: a('system.name'),
    organisation_name: a('system.organisation'),
    phase: ATRS_PHASE[state.review.answers['system.phase']] ?? '',
    region: REGION[state.review.answers['system.jurisdiction']] ?? '',
    one_sentence_description: firstSentence(a('system.description')),
    name: a('system.name'),
    description: a('system.description'),
    website_url: a('system.website'),
    contact_email: a('system.contact_email'),
    organisation_or_department: a('system.organisation'),
    team: a('system.organisation'),
    senior_responsible_owner: a('system.sro'),
    third_party_involvement: supplier ? 'Yes' : state.review.answers['system.procurement'] === 'in_house' ? 'No' : '',
    third_party: supplier,
    companies_house_number: a('system.companies_house'),
    third_party_role: a('system.supplier_role'),
    procurement_procedure_type: state.review.answers['system.procurement'] === 'in_house' ? 'N/A: built in-house' : a('system.procurement'),
    third_party_data_access_terms: a('system.third_party_data_access'),
    detailed_description: a('system.how_it_works'),
    benefit: a('system.purpose'),
    previous_process: a('system.replaces'),
    alternatives_considered: a('system.alternatives'),
    integration_into_broader_operational_process: joined(a('oversight.use') && `${a('oversight.use')}.`, a('oversight.process')),
    frequency_and_scale_of_usage: a('system.scale'),
    human_review: a('oversight.override'),
    required_training: a('oversight.training'),
    appeals_and_review: joined(a('oversight.appeal'), a('oversight.safeguards') && `Safeguards for automated decisions: ${a('oversight.safeguards')}`),
    system_level_input: a('system.input'),
    system_level_output: a('system.output'),
    maintenance: joined(monitoringLines(), a('decision.monitoring'), a('decision.frequency') && `How often: ${a('decision.frequency')}.`,
      realDate(state.review.answers['decision.review_date']) ? `Next full review by ${realDate(state.review.answers['decision.review_date'])}.` : ''),
    models: a('system.model_type'),
    model_architecture: a('system.model_type'),
    model_performance: reviewFindings(report),
    impact_assessment: joined(a('system.dpia'), a('system.dpia_done') && `Data Protection Impact Assessment done before processing began: ${a('system.dpia_done')}.`,
      `This bias review, ${state.review.id ? `record ${state.review.id}` : 'its decision record'}${a('decision.outcome') ? `: ${a('decision.outcome')}` : ''}.`),
    risks_and_mitigations: risksText(report),
  };
  const operational = operationalData(report);
  return ATRS_FIELDS.map((f) => {
    const value = f.sheet === 'Operational data specification' ? operational[f.attribute] ?? ''
      : f.sheet === 'Development data specification' ? '' : values[f.attribute] ?? '';
    return { ...f, value: String(value ?? '').trim() };
  });
}

/** The ATRS record as JSON: the fields, and which are empty. */
export function atrsJson(report = null) {
  const fields = atrsRecord(report);
  return {
    standard: 'Algorithmic Transparency Recording Standard',
    version: '4.0',
    note: ATRS_PROVENANCE,
    system: state.review.answers['system.name'] || null,
    fields,
    empty_fields: fields.filter((f) => !f.value).map((f) => `${f.ref} ${f.name} (${f.sheet})`),
  };
}

/** A public algorithm register's entry: the fields the Amsterdam and Helsinki registers and the Dutch Algoritmeregister share. */
export function registerEntry(report = null) {
  const a = (id) => answerText(id);
  const data = operationalData(report);
  const fields = [
    ['name', 'Name', a('system.name')],
    ['purpose', 'Purpose', joined(a('system.description'), a('system.purpose'))],
    ['organisation', 'Organisation', a('system.organisation')],
    ['status', 'Status', ATRS_PHASE[state.review.answers['system.phase']] ?? ''],
    ['human_oversight', 'Human oversight', joined(a('oversight.use') && `${a('oversight.use')}.`, a('oversight.override'), a('oversight.appeal') && `Challenging a decision: ${a('oversight.appeal')}`)],
    ['data', 'Data', joined(a('system.input'), data.sensitive_attributes)],
    ['risks', 'Risks', risksText(report)],
    ['non_discrimination', 'Non-discrimination', reviewFindings(report)],
    ['contact', 'Contact', a('system.contact_email')],
  ].map(([key, name, value]) => ({ key, name, value: String(value ?? '').trim() }));
  return { register_entry: 'Public algorithm register entry (fields shared by the Amsterdam, Helsinki and Dutch registers)', fields, empty_fields: fields.filter((f) => !f.value).map((f) => f.name) };
}
