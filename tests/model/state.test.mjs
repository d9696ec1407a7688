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
