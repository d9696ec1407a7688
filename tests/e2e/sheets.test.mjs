// A spreadsheet in the page: decisions.xlsx and decisions.ods (written by
// tests/fixtures/sheets/make_sheets.py) opened in the data step, the sheet
// and the row of its column names chosen, checked in a worker with its
// progress, and the report equal to the CLI's for the same sheet, its
// fingerprint included; a bad cell is named in the error summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, assertAccessible, assertNothingClipped, assertSameOrigin, assertSameReport, cli, download, openBrowser, recordProgress, screenshot } from './helpers.mjs';

const SHEETS = join(ROOT, 'tests', 'fixtures', 'sheets');
const ARGS = ['--group', 'ethnicity', '--decision', 'approved', '--positive', 'TRUE', '--negative', 'FALSE'];

async function openSheet(page, server, file, sheet, headerRow) {
  await page.goto(`${server.url}/www/#/data`);
  await page.setInputFiles('#data-file', file);
  await page.waitForSelector('#data-sheet-summary');
  await page.selectOption('#data-sheet', sheet);
  await page.fill('#data-header-row', String(headerRow));
  await page.click('#data-sheet-read');
  await page.waitForFunction((s) => document.getElementById('data-sheet-summary')?.textContent.includes(`“${s}”`), sheet);
}

async function mapAndCheck(page) {
  await page.selectOption('#attr-1', 'race'); // the column ethnicity, as the characteristic race
  await page.selectOption('#f-decision-column', 'approved');
  await page.check('input[name="f-decision-positive"][value="TRUE"]');
  await page.check('#f-outcome');
  await page.click('#data-check');
}

test('a sheet of a workbook is chosen, checked, and gives the CLI’s report', { timeout: 180_000 }, async () => {
  const b = await openBrowser();
  const { page } = b;
  try {
    for (const kind of ['xlsx', 'ods']) {
      const file = join(SHEETS, `decisions.${kind}`);
      await page.goto(`${b.server.url}/www/#/data`);
      await page.setInputFiles('#data-file', file);
      await page.waitForSelector('#data-sheet-summary');
      // At first the first sheet, of notes: the page says which sheet it shows and offers the others.
      // A file opened after it keeps the review's sheet and row, as a reopened file keeps its columns.
      assert.match(await page.textContent('#data-sheet-summary'), kind === 'xlsx'
        ? /with 4 sheets\. This is the sheet “Notes”, its column names on row 1/
        : /with 2 sheets\. This is the sheet “Decisions”, its column names on row 3/);
      assert.deepEqual(await page.locator('#data-sheet option').allTextContents(), kind === 'xlsx' ? ['Notes', 'Decisions', 'With an error', 'Stray'] : ['Notes', 'Decisions']);
      await openSheet(page, b.server, file, 'Decisions', 3);
      assert.match(await page.textContent('#data-sheet-summary'), /This is the sheet “Decisions”, its column names on row 3: 11 columns, 120 rows\./);
      // Typed cells as text: a whole number stored as a decimal, a third to 15 digits, a date.
      const cells = await page.locator('.ba-preview tbody tr').first().locator('td').allTextContents();
      assert.deepEqual(cells.slice(0, 8), ['1', 'Black', 'M', '63', '2024-10-23', '2024-10-23 05:49:45', 'FALSE', '0.9']);
      if (kind === 'xlsx') {
        await screenshot(page, 'sheet-choice-1280');
        await assertAccessible(page, 'the data step with a workbook');
        await page.setViewportSize({ width: 390, height: 844 });
        await page.locator('#data-workbook').scrollIntoViewIfNeeded();
        await screenshot(page, 'sheet-choice-390');
        await assertNothingClipped(page, 'the sheet choice at 390 px');
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      await mapAndCheck(page);
      await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
      await page.goto(`${b.server.url}/www/#/record`);
      await page.waitForSelector('#export-json');
      const record = JSON.parse((await download(page, 'export-json')).text);
      const expected = cli(file, ['--sheet', 'Decisions', '--header-row', '3', ...ARGS]);
      assert.equal(expected.config.sheet, 'Decisions');
      assertSameReport(record.review.report, expected);
    }
    // A bad cell is named as the sheet names it: a value under no column name, found as the sheet is shown.
    await openSheet(page, b.server, join(SHEETS, 'decisions.xlsx'), 'Decisions', 3);
    await page.selectOption('#data-sheet', 'Stray');
    await page.fill('#data-header-row', '1');
    await page.click('#data-sheet-read');
    await page.waitForSelector('.govuk-error-summary');
    assert.match(await page.textContent('.govuk-error-summary'), /That sheet could not be read: cell "Stray!L5": this cell holds "left over" but its column has no name in the header row/);
    await screenshot(page, 'sheet-error-1280');
    assertSameOrigin(b.log, b.server);
    assert.deepEqual(b.log.errors, []);
  } finally {
    await b.close();
  }
});

test('a workbook of 50,000 rows is counted in a worker with its progress shown', { timeout: 180_000 }, async () => {
  const dir = join(ROOT, 'target', 'e2e-sheets');
  mkdirSync(dir, { recursive: true });
  execFileSync('python3', [join(ROOT, 'scripts', 'bench-sheet.py'), '--write', dir, '50000']);
  const file = join(dir, 'decisions.xlsx');
  const b = await openBrowser();
  const { page } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', file);
    await page.waitForSelector('#data-sheet-summary');
    assert.match(await page.textContent('#data-sheet-summary'), /with 1 sheet\. This is the sheet “Decisions”, its column names on row 1: 8 columns, 50,000 rows\./);
    await page.selectOption('#attr-1', 'race');
    await page.selectOption('#f-decision-column', 'approved');
    await page.check('input[name="f-decision-positive"][value="yes"]');
    await page.check('#f-outcome');
    await recordProgress(page);
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    const values = await page.evaluate(() => window.progressLog.map((p) => Number(p.value)));
    const between = values.filter((v) => v > 0 && v < 100);
    assert.ok(between.length >= 2, `the progress bar moved through the sheet: ${JSON.stringify(values.slice(0, 40))}`);
    assert.ok(between.every((v, i) => i === 0 || v >= between[i - 1]), 'and never went back');
    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#export-json');
    const record = JSON.parse((await download(page, 'export-json')).text);
    assertSameReport(record.review.report, cli(file, ['--group', 'ethnicity', '--decision', 'approved', '--positive', 'yes', '--negative', 'no']));
    assert.deepEqual(b.log.errors, []);
  } finally {
    await b.close();
  }
});
