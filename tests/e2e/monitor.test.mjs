// Step 12, Monitoring, in Chromium: the board's lines set in the Decision
// step, a review file opened, a new file compared with it (equal to
// `biasaudit monitor`'s JSON), the alerts, the history kept in the review
// file, the exports, and each group's ratio month by month with its chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, COMPAS, ROOT, assertAccessible, assertSameMonitor, assertNothingClipped, assertSameOrigin, download, openBrowser, screenshot } from './helpers.mjs';

const DIR = join(ROOT, 'target', 'e2e-monitor');
const FRAUD = join(ROOT, 'examples', 'data', 'fraud_flags.csv');
const LATER = join(ROOT, 'tests', 'fixtures', 'monitor', 'fraud_later.csv');
const FRAUD_ARGS = ['--group', 'nationality', '--group', 'sex', '--decision', 'flagged', '--positive', '1', '--outcome', 'harmful'];
const RULES = [
  { figure: 'harm_ratio', attribute: 'nationality', threshold: 1.25, notify: 'Equality lead' },
  { figure: 'rate_change', attribute: 'sex', threshold: 0.03, notify: 'Head of counter-fraud' },
];

/** A review file as the page saves one: the first 2,500 rows of the fraud sample audited, and the board's lines. */
function reviewFile(rules = RULES) {
  mkdirSync(DIR, { recursive: true });
  const first = join(DIR, 'fraud_first.csv');
  writeFileSync(first, `${readFileSync(FRAUD, 'utf8').split('\n').slice(0, 2501).join('\n')}\n`);
  const report = JSON.parse(execFileSync(CLI, ['audit', first, ...FRAUD_ARGS], { maxBuffer: 64 << 20 }).toString());
  const review = {
    format: 'biasaudit-review', format_version: 1, id: '0123456789abcdef', answers: { 'system.name': 'Claim risk flags', 'start.type': 'monitoring' },
    dataset: { name: 'fraud_first.csv', sha256: report.input.sha256 }, report, monitoring: { rules },
  };
  const path = join(DIR, 'review.json');
  writeFileSync(path, JSON.stringify(review));
  return path;
}

/** `biasaudit monitor`'s JSON for the same review and file, and its exit status. */
function cliMonitor(review, file, args = []) {
  const out = spawnSync(CLI, ['monitor', '--baseline', review, file, ...args], { maxBuffer: 256 << 20 });
  assert.ok([0, 3].includes(out.status), out.stderr.toString());
  return { status: out.status, json: JSON.parse(out.stdout.toString()) };
}

async function openReview(page, server, path) {
  await page.goto(`${server.url}/www/#/start`);
  await page.setInputFiles('#resume-file', path);
  await page.waitForFunction(() => /A review is saved/.test(document.getElementById('resume-done')?.textContent ?? ''));
  await page.click('#resume-monitor a');
  await page.waitForFunction(() => document.getElementById('main-heading')?.textContent === 'Monitoring a live system');
}

async function compare(page, file, period = null) {
  await page.setInputFiles('#monitor-file', file);
  await page.waitForSelector('#monitor-file-chosen');
  if (period) {
    await page.selectOption('#f-monitor-period', period.column);
    await page.check(`input[name="f-monitor-unit"][value="${period.unit}"]`);
  } else await page.selectOption('#f-monitor-period', '');
  await page.click('#monitor-check');
  await page.waitForSelector('#monitor-report-heading', { timeout: 120_000 });
  await page.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.getElementById('monitor-sha256')?.textContent ?? ''));
}

async function both(page, name) {
  await assertAccessible(page, name);
  await screenshot(page, `monitor-${name}`);
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNothingClipped(page, `${name} at 390 px`);
  await screenshot(page, `monitor-${name}-390`);
  await page.setViewportSize(wide);
}

test('a new file against the review: the figures and alerts of biasaudit monitor, kept in the history and exported', { timeout: 300_000 }, async () => {
  const path = reviewFile();
  const expected = cliMonitor(path, LATER);
  assert.equal(expected.status, 3, 'the CLI raises the same alerts');
  const b = await openBrowser();
  const { page, log } = b;
  try {
    // The lines the board set are shown in the Decision step as structured entries.
    await openReview(page, b.server, path);
    await page.goto(`${b.server.url}/www/#/decision`);
    await page.waitForSelector('#decision-monitoring-rules');
    assert.equal(await page.inputValue('#f-monitoring-rule-1-threshold'), '1.25');
    assert.equal(await page.inputValue('#f-monitoring-rule-2-threshold'), '3', 'a change in rate is shown in points');
    assert.equal(await page.inputValue('#f-monitoring-rule-2-attribute'), 'sex');
    // A line that is not a number, and one the engine refuses, are errors at their fields.
    await page.click('#monitoring-rule-add');
    await page.waitForFunction(() => document.activeElement?.id === 'f-monitoring-rule-3-figure');
    await page.check('#f-monitoring-rule-3-figure-4');
    await page.waitForSelector('#f-monitoring-rule-3-threshold');
    await page.fill('#f-monitoring-rule-3-threshold', 'lots');
    await page.click('#next');
    await page.waitForFunction(() => /Line 3: enter the line as a number/.test(document.querySelector('.govuk-error-summary')?.textContent ?? ''));
    await page.click('.govuk-error-summary a');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-monitoring-rule-3-threshold');
    await page.fill('#f-monitoring-rule-3-threshold', '150');
    await page.click('#next');
    await page.waitForFunction(() => /Line 3: a change in selection rate needs a line above 0 and below 100 percentage points/.test(document.querySelector('.govuk-error-summary')?.textContent ?? ''));
    await both(page, '01-decision-lines');
    await page.click('#decision-monitoring-rules fieldset:nth-of-type(3) .govuk-button--warning');
    await page.waitForFunction(() => !document.getElementById('f-monitoring-rule-3-threshold'));

    await page.goto(`${b.server.url}/www/#/monitor`);
    await page.waitForSelector('#monitor-file');
    await both(page, '02-start');
    await compare(page, LATER);
    // The page's JSON is the CLI's, figure for figure.
    const saved = JSON.parse((await download(page, 'monitor-export-json')).text);
    assertSameMonitor(saved, expected.json);
    const alerts = await page.textContent('#monitor-alerts');
    assert.match(alerts, /3 alerts/);
    assert.match(alerts, /Female: selection rate 23\.1% against 14\.8% at the review, \+8\.3 points \(\+5\.0 points to \+11\.7 points\)/);
    assert.match(alerts, /Tell: Head of counter-fraud\./);
    const female = page.locator('#monitor-table-1 tr[data-group="Female"]');
    assert.match(await female.textContent(), /14\.8% \(13\.0% to 16\.8%\), n = 1,359/);
    assert.match(await female.textContent(), /\+8\.3 \(\+5\.0 to \+11\.7\)/);
    await both(page, '03-result');

    // Kept in the history, which the review file carries.
    await page.click('#monitor-keep');
    await page.waitForSelector('#monitor-history');
    assert.match(await page.textContent('#monitor-history'), new RegExp(`fraud_later\\.csv.*2,500.*${expected.json.sha256}`));
    const md = (await download(page, 'monitor-export-md')).text;
    assert.match(md, /^## Monitoring report: Claim risk flags/m);
    assert.match(md, /\| Female \| 14\.8% \(13\.0% to 16\.8%\), n = 1,359 \| 23\.1% \(21\.0% to 25\.4%\), n = 1,362 \| \+8\.3 \(\+5\.0 to \+11\.7\) \|/);
    const html = (await download(page, 'monitor-export-html')).text;
    assert.ok(html.includes('Monitoring report') && !/<script/i.test(html));
    await page.goto(`${b.server.url}/www/#/record`);
    await page.waitForSelector('#export-json');
    const record = JSON.parse((await download(page, 'export-json')).text);
    const history = record.review?.monitoring?.history ?? record.monitoring?.history;
    assert.equal(history.length, 1);
    assert.deepEqual([history[0].file, history[0].rows, history[0].alerts, history[0].sha256], ['fraud_later.csv', 2500, 3, expected.json.sha256]);
    // The saved review is itself a baseline for the command line, lines and all.
    writeFileSync(join(DIR, 'saved-review.json'), JSON.stringify(record));
    assert.deepEqual(cliMonitor(join(DIR, 'saved-review.json'), LATER).json.alerts, expected.json.alerts);
    assertSameOrigin(log, b.server);
    assert.deepEqual(log.errors, []);
  } finally {
    await b.close();
  }
});

test('a new decision value in the new file is an error naming it', { timeout: 120_000 }, async () => {
  const path = reviewFile();
  const odd = join(DIR, 'fraud_odd.csv');
  const lines = readFileSync(LATER, 'utf8').split('\n');
  lines[5] = lines[5].replace(/,0,(\d)$/, ',9,$1').replace(/,1,(\d)$/, ',9,$1');
  writeFileSync(odd, lines.join('\n'));
  const b = await openBrowser();
  const { page } = b;
  try {
    await openReview(page, b.server, path);
    await page.setInputFiles('#monitor-file', odd);
    await page.waitForSelector('#monitor-file-chosen');
    await page.click('#monitor-check');
    await page.waitForFunction(() => /The new file could not be compared.*"9"/.test(document.querySelector('.govuk-error-summary')?.textContent ?? ''));
    await assertAccessible(page, 'monitoring error');
  } finally {
    await b.close();
  }
});

test('COMPAS by screening month: each group’s ratio month by month, charted with its range and the line, equal to the CLI', { timeout: 300_000, skip: !existsSync(COMPAS) && `${COMPAS} is missing` }, async () => {
  mkdirSync(DIR, { recursive: true });
  const args = ['--group', 'race', '--group', 'sex', '--decision', 'score_text', '--positive', 'High,Medium', '--negative', 'Low', '--outcome', 'harmful'];
  const report = JSON.parse(execFileSync(CLI, ['audit', COMPAS, ...args], { maxBuffer: 256 << 20 }).toString());
  const path = join(DIR, 'compas-review.json');
  writeFileSync(path, JSON.stringify({ format: 'biasaudit-review', format_version: 1, id: 'compas', answers: { 'system.name': 'COMPAS' }, dataset: { name: 'compas.csv' }, report, monitoring: { rules: [] } }));
  const expected = cliMonitor(path, COMPAS, ['--period', 'compas_screening_date', '--period-unit', 'month']);
  const b = await openBrowser();
  const { page } = b;
  try {
    await openReview(page, b.server, path);
    await compare(page, COMPAS, { column: 'compas_screening_date', unit: 'month' });
    const saved = JSON.parse((await download(page, 'monitor-export-json')).text);
    assertSameMonitor(saved, expected.json);
    const periods = expected.json.report.periods.periods;
    assert.equal(periods.length, 24);
    // The chart names what it draws; its table has a row per month and a column per group.
    const desc = await page.textContent('#monitor-periods-0-chart desc');
    const race = expected.json.report.periods.attributes[0];
    const reference = race.periods[0].groups.find((g) => g.group === race.periods[0].compared_with).label;
    assert.ok(desc.includes(`harm ratio against ${reference}, month by month, from 2013-01 to 2014-12`), desc);
    const rows = await page.locator('#monitor-periods-0-table tbody tr').count();
    assert.equal(rows, 24);
    const other = race.periods[0].groups.find((g) => g.group !== race.periods[0].compared_with && typeof g.harm_ratio?.ratio === 'number');
    const firstRow = await page.textContent('#monitor-periods-0-table tbody tr:first-child');
    assert.ok(firstRow.includes(`${(other.rate * 100).toFixed(1)}% of ${other.n.toLocaleString('en-GB')}; ${other.harm_ratio.ratio.toFixed(2)}`), firstRow);
    // One person flagged in a month is not a finding: too few to judge, a wide range, a hollow point.
    const one = race.periods[0].groups.find((g) => g.n === 1 && g.selected === 1);
    assert.equal(one.verdict, 'insufficient_data');
    assert.ok(one.harm_ratio.upper / one.harm_ratio.lower > 4, `a range for one person: ${JSON.stringify(one.harm_ratio)}`);
    assert.ok(firstRow.includes(`100.0% of 1; ${one.harm_ratio.ratio.toFixed(2)} (${one.harm_ratio.lower.toFixed(2)} to ${one.harm_ratio.upper.toFixed(2)}); too few to judge`), firstRow);
    assert.ok(await page.locator('#monitor-periods-0-chart .ba-chart__point--few').count() > 0);
    // Each group's trend, as the engine tested it.
    const trends = await page.textContent('#monitor-periods-0-trends');
    for (const t of race.trends.filter((x) => x.significant)) assert.ok(trends.includes(`${t.label}: the rate ${t.test.slope > 0 ? 'rises' : 'falls'} by about ${Math.abs(t.test.slope * 100).toFixed(2)} points a month`), trends);
    assert.ok(race.trends.some((x) => x.significant) || /no clear trend/.test(trends), trends);
    await both(page, '04-compas-by-month');
  } finally {
    await b.close();
  }
});

test('a date column chosen in the Data step gives the results period by period, equal to the CLI', { timeout: 180_000 }, async () => {
  mkdirSync(DIR, { recursive: true });
  // 2,400 decisions over 2025 (a seeded generator), day first as a UK file writes them:
  // A and C flagged 15% of the time all year, B from 10% in January rising 2 points a month.
  let seed = 20251;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const rows = [];
  for (let i = 0; i < 2400; i++) {
    const month = 1 + Math.floor(random() * 12);
    const race = ['A', 'A', 'B', 'C'][Math.floor(random() * 4)];
    const flagged = random() < (race === 'B' ? 0.08 + 0.02 * month : 0.15);
    rows.push(`${race},${flagged ? 'yes' : 'no'},${String(1 + Math.floor(random() * 28)).padStart(2, '0')}/${String(month).padStart(2, '0')}/2025`);
  }
  const file = join(DIR, 'dated.csv');
  writeFileSync(file, `race,decision,decided_on\n${rows.join('\n')}\n`);
  const expected = JSON.parse(execFileSync(CLI, ['audit', file, '--group', 'race', '--decision', 'decision', '--positive', 'yes', '--outcome', 'harmful', '--period', 'decided_on', '--period-unit', 'quarter'], { maxBuffer: 64 << 20 }).toString());
  const b = await openBrowser();
  const { page } = b;
  try {
    await page.goto(`${b.server.url}/www/#/data`);
    await page.setInputFiles('#data-file', file);
    await page.waitForSelector('#data-preview-heading');
    await page.selectOption('#attr-0', 'race');
    await page.selectOption('#f-decision-column', 'decision');
    await page.check('input[name="f-decision-positive"][value="yes"]');
    await page.check('#f-outcome-2');
    await page.selectOption('#f-period', 'decided_on');
    await page.check('input[name="f-period-unit"][value="quarter"]');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 60_000 });
    await page.goto(`${b.server.url}/www/#/results`);
    await page.waitForSelector('section.ba-attribute');
    const p = expected.periods;
    assert.deepEqual(p.periods, ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    const table = page.locator('[id$="-periods-table"]').first();
    await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    assert.equal(await table.locator('tbody tr').count(), 4);
    const last = p.attributes[0].periods[3].groups.find((g) => g.group === 'B');
    assert.ok((await table.locator('tbody tr').nth(3).textContent()).includes(`${(last.rate * 100).toFixed(1)}% of ${last.n}; ${last.harm_ratio.ratio.toFixed(2)} (${last.harm_ratio.lower.toFixed(2)} to ${last.harm_ratio.upper.toFixed(2)})`));
    const trendB = p.attributes[0].trends.find((t) => t.group === 'B');
    assert.ok(trendB.significant, 'the built-in rise is found');
    assert.match(await page.textContent('[id$="-periods-trends"]'), new RegExp(`B: the rate rises by about ${(trendB.test.slope * 100).toFixed(2)} points a quarter`));
    // The changes from the first quarter the engine found clear, with their ranges.
    const changes = await page.textContent('[id$="-periods-changes"]');
    const clear = p.attributes[0].changes.filter((c) => c.significant);
    assert.ok(clear.length > 0);
    const points = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;
    for (const c of clear) assert.ok(changes.includes(`${c.label} in ${c.period}: ${points(c.difference.estimate)} points (${points(c.difference.lower)} to ${points(c.difference.upper)})`), changes);
    assert.equal(clear.length, (changes.match(/ points \(/g) ?? []).length, 'only the clear changes are listed');
    await assertAccessible(page, 'results by period');
    await screenshot(page, 'results-by-period');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNothingClipped(page, 'results by period at 390 px');
    await screenshot(page, 'results-by-period-390');
  } finally {
    await b.close();
  }
});
