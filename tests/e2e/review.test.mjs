// End-to-end: a full review in headless Chromium, from the start page to the
// exports, (1) in learning mode on examples/data/fraud_flags.csv and (2) on
// ProPublica's COMPAS file opened with the file input. Checks that the figures
// shown equal the CLI's, that answers survive a reload, that the exported
// review file reloads, that every request stays on the page's origin, and that
// axe-core finds no WCAG 2.2 A/AA violation on any step. Screenshots of every
// step go to tests/e2e/screenshots/.
//
// Run: node --test --test-concurrency=1 tests/e2e/
// Needs: npm ci, pkg/ built (scripts/build-wasm), target/release/biasaudit
// (or BIASAUDIT_BIN), /usr/bin/chromium (or CHROMIUM).
import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, COMPAS, cli, openBrowser, assertSameOrigin, assertAccessible, screenshot, next, download,
  assertResultsMatch, assertSameReport, assertNothingClipped, checkSimpleFile, clickForErrors, SHOTS,
} from './helpers.mjs';

const FRAUD = join(ROOT, 'examples', 'data', 'fraud_flags.csv');
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

const FRAUD_ARGS = ['--group', 'nationality', '--group', 'sex', '--group', 'age_band', '--group', 'single_parent',
  '--decision', 'flagged', '--positive', '1', '--negative', '0', '--label', 'overpayment_found', '--label-positive', '1', '--label-negative', '0',
  '--outcome', 'harmful', '--reference', 'largest', '--strata', 'region', '--score', 'risk_score'];
const COMPAS_ARGS = ['--group', 'sex', '--group', 'race', '--decision', 'score_text', '--positive', 'Medium,High', '--negative', 'Low',
  '--label', 'two_year_recid', '--label-positive', '1', '--label-negative', '0', '--outcome', 'harmful', '--reference', 'Caucasian'];

/**
 * The record as a board publishes it, for any data: the board summary first,
 * with the engine's key findings; the HTML with two charts per
 * characteristic (and the error rates when there is a true outcome); the
 * Markdown as plain text; printed on A4, a summary of at most 4 pages.
 */
async function assertPublishableRecord(page, expected, name, { weighed = null } = {}) {
  await page.waitForSelector('#record-summary');
  if (weighed) {
    // The figure the board chose to weigh is in the error-rate table of every characteristic, each cell with its count and range.
    for (const [i] of expected.attributes.entries()) {
      const t = page.locator(`#record table:has(caption:text-is("${expected.attributes[i].column}: error rates, each with its count and range"))`);
      const head = (await t.locator('thead th').allTextContents());
      const col = head.indexOf(`${weighed} (weighed by the board)`);
      assert.ok(col > 0, `${name}: ${weighed} is weighed in ${head.join(' | ')}`);
      for (const row of await t.locator('tbody tr').all()) {
        assert.match((await row.locator('th, td').allTextContents())[col], /^(\d+(\.\d)?% \([\d,]+ of [\d,]+; \d+(\.\d)?%–\d+(\.\d)?%\)|not defined)/, `${name}: ${weighed} has its count and range`);
      }
    }
  }
  assert.equal(await page.evaluate(() => document.querySelector('#record > section')?.id), 'record-summary', `${name}: the summary comes first`);
  assert.deepEqual(await page.locator('#record-summary-findings li').allTextContents(), expected.at_a_glance, `${name}: key findings`);
  const html = (await download(page, 'export-html')).text;
  assert.equal((html.match(/<svg [^>]*class="ba-chart"/g) ?? []).length, 2 * expected.attributes.length, `${name}: two charts per characteristic`);
  if (expected.input.labelled) assert.ok(html.includes('error rates, each with its count and range'), `${name}: the error rates are in the report`);
  assert.ok(!/<script/i.test(html));
  assert.match(html, /@media print\{[^}]*\}[^@]*tr,dl>div,figure\{break-inside:avoid\}/, `${name}: printed, no table row, summary row or chart is split across pages`);
  const md = (await download(page, 'export-md')).text;
  assert.deepEqual(md.match(/.{0,30}\\([.(%-]|:(?!\/\/)).{0,10}/g), null, `${name}: the Markdown has no escaped full stops, brackets, colons, per cents or hyphens`);
  for (const sentence of expected.at_a_glance) assert.ok(md.includes(`- ${sentence}\n`), `${name}: ${sentence}`);
  const paper = await page.context().newPage();
  await paper.setContent(html);
  const pages = async () => ((await paper.pdf({ format: 'A4' })).toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  const whole = await pages();
  const split = await splitRows(paper);
  assert.ok(split.rows > 20, `${name}: ${split.rows} table and summary rows printed`);
  assert.deepEqual(split.split, [], `${name}: printed, no table or summary row is split across pages`);
  await paper.evaluate(() => { for (const x of [...document.querySelectorAll('#record > section')].slice(1)) x.remove(); });
  const summaryPages = await pages();
  await paper.close();
  assert.ok(summaryPages >= 1 && summaryPages <= 4, `${name}: the board summary prints on ${summaryPages} pages`);
  assert.ok(whole > summaryPages, `${name}: the whole record (${whole} pages) is longer than its summary`);
  return { html, md, whole, summaryPages };
}

/**
 * Prints the page on A4 and finds the table and summary-list rows split
 * across pages: each row is marked with a word at the start of its first
 * cell and one at the end of every cell, and poppler's pdftotext says which
 * page each word landed on. A row is split when a page has some of its
 * words but not all (a table's header row, repeated on each page the table
 * spans, is whole on each).
 */
async function splitRows(paper) {
  const original = await paper.content();
  const cells = await paper.evaluate(() => [...document.querySelectorAll('tr, dl > div')].map((row, i) => {
    const children = [...row.children];
    children[0]?.prepend(`QZa${i}x `);
    for (const cell of children) cell.append(` QZb${i}x`);
    return children.length;
  }));
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-print-'));
  writeFileSync(join(dir, 'record.pdf'), await paper.pdf({ format: 'A4' }));
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'record.pdf'), '-']).toString();
  const found = new Set();
  const split = new Set();
  for (const pageText of text.split('\f')) {
    const words = new Map();
    for (const [, kind, i] of pageText.matchAll(/QZ([ab])(\d+)x/g)) {
      const w = words.get(i) ?? { a: 0, b: 0 };
      w[kind] += 1;
      words.set(i, w);
    }
    for (const [i, w] of words) {
      found.add(i);
      if (w.a === 0 || w.b !== w.a * cells[Number(i)]) split.add(Number(i));
    }
  }
  await paper.setContent(original);
  assert.equal(found.size, cells.length, 'every marked row is found in the printed text');
  return { rows: cells.length, split: [...split].sort((x, y) => x - y) };
}

test('the split-row check finds a row split across pages when printing is left to split it', { timeout: 60_000 }, async () => {
  const b = await openBrowser();
  try {
    const paper = b.page;
    // Forty short rows fill most of the first A4 page; the tall one starts near its foot and fits on a page of its own.
    const table = (css) => `<style>${css}</style><table>${Array.from({ length: 60 }, (_, i) => `<tr><td>row ${i}</td><td>${i === 40 ? Array.from({ length: 20 }, (__, j) => `line ${j}`).join('<br>') : 'short'}</td></tr>`).join('')}</table>`;
    await paper.setContent(table('tr{break-inside:auto}'));
    const found = await splitRows(paper);
    assert.equal(found.rows, 60);
    assert.deepEqual(found.split, [40]);
    await paper.setContent(table('tr{break-inside:avoid}'));
    assert.deepEqual((await splitRows(paper)).split, []);
  } finally {
    await b.close();
  }
});

async function stepCheck(page, prefix, n, name) {
  await assertAccessible(page, `${prefix} step ${name}`);
  await screenshot(page, `${prefix}-${String(n).padStart(2, '0')}-${name}`);
}

/** The same step on a phone: nothing clipped, and a screenshot. */
async function phoneCheck(page, prefix, n, name) {
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNothingClipped(page, `${prefix} step ${name} at 390 px`);
  await screenshot(page, `${prefix}-${String(n).padStart(2, '0')}-${name}-390`);
  await page.setViewportSize(wide);
}

test('learning mode: a full review of the fraud sample, matching the CLI, surviving reload and re-import', { timeout: 300_000 }, async () => {
  const expected = cli(FRAUD, FRAUD_ARGS);
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/`);
    await page.waitForSelector('#main-heading');
    assert.equal(await page.textContent('#main-heading'), 'Review an algorithm for bias');
    await stepCheck(page, 'fraud', 1, 'start');

    // Start: learning mode.
    await page.check('#f-start-type-4');
    await next(page, 'The system');
    await page.fill('#f-system-name', 'Claim risk scoring <script>alert(1)</script>');
    await page.fill('#f-system-description', 'Scores claims; =HYPERLINK("http://evil.example") must stay text.');
    await page.check('#f-system-procurement-2');
    await stepCheck(page, 'fraud', 2, 'system');

    await next(page, 'Impact screening');
    for (const [q, i] of [['automation', 4], ['severity', 4], ['reversibility', 3], ['people', 4], ['vulnerable', 4]]) await page.check(`#f-impact-${q}-${i}`);
    await page.check('#f-impact-rights');
    await page.check('#f-impact-rights-3');
    assert.match(await page.textContent('#impact-result'), /Level III/);
    await stepCheck(page, 'fraud', 3, 'impact');

    await next(page, 'Oversight and redress');
    await page.check('#f-oversight-use-2');
    await page.fill('#f-oversight-appeal', 'Mandatory reconsideration, then the tribunal.');
    await stepCheck(page, 'fraud', 4, 'oversight');

    // Data: the sample, with the mapping filled in, checked in the browser.
    await next(page, 'Data');
    await page.click('#sample-fraud_flags');
    await page.waitForSelector('#data-preview-heading');
    assert.equal(await page.inputValue('#f-decision-column'), 'flagged');
    await stepCheck(page, 'fraud', 5, 'data-mapping');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    assert.match(await page.textContent('#data-gap'), /6 of the 9 protected characteristics/);
    await stepCheck(page, 'fraud', 6, 'data-checked');

    await next(page, 'Which fairness question?');
    await page.check('#f-fairness-focus-3');
    await page.waitForSelector('#f-fairness-direction');
    await page.check('#f-fairness-direction');
    await page.check('#f-fairness-rare');
    await page.check('#f-fairness-label_trust'.replace('_', '-'));
    assert.match(await page.textContent('#fairness-recommendation'), /False discovery rate/);
    await page.fill('#f-fairness-threshold', '0.8');
    await page.fill('#f-fairness-reasoning', 'Being flagged is punitive and rare, so wrongful flags matter most.');
    await stepCheck(page, 'fraud', 7, 'fairness');

    await next(page, 'Results');
    const cells = await assertResultsMatch(page, expected);
    assert.ok(cells > 50, `compared ${cells} figures`);
    // Per characteristic: two charts of the decisions, and three of the scores (ROC, calibration, spread).
    const charts = await page.$$eval('svg.ba-chart[role="img"]', (svgs) => svgs.map((el) => (el.closest('.ba-scores') ? 'scores' : 'decisions')));
    assert.equal(charts.filter((c) => c === 'decisions').length, expected.attributes.length * 2);
    assert.equal(charts.filter((c) => c === 'scores').length, expected.attributes.length * 3);
    // The punitive case the tool exists for: rare flags falling far more often on some groups.
    for (const [attribute, group] of [['nationality', 'EU'], ['nationality', 'Non-EU'], ['single_parent', 'yes']]) {
      assert.equal(await page.locator(`#results-flagged [data-flagged="${attribute}/${group}"]`).count(), 1, `${attribute}/${group} is flagged`);
      const reason = await page.locator(`section.ba-attribute[data-attribute="${attribute}"] ul.ba-verdicts li[data-group="${group}"] .govuk-body-s`).textContent();
      assert.match(reason, /times as often \(harm ratio;.*line 1\.25\)/, `${group}: the harm ratio is in the reason`);
    }
    assert.match(await page.locator('#results-summary').textContent(), /Non-EU \(nationality\) were given the decision 31\.5% of the time against 9\.3% for British: 3\.39 times as often/);
    await assertNothingClipped(page, 'fraud results at 1280 px');
    await stepCheck(page, 'fraud', 8, 'results');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNothingClipped(page, 'fraud results at 390 px');
    await screenshot(page, 'fraud-08-results-390');
    // One characteristic's detail opened, charts included, as a phone shows it.
    await page.click('section.ba-attribute[data-attribute="nationality"] details.ba-attribute__detail summary');
    await page.locator('section.ba-attribute[data-attribute="nationality"]').screenshot({ path: join(ROOT, 'tests', 'e2e', 'screenshots', 'fraud-08-results-390-nationality.png') });
    await page.click('section.ba-attribute[data-attribute="nationality"] details.ba-attribute__detail summary');
    await page.setViewportSize({ width: 1280, height: 900 });

    await next(page, 'Equality and rights');
    await page.check('#f-equality-race-impact-2');
    await page.fill('#f-equality-race-notes', 'Non-EU claimants flagged 3.4 times as often.');
    await stepCheck(page, 'fraud', 9, 'equality');

    await next(page, 'Risks and mitigations');
    const risk1 = await page.inputValue('#f-risk-1-title');
    assert.match(risk1, /^EU were given the harmful decision 2\.87 times as often as British \(adverse impact indicated\)/, 'a risk is suggested from the flagged result');
    await page.fill('#f-risk-1-owner', 'Head of Counter-Fraud');
    await page.check('#f-mitigation-human_review'.replace('_', '-'));
    await stepCheck(page, 'fraud', 10, 'risks');

    // Decision, with an impossible date first: the error summary appears, takes focus, links to the field.
    await next(page, 'Decision');
    await page.check('#f-decision-outcome-2');
    await page.fill('#f-decision-review-date', '31');
    await page.fill('#f-decision-review-date-month', '2');
    await page.fill('#f-decision-review-date-year', '2027');
    await page.fill('#f-decision-members', 'Chair of the board\nData protection officer');
    await page.check('#f-decision-quorate');
    await page.fill('#f-decision-interests', 'None');
    await page.fill('#f-decision-public-voice', 'The claimants’ advice service said flags fell on non-UK claimants; the board asked for the quarterly report.');
    await page.click('#next');
    await page.waitForSelector('.govuk-error-summary');
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), true, 'the error summary takes focus');
    assert.match(await page.title(), /^Error: /);
    await stepCheck(page, 'fraud', 11, 'decision-error');
    await page.click('.govuk-error-summary a');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-decision-review-date');
    // A real date that has passed schedules nothing: it must be in the future.
    await page.fill('#f-decision-review-date', '28');
    await page.fill('#f-decision-review-date-year', '2020');
    await page.click('#next');
    await page.waitForFunction(() => /Date of the next full review must be in the future/.test(document.querySelector('.govuk-error-summary')?.textContent ?? ''));
    await page.fill('#f-decision-review-date-year', '2027');
    // Conditions, each with its owner and due date; a due date that is not a date is an error at its field.
    await page.click('#condition-add');
    await page.waitForFunction(() => document.activeElement?.id === 'f-condition-1-text');
    await page.fill('#f-condition-1-text', 'A person reviews every flag before it takes effect');
    await page.fill('#f-condition-1-owner', 'Head of Revenues and Benefits');
    await page.fill('#f-condition-1-due', '31');
    await page.fill('#f-condition-1-due-month', '3');
    await page.fill('#f-condition-1-due-year', '2027');
    await page.click('#condition-add');
    await page.waitForFunction(() => document.activeElement?.id === 'f-condition-2-text');
    await page.fill('#f-condition-2-text', 'Report the flag rates by nationality to the board each quarter');
    await page.fill('#f-condition-2-due', '30');
    await page.fill('#f-condition-2-due-month', '6');
    await page.click('#next');
    await page.waitForFunction(() => /The due date of condition 2 must be a real date, with a day, month and year/.test(document.querySelector('.govuk-error-summary')?.textContent ?? ''));
    await page.fill('#f-condition-2-due-year', '2027');
    await stepCheck(page, 'fraud', 12, 'decision');
    await phoneCheck(page, 'fraud', 12, 'decision');

    await next(page, 'Record and export');
    assert.equal(await page.textContent('#record-sha256'), sha256(FRAUD));
    await stepCheck(page, 'fraud', 13, 'record');
    await phoneCheck(page, 'fraud', 13, 'record');
    // The board summary comes first: the decision, its conditions, the next review and the key findings.
    assert.equal(await page.evaluate(() => document.querySelector('#record > section')?.id), 'record-summary');
    const summary = await page.textContent('#record-summary');
    assert.match(summary, /DecisionApprove with conditions/);
    assert.deepEqual(await page.locator('#record-summary .ba-conditions li').allTextContents(), [
      'A person reviews every flag before it takes effect — owner: Head of Revenues and Benefits; due 31 March 2027',
      'Report the flag rates by nationality to the board each quarter — no owner named; due 30 June 2027',
    ]);
    assert.match(await page.textContent('#record-gaps'), /Decision: Condition 2 has no owner/);
    assert.match(summary, /Next full review28 February 2027/);
    // The decision as a committee minutes it.
    assert.match(summary, /Members presentChair of the board; Data protection officer/);
    assert.match(summary, /QuorateYes/);
    assert.match(summary, /Declarations of interestNone/);
    assert.match(summary, /What the people affected said, and the board’s responseThe claimants’ advice service said flags fell on non-UK claimants; the board asked for the quarterly report\./);
    assert.match(summary, /DissentNot answered/);
    assert.match(await page.textContent('#record-summary-gaps'), /^Gaps in the review \(section 10\): \d+ questions not answered and \d+ other gaps?\.$/);
    assert.deepEqual(await page.locator('#record-summary-findings li').allTextContents(), expected.at_a_glance);
    assert.match(summary, /3 groups flagged: EU \(nationality\), adverse impact indicated; Non-EU \(nationality\), adverse impact indicated; yes \(single_parent\), adverse impact indicated\./);
    // A figure the board chose to weigh (the false discovery rate) is in the record, with its count and range.
    const errorTable = page.locator('#record table', { hasText: 'error rates, each with its count and range' }).first();
    assert.ok((await errorTable.locator('thead').textContent()).includes('False discovery rate (weighed by the board)'));
    assert.match(await errorTable.locator('tbody tr').first().textContent(), /\d+ of \d+; \d+(\.\d)?%–\d+(\.\d)?%/);
    // How the record was made is the appendix, last.
    assert.match(await page.evaluate(() => [...document.querySelectorAll('#record > section')].at(-1).textContent), /^Appendix: how this record was made.*Review ID/);

    // Exports.
    const json = await download(page, 'export-json');
    const record = JSON.parse(json.text);
    assert.equal(record.format, 'biasaudit-review');
    assert.equal(record.data_sha256, sha256(FRAUD));
    assert.equal(record.engine_version, expected.engine.version);
    assert.deepEqual(record.config, expected.config);
    assert.ok(record.exported && record.integrity?.value?.length === 64);
    assertSameReport(record.review.report, expected);
    assert.equal(record.review.report.input.sha256, sha256(FRAUD));
    assert.ok(!json.text.includes('C000001'), 'no row of the data file is in the record');
    const { integrity, ...body } = record;
    assert.equal(createHash('sha256').update(JSON.stringify(body, null, 2)).digest('hex'), integrity.value, 'the record fingerprint checks');

    const csv = await download(page, 'export-csv');
    assert.match(csv.text, /^attribute,group,/);
    assert.match(csv.text, /"nationality","Non-EU"/);
    const md = await download(page, 'export-md');
    assert.match(md.text, /^# Algorithm bias review: decision record: Claim risk scoring \\<script\\>alert\(1\)\\<\/script\\>\n/);
    // It reads as plain text: sentences without backslashes, the at-a-glance findings as the engine wrote them.
    assert.deepEqual(md.text.match(/.{0,30}\\([.(%-]|:(?!\/\/)).{0,10}/g), null, 'no escaped full stops, brackets, colons, per cents or hyphens');
    for (const sentence of expected.at_a_glance) assert.ok(md.text.includes(`- ${sentence}\n`), sentence);
    assert.match(md.text.split('\n## ')[1], /^Board summary\n[\s\S]*\*\*Conditions:\*\* \(1\) A person reviews every flag before it takes effect — owner: Head of Revenues and Benefits; due 31 March 2027; \(2\) Report/);
    assert.ok(!/(^|[^\\])<script/.test(md.text), 'Markdown escapes HTML');
    const html = await download(page, 'export-html');
    assert.ok(html.text.includes('Claim risk scoring &lt;script&gt;alert(1)&lt;/script&gt;'), 'HTML escapes the system name');
    // The charts are in the report as inline SVG, two per characteristic, with their styles; the Markdown has their descriptions.
    assert.equal((html.text.match(/<svg [^>]*class="ba-chart"/g) ?? []).length, 2 * expected.attributes.length);
    assert.match(html.text, /\.ba-chart__bar--below\{fill:#d4351c\}/);
    assert.match(md.text, /\nBar chart\. British: 9\.3% \(range/);
    // The summary for the public: plain words (Flesch–Kincaid grade 7 or below, a reading age of about 12), the findings and how to challenge.
    // It is made from the publication copy, so it is offered once the copy is made.
    assert.equal(await page.locator('#export-public-text').count(), 0, 'no public summary before the publication copy');
    await page.click('#publication-make');
    await page.waitForSelector('#export-public-text');
    const publicText = (await download(page, 'export-public-text')).text;
    assert.match(publicText, /^Claim risk scoring <script>alert\(1\)<\/script>: a summary of the review for the public\n/);
    assert.match(publicText, /It found gaps between groups in how often people got the decision “flagged”:\n/);
    assert.match(publicText, /By nationality: 31% of people in the group “Non-EU” got it, against 9\.3% of people in the group “British”\. The gap is past the line the board set, and it is not likely to be chance\./);
    assert.match(publicText, /The board’s decision: Approve with conditions\.\nThe board will look at the system again by 28 February 2027\.\nIt set these conditions:\n- A person reviews every flag before it takes effect\n/);
    assert.match(publicText, /If a decision affects you\n/);
    const prose = publicText.split('\n').slice(1).filter((line) => line && !/^(What|If a decision)/.test(line)).map((line) => line.replace(/^- /, '')).join(' ');
    const words = prose.match(/[A-Za-z’'-]+/g) ?? [];
    const sentences = prose.split(/[.:!?](?:\s|$)/).filter((x) => /[A-Za-z]/.test(x)).length;
    const grade = fleschKincaid({ sentence: sentences, word: words.length, syllable: words.reduce((n, w) => n + syllable(w), 0) });
    assert.ok(grade <= 7, `Flesch–Kincaid grade ${grade.toFixed(1)} of the public summary`);
    // The ATRS record and the register entry, from the same publication copy: the standard's fields in order, the findings named.
    const atrs = (await download(page, 'export-atrs-csv')).text.split('\r\n');
    assert.equal(atrs[0], 'sheet,reference,field,attribute,value,empty');
    assert.equal(atrs.filter(Boolean).length, 65, 'a header and the 64 fields');
    assert.match(atrs.find((r) => r.includes('"2.4.2.7"')), /^"Model specification","2\.4\.2\.7","Model performance","model_performance","The ethics board of the organisation reviewed the system for bias \(with biasaudit [\d.]+\)\. It compared how often 5,000 decisions .*Flagged: .*Non-EU \(nationality\)/);
    const atrsRecord = JSON.parse((await download(page, 'export-atrs-json')).text);
    assert.equal(atrsRecord.version, '4.0');
    assert.ok(atrsRecord.empty_fields.length > 0 && atrsRecord.empty_fields.every((f) => /^\d+(\.\d+)+ /.test(f)), 'the empty fields are listed by reference');
    const entry = JSON.parse((await download(page, 'export-register-json')).text);
    assert.equal(entry.fields.find((f) => f.key === 'name').value, 'Claim risk scoring <script>alert(1)</script>');
    assert.match(entry.fields.find((f) => f.key === 'non_discrimination').value, /Non-EU \(nationality\)/);
    const publicHtml = (await download(page, 'export-public-html')).text;
    assert.ok(publicHtml.includes('<h2>What the review found</h2>') && !/<script/i.test(publicHtml), 'the public summary page escapes the name');
    // Printed on A4 (Chromium's PDF): the board summary is at most 4 pages, and the detail starts on a new page after it.
    const paper = await page.context().newPage();
    await paper.setContent(html.text);
    const pages = async () => ((await paper.pdf({ format: 'A4' })).toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    const whole = await pages();
    assert.deepEqual((await splitRows(paper)).split, [], 'printed, no table or summary row is split across pages');
    await paper.evaluate(() => { for (const x of [...document.querySelectorAll('#record > section')].slice(1)) x.remove(); });
    const summaryPages = await pages();
    assert.ok(summaryPages >= 1 && summaryPages <= 4, `the board summary prints on ${summaryPages} pages`);
    assert.ok(whole > summaryPages, `the whole record (${whole} pages) is longer than its summary`);
    await paper.close();
    assert.ok(!/<script/i.test(html.text), 'no script element in the HTML report');

    // Reload: answers restored, same step.
    await page.reload();
    await page.waitForSelector('#main-heading');
    assert.equal(await page.textContent('#main-heading'), 'Record and export');
    await page.goto(`${b.server.url}/www/#/system`);
    await page.waitForFunction(() => document.getElementById('main-heading')?.textContent === 'The system');
    assert.equal(await page.inputValue('#f-system-name'), 'Claim risk scoring <script>alert(1)</script>');
    await page.goto(`${b.server.url}/www/#/decision`);
    await page.waitForFunction(() => document.getElementById('main-heading')?.textContent === 'Decision');
    assert.equal(await page.inputValue('#f-decision-review-date'), '28');
    assert.equal(await page.isChecked('#f-decision-outcome-2'), true);

    // Clear everything, then open the exported review file: all comes back, results included.
    await page.goto(`${b.server.url}/www/#/start`);
    await page.waitForFunction(() => document.getElementById('main-heading')?.textContent === 'Review an algorithm for bias');
    await page.click('#start-new');
    await page.click('#start-new');
    await page.waitForFunction(() => !document.getElementById('start-new'));
    const saved = join(mkdtempSync(join(tmpdir(), 'biasaudit-review-')), json.name);
    writeFileSync(saved, json.text);
    await page.setInputFiles('#resume-file', saved);
    await page.waitForFunction(() => /A review is saved/.test(document.getElementById('resume-done')?.textContent));
    await page.goto(`${b.server.url}/www/#/results`);
    await page.waitForSelector('section.ba-attribute');
    await assertResultsMatch(page, expected);
    await page.goto(`${b.server.url}/www/#/equality`);
    await page.waitForFunction(() => document.getElementById('main-heading')?.textContent === 'Equality and rights');
    assert.equal(await page.inputValue('#f-equality-race-notes'), 'Non-EU claimants flagged 3.4 times as often.');
    await page.goto(`${b.server.url}/www/#/decision`);
    await page.waitForFunction(() => document.getElementById('main-heading')?.textContent === 'Decision');
    assert.equal(await page.inputValue('#f-condition-1-owner'), 'Head of Revenues and Benefits', 'the conditions come back with the review file');
    assert.equal(await page.inputValue('#f-condition-2-due-month'), '06');
    // A meeting that was not quorate cannot approve; a review date of today is not in the future.
    await page.check('#f-decision-quorate-2');
    const now = new Date();
    await page.fill('#f-decision-review-date', String(now.getDate()));
    await page.fill('#f-decision-review-date-month', String(now.getMonth() + 1));
    await page.fill('#f-decision-review-date-year', String(now.getFullYear()));
    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#record-summary');
    const warned = await page.textContent('#record-summary');
    assert.match(warned, /QuorateNo: a meeting that is not quorate cannot approve the system; confirm the decision at a quorate meeting/);
    assert.match(warned, /Next full review\d+ \w+ \d{4} \(that is today: set a date in the future\)/);
    assert.match(await page.textContent('#record-gaps'), /The meeting was not quorate: confirm the decision at a quorate meeting/);

    assert.deepEqual(log.dialogs, [], 'no dialog opened');
    assert.deepEqual(log.errors, [], 'no uncaught error');
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});

test('COMPAS opened with the file input: mapping by hand, figures equal the CLI\'s', { timeout: 300_000, skip: !existsSync(COMPAS) && `${COMPAS} is missing` }, async () => {
  const expected = cli(COMPAS, COMPAS_ARGS);
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.waitForSelector('#data-file');
    await stepCheck(page, 'compas', 1, 'data-empty');
    await page.setInputFiles('#data-file', COMPAS);
    await page.waitForSelector('#data-preview-heading');
    assert.match(await page.textContent('#step-data'), /decile_score/);

    // Protected characteristics: race and sex.
    await page.getByLabel('race', { exact: true }).selectOption('race');
    await page.getByLabel('sex', { exact: true }).selectOption('sex');
    // Decision: score_text, Medium or High, harmful.
    await page.selectOption('#f-decision-column', 'score_text');
    await page.check('input[name="f-decision-positive"][value="Medium"]');
    await page.check('input[name="f-decision-positive"][value="High"]');
    await page.check('#f-outcome-2');
    // True outcome: two_year_recid = 1.
    await page.selectOption('#f-label-column', 'two_year_recid');
    await page.check('input[name="f-label-positive"][value="1"]');
    // Reference: Caucasian.
    await page.check('#f-reference-4');
    await page.selectOption('#f-reference-group', 'Caucasian');
    await stepCheck(page, 'compas', 2, 'data-mapping');

    // A first check without… nothing missing: run it.
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    assert.match(await page.textContent('#step-data'), /7,214/);
    await stepCheck(page, 'compas', 3, 'data-checked');

    await page.goto(`${b.server.url}/www/#/results`);
    await page.waitForSelector('section.ba-attribute');
    const cells = await assertResultsMatch(page, expected);
    assert.ok(cells > 50, `compared ${cells} figures`);
    await stepCheck(page, 'compas', 4, 'results');

    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#record');
    const record = JSON.parse((await download(page, 'export-json')).text);
    assert.deepEqual(record.config, expected.config);
    assert.equal(record.data_sha256, sha256(COMPAS));
    assertSameReport(record.review.report, expected);
    await page.goto(`${b.server.url}/www/#/fairness`);
    await page.check('input[name="f-fairness-metrics"][value="fpr"]');
    await page.goto(`${b.server.url}/www/#/record`);
    const printed = await assertPublishableRecord(page, expected, 'COMPAS', { weighed: 'False positive rate' });
    console.log(`COMPAS record: ${printed.whole} A4 pages, the summary ${printed.summaryPages}`);
    await stepCheck(page, 'compas', 5, 'record');

    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});

test('errors are shown in the error summary: a data error names the line and column', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-bad-'));
  const file = join(dir, 'bad.csv');
  writeFileSync(file, 'sex,decision,w\nF,yes,1\nM,no,-2\nF,no,1\n');
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', file);
    await page.waitForSelector('#data-preview-heading');

    // Nothing chosen: the summary lists what is needed and links to the fields.
    await page.click('#data-check');
    await page.waitForSelector('.govuk-error-summary');
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('govuk-error-summary')), true);
    const text = await page.textContent('.govuk-error-summary');
    assert.match(text, /Choose at least one column/);
    assert.match(text, /Choose the column that holds the decision/);
    await assertAccessible(page, 'data step with errors');
    await screenshot(page, 'errors-01-data-missing');
    await page.click('.govuk-error-summary li:nth-child(2) a');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-decision-column');

    // A negative weight: the engine's located error, linked to the weight column.
    await page.getByLabel('sex', { exact: true }).selectOption('sex');
    await page.selectOption('#f-decision-column', 'decision');
    await page.check('input[name="f-decision-positive"][value="yes"]');
    await page.check('#f-outcome');
    await page.selectOption('#f-weight', 'w');
    await clickForErrors(page, '#data-check', { timeout: 60_000 });
    const error = await page.textContent('.govuk-error-summary');
    assert.match(error, /line 3/);
    assert.match(error, /column “w”/);
    await page.click('.govuk-error-summary a');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-weight');
    await screenshot(page, 'errors-02-data-error');

    // The statistical settings show the engine's defaults, and the engine's
    // rules judge them: every problem at once, each linked to its field, in
    // the engine's words (0.5 was accepted by the page's own copy of the rule).
    await page.selectOption('#f-weight', '');
    await page.click('.govuk-details__summary-text >> text=Statistical settings');
    const defaults = cli(file, ['--group', 'sex', '--decision', 'decision', '--positive', 'yes', '--negative', 'no']).config;
    assert.equal(await page.inputValue('#f-settings-confidence'), String(defaults.evidence.confidence));
    assert.equal(await page.inputValue('#f-settings-four-fifths'), String(defaults.four_fifths_threshold));
    assert.equal(await page.inputValue('#f-settings-min-group'), String(defaults.evidence.min_group));
    assert.equal(await page.isChecked('input[name="f-settings-interval"][value="wilson"]'), true);
    await page.fill('#f-settings-confidence', '0.5');
    await page.fill('#f-settings-four-fifths', '1.2');
    await clickForErrors(page, '#data-check');
    const rules = (await page.locator('.govuk-error-summary li').allTextContents()).map((t) => t.trim());
    assert.deepEqual(rules, [
      'The four-fifths threshold must be more than 0 and at most 1 (e.g. 0.8), got 1.2.',
      'The confidence level must be between 0.5 and 1 (e.g. 0.95), got 0.5.',
    ]);
    await page.click('.govuk-error-summary li:nth-child(2) a');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-settings-confidence');
    await assertAccessible(page, 'data step with the engine\'s setting errors');
    await screenshot(page, 'errors-03-settings');
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.dialogs, []);
  } finally {
    await b.close();
  }
});

test('a browser without WebAssembly SIMD is told so in the error summary', { timeout: 60_000 }, async () => {
  const b = await openBrowser();
  const { page, log } = b;
  try {
    // As an old browser answers the engine's feature check.
    await page.addInitScript(() => { WebAssembly.validate = () => false; });
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', FRAUD);
    await page.waitForSelector('.govuk-error-summary');
    assert.match(await page.textContent('.govuk-error-summary'),
      /The file could not be read: This browser cannot run the engine: it needs WebAssembly with SIMD \(Chrome or Edge 91, Firefox 89, Safari 16\.4 or later\)/);
    assert.deepEqual(log.errors, []);
  } finally {
    await b.close();
  }
});

test('hostile names and values stay inert text in the page and the exports', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-hostile-'));
  const file = join(dir, 'hostile.csv');
  const groups = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '=HYPERLINK("http://evil.example")', '\u202Eevil\u202C', 'javascript:alert(3)'];
  const lines = ['"<b onmouseover=alert(4)>grp</b>",decision'];
  groups.forEach((g, i) => { for (let k = 0; k < 40; k++) lines.push(`"${g.replace(/"/g, '""')}",${(k + i) % 3 === 0 ? 'yes' : 'no'}`); });
  writeFileSync(file, `${lines.join('\n')}\n`);
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await checkSimpleFile(page, b.server, file);
    for (const g of groups) assert.equal(await page.locator(`tr[data-group="${g.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`).count() >= 1, true, `row for ${g}`);
    assert.equal(await page.locator('main img, main b, main script').count(), 0, 'no element made from data');
    const rlo = await page.locator('section.ba-attribute table.ba-results-table tr[data-group="\u202Eevil\u202C"] th').textContent();
    assert.match(rlo, /^\[U\+202E\]evil\[U\+202C\]/, 'a bidi override is shown, not obeyed');
    await screenshot(page, 'hostile-01-results');
    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#record');
    const csv = (await download(page, 'export-csv')).text;
    assert.ok(csv.includes(`"'=HYPERLINK(""http://evil.example"")"`), 'formula neutralised in the CSV');
    assert.ok(csv.includes('"[U+202E]evil[U+202C]"') && !csv.includes('\u202E'), 'bidi overrides made visible in the CSV');
    const html = (await download(page, 'export-html')).text;
    assert.ok(!/<img|<script|<b /i.test(html), 'no markup from data in the HTML report');
    const md = (await download(page, 'export-md')).text;
    assert.ok(!/(^|[^\\])<(img|script|b )/im.test(md), 'every < from data is backslash-escaped in the Markdown report');
    assert.ok(md.includes('\\<img src=x onerror=alert(1)\\>'), 'the hostile name is there, escaped');
    assert.deepEqual(log.dialogs, [], 'no dialog opened');
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});

test('a clear gap within the four-fifths line is a gap to examine, not green', { timeout: 120_000 }, async () => {
  // A: 2,500 of 5,000 shortlisted (50%); B: 2,150 of 5,000 (43%). Impact ratio
  // 0.86, above 0.8 but below the 0.9 floor, and p is tiny.
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-gap-'));
  const file = join(dir, 'gap.csv');
  const lines = ['group,decision'];
  for (let i = 0; i < 5000; i++) lines.push(`A,${i < 2500 ? 'yes' : 'no'}`, `B,${i < 2150 ? 'yes' : 'no'}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const expected = cli(file, ['--group', 'group', '--decision', 'decision', '--positive', 'yes', '--negative', 'no']);
  const verdictOf = (g) => expected.attributes[0].groups.find((x) => x.group === g).evidence.adverse_impact.verdict;
  assert.equal(verdictOf('B'), 'gap_within_threshold');
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await checkSimpleFile(page, b.server, file);
    await assertResultsMatch(page, expected);
    const tag = await page.locator('#results-overview tr[data-group="B"] .govuk-tag').textContent();
    assert.equal(tag.trim(), 'Gap to examine');
    assert.equal(await page.locator('#results-overview tr[data-group="B"] .govuk-tag--green').count(), 0);
    assert.equal(await page.locator('#results-flagged [data-flagged="group/B"]').count(), 1, 'listed as flagged');
    const reason = await page.locator('section.ba-attribute ul.ba-verdicts li[data-group="B"] .govuk-body-s').textContent();
    assert.match(reason, /a gap to examine: 7\.0 percentage points, or 350 people/);
    await assertAccessible(page, 'results with a gap to examine');
    await screenshot(page, 'gap-01-results');
    assert.deepEqual(log.errors, []);
  } finally {
    await b.close();
  }
});

test('with survey weights the results are weighted, with effective sizes instead of row fractions', { timeout: 120_000 }, async () => {
  // A: 50 of 100 rows selected, but the 50 not selected weigh 4: weighted rate
  // 20%, effective size 250² / 850 = 73.5. B: 50 of 100, weight 3 (the larger
  // group by weight, so the comparison group). Impact ratio 0.4.
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-weights-'));
  const file = join(dir, 'weighted.csv');
  const lines = ['race,decision,w'];
  for (let i = 0; i < 100; i++) lines.push(`A,${i < 50 ? 'yes' : 'no'},${i < 50 ? 1 : 4}`, `B,${i < 50 ? 'yes' : 'no'},3`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const expected = cli(file, ['--group', 'race', '--decision', 'decision', '--positive', 'yes', '--weight', 'w', '--outcome', 'beneficial']);
  const a = expected.attributes[0].groups.find((g) => g.group === 'A').evidence.adverse_impact;
  assert.equal(a.verdict, 'adverse_impact_indicated');
  assert.equal(expected.attributes[0].four_fifths.groups.find((g) => g.group === 'A').impact_ratio, 0.4);
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await checkSimpleFile(page, b.server, file, { weight: 'w' });
    await assertResultsMatch(page, expected);
    const shown = await page.locator('#results-overview tr[data-group="A"] [data-key="selection_rate"]').textContent();
    assert.match(shown, /^20\.0% weighted; effective size 74; /);
    assert.equal((await page.locator('#results-overview tr[data-group="A"] .govuk-tag').textContent()).trim(), 'Adverse impact indicated');
    assert.match(await page.locator('main').textContent(), /The rates and ratios are weighted by the column “w”/);
    await assertAccessible(page, 'weighted results');
    await screenshot(page, 'weights-01-results');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNothingClipped(page, 'weighted results at 390 px');
    await screenshot(page, 'weights-02-results-390');
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});

test('a publication copy leaves out small groups, is worked out again without them, and matches the command line', { timeout: 120_000 }, async () => {
  // Mixed has 4 people (under 10); alone it would be the total less the
  // others, so the smallest other group, Asian (35), is left out with it.
  // In the full results Asian is flagged (1 of 35 against 20 of 80).
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-publication-'));
  const file = join(dir, 'small-groups.csv');
  const lines = ['race,decision'];
  for (const [g, n, yes] of [['White', 80, 20], ['Black', 60, 30], ['Asian', 35, 1], ['Mixed', 4, 1]]) {
    for (let i = 0; i < n; i++) lines.push(`${g},${i < yes ? 'yes' : 'no'}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const args = ['--group', 'race', '--decision', 'decision', '--positive', 'yes', '--negative', 'no', '--outcome', 'beneficial'];
  const expected = cli(file, [...args, '--publication']);
  assert.deepEqual(expected.attributes[0].suppressed_groups, ['Asian', 'Mixed']);
  assert.equal(expected.attributes[0].overall.counts.n, 140, 'figures are worked out without the left-out groups');
  assert.equal(cli(file, args).attributes[0].groups.find((g) => g.group === 'Asian').evidence.adverse_impact.verdict, 'possible_adverse_impact');
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await checkSimpleFile(page, b.server, file);
    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#publication-heading');
    assert.match(await page.textContent('#publication-heading + p'), /groups of fewer than 10 people, groups of fewer than 20 in which everyone or no one got the decision/);
    await page.locator('#publication-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'publication-00-before-1280.png') });
    await page.click('#publication-make');
    await page.waitForSelector('#publication-summary');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'publication-status', 'focus moves to the result');
    assert.equal(await page.textContent('#publication-summary'), 'The publication copy leaves out 2 groups; every figure in it is worked out again without them:');
    assert.equal((await page.textContent('#publication-left-out')).trim(), 'race: Asian and Mixed');
    const report = JSON.parse((await download(page, 'export-publication-json')).text);
    assertSameReport(report, expected);
    const csv = (await download(page, 'export-publication-csv')).text;
    const rows = csv.trim().split('\r\n');
    assert.equal(rows.length, 5, 'a header, two published groups, two marked suppressed');
    // White's share is 80 of the 140 published, not of all 169 rows.
    assert.match(rows.find((r) => r.startsWith('"race","White"')), /^"race","White","White",true,false,"White",80,20,0\.5714285714285714,0\.25,/);
    for (const g of ['Asian', 'Mixed']) {
      const row = rows.find((r) => r.startsWith(`"race","${g}"`));
      assert.match(row, /^"race","[A-Za-z]+","[A-Za-z]+",,,,,,/, `${g} has no figures`);
      assert.match(row, /"suppressed \[c\]","Left out of the publication copy/);
    }
    // The full results table still has every group.
    assert.equal((await download(page, 'export-csv')).text.trim().split('\r\n').length, 5);
    // Data in a database: the data step writes the counting query, the one the CLI prints for the same settings.
    await page.goto(`${b.server.url}/www/#/data`);
    await page.waitForSelector('#data-sql');
    await page.click('#data-sql summary');
    await page.fill('#data-sql-table', 'council.decisions');
    await page.selectOption('#data-sql-dialect', 'postgres');
    await page.click('#data-sql-write');
    await page.waitForSelector('#data-sql-query');
    const query = await page.textContent('#data-sql-query');
    const printed = execFileSync(join(ROOT, 'target', 'release', 'biasaudit'), ['sql', '--dialect', 'postgres', '--table', 'council.decisions', ...args]).toString();
    assert.ok(printed.startsWith(query), `${query}\n---\n${printed}`);
    assert.match(query, /SELECT\n {2}"race",\n {2}"decision",\n {2}COUNT\(\*\) AS "n"\nFROM "council"\."decisions"\nGROUP BY\n {2}"race",\n {2}"decision"\n$/);
    assert.equal((await download(page, 'data-sql-save')).text, query);
    await page.locator('#data-sql').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'database-query-1280.png') });
    await assertAccessible(page, 'the data step with the database query');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#data-sql-query').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'database-query-390.png') });
    await assertNothingClipped(page, 'the database query at 390 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#publication-heading');
    // The summary for the public is made from the copy: the flagged small group is not named, and the reader is told groups were left out.
    const publicText = (await download(page, 'export-public-text')).text;
    assert.ok(!/Asian|Mixed/.test(publicText), publicText);
    assert.match(publicText, /\nAmong the groups shown here, it found no gap in how often people got the decision “decision” that the board needs to look into\.\n2 groups are left out of these figures, because they are small or could reveal a small group\.\nThe board’s full results, which include every group, show a gap for at least one group that is not shown here\. The board needs to look into it\.\n/);
    await assertAccessible(page, 'the record with a publication copy');
    await page.locator('#publication-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'publication-01-record-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#publication-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'publication-02-record-390.png') });
    await assertNothingClipped(page, 'the record at 390 px');
    // After a reload the file is gone (it is never saved): the page says how to make the copy.
    await page.reload();
    await page.waitForSelector('#publication-heading');
    assert.equal(await page.locator('#publication-make').count(), 0);
    assert.match(await page.textContent('#publication-status'), /The data file is not open in this page: the page never saves it\. Open it again in the data step, check it, and come back here/);
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});

test('a positive value that no longer occurs in a new file is a warning at the top of the data summary', { timeout: 120_000 }, async () => {
  // Month 1 has "yes" and "approved" as positive decisions; month 2 has no "yes".
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-values-'));
  const first = join(dir, 'month-1.csv');
  const second = join(dir, 'month-2.csv');
  const rows = (values) => ['race,decision', ...Array.from({ length: 60 }, (_, i) => `${i % 2 ? 'A' : 'B'},${values[i % values.length]}`)].join('\n');
  writeFileSync(first, `${rows(['yes', 'approved', 'no'])}\n`);
  writeFileSync(second, `${rows(['approved', 'no', 'no'])}\n`);
  const expected = cli(second, ['--group', 'race', '--decision', 'decision', '--positive', 'yes,approved']);
  assert.deepEqual(expected.warnings, ['The positive decision value "yes" never appears in column "decision" (it holds "no").']);
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', first);
    await page.waitForSelector('#data-preview-heading');
    await page.selectOption('#attr-0', 'race');
    await page.selectOption('#f-decision-column', 'decision');
    await page.check('input[name="f-decision-positive"][value="yes"]');
    await page.check('input[name="f-decision-positive"][value="approved"]');
    await page.check('#f-outcome');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading');
    assert.equal(await page.locator('[data-warning="data-value-warning"]').count(), 0);
    // The next month's file, same columns: the settings are kept.
    await page.setInputFiles('#data-file', second);
    await page.waitForSelector('#data-preview-heading');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading');
    const warning = page.locator('[data-warning="data-value-warning"]');
    await warning.waitFor();
    assert.equal((await warning.textContent()).trim(),
      '!Warning: The positive decision value "yes" never appears in column "decision" (it holds "no"). Check the positive values before reading the results.');
    await assertAccessible(page, 'the data summary with a warning');
    await warning.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'values-01-warning-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await warning.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'values-02-warning-390.png') });
    assert.deepEqual(log.errors, []);
  } finally {
    await b.close();
  }
});

test('a supplier review: the file is checked against the data request, and the pack names the flagged group, with screenshots', { timeout: 180_000 }, async () => {
  // A file with race and a decision, but not the other columns the request asks for before any mapping.
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-supplier-'));
  const file = join(dir, 'supplier.csv');
  const lines = ['race,decision,applicant_name'];
  for (const [g, n, yes] of [['White', 300, 150], ['Black', 200, 40]]) for (let i = 0; i < n; i++) lines.push(`${g},${i < yes ? 'yes' : 'no'},x${i}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const expected = cli(file, ['--group', 'race', '--decision', 'decision', '--positive', 'yes', '--outcome', 'beneficial']);
  const black = expected.attributes[0].groups.find((g) => g.group === 'Black');
  assert.equal(black.evidence.adverse_impact.verdict, 'adverse_impact_indicated');
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/start`);
    await page.waitForSelector('#f-start-type-2');
    await page.check('#f-start-type-2');
    await page.goto(`${b.server.url}/www/#/data`);
    // Before any file, the data step says what to ask the supplier for, with the template to send.
    await page.waitForSelector('#data-request-heading');
    await page.locator('#data-request-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'supplier-06-data-request-1280.png') });
    assert.equal((await download(page, 'data-request-template')).text, 'case_id,age_band,disability,ethnicity,sex,decision,true_outcome,score,decision_date\r\n');
    assert.match(await page.textContent('#data-request-status'), /^The data file template saved to your downloads folder\. When the supplier sends the file, open it below/);
    await assertAccessible(page, 'the data step of a supplier review');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#data-request-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'supplier-07-data-request-390.png') });
    await assertNothingClipped(page, 'the data request at 390 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.setInputFiles('#data-file', file);
    await page.waitForSelector('#data-request-check');
    assert.equal(await page.locator('#data-request-heading').count(), 0, 'the request gives way to the file');
    const sent = (await page.textContent('#data-request-check')).match(/sent on (\d{1,2} [A-Z][a-z]+ \d{4})/)?.[1];
    assert.ok(sent, 'checked against the request as sent');
    assert.equal(await page.textContent('#data-request-check'),
      `!Warning: This file does not have every column the data request sent on ${sent} asks for: “age_band”, “disability”, “ethnicity”, “sex” are missing. If the supplier named them differently, say what each column means below; if not, ask the supplier for them. It does not have “case_id”, “true_outcome”, “score”, “decision_date”, which the request asks for if the supplier has them. It also has columns the request did not ask for: “race”, “applicant_name”. Check that none of them identifies a person.`);
    await page.locator('#data-request-check').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'supplier-00-data-check-1280.png') });
    await checkSimpleFile(page, b.server, file);
    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#pack-heading');
    // For a supplier review the pack comes before the publication copy.
    assert.ok(await page.evaluate(() => document.getElementById('pack-heading').compareDocumentPosition(document.getElementById('publication-heading')) & Node.DOCUMENT_POSITION_FOLLOWING));
    const pack = (await download(page, 'export-pack-html')).text;
    assert.ok(!/<script/i.test(pack));
    assert.ok(pack.includes('<strong>Not for publication. </strong>'), 'the pack says it is not for publication');
    const rate = (x) => `${(x * 100).toFixed(1)}%`;
    assert.ok(pack.includes(`People in the group “Black” (race) got “decision” at ${black.disparity.ratio.selection_rate.toFixed(2)} times the rate of “White” (${rate(black.metrics.selection_rate)} against ${rate(0.5)}). Explain the cause of the lower rate for “Black”, and what you will change.`), 'the pack asks about the flagged group');
    assert.ok(pack.includes('<h2 class="govuk-heading-l">1. The data we need from you</h2>') && pack.includes('<h2 class="govuk-heading-l">4. Contract clauses we will propose</h2>'));
    const md = (await download(page, 'export-pack-md')).text;
    assert.match(md, /^# Procurement pack: Unnamed system\n/);
    assert.match(md, /\n\| Column \| What it means \| Permitted values \| Required \|\n/);
    assert.match(md, /\n1\. People in the group “Black” \(race\)/);
    assert.deepEqual(md.match(/.{0,30}\\([.(%-]).{0,10}/g), null, 'the Markdown reads as plain text');
    // After mapping, the request uses the file's own names.
    assert.equal((await download(page, 'export-request-template')).text, 'case_id,race,decision,true_outcome,score,decision_date\r\n');
    assert.match((await download(page, 'export-request-columns')).text, /^column,meaning,permitted_values,required\r\n"case_id",/);
    assert.equal(await page.textContent('#pack-export-status'), 'The column descriptions saved to your downloads folder. The data step will check the supplier’s file against this data request.');
    await assertAccessible(page, 'the record of a supplier review');
    await page.locator('#pack-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'supplier-01-record-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#pack-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'supplier-02-record-390.png') });
    await assertNothingClipped(page, 'the record at 390 px');
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', file);
    await page.waitForSelector('#data-request-check');
    // Checked against the request as the pack sent it (kept with the review), which used the file's own names.
    assert.match(await page.textContent('#data-request-check'), /^This file has every column the data request sent on \d{1,2} [A-Z][a-z]+ \d{4} asks for\. It does not have “case_id”, “true_outcome”, “score”, “decision_date”, which the request asks for if the supplier has them\. It also has columns the request did not ask for: “applicant_name”\./);
    await page.locator('#data-request-check').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'supplier-03-data-check-390.png') });
    await assertNothingClipped(page, 'the data step at 390 px');
    // A returned file whose score has decimal commas: the request asked for numbers.
    const withScore = join(dir, 'supplier-score.csv');
    writeFileSync(withScore, `race,decision,score\n${lines.slice(1).map((l, i) => `${l.split(',').slice(0, 2).join(',')},"0,${i % 10}"`).join('\n')}\n`);
    await page.setInputFiles('#data-file', withScore);
    await page.waitForFunction(() => document.getElementById('data-request-check')?.textContent.includes('not numbers'));
    assert.match(await page.textContent('#data-request-check'), /^!Warning: This file has every column the data request sent on \d{1,2} [A-Z][a-z]+ \d{4} asks for\. Column “score” holds values that are not numbers, and the request asked for numbers \(with a full stop for decimals\)\. It does not have “case_id”, “true_outcome”, “decision_date”/);
    await page.locator('#data-request-check').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'supplier-08-score-check-390.png') });
    await assertNothingClipped(page, 'the score check at 390 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('#data-request-check').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'supplier-09-score-check-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    // The pack as a page of its own, as the supplier sees it.
    const paper = await page.context().newPage();
    await paper.setContent(pack);
    await paper.screenshot({ path: join(SHOTS, 'supplier-04-pack-390.png'), fullPage: true });
    await paper.setViewportSize({ width: 1280, height: 900 });
    await paper.screenshot({ path: join(SHOTS, 'supplier-05-pack-1280.png'), fullPage: true });
    await paper.close();
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});

test('the recruitment sample: its record leads with the summary, has the charts and error rates, reads as plain text and prints to a short board paper', { timeout: 180_000 }, async () => {
  const file = join(ROOT, 'examples', 'data', 'recruitment.csv');
  const expected = cli(file, ['--group', 'sex', '--group', 'ethnicity', '--group', 'age_band', '--group', 'disability', '--decision', 'shortlisted', '--positive', 'yes', '--negative', 'no',
    '--label', 'suitable', '--label-positive', '1', '--label-negative', '0', '--outcome', 'beneficial', '--reference', 'largest', '--score', 'score']);
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/start`);
    await page.waitForSelector('#f-start-type-4');
    await page.check('#f-start-type-4');
    await page.goto(`${b.server.url}/www/#/data`);
    await page.click('#sample-recruitment');
    await page.waitForSelector('#data-preview-heading');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    await page.goto(`${b.server.url}/www/#/results`);
    await page.waitForSelector('section.ba-attribute');
    await assertResultsMatch(page, expected);
    await page.goto(`${b.server.url}/www/#/fairness`);
    await page.check('input[name="f-fairness-metrics"][value="ppv"]');
    await page.goto(`${b.server.url}/www/#/record`);
    const printed = await assertPublishableRecord(page, expected, 'recruitment', { weighed: 'Precision' });
    console.log(`recruitment record: ${printed.whole} A4 pages, the summary ${printed.summaryPages}`);
    await page.locator('#record-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'recruitment-record-summary-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#record-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'recruitment-record-summary-390.png') });
    await assertNothingClipped(page, 'the recruitment record at 390 px');
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});

test('a table of counts: the page offers the count column, says the file holds counts, and its figures equal the CLI’s on the full file', { timeout: 180_000, skip: !existsSync(COMPAS) && `${COMPAS} is missing` }, async () => {
  const table = join(ROOT, 'tests', 'fixtures', 'counts', 'compas_counts.csv');
  const args = ['--group', 'race', '--decision', 'score_text', '--positive', 'Medium,High', '--negative', 'Low', '--outcome', 'harmful', '--reference', 'largest'];
  // The report of the 672-row table of counts is that of the 7,214 rows themselves.
  const expected = cli(COMPAS, args);
  const counted = cli(table, [...args, '--count', 'n']);
  assert.equal(counted.input.rows_read, 7214);
  assertSameReport({ ...counted, config: { ...counted.config, count: null }, input: { ...counted.input, sha256: expected.input.sha256 } }, expected);
  const b = await openBrowser();
  const { page, log } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', table);
    await page.waitForSelector('#data-count-offer');
    assert.match(await page.textContent('#data-count-offer'), /The column “n” may say how many cases each row stands for\. If so, this file holds counts, not individual rows\./);
    await page.locator('#data-count-offer').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'counts-00-offer-1280.png') });
    await page.click('#data-count-yes');
    await page.waitForSelector('#data-count-status');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'data-count-status', 'focus moves to what changed');
    assert.equal(await page.inputValue('#f-count'), 'n');
    await page.getByLabel('race', { exact: true }).selectOption('race');
    await page.selectOption('#f-decision-column', 'score_text');
    await page.check('input[name="f-decision-positive"][value="Medium"]');
    await page.check('input[name="f-decision-positive"][value="High"]');
    await page.check('#f-outcome-2');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    assert.match(await page.textContent('#step-data'), /A table of countsEach row stands for the number of cases in “n”: the figures count cases\.Cases read7,214/);
    await assertAccessible(page, 'the data step with a table of counts');
    await page.goto(`${b.server.url}/www/#/results`);
    await page.waitForSelector('section.ba-attribute');
    assert.match(await page.textContent('#step-results'), /7,214 cases \(a table of counts: each row stands for the cases in “n”\)/);
    await assertResultsMatch(page, counted);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${b.server.url}/www/#/data`);
    await page.waitForSelector('#data-summary-heading');
    await page.locator('#data-summary-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'counts-01-summary-390.png') });
    await assertNothingClipped(page, 'the counts summary at 390 px');
    assert.deepEqual(log.errors, []);
    assertSameOrigin(log, b.server);
  } finally {
    await b.close();
  }
});
