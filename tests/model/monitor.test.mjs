// The board's monitoring lines as the page writes them for the engine, and
// the history a review file keeps. Run: node --test tests/model/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineText, historyEntry, lineText, points, thresholdFrom } from '../../www/js/model/monitor.js';
import { FORMAT, FORMAT_VERSION, sanitiseReview } from '../../www/js/model/state.js';

test('a line is typed as people write it and held as the engine reads it', () => {
  assert.equal(thresholdFrom('rate_change', '5'), 0.05);
  assert.equal(thresholdFrom('rate_change', ' 2.5 points'), 0.025);
  assert.equal(thresholdFrom('rate_change', '3%'), 0.03);
  assert.equal(thresholdFrom('harm_ratio', '1.25'), 1.25);
  assert.equal(thresholdFrom('impact_ratio', 'eight tenths'), null);
  assert.equal(thresholdFrom('impact_ratio', '80%'), null, 'a ratio typed as a percentage is not read as 80');
  assert.equal(thresholdFrom('impact_ratio', ''), null);
  // 0.07 × 100 is 7.000000000000001 in floating point; the page shows 7.
  assert.equal(points(0.07), '7');
  assert.equal(lineText({ figure: 'rate_change', threshold: 0.07 }), '±7 points');
  assert.equal(lineText({ figure: 'harm_ratio', threshold: 1.25 }), '1.25');
  assert.equal(lineText({ figure: 'verdict' }), '');
});

test('the review file keeps the lines in the engine’s form and a history of checks, and drops anything else', () => {
  const review = sanitiseReview({
    format: FORMAT, format_version: FORMAT_VERSION, id: 'r1', answers: {},
    monitoring: {
      rules: [{ figure: 'harm_ratio', attribute: 'nationality', threshold: 1.25, notify: 'Equality lead', colour: 'red' }, { figure: 'verdict', threshold: 'x' }, 'junk', { notify: 'no figure' }],
      history: [{ checked: '2026-12-03T10:00:00.000Z', file: 'later.csv', sha256: 'a'.repeat(64), rows: 2500, covered: null, alerts: 3, watches: 0, summary: ['3 alerts'], extra: 1 },
        { sha256: 'not a hash', rows: -4 }],
    },
  });
  assert.deepEqual(review.monitoring.rules, [
    { figure: 'harm_ratio', attribute: 'nationality', threshold: 1.25, notify: 'Equality lead' },
    { figure: 'verdict', notify: '' },
  ]);
  assert.deepEqual(review.monitoring.history[0], { checked: '2026-12-03T10:00:00.000Z', file: 'later.csv', sha256: 'a'.repeat(64), rows: 2500, covered: null, alerts: 3, watches: 0, summary: ['3 alerts'] });
  assert.equal(review.monitoring.history[1].sha256, null);
  assert.equal(review.monitoring.history[1].rows, null);
  // The engine reads the lines, and nothing of the history, from the baseline.
  const sent = JSON.parse(baselineText(review));
  assert.deepEqual(sent.monitoring, { rules: review.monitoring.rules });
  assert.equal(sent.format, FORMAT);
  // A review saved before monitoring existed has none.
  assert.deepEqual(sanitiseReview({ format: FORMAT, format_version: FORMAT_VERSION, answers: {} }).monitoring, { rules: [], history: [] });
});

test('a history entry counts the alerts and the watches of a check', () => {
  const m = { sha256: 'b'.repeat(64), rows: 10, covered: '2025-01 to 2025-06', summary: ['1 alert'], alerts: [{ level: 'alert' }, { level: 'watch' }, { level: 'watch' }] };
  assert.deepEqual(historyEntry(m, 'new.csv', '2026-12-03T00:00:00.000Z'),
    { checked: '2026-12-03T00:00:00.000Z', file: 'new.csv', sha256: 'b'.repeat(64), rows: 10, covered: '2025-01 to 2025-06', alerts: 1, watches: 2, summary: ['1 alert'] });
});
