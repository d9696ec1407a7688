// End-to-end: a 10,000,000-row file (~430 MB, generated in the OS temp
// directory and deleted afterwards). The check shows a progress bar whose
// value rises and an aria-live status; Cancel returns the page to a usable
// state with a "cancelled" message and no result; checking again runs to
// completion, reports 10,000,000 rows, and the file's SHA-256 follows.
//
// Run: node --test --test-concurrency=1 tests/e2e/
// Set BIASAUDIT_E2E_BIG_ROWS to use fewer rows (a quick local run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser, screenshot, assertSameOrigin, installEngineHold, recordProgress, openGeneratedFile } from './helpers.mjs';
import { generateCsv } from '../support/generate.mjs';

const ROWS = Number(process.env.BIASAUDIT_E2E_BIG_ROWS || 10_000_000);



test(`a ${ROWS.toLocaleString('en-GB')}-row file: progress, cancel, then a full check`, { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-big-'));
  const file = join(dir, 'big.csv');
  let b = null;
  try {
    const started = Date.now();
    const size = await generateCsv(file, ROWS);
    console.log(`generated ${ROWS} rows, ${(size / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    b = await openBrowser();
    const { page, log } = b;
    // Each check is held before its merge until the test has looked (and
    // cancelled), so nothing here races the engine, however fast it is.
    await installEngineHold(page);
    await page.goto(`${b.server.url}/www/#/data`);
    await openGeneratedFile(page, file);
    const held = () => page.evaluate(() => window.e2eHold.held.length);

    // 1. Start, see the progress, cancel.
    await page.evaluate(() => { window.e2eHold.merges = true; });
    await page.click('#data-check');
    await page.waitForSelector('#data-progress-bar');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'data-cancel', 'focus moves to Cancel');
    assert.equal(await page.getAttribute('#data-progress-text', 'aria-live'), 'polite');
    assert.equal(await page.getAttribute('#data-progress-text', 'role'), 'status');
    await page.waitForFunction(() => document.getElementById('data-progress-bar')?.value > 0, null, { timeout: 120_000 });
    await screenshot(page, 'big-01-progress');
    await page.click('#data-cancel');
    await page.waitForSelector('.govuk-error-summary', { timeout: 10_000 });
    assert.match(await page.textContent('.govuk-error-summary'), /You cancelled the check/);
    assert.equal(await page.locator('#data-progress').count(), 0, 'the progress bar is gone');
    assert.equal(await page.locator('#data-summary-heading').count(), 0, 'no result is shown');
    assert.equal(await page.isEnabled('#data-check'), true, 'Check the data can be pressed again');
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('biasaudit.review.v1') || '{}').report ?? null), null, 'no result saved');
    await screenshot(page, 'big-02-cancelled');
    await page.evaluate(() => window.e2eHold.release()); // a held merge for a cancelled check goes nowhere

    // 2. Again, to the end: every part is counted and the merge waits, so
    // every progress message has been shown when the log is read.
    await recordProgress(page);
    await page.evaluate(() => { window.e2eHold.merges = true; });
    const t0 = Date.now();
    await page.click('#data-check');
    await page.waitForSelector('#data-progress-bar');
    await page.waitForFunction(() => window.e2eHold.held.length === 1, null, { timeout: 300_000 });
    const seen = await page.evaluate(() => window.progressLog);
    const values = [...new Set(seen.map((x) => x.value))];
    assert.ok(values.length >= 3, `the bar moved through several values: ${values.join(', ')}`);
    assert.deepEqual(values, [...values].sort((x, y) => x - y), 'and only ever rose');
    assert.equal(values[values.length - 1], 100, 'and reached 100% once everything was read');
    assert.ok(seen.some((x) => /^\d+% read: [\d,]+ rows/.test(x.status)), 'the live status told how far the reading had got');
    await page.evaluate(() => window.e2eHold.release());
    await page.waitForSelector('#data-summary-heading', { timeout: 300_000 });
    const seconds = (Date.now() - t0) / 1000;
    console.log(`full check in ${seconds.toFixed(1)} s (${(size / 1e6 / seconds).toFixed(0)} MB/s)`);
    const rows = Object.fromEntries(await page.locator('.ba-summary-panel .govuk-summary-list__row').evaluateAll((els) => els.map((el) => [
      el.querySelector('dt').textContent.trim(), el.querySelector('dd').textContent.trim()])));
    assert.equal(rows['Rows read'], ROWS.toLocaleString('en-GB'));
    assert.equal(rows['Rows used'], ROWS.toLocaleString('en-GB'));
    assert.equal(await page.locator('.govuk-error-summary').count(), 0, 'the cancelled message is gone');
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('biasaudit.review.v1')).report.input.rows_read), ROWS);
    await screenshot(page, 'big-03-done');
    // Checking again and cancelling (held, so the cancel comes while it runs)
    // keeps these results, and their fingerprint still arrives (results come
    // first when no core is spare).
    await page.evaluate(() => { window.e2eHold.merges = true; });
    await page.click('#data-check');
    await page.waitForSelector('#data-cancel');
    await page.click('#data-cancel');
    await page.waitForSelector('.govuk-error-summary');
    await page.evaluate(() => window.e2eHold.release());
    assert.equal(await page.locator('#data-summary-heading').count(), 1, 'the earlier results are still shown');
    await page.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.querySelector('.ba-summary-panel [data-fingerprint]')?.textContent), null, { timeout: 60_000 });
    const expected = createHash('sha256');
    for await (const chunk of createReadStream(file)) expected.update(chunk);
    const hex = expected.digest('hex');
    assert.equal(await page.textContent('.ba-summary-panel [data-fingerprint]'), hex);
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('biasaudit.review.v1')).dataset.sha256), hex);

    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
