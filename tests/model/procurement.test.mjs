// The procurement pack: the supplier questions name each flagged group with
// its figures, on both samples and on COMPAS; the data request lists the
// columns the review uses; a returned file's header is checked against it.
// Run: node --test tests/model/ (after cargo build --release)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/static-server.mjs';
import { emptyReview, state } from '../../www/js/model/state.js';
import { emptyMapping } from '../../www/js/model/mapping.js';
import { SAMPLES } from '../../www/js/model/samples.js';
import { checkAgainstRequest, dataRequest, dataRequestTemplate, freezeDataRequest, supplierQuestions } from '../../www/js/model/procurement.js';
import { sanitiseReview } from '../../www/js/model/state.js';
import { flatten, isFinding } from '../../www/js/model/metrics-info.js';

const cli = join(ROOT, 'target', 'release', 'biasaudit');
const COMPAS = join(ROOT, '..', 'shared', 'data', 'compas-scores-two-years.csv');
const audit = (file, args) => JSON.parse(execFileSync(cli, ['audit', file, ...args], { maxBuffer: 1 << 26 }).toString());

const SAMPLE_ARGS = {
  fraud_flags: ['--group', 'nationality', '--group', 'sex', '--group', 'age_band', '--group', 'single_parent', '--decision', 'flagged', '--positive', '1', '--negative', '0',
    '--label', 'overpayment_found', '--label-positive', '1', '--label-negative', '0', '--outcome', 'harmful', '--reference', 'largest'],
  recruitment: ['--group', 'sex', '--group', 'ethnicity', '--group', 'age_band', '--group', 'disability', '--decision', 'shortlisted', '--positive', 'yes', '--negative', 'no',
    '--label', 'suitable', '--label-positive', '1', '--label-negative', '0', '--outcome', 'beneficial', '--reference', 'largest', '--score', 'score'],
};

function questionsFor(report, mapping) {
  state.review = emptyReview();
  state.review.mapping = mapping;
  state.review.report = report;
  return supplierQuestions(report);
}

/** Each flagged group has its own question, naming the group, its characteristic and its rate against the comparison. */
function assertEveryFlaggedGroupAsked(report, questions) {
  const flagged = flatten(report).filter((x) => isFinding(x.verdict));
  assert.ok(flagged.length > 0, 'the data has flagged groups');
  for (const x of flagged) {
    const label = report.attributes.find((a) => a.column === x.attribute).groups.find((g) => g.group === x.group).label;
    const rate = `${(x.selection_rate * 100).toFixed(1)}%`;
    assert.ok(questions.some((q) => q.startsWith(`People in the group “${label}” (${x.attribute})`) && q.includes(rate) && q.includes(`Explain the cause of the`) && q.includes(`rate for “${label}”, and what you will change.`)),
      `no question for ${label} (${x.attribute}) at ${rate}:\n${questions.join('\n')}`);
  }
}

for (const sample of SAMPLES) {
  test(`supplier questions name every flagged group of the ${sample.id} sample`, () => {
    const report = audit(join(ROOT, 'examples', 'data', sample.file), SAMPLE_ARGS[sample.file.replace('.csv', '')]);
    const questions = questionsFor(report, sample.mapping);
    assertEveryFlaggedGroupAsked(report, questions);
  });
}

test('the fraud sample: the Non-EU question gives how many times as often, and the gaps in the file are asked about', () => {
  const sample = SAMPLES.find((x) => x.file === 'fraud_flags.csv');
  const report = audit(join(ROOT, 'examples', 'data', sample.file), SAMPLE_ARGS.fraud_flags);
  const questions = questionsFor(report, sample.mapping);
  const nonEu = flatten(report).find((x) => x.group === 'Non-EU');
  assert.ok(questions.includes(`People in the group “Non-EU” (nationality) got “flagged” ${nonEu.harm_ratio.toFixed(1)} times as often as “British” (${(nonEu.selection_rate * 100).toFixed(1)}% against ${(nonEu.comparison_rate * 100).toFixed(1)}%). Explain the cause of the higher rate for “Non-EU”, and what you will change.`), questions.join('\n'));
  assert.ok(questions.includes('The file has no score. Provide the score for each case, and the threshold and how it was chosen, so that the board can see the effect of the threshold on each group.'));
  assert.ok(questions.includes('The file does not record disability, gender reassignment, marriage and civil partnership, pregnancy and maternity, religion or belief and sexual orientation. For each, provide it for the cases where it is recorded, or explain why it is not, and say how you checked the system for bias by it.'), questions.join('\n'));
  assert.ok(questions.some((q) => q.startsWith('Describe how the system works')), 'an unanswered question about the system is asked');
});

test('supplier questions name every flagged group of COMPAS', { skip: !existsSync(COMPAS) && `${COMPAS} is missing` }, () => {
  const report = audit(COMPAS, ['--group', 'sex', '--group', 'race', '--decision', 'score_text', '--positive', 'Medium,High', '--negative', 'Low',
    '--outcome', 'harmful', '--reference', 'Caucasian']);
  const mapping = { ...emptyMapping(), attributes: [{ column: 'sex', characteristic: 'sex' }, { column: 'race', characteristic: 'race' }] };
  const questions = questionsFor(report, mapping);
  assertEveryFlaggedGroupAsked(report, questions);
  assert.ok(questions.some((q) => q.startsWith('People in the group “African-American” (race) got “score_text” ')), questions.join('\n'));
  assert.ok(questions.includes('The file has no true outcome, so the board could not check the system’s errors for each group. Provide outcome data from an independent audit of a sample of cases, with how the sample was drawn.'));
});

test('the data request uses the review’s columns, and a returned file is checked against it', () => {
  state.review = emptyReview();
  state.review.mapping = SAMPLES.find((x) => x.file === 'recruitment.csv').mapping;
  assert.deepEqual(dataRequest().map((c) => [c.name, c.required]), [['case_id', false], ['sex', true], ['ethnicity', true], ['age_band', true], ['disability', true],
    ['shortlisted', true], ['suitable', false], ['score', false], ['decision_date', false]]);
  assert.equal(dataRequest().find((c) => c.name === 'shortlisted').values, 'yes for positive; no for negative');
  assert.equal(dataRequestTemplate(), 'case_id,sex,ethnicity,age_band,disability,shortlisted,suitable,score,decision_date\r\n');
  assert.deepEqual(checkAgainstRequest(['sex', 'ethnicity', 'shortlisted', 'score', 'name']),
    { sent: null, missing: ['age_band', 'disability'], missingOptional: ['case_id', 'suitable', 'decision_date'], extra: ['name'], unexpected: [], notNumbers: [] });
  // Before any file is mapped: the characteristics the board marked as affected, under standard names.
  state.review = emptyReview();
  state.review.answers['equality.race.impact'] = 'negative';
  state.review.answers['equality.disability.impact'] = 'unknown';
  assert.deepEqual(dataRequest().map((c) => c.name), ['case_id', 'disability', 'ethnicity', 'decision', 'true_outcome', 'score', 'decision_date']);
});

test('the data request asks for affected characteristics the mapped file lacks, and quotes awkward column names', () => {
  state.review = emptyReview();
  state.review.mapping = { ...emptyMapping(), attributes: [{ column: 'eth,nic', characteristic: 'race' }, { column: '=cmd', characteristic: 'proxy' }],
    decision: { column: 'flag"ged', mode: 'values', positive: ['1'], negative: ['0'], rest_negative: false, threshold: '' } };
  state.review.answers['equality.disability.impact'] = 'negative';
  state.review.answers['equality.race.impact'] = 'negative';
  assert.deepEqual(dataRequest().map((c) => c.name), ['case_id', 'eth,nic', '=cmd', 'disability', 'flag"ged', 'true_outcome', 'score', 'decision_date']);
  assert.equal(dataRequestTemplate(), 'case_id,"eth,nic","\'=cmd",disability,"flag""ged",true_outcome,score,decision_date\r\n');
  assert.match(dataRequest().find((c) => c.name === '=cmd').meaning, /^The value of “=cmd” for the case, as recorded \(the board checks it for unfair treatment, although it is not a protected characteristic\)\./);
});

test('for a harmful decision the question never quotes the impact ratio, which compares the rates of not being flagged', () => {
  // No one in the comparison group is flagged: the harm ratio has no finite value.
  const lines = ['g,flagged'];
  for (const [g, n, yes] of [['A', 100, 0], ['B', 100, 30]]) for (let i = 0; i < n; i++) lines.push(`${g},${i < yes ? 1 : 0}`);
  const file = join(mkdtempSync(join(tmpdir(), 'ba-pack-')), 'data.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const report = audit(file, ['--group', 'g', '--decision', 'flagged', '--positive', '1', '--outcome', 'harmful', '--reference', 'A']);
  const b = flatten(report).find((x) => x.group === 'B');
  assert.ok(isFinding(b.verdict) && b.harm_ratio === null, JSON.stringify(b));
  const questions = questionsFor(report, { ...emptyMapping(), attributes: [{ column: 'g', characteristic: 'race' }] });
  assert.equal(questions[0], 'People in the group “B” (g) got “flagged” more often than “A” (30.0% against 0.0%). Explain the cause of the higher rate for “B”, and what you will change.');
});

test('the returned file is checked against the request as it was sent, kept with the review, including the decision’s permitted values', () => {
  state.review = emptyReview();
  state.review.mapping = SAMPLES.find((x) => x.file === 'recruitment.csv').mapping;
  freezeDataRequest('2026-12-02');
  // Settings changed after the pack was sent do not change what the file is checked against.
  state.review.mapping = { ...emptyMapping(), attributes: [{ column: 'gender', characteristic: 'sex' }] };
  // As the preview lists them: trimmed, missing cells left out.
  const values = { shortlisted: ['yes', 'no', 'maybe'], sex: null };
  const check = checkAgainstRequest(['case_id', 'sex', 'ethnicity', 'age_band', 'disability', 'shortlisted'], (name) => values[name] ?? null);
  assert.deepEqual(check, { sent: '2026-12-02', missing: [], missingOptional: ['suitable', 'score', 'decision_date'], extra: [],
    unexpected: [{ column: 'shortlisted', values: ['maybe'], permitted: ['yes', 'no'] }], notNumbers: [] });
  // The true outcome's values are checked as the decision's are, and the score must hold numbers.
  values.suitable = ['1', '0', 'unknown'];
  const nonNumbers = new Set(['score', 'sex']);
  const full = checkAgainstRequest(['case_id', 'sex', 'ethnicity', 'age_band', 'disability', 'shortlisted', 'suitable', 'score'],
    (name) => values[name] ?? null, (name) => nonNumbers.has(name));
  assert.deepEqual(full.unexpected, [{ column: 'shortlisted', values: ['maybe'], permitted: ['yes', 'no'] }, { column: 'suitable', values: ['unknown'], permitted: ['1', '0'] }]);
  assert.deepEqual(full.notNumbers, ['score']);
  // It survives saving and reopening the review file.
  const back = sanitiseReview(JSON.parse(JSON.stringify(state.review)));
  assert.deepEqual(back.data_request, state.review.data_request);
  assert.equal(sanitiseReview({ ...JSON.parse(JSON.stringify(state.review)), data_request: { columns: 'x' } }).data_request, null);
});
