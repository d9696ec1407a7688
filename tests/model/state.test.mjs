// Saved reviews read back: an answer saved under a question's old place
// moves with the question. Run: node --test tests/model/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT, FORMAT_VERSION, sanitiseReview } from '../../www/js/model/state.js';

const saved = (answers) => ({ format: FORMAT, format_version: FORMAT_VERSION, id: 'r1', answers });

test('the audit file’s lawful basis, saved when it was asked in the system step, is read into the data step', () => {
  const review = sanitiseReview(saved({ 'system.audit_basis': 'Article 6(1)(e)', 'system.name': 'Flags' }));
  assert.equal(review.answers['data.audit_basis'], 'Article 6(1)(e)');
  assert.equal(review.answers['system.audit_basis'], undefined);
  assert.equal(review.answers['system.name'], 'Flags');
});

test('an answer given in the data step is kept over an old one', () => {
  const review = sanitiseReview(saved({ 'system.audit_basis': 'old', 'data.audit_basis': 'new' }));
  assert.equal(review.answers['data.audit_basis'], 'new');
  assert.equal(review.answers['system.audit_basis'], undefined);
});

test('conditions saved as lines of one answer become conditions, each with its owner and due date to fill in', () => {
  const review = sanitiseReview(saved({ 'decision.conditions': 'Review every flag\n\n  Report quarterly  \n' }));
  assert.deepEqual(review.conditions.map(({ text, owner, due }) => ({ text, owner, due })),
    [{ text: 'Review every flag', owner: '', due: '' }, { text: 'Report quarterly', owner: '', due: '' }]);
  assert.equal(review.answers['decision.conditions'], undefined);
});

test('saved conditions are read back as they were, and only their known fields', () => {
  const review = sanitiseReview({ ...saved({}), conditions: [{ id: 'c1', text: 'Review every flag', owner: 'Head of Benefits', due: '2027-03-31', extra: '<b>' }, 'junk'] });
  assert.deepEqual(review.conditions, [{ id: 'c1', text: 'Review every flag', owner: 'Head of Benefits', due: '2027-03-31' }]);
});

test('a saved due date is kept as the date input writes it, even part typed, and anything else is dropped', () => {
  const review = sanitiseReview({ ...saved({}), conditions: [
    { text: 'a', due: '2027-03-31' }, { text: 'b', due: '2027-3-' }, { text: 'c', due: 'tomorrow' }, { text: 'd', due: '2027-03-31T00:00:00Z' }, { text: 'e', due: 7 }] });
  assert.deepEqual(review.conditions.map((c) => c.due), ['2027-03-31', '2027-3-', '', '', '']);
});
