// The impossibility demonstration's arithmetic, against values worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, groupAt } from '../../www/js/model/impossibility.js';

const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-6, `${a} is not ${b}`);

test('a calibrated score: equal precision, error rates apart when base rates differ', () => {
  // p = 0.3: flagged (0.3 − 0.1)/0.7 = 2/7; FPR (2/7)(0.2)/0.7 = 4/49; FNR (5/7)(0.1)/0.3 = 5/21.
  const a = groupAt(0.3);
  near(a.flagged, 2 / 7);
  near(a.fpr, 4 / 49);
  near(a.fnr, 5 / 21);
  // p = 0.5: flagged 4/7; FPR (4/7)(0.2)/0.5 = 8/35; FNR (3/7)(0.1)/0.5 = 3/35.
  const b = groupAt(0.5);
  near(b.flagged, 4 / 7);
  near(b.fpr, 8 / 35);
  near(b.fnr, 3 / 35);
  assert.equal(a.ppv, b.ppv);
  // Chouldechova's identity holds for each.
  for (const g of [a, b]) near(g.fpr, (g.baseRate / (1 - g.baseRate)) * ((1 - g.ppv) / g.ppv) * (1 - g.fnr));
});

test('equal base rates give equal error rates; the ends of the range are clamped', () => {
  assert.deepEqual(groupAt(DEMO.fixedBaseRate), groupAt(0.3));
  const low = groupAt(0);
  assert.equal(low.baseRate, DEMO.low);
  near(low.flagged, 0);
  near(low.fnr, 1);
  const high = groupAt(1);
  assert.equal(high.baseRate, DEMO.high);
  near(high.flagged, 1);
  near(high.fpr, 1);
});
