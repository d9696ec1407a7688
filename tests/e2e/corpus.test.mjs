// End-to-end: the malformed-input corpus (tests/corpus/manifest.json) through
// the page. For every case that expects an error, the manifest's config is put
// in the review as the column mapping (as if a saved review were carried on),
// the file is opened with the file input and checked, and the error summary
// must show the engine's message and name its line and column. No uncaught
// error, no dialog.
//
// Run: node --test --test-concurrency=1 tests/e2e/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, openBrowser, screenshot } from './helpers.mjs';

const CORPUS = join(ROOT, 'tests', 'corpus');
const CASES = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')).filter((c) => c.expect?.error);

/** The manifest's AuditConfig as the page's mapping (data.js emptyMapping()). */
function mappingFor(config) {
  const outcome = (o) => (o.threshold !== undefined && o.threshold !== null
    ? { column: o.column, mode: 'threshold', positive: [], negative: [], rest_negative: false, threshold: String(o.threshold) }
    : { column: o.column, mode: 'values', positive: o.positive || [], negative: o.negative || [], rest_negative: !!o.rest_negative, threshold: '' });
  return {
    attributes: config.groups.map((column) => ({ column, characteristic: 'race' })),
    decision: outcome(config.decision),
    label: config.label ? outcome(config.label) : null,
    score: '', outcome: config.outcome || 'beneficial', reference: 'largest', reference_group: '',
    weight: config.weight || '', strata: config.strata || '', bins: {}, intersections: config.intersections || [],
  };
}

/** "line 3 (record 2), column "g": detail" → the parts the page must show. */
function expectedParts(message) {
  const m = /^line (\d+)(?: \(record \d+\))?(?:, column "([^"]*)")?: ([\s\S]*)$/.exec(message);
  if (m) return { line: m[1], column: m[2], detail: m[3] };
  const c = /^column "([^"]*)": ([\s\S]*)$/.exec(message);
  if (c) return { column: c[1], detail: c[2] };
  return { detail: message };
}

test('every malformed-input case in the corpus: the error summary shows the engine\'s located message', { timeout: 300_000 }, async () => {
  assert.ok(CASES.length >= 9, `${CASES.length} error cases in the manifest`);
  const names = CASES.map((c) => c.file.replace(/\.csv$/, ''));
  for (const must of ['unclosed_quote', 'invalid_utf8', 'utf16_bom', 'xlsx_renamed', 'ragged', 'unexpected_decision', 'decimal_comma', 'duplicate_headers', 'empty']) {
    assert.ok(names.includes(must), `the manifest has ${must}`);
  }
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.waitForSelector('#data-file');
    for (const c of CASES) {
      const review = { format: 'biasaudit-review', format_version: 1, answers: {}, mapping: mappingFor(c.config) };
      // Leave the page first (it saves its own review as it goes), then put the mapping in its storage.
      await page.goto(`${b.server.url}/www/js/ui/format.js`);
      await page.evaluate((r) => localStorage.setItem('biasaudit.review.v1', JSON.stringify(r)), review);
      await page.goto(`${b.server.url}/www/#/data`);
      await page.waitForSelector('#data-file');
      await page.setInputFiles('#data-file', join(CORPUS, c.file));
      // Either opening fails (the preview meets the error) or the check does.
      const first = await page.waitForSelector('.govuk-error-summary, #data-check', { timeout: 30_000 });
      if (await first.evaluate((el) => el.id === 'data-check')) {
        await page.click('#data-check');
        await page.waitForSelector('.govuk-error-summary', { timeout: 30_000 });
      }
      const summary = (await page.textContent('.govuk-error-summary')).replace(/\s+/g, ' ');
      const where = `${c.file}: “${summary}”`;
      if (process.env.E2E_DEBUG) console.log(where);
      assert.equal(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), true, `${c.file}: the error summary takes focus`);
      if (!summary.includes(c.expect.error)) {
        const p = expectedParts(c.expect.error);
        assert.ok(summary.includes(p.detail), `${where} shows the message “${p.detail}”`);
        if (p.line) assert.ok(summary.includes(`line ${p.line}`), `${where} names line ${p.line}`);
        if (p.column !== undefined) assert.ok(summary.includes(`column “${p.column}”`), `${where} names column ${p.column}`);
      }
      assert.ok(await page.locator('.govuk-error-summary a').count() >= 1, `${c.file}: the summary links to a field`);
      await screenshot(page, `corpus-${c.file.replace(/\.csv$/, '')}`);
      assert.deepEqual(log.errors, [], `${c.file}: no uncaught error`);
      assert.deepEqual(log.dialogs, [], `${c.file}: no dialog`);
    }
  } finally {
    await b.close();
  }
});
