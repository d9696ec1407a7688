// The summary for the public is made from the publication copy: it names no
// group the copy leaves out, and never reassures where the board's full
// results flag one. Run: node --test tests/model/ (after cargo build --release)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/static-server.mjs';
import { state } from '../../www/js/model/state.js';
import { publicSummaryText } from '../../www/js/model/public-summary.js';

const cli = join(ROOT, 'target', 'release', 'biasaudit');

function audit(groups, args) {
  const lines = ['race,decision'];
  for (const [g, n, yes] of groups) for (let i = 0; i < n; i++) lines.push(`${g},${i < yes ? 'yes' : 'no'}`);
  const file = join(mkdtempSync(join(tmpdir(), 'ba-public-')), 'data.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return JSON.parse(execFileSync(cli, ['audit', file, '--group', 'race', '--decision', 'decision', '--positive', 'yes', '--negative', 'no', '--outcome', 'beneficial', ...args]).toString());
}

function summaryOf(groups) {
  state.review.report = audit(groups, []);
  return publicSummaryText(audit(groups, ['--publication']));
}

test('a flagged group the publication copy leaves out is not named, and the summary says a left-out group has a gap', () => {
  // Asian (1 of 35 against White's 20 of 80) is flagged in the full results; Mixed (4 people) takes it out with it.
  const text = summaryOf([['White', 80, 20], ['Black', 60, 30], ['Asian', 35, 1], ['Mixed', 4, 1]]);
  assert.equal(state.review.report.attributes[0].groups.find((g) => g.group === 'Asian').evidence.adverse_impact.verdict, 'possible_adverse_impact');
  assert.ok(!/Asian|Mixed|2\.9%/.test(text), text);
  assert.match(text, /\nThe board looked at 179 decisions the system made\.\nAmong the groups shown here, it found no gap in how often people got the decision “decision” that the board needs to look into\.\n2 groups are left out of these figures, because they are small or could reveal a small group\.\nThe board’s full results, which include every group, show a gap for at least one group that is not shown here\. The board needs to look into it\.\n/);
});

test('a shown group flagged in the full results but not in the copy is said to have a gap, without naming it', () => {
  // Each group against everyone else: Black (150 of 400) is flagged against a rest that includes Asian (190 of 200);
  // the copy leaves Asian out with Mixed, Black is then compared with White alone and is not flagged.
  const groups = [['White', 1000, 400], ['Black', 400, 150], ['Asian', 200, 190], ['Mixed', 4, 2]];
  state.review.report = audit(groups, ['--reference', 'rest']);
  const copy = audit(groups, ['--reference', 'rest', '--publication']);
  const verdict = (r, g) => r.attributes[0].groups.find((x) => x.group === g).evidence.adverse_impact.verdict;
  assert.equal(verdict(state.review.report, 'Black'), 'possible_adverse_impact');
  assert.equal(verdict(copy, 'Black'), 'no_adverse_impact_indicated');
  const text = publicSummaryText(copy);
  assert.match(text, /\nAmong the groups shown here, it found no gap in how often people got the decision “decision” that the board needs to look into\.\n2 groups are left out of these figures, because they are small or could reveal a small group\.\nThe board’s full results, which include every group, show a gap for at least one group that is not shown here\. The board needs to look into it\.\n/);
  assert.ok(!/Asian|Mixed/.test(text));
});

test('the findings name the decision, give rates under 10% to a tenth, and say what each verdict means', () => {
  // Black: 3 of 100 (3%) against White's 36 of 120 (the largest group): adverse impact; Asian 36 of 60 fares better.
  const text = summaryOf([['White', 120, 36], ['Black', 100, 3], ['Asian', 60, 36]]);
  assert.match(text, /\nIt found gaps between groups in how often people got the decision “decision”:\n- By race: 3% of people in the group “Black” got it, against 30% of people in the group “White”\. The gap is past the line the board set, and it is not likely to be chance\.\n/);
  assert.ok(!/left out/.test(text));
  state.review.report = null;
  const none = summaryOf([['White', 120, 36], ['Black', 100, 29]]);
  assert.match(none, /\nIt found no gap between groups, in how often people got the decision “decision”, that the board needs to look into\. That does not prove the system is fair\.\n/);
  const small = summaryOf([['White', 1200, 120], ['Black', 1000, 4]]);
  assert.match(small, /0\.4% of people in the group “Black” got it, against 10% of people in the group “White”/);
});

test('without results, the summary says the board had no decisions to check', () => {
  state.review.report = null;
  assert.match(publicSummaryText(null), /\nWhat the review found\n\nThe board did not have the system’s decisions to check/);
});
