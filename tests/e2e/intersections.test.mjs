// End-to-end: numeric bins and intersections chosen in the data step.
// COMPAS with age binned at 25, 35, 45, 55 and sex × race: every figure shown
// (the bins and the combined groups included) equals the CLI's JSON for the
// same configuration; small cells are marked; empty cells are listed; a bad
// list of cut points is reported in the error summary.
//
// Run: node --test --test-concurrency=1 tests/e2e/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COMPAS, cli, openBrowser, assertSameOrigin, assertAccessible, screenshot, download, assertResultsMatch, assertSameReport, assertNothingClipped, clickForErrors,
} from './helpers.mjs';

const ARGS = ['--group', 'sex', '--group', 'age', '--group', 'race', '--bin', 'age=25,35,45,55', '--intersect', 'sex,race',
  '--decision', 'score_text', '--positive', 'Medium,High', '--negative', 'Low',
  '--label', 'two_year_recid', '--label-positive', '1', '--label-negative', '0', '--outcome', 'harmful'];

test('COMPAS with age in bands and sex × race: the figures equal the CLI\'s', { timeout: 300_000, skip: !existsSync(COMPAS) && `${COMPAS} is missing` }, async () => {
  const expected = cli(COMPAS, ARGS);
  const inter = expected.attributes.find((a) => a.column === 'sex|race');
  const ages = expected.attributes.find((a) => a.column === 'age');
  assert.ok(inter && ages, 'the CLI report has the intersection and the binned age');
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', COMPAS);
    await page.waitForSelector('#data-preview-heading');

    // age is numeric with many values: it can be chosen, and bands are suggested.
    await page.getByLabel('sex', { exact: true }).selectOption('sex');
    await page.getByLabel('age', { exact: true }).selectOption('age');
    await page.getByLabel('race', { exact: true }).selectOption('race');
    await page.waitForSelector('#data-bins-heading');
    assert.match(await page.textContent('.ba-bins[data-column="age"]'), /We suggest putting them into bands/);
    await page.check('#f-bins-age-mode-2');
    await page.waitForSelector('#f-bins-age-edges');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-bins-age-mode-2', 'focus stays on the chosen option');

    // Combinations are offered from the chosen characteristics.
    const offered = await page.locator('input[name="f-intersections"]').evaluateAll((els) => els.map((e) => e.labels[0].textContent));
    assert.deepEqual(offered, ['sex × age', 'sex × race', 'age × race', 'sex × age × race']);
    await page.getByLabel('sex × race', { exact: true }).check();

    await page.selectOption('#f-decision-column', 'score_text');
    await page.check('input[name="f-decision-positive"][value="Medium"]');
    await page.check('input[name="f-decision-positive"][value="High"]');
    await page.check('#f-outcome-2');
    await page.selectOption('#f-label-column', 'two_year_recid');
    await page.check('input[name="f-label-positive"][value="1"]');

    // Bad cut points: the error summary says so and links to the field.
    await page.fill('#f-bins-age-edges', '35, 25, x');
    await page.click('#data-check');
    await page.waitForSelector('.govuk-error-summary');
    assert.match(await page.textContent('.govuk-error-summary'), /Enter the cut points for age as numbers in increasing order/);
    assert.match(await page.textContent('#step-data'), /Error: Enter the cut points for age/, 'the message is also by the field');
    await assertAccessible(page, 'data step with bands, combinations and an error');
    await screenshot(page, 'bins-01-bad-edges');
    await page.click('.govuk-error-summary a');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-bins-age-edges');
    await page.fill('#f-bins-age-edges', '25, 35, 45, 55');

    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    const summary = await page.textContent('#data-summary-heading >> xpath=..');
    assert.match(summary, /Bands\s*age: cut at 25, 35, 45, 55/);
    assert.match(summary, /Combinations\s*sex × race/);
    assert.match(summary, /Group sizes: sex × race/);

    // Results: every figure equals the CLI's (bins and combinations included).
    await page.goto(`${b.server.url}/www/#/results`);
    await page.waitForSelector('section.ba-attribute');
    await assertResultsMatch(page, expected);
    // …and explicitly one bin and one combined cell.
    const ageRow = page.locator('section.ba-attribute[data-attribute="age"] table.ba-results-table').first().locator('tr[data-group="[25, 35)"]');
    const g25 = ages.groups.find((g) => g.group === '[25, 35)');
    assert.equal(await ageRow.locator('[data-key="n"]').getAttribute('data-value'), String(g25.counts.n));
    assert.equal(await ageRow.locator('[data-key="selection_rate"]').getAttribute('data-value'), String(g25.metrics.selection_rate));
    const section = page.locator('section.ba-attribute[data-attribute="sex|race"]');
    assert.match(await section.locator('h2').textContent(), /^sex × race/);
    const cellRow = section.locator('table.ba-results-table').first().locator('tr[data-group="Female|African-American"]');
    const gFA = inter.groups.find((g) => g.group === 'Female|African-American');
    assert.equal(await cellRow.locator('[data-key="n"]').getAttribute('data-value'), String(gFA.counts.n));
    assert.equal(await cellRow.locator('[data-key="selected"]').getAttribute('data-value'), String(gFA.counts.selected));
    assert.match(await cellRow.locator('th').textContent(), /^Female × African-American/);
    // Small cells are marked; the empty-cell list is there.
    const small = inter.groups.filter((g) => g.below_min_cell);
    assert.ok(small.length > 0, 'COMPAS has combinations under 10 people');
    for (const g of small) {
      assert.match(await section.locator(`table.ba-results-table tr[data-group="${g.group}"] th`).first().textContent(), /fewer than 10 people: treat with care/);
    }
    const notSmall = inter.groups.find((g) => !g.below_min_cell);
    assert.doesNotMatch(await section.locator(`table.ba-results-table tr[data-group="${notSmall.group}"] th`).first().textContent(), /fewer than/);
    assert.equal(inter.empty_cells.count, 0);
    // A combination's error rate from fewer than 30 people is marked, never highlighted.
    const thin = inter.groups.find((g) => g.evidence?.too_few?.tpr !== undefined && g.counts.n >= 10);
    assert.ok(thin, 'COMPAS has a combination whose true positive rate rests on fewer than 30 people');
    const thinCell = section.locator('table.ba-results-table').nth(1).locator(`tr[data-group="${thin.group}"] [data-key="tpr"]`);
    assert.match(await thinCell.textContent(), new RegExp(`too few to judge \\(from ${thin.evidence.too_few.tpr} people\\)`));
    assert.equal(await thinCell.evaluate((el) => el.classList.contains('ba-below')), false);
    assert.match(await section.textContent(), /Every combination of the values of sex and race occurs in the data/);
    await assertAccessible(page, 'results with bands and combinations');
    await assertNothingClipped(page, 'results with bands and combinations at 1280 px');
    await screenshot(page, 'bins-02-results');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNothingClipped(page, 'results with bands and combinations at 390 px');
    await screenshot(page, 'bins-02-results-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The record: the config (bins, intersections) and the report equal the CLI's; the mapping is kept.
    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#record');
    assert.match(await page.textContent('#record'), /Combinations\s*sex × race/);
    const record = JSON.parse((await download(page, 'export-json')).text);
    assert.deepEqual(record.config, expected.config);
    assertSameReport(record.review.report, expected);
    assert.deepEqual(record.review.mapping.intersections, [['sex', 'race']]);
    assert.deepEqual(record.review.mapping.bins.age, { mode: 'edges', edges: '25, 35, 45, 55', quantiles: '4' });

    // The mapping survives a reload of the data step (autosave).
    await page.goto(`${b.server.url}/www/#/data`);
    await page.reload();
    await page.waitForSelector('#data-saved-heading');
    assert.match(await page.textContent('#step-data'), /Bands\s*age: cut at 25, 35, 45, 55/);

    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});

test('an intersection with empty cells lists them; quantile bands equal the CLI\'s', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-inter-'));
  const file = join(dir, 'cells.csv');
  // No one is both "B" and "old" (and few are "A|old"); income is numeric.
  const lines = ['grp,band,income,decision'];
  for (let i = 0; i < 300; i++) {
    const grp = i % 3 === 0 ? 'B' : 'A';
    const band = grp === 'B' ? 'young' : (i % 37 === 1 ? 'old' : 'young');
    lines.push(`${grp},${band},${1000 + ((i * 7919) % 5000)},${i % 4 === 0 ? 'yes' : 'no'}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const expected = cli(file, ['--group', 'grp', '--group', 'band', '--group', 'income', '--bin', 'income=q4', '--intersect', 'grp,band',
    '--decision', 'decision', '--positive', 'yes', '--negative', 'no']);
  const inter = expected.attributes.find((a) => a.column === 'grp|band');
  assert.deepEqual(inter.empty_cells, { count: 1, cells: ['B|old'] });
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', file);
    await page.waitForSelector('#data-preview-heading');
    await page.selectOption('#attr-0', 'race');
    await page.selectOption('#attr-1', 'age');
    await page.selectOption('#attr-2', 'other');
    await page.check('#f-bins-income-mode-3');
    await page.waitForSelector('#f-bins-income-quantiles');
    await page.fill('#f-bins-income-quantiles', '1');
    await page.getByLabel('grp × band', { exact: true }).check();
    await page.selectOption('#f-decision-column', 'decision');
    await page.check('input[name="f-decision-positive"][value="yes"]');
    await page.check('#f-outcome');
    await clickForErrors(page, '#data-check');
    assert.match(await page.textContent('.govuk-error-summary'), /The number of groups for income must be a whole number from 2 to 100/);
    await page.fill('#f-bins-income-quantiles', '4');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 60_000 });
    await page.goto(`${b.server.url}/www/#/results`);
    await page.waitForSelector('section.ba-attribute');
    await assertResultsMatch(page, expected);
    const section = page.locator('section.ba-attribute[data-attribute="grp|band"]');
    assert.equal((await section.locator('ul.ba-empty-cells li').allTextContents()).join('|'), 'no one in the data is both B and old');
    assert.match(await section.textContent(), /1 combination does not occur in the data/);
    await assertAccessible(page, 'results with an empty cell');
    await screenshot(page, 'bins-03-empty-cells');
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
  } finally {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
