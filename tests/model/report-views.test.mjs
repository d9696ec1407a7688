// How the page reads a report: undefined figures ({"undefined": reason}) and
// weighted rates. Run: node --test tests/model/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/static-server.mjs';
import { countText, flatten, fraction } from '../../www/js/model/metrics-info.js';
import { figure, pct, ratio, whyUndefined } from '../../www/js/ui/format.js';

const cli = join(ROOT, 'target', 'release', 'biasaudit');

function audit(csv, args) {
  const dir = mkdtempSync(join(tmpdir(), 'ba-views-'));
  const file = join(dir, 'data.csv');
  writeFileSync(file, csv);
  return JSON.parse(execFileSync(cli, ['audit', file, ...args]).toString());
}

test('an undefined figure is shown as not defined, with its reason at hand', () => {
  const u = { undefined: 'there are no actual positives (tp + fn) to divide by' };
  assert.equal(whyUndefined(u), 'there are no actual positives (tp + fn) to divide by');
  assert.equal(whyUndefined(0.5), null);
  assert.equal(figure(u), null);
  assert.equal(figure(0), 0);
  assert.equal(pct(u), 'not defined');
  assert.equal(ratio(u), 'not defined');
  assert.equal(ratio('infinite'), 'infinite');
});

test('with weights the page says the rate is weighted and gives the effective size, not rows as its fraction', () => {
  // A: 50 of 100 rows selected, but the 50 not selected weigh 4: weighted rate 0.2, effective size 250²/850 = 73.5.
  let csv = 'g,d,w\n';
  for (let i = 0; i < 100; i++) csv += `A,${i < 50 ? 1 : 0},${i < 50 ? 1 : 4}\nB,${i < 50 ? 1 : 0},1\n`;
  const weighted = flatten(audit(csv, ['--group', 'g', '--decision', 'd', '--positive', '1', '--weight', 'w', '--reference', 'B']));
  const a = weighted.find((r) => r.group === 'A');
  assert.equal(a.selection_rate, 0.2);
  assert.equal(a.impact_ratio, 0.4);
  assert.equal(a.verdict, 'adverse_impact_indicated');
  assert.ok(Math.abs(a.effective_size - 62500 / 850) < 1e-9);
  assert.equal(countText(a, a.selected, a.n), 'weighted; effective size 74');
  const rows = flatten(audit(csv, ['--group', 'g', '--decision', 'd', '--positive', '1', '--reference', 'B']));
  const r = rows.find((x) => x.group === 'A');
  assert.equal(r.effective_size, null);
  assert.equal(countText(r, r.selected, r.n), '50 of 100');
});

test('a rate\'s count and denominator come from the engine, for every rate the page shows', () => {
  let csv = 'g,d,y\n';
  for (let i = 0; i < 40; i++) csv += `A,${i % 3 === 0 ? 1 : 0},${i % 2}\nB,${i % 4 === 0 ? 1 : 0},${i % 5 === 0 ? 1 : 0}\n`;
  const report = audit(csv, ['--group', 'g', '--decision', 'd', '--positive', '1', '--label', 'y', '--label-positive', '1']);
  const cells = { base_rate: (c) => [c.tp + c.fn, c.n], tpr: (c) => [c.tp, c.tp + c.fn], fpr: (c) => [c.fp, c.fp + c.tn], fnr: (c) => [c.fn, c.tp + c.fn],
    ppv: (c) => [c.tp, c.tp + c.fp], fdr: (c) => [c.fp, c.tp + c.fp], for: (c) => [c.fn, c.fn + c.tn], accuracy: (c) => [c.tp + c.tn, c.n] };
  for (const g of report.attributes[0].groups) {
    for (const [key, of] of Object.entries(cells)) {
      const f = fraction(g, key);
      const [count, denominator] = of(g.counts);
      assert.deepEqual([f.count, f.of], [count, denominator], `${g.group} ${key}`);
      assert.equal(f.lower, g.evidence.intervals[key].lower);
    }
  }
  // Without a label there is nothing to show.
  const unlabelled = audit(csv, ['--group', 'g', '--decision', 'd', '--positive', '1']);
  assert.equal(fraction(unlabelled.attributes[0].groups[0], 'tpr'), null);
});
