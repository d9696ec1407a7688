// Scores in the results, as a student would meet them on the recruitment
// sample: each group's AUC with DeLong's range, ROC, the spread of scores,
// and the threshold explorer. At every threshold tried (the system's, moved
// by the keyboard, typed), each group's figures and verdict equal the CLI's
// audit with the decision "score at or above the threshold". Per-group
// thresholds carry the legal note. axe-core, nothing clipped, screenshots at
// 1280 and 390 px; after a reload the explorer says why it is closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { groupAt } from '../../www/js/model/impossibility.js';
import { ROOT, SHOTS, assertAccessible, assertClose, assertNothingClipped, assertSameOrigin, cli, openBrowser, screenshot } from './helpers.mjs';

const SAMPLE = join(ROOT, 'examples', 'data', 'recruitment.csv');
const COMMON = ['--group', 'sex', '--group', 'ethnicity', '--group', 'age_band', '--group', 'disability',
  '--label', 'suitable', '--label-positive', '1', '--label-negative', '0', '--outcome', 'beneficial', '--reference', 'largest'];
const AS_CHECKED = [...COMMON, '--decision', 'shortlisted', '--positive', 'yes', '--negative', 'no', '--score', 'score'];
const EXPLORER = '#attr-results-0-explorer';

/** The explorer's table as { group: { key: value } }, from the exact figures in its cells. */
async function explorerTable(page) {
  return page.evaluate((sel) => {
    const out = {};
    for (const tr of document.querySelectorAll(`${sel}-table tbody tr`)) {
      const row = {};
      for (const td of tr.querySelectorAll('[data-key]')) row[td.dataset.key] = td.dataset.value;
      out[tr.dataset.group] = row;
    }
    return out;
  }, EXPLORER);
}

async function waitForStatus(page, pattern) {
  await page.waitForFunction(([sel, source]) => new RegExp(source).test(document.querySelector(`${sel}-status`)?.textContent || ''), [EXPLORER, pattern.source]);
}

/** Each group's figures and verdict equal the CLI's at threshold t (sex, the first characteristic). */
function assertAtThreshold(shown, t) {
  const expected = cli(SAMPLE, [...COMMON, '--decision', 'score', '--threshold', String(t)]).attributes[0];
  const verdictOf = (g) => g.evidence.adverse_impact.verdict;
  const compared = expected.groups.filter((g) => !g.is_missing);
  assert.deepEqual(Object.keys(shown).sort(), compared.map((g) => g.group).sort(), `the groups at ${t}`);
  for (const g of compared) {
    const row = shown[g.group];
    assert.equal(Number(row.n), g.counts.n, `${g.group} people at ${t}`);
    for (const key of ['selection_rate', 'tpr', 'fpr', 'ppv']) assertClose(Number(row[key]), g.metrics[key], `${g.group} ${key} at ${t}`);
    if (!g.is_reference) {
      const ratio = expected.four_fifths.groups.find((x) => x.group === g.group).impact_ratio;
      assertClose(Number(row.impact_ratio), ratio, `${g.group} impact ratio at ${t}`);
    }
    assert.equal(row.verdict, verdictOf(g), `${g.group} verdict at ${t}`);
  }
}

test('the recruitment sample’s scores, and the threshold explorer equal to a full audit at every threshold tried', { timeout: 240_000 }, async () => {
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.waitForSelector('#sample-recruitment');
    await page.click('#sample-recruitment');
    await page.waitForSelector('#data-preview-heading');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    // To the results within the page: the counts the explorer needs stay in memory.
    await page.evaluate(() => { location.hash = '#/results'; });
    await page.waitForSelector('.ba-scores', { state: 'attached' });
    await page.click('#attr-results-0-detail summary');

    // AUC and DeLong's range, as the CLI reports them.
    const reference = cli(SAMPLE, AS_CHECKED).attributes[0].scores;
    const aucs = await page.$$eval('#attr-results-0-auc tbody tr', (trs) => trs.map((tr) => ({
      group: tr.dataset.group,
      auc: tr.querySelector('[data-key="auc"]').dataset.value,
      range: tr.querySelector('[data-key="auc_interval"]')?.dataset.value ?? null,
    })));
    assert.equal(aucs.length, reference.groups.length);
    for (const g of reference.groups) {
      const row = aucs.find((r) => r.group === g.group);
      assertClose(Number(row.auc), g.auc, `${g.group} AUC`);
      assert.equal(row.range, `${g.auc_interval.lower},${g.auc_interval.upper}`, `${g.group} DeLong range`);
    }
    assert.match(await page.textContent('[data-headline="auc"]'), /ranks people best for “Female”, AUC 0\.85 \(95% range 0\.82 to 0\.87\)/);
    assert.equal(await page.locator('#attr-results-0-roc-chart path.ba-chart__series').count(), 3);
    assert.match(await page.textContent('#attr-results-0-calibration-none'), /scores between 0 and 1/);
    assert.match(await page.textContent('#attr-results-0-brier-none'), /range from 0 to 100/);

    // The explorer: the system's threshold first, found from the counts.
    await page.click(`${EXPLORER}-open`);
    await waitForStatus(page, /^At a threshold of 65:/);
    assert.match(await page.textContent(`${EXPLORER}-hint`), /system’s threshold appears to be 65/);
    assertAtThreshold(await explorerTable(page), 65);
    await assertAccessible(page, 'the results with the threshold explorer open');

    // By keyboard: five steps up.
    await page.focus(`${EXPLORER}-all-slider`);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await waitForStatus(page, /^At a threshold of 70:/);
    assert.equal(await page.inputValue(`${EXPLORER}-all-number`), '70');
    assertAtThreshold(await explorerTable(page), 70);

    // Typed: far down, where most are shortlisted, and high up, where few are.
    for (const t of [42, 88]) {
      await page.fill(`${EXPLORER}-all-number`, String(t));
      await waitForStatus(page, new RegExp(`^At a threshold of ${t}:`));
      assertAtThreshold(await explorerTable(page), t);
    }
    await page.click(`${EXPLORER}-system`);
    await waitForStatus(page, /^At a threshold of 65:/);
    await screenshot(page, 'scores-explorer-1280');

    // One threshold per group: the legal note, and each group at its own.
    assert.ok(await page.locator(`${EXPLORER}-legal`).isHidden());
    await page.check(`${EXPLORER}-mode-groups`);
    assert.match(await page.textContent(`${EXPLORER}-legal`), /direct discrimination \(Equality Act 2010, section 13\)/);
    const female = await page.$eval(`${EXPLORER}-per-group label`, (l) => l.getAttribute('for'));
    await page.fill(`#${female.replace('-slider', '-number')}`, '60');
    await waitForStatus(page, /^At these thresholds:/);
    await page.waitForFunction((sel) => document.querySelector(`${sel}-table tr[data-group="Female"] [data-key="threshold"]`)?.dataset.value === '60', EXPLORER);
    const perGroup = await explorerTable(page);
    const at60 = cli(SAMPLE, [...COMMON, '--decision', 'score', '--threshold', '60']).attributes[0].groups.find((g) => g.group === 'Female');
    const at65 = cli(SAMPLE, [...COMMON, '--decision', 'score', '--threshold', '65']).attributes[0].groups.find((g) => g.group === 'Male');
    assertClose(Number(perGroup.Female.selection_rate), at60.metrics.selection_rate, 'Female at 60');
    assertClose(Number(perGroup.Male.selection_rate), at65.metrics.selection_rate, 'Male at 65');
    await assertAccessible(page, 'the threshold explorer with a threshold per group');

    // What-if strategies: the smallest gap, then 5 points allowed, each equal to the CLI's.
    const strategyErrors = () => page.$$eval(`${EXPLORER}-strategies-compared tbody tr`, (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.strategy, Number(tr.querySelector('[data-key="errors"]')?.dataset.value)])));
    const expectedErrors = (scores) => ({
      single_threshold: scores.single_threshold.total.fp + scores.single_threshold.total.fn,
      ...Object.fromEntries(Object.entries(scores.group_thresholds).map(([k, g]) => [k, g.total.fp + g.total.fn])),
    });
    await page.click(`${EXPLORER}-compare`);
    await page.waitForSelector(`${EXPLORER}-strategies-compared`);
    assert.deepEqual(await strategyErrors(), expectedErrors(reference));
    await page.fill(`${EXPLORER}-tolerance`, 'two');
    await page.click(`${EXPLORER}-compare`);
    assert.match(await page.textContent(`${EXPLORER}-tolerance-error`), /percentage points from 0 to 100/);
    assert.ok(await page.$eval(`${EXPLORER}-tolerance`, (el) => el === document.activeElement), 'the box is focused to be put right');
    await page.fill(`${EXPLORER}-tolerance`, '5');
    await page.click(`${EXPLORER}-compare`);
    assert.equal(await page.locator(`${EXPLORER}-tolerance-error`).count(), 0, 'the error goes once put right');
    const within = cli(SAMPLE, [...AS_CHECKED, '--what-if-tolerance', '0.05']).attributes[0].scores;
    await page.waitForFunction(([sel, n]) => document.querySelector(`${sel}-strategies-compared tr[data-strategy="demographic_parity"] [data-key="errors"]`)?.dataset.value === String(n),
      [EXPLORER, within.group_thresholds.demographic_parity.total.fp + within.group_thresholds.demographic_parity.total.fn]);
    assert.deepEqual(await strategyErrors(), expectedErrors(within));
    assert.ok(expectedErrors(within).demographic_parity < expectedErrors(reference).demographic_parity, 'a gap allowed costs fewer errors');
    // Trying a strategy's thresholds puts each group at its own in the explorer.
    await page.click(`${EXPLORER}-strategies-compared [data-try="demographic_parity"]`);
    // The report for these thresholds, not the one shown before the click (also "At these thresholds").
    const wanted = Object.fromEntries(within.group_thresholds.demographic_parity.groups.map((g) => [g.group, String(g.threshold)]));
    await page.waitForFunction(([sel, want]) => Object.entries(want).every(([g, t]) => document.querySelector(`${sel}-table tr[data-group="${g}"] [data-key="threshold"]`)?.dataset.value === t), [EXPLORER, wanted]);
    const tried = await explorerTable(page);
    for (const g of within.group_thresholds.demographic_parity.groups) {
      assert.equal(Number(tried[g.group].threshold), g.threshold, `${g.group} at the strategy's threshold`);
      assertClose(Number(tried[g.group].selection_rate), g.selection_rate, `${g.group} selection rate at the strategy's threshold`);
    }
    await assertAccessible(page, 'the what-if strategies compared');
    await page.locator(`${EXPLORER}-strategies`).screenshot({ path: join(SHOTS, 'scores-strategies-1280.png') });
    await page.locator(EXPLORER).screenshot({ path: join(SHOTS, 'scores-explorer-alone-1280.png') });
    await page.locator('#attr-results-0-roc-chart').screenshot({ path: join(SHOTS, 'scores-roc-1280.png') });
    await assertNothingClipped(page, 'the results with scores');
    await page.click('#attr-results-0-detail summary');
    await screenshot(page, 'scores-explorer-per-group-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator(EXPLORER).screenshot({ path: join(SHOTS, 'scores-explorer-alone-390.png') });
    await assertNothingClipped(page, 'the results with scores at 390 px');
    await page.click('#attr-results-0-detail summary');
    await screenshot(page, 'scores-explorer-390');

    // Learning mode: the sample's exercises, then what was built in; each heading's word explained.
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.equal(await page.locator('#exercises li').count(), 3);
    await page.$eval('#exercises-answer', (d) => { d.open = false; }); // assertNothingClipped opened every disclosure
    assert.ok(await page.locator('#exercises-answer .govuk-details__text').isHidden(), 'the answer waits to be asked for');
    await page.click('#exercises-answer summary');
    assert.match(await page.textContent('#exercises-answer'), /takes 8 points off every disabled applicant/);
    await page.focus('#attr-results-0-table a[href="#glossary-shortfall"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'glossary-shortfall');
    assert.match(await page.textContent('#glossary-shortfall'), /more people in the group would have to be given the better outcome/);
    assert.match(page.url(), /#\/results$/, 'a glossary link does not leave the results');
    await screenshot(page, 'results-exercises-glossary-1280');

    // Why not all of them: the impossibility result, moved by keyboard, equal to its arithmetic.
    await page.evaluate(() => { location.hash = '#/fairness'; });
    await page.waitForSelector('#impossibility-slider');
    const demo = () => page.$$eval('#impossibility-table tbody tr', (trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('[data-key]')].map((td) => [td.dataset.key, Number(td.dataset.value)]))));
    for (const [presses, rate] of [[0, 0.5], [5, 0.55]]) {
      await page.focus('#impossibility-slider');
      for (let i = 0; i < presses; i++) await page.keyboard.press('ArrowRight');
      const [a, b] = await demo();
      for (const [shown, want] of [[a, groupAt(0.3)], [b, groupAt(rate)]]) {
        for (const key of ['flagged', 'ppv', 'fpr', 'fnr']) assertClose(shown[key], want[key], `${key} at ${rate}`);
      }
      assert.equal(a.ppv, b.ppv, 'a flag means the same in both groups');
      assert.ok(b.fpr > a.fpr && b.fnr < a.fnr, 'the error rates pull apart');
    }
    assert.match(await page.textContent('#impossibility-summary'), /false positive rate is 2\d\.\d% against 8\.2% for group A/);
    await assertAccessible(page, 'the impossibility demonstration');
    await page.locator('#impossibility').screenshot({ path: join(SHOTS, 'fairness-impossibility-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNothingClipped(page, 'the impossibility demonstration at 390 px');
    await page.locator('#impossibility').screenshot({ path: join(SHOTS, 'fairness-impossibility-390.png') });
    await page.evaluate(() => { location.hash = '#/results'; });
    await page.waitForSelector('.ba-scores', { state: 'attached' });

    // After a reload the counts are gone (never saved): the explorer says how to get them back.
    await page.reload();
    await page.waitForSelector('.ba-scores', { state: 'attached' });
    assert.match(await page.textContent(`${EXPLORER}-closed`), /check the data file again/);
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});
