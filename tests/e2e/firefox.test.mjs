// The offline file in Firefox (Debian's firefox-esr, driven over WebDriver
// BiDi by puppeteer-core, since Playwright drives only its own Firefox): opened
// from file://, the recruitment sample checked in its worker and a workbook's
// sheet read, each with the CLI's figures, and no request but the file itself
// and its own blob: and data: URLs. Skipped, saying so, where Firefox is
// missing; BIASAUDIT_REQUIRE_FIREFOX=1 (set by scripts/test, which installs
// it) makes that a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, assertSameReport, cli } from './helpers.mjs';
import { buildOffline } from '../../scripts/build-offline.mjs';

const FIREFOX = ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => existsSync(p));
const REQUIRED = process.env.BIASAUDIT_REQUIRE_FIREFOX === '1';
const RECRUITMENT_ARGS = ['--group', 'sex', '--group', 'ethnicity', '--group', 'age_band', '--group', 'disability', '--decision', 'shortlisted',
  '--positive', 'yes', '--negative', 'no', '--label', 'suitable', '--label-positive', '1', '--label-negative', '0', '--outcome', 'beneficial',
  '--reference', 'largest', '--score', 'score'];

/** The review the page autosaved, whose report is the one the page shows. */
async function savedReport(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('biasaudit.review.v1') || '{}').report ?? null);
}

async function waitForReport(page, rows) {
  await page.waitForFunction((n) => {
    const saved = JSON.parse(localStorage.getItem('biasaudit.review.v1') || '{}');
    return saved.report?.input?.rows_read === n && document.getElementById('data-summary-heading');
  }, { timeout: 120_000, polling: 200 }, rows);
}

test('the offline file in Firefox: a sample and a workbook, with the CLI’s figures and no request', { timeout: 300_000, skip: !FIREFOX && !REQUIRED && 'no Firefox here (Debian’s firefox-esr; scripts/test installs it)' }, async () => {
  assert.ok(FIREFOX, 'Firefox is required here but not installed');
  const { default: puppeteer } = await import('puppeteer-core');
  const { path } = await buildOffline();
  const url = pathToFileURL(path).href;
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // The recruitment sample, as a student would.
    await page.goto(`${url}#/data`);
    await page.waitForSelector('#sample-recruitment');
    await page.click('#sample-recruitment');
    await page.waitForSelector('#data-preview-heading');
    await page.click('#data-check');
    const sample = cli(join(ROOT, 'examples', 'data', 'recruitment.csv'), RECRUITMENT_ARGS);
    await waitForReport(page, sample.input.rows_read);
    const shown = await savedReport(page);
    // The sample is read from inside the file, so its fingerprint is of the same bytes.
    assertSameReport(shown, sample);

    // A workbook's sheet, opened as a user opens a file.
    const workbook = join(ROOT, 'tests', 'fixtures', 'sheets', 'decisions.xlsx');
    const input = await page.waitForSelector('#data-file');
    await input.uploadFile(workbook);
    await page.waitForSelector('#data-sheet-summary');
    await page.select('#data-sheet', 'Decisions');
    await page.$eval('#data-header-row', (el) => { el.value = '3'; });
    await page.click('#data-sheet-read');
    await page.waitForFunction(() => document.getElementById('data-sheet-summary')?.textContent.includes('“Decisions”, its column names on row 3'));
    await page.select('#attr-1', 'race');
    await page.select('#f-decision-column', 'approved');
    await page.click('input[name="f-decision-positive"][value="TRUE"]');
    await page.click('#f-outcome');
    await page.click('#data-check');
    const expected = cli(workbook, ['--sheet', 'Decisions', '--header-row', '3', '--group', 'ethnicity', '--decision', 'approved', '--positive', 'TRUE', '--negative', 'FALSE']);
    await waitForReport(page, expected.input.rows_read);
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('biasaudit.review.v1') || '{}').report?.config?.sheet === 'Decisions');
    assertSameReport(await savedReport(page), expected);

    assert.deepEqual(errors, []);
    const others = requests.filter((u) => !u.startsWith(url.split('#')[0]) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(others, [], 'no request but the file and its own blob: and data: URLs');
  } finally {
    await browser.close();
  }
});
