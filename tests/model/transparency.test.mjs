// The ATRS record and the algorithm register entry: the standard's field
// names and order (held to the list tests/fixtures/atrs/derive_v4.py derives
// from the published template table and change log), filled from the
// review's answers and the publication copy, with the empty fields listed.
// Run: node --test tests/model/ (after cargo build --release)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/static-server.mjs';
import { emptyReview, state } from '../../www/js/model/state.js';
import { ATRS_FIELDS, atrsJson, registerEntry } from '../../www/js/model/transparency.js';
import { atrsCsv } from '../../www/js/steps/record.js';

const cli = join(ROOT, 'target', 'release', 'biasaudit');
const fixture = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'atrs', 'fields-v4.0.json'), 'utf8'));

function audit(groups, args) {
  const lines = ['nationality,flagged'];
  for (const [g, n, yes] of groups) for (let i = 0; i < n; i++) lines.push(`${g},${i < yes ? 1 : 0}`);
  const file = join(mkdtempSync(join(tmpdir(), 'ba-atrs-')), 'data.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return JSON.parse(execFileSync(cli, ['audit', file, '--group', 'nationality', '--decision', 'flagged', '--positive', '1', '--outcome', 'harmful', '--reference', 'British', ...args]).toString());
}

const GROUPS = [['British', 400, 40], ['Non-EU', 200, 60], ['EU', 150, 18], ['Other', 6, 3]];

function review() {
  state.review = emptyReview();
  Object.assign(state.review.answers, {
    'system.name': 'Claim risk scoring', 'system.description': 'Scores new claims for the risk of overpayment. Officers check the highest first.',
    'system.organisation': 'Anytown Council, Revenues and Benefits', 'system.jurisdiction': 'england', 'system.phase': 'production',
    'system.sro': 'Director of Revenues', 'system.supplier': 'Acme Analytics Ltd', 'system.companies_house': '01234567', 'system.procurement': 'framework',
    'system.contact_email': '=HYPERLINK("http://evil.example")', 'oversight.use': 'recommend', 'oversight.override': 'A benefits officer reviews every flag.',
    'decision.outcome': 'approve_conditions', 'decision.date': '2026-11-22', 'decision.retention': 'Six years.',
  });
  state.review.risks = [{ id: 'r1', title: 'Non-EU claimants flagged more often', likelihood: '4', severity: '4', mitigation: 'A person reviews every flag', owner: 'Head of Benefits' }];
  state.review.report = audit(GROUPS, []);
  return audit(GROUPS, ['--publication']);
}

test('the ATRS fields are the v4.0 template’s, in its order, as derived from the published table and change log', () => {
  assert.deepEqual(ATRS_FIELDS, fixture.fields);
  assert.equal(ATRS_FIELDS.length, 64);
  assert.deepEqual(ATRS_FIELDS.filter((f) => f.tier === 1).map((f) => f.ref), ['0.11', '0.12', '0.13', '0.14', '0.15', '1.1', '1.2', '1.3', '1.4']);
});

test('the ATRS record is filled from the answers and the publication copy, lists its empty fields, and names no left-out group', () => {
  const copy = review();
  assert.deepEqual(copy.attributes[0].suppressed_groups.sort(), ['EU', 'Other']);
  const record = atrsJson(copy);
  const value = Object.fromEntries(record.fields.filter((f) => f.sheet !== 'Development data specification' && f.sheet !== 'Operational data specification').map((f) => [f.attribute, f.value]));
  assert.equal(value.title, 'Claim risk scoring');
  assert.equal(value.one_sentence_description, 'Scores new claims for the risk of overpayment.');
  assert.equal(value.phase, 'Production');
  assert.equal(value.region, 'England');
  assert.equal(value.third_party_involvement, 'Yes');
  assert.equal(value.companies_house_number, '01234567');
  assert.equal(value.procurement_procedure_type, 'Bought through a framework agreement');
  assert.equal(value.integration_into_broader_operational_process, 'It recommends a decision that a person confirms or changes.');
  assert.equal(value.risks_and_mitigations, '(1) Non-EU claimants flagged more often (likelihood likely, severity major). Mitigation: A person reviews every flag. Owner: Head of Benefits.');
  // A risk about a group the copy leaves out (as the register suggests them, with the group and its figures) is not published.
  state.review.risks.push({ id: 'r2', source: 'suggested', title: 'Other were given the harmful decision 5.00 times as often as British (possible adverse impact). The system may discriminate indirectly by nationality.', group: 'nationality: Other', likelihood: '3' });
  const withHidden = atrsJson(copy).fields.find((f) => f.attribute === 'risks_and_mitigations').value;
  assert.ok(!/Other/.test(withHidden), withHidden);
  assert.match(withHidden, /One risk is left out because it is about a small group\.$/);
  // Model performance: what the review found, in the engine's at-a-glance sentences of the publication copy.
  for (const sentence of copy.at_a_glance) assert.ok(value.model_performance.includes(sentence), sentence);
  assert.match(value.model_performance, /^The ethics board of Anytown Council, Revenues and Benefits reviewed the system for bias on 22 November 2026 \(with biasaudit [\d.]+\)\. It compared how often 756 decisions went to each group by nationality\./);
  assert.match(value.model_performance, /Flagged: Non-EU \(nationality\)\. 2 groups are left out of these figures, because they are small or could reveal a small group\. Decision: Approve with conditions\.$/);
  assert.ok(!/\bEU\b|Other/.test(value.model_performance.replace(/Non-EU/g, '')), value.model_performance);
  const operational = Object.fromEntries(record.fields.filter((f) => f.sheet === 'Operational data specification').map((f) => [f.attribute, f.value]));
  assert.equal(operational.data_quantities, '756 decisions checked in this review.');
  assert.equal(operational.sensitive_attributes, 'Characteristics the bias review compared the decisions by (not necessarily inputs to the system): nationality.');
  assert.equal(operational.data_access_and_storage, '');
  assert.ok(record.empty_fields.includes('1.3 Website URL (Summary information)'));
  assert.ok(record.empty_fields.includes('2.4.3.1 Source data name (Development data specification)'));
  assert.ok(!record.empty_fields.some((f) => f.startsWith('1.1 ')));
  assert.equal(record.empty_fields.length, record.fields.filter((f) => !f.value).length);
});

test('the ATRS CSV has a row per field in order, and neutralises a formula', () => {
  const csv = atrsCsv(review()).trim().split('\r\n');
  assert.equal(csv[0], 'sheet,reference,field,attribute,value,empty');
  assert.equal(csv.length, 65);
  assert.equal(csv[1], '"Summary information","0.11","Title","title","Claim risk scoring",false');
  assert.equal(csv.find((r) => r.includes('"1.4"')), '"Summary information","1.4","Contact email","contact_email","\'=HYPERLINK(""http://evil.example"")",false');
});

test('the register entry has the nine shared fields, from the same answers and the publication copy', () => {
  const entry = registerEntry(review());
  assert.deepEqual(entry.fields.map((f) => f.key), ['name', 'purpose', 'organisation', 'status', 'human_oversight', 'data', 'risks', 'non_discrimination', 'contact']);
  const value = Object.fromEntries(entry.fields.map((f) => [f.key, f.value]));
  assert.equal(value.status, 'Production');
  assert.equal(value.human_oversight, 'It recommends a decision that a person confirms or changes. A benefits officer reviews every flag.');
  assert.match(value.non_discrimination, /Flagged: Non-EU \(nationality\)\./);
  assert.deepEqual(entry.empty_fields, []);
});

test('the ATRS record says when the full results flag a group the copy leaves out, without naming it', () => {
  state.review = emptyReview();
  const groups = [['British', 400, 40], ['Non-EU', 200, 60], ['Other', 35, 15], ['Mixed', 4, 1]];
  state.review.report = audit(groups, []);
  assert.ok(state.review.report.attributes[0].groups.some((g) => g.group === 'Other' && /adverse/.test(g.evidence.adverse_impact.verdict)));
  const copy = audit(groups, ['--publication']);
  assert.ok(copy.attributes[0].suppressed_groups.includes('Other'));
  const performance = atrsJson(copy).fields.find((f) => f.attribute === 'model_performance').value;
  assert.ok(!/Other|Mixed/.test(performance), performance);
  assert.match(performance, /The board’s full results, which include every group, show a gap for at least one group that is not shown here\./);
});
