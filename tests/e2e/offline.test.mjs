// The offline file (scripts/build-offline.mjs), built here and opened from
// disk (file://) in Chromium with the network switched off: a sample and a
// user's file run through to the record with the same figures as the CLI
// (which the served page is checked against elsewhere), the user's file in
// two workers with progress and a cancel, answers saved across a reload,
// exports downloaded, and not one request leaves the file: every request is
// the file itself or a blob: it made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildOffline } from '../../scripts/build-offline.mjs';
import { launch } from '../support/browser.mjs';
import { generateCsv } from '../support/generate.mjs';
import { ROOT, SHOTS, cli, assertResultsMatch, assertSameReport, installEngineHold, recordProgress, download, openGeneratedFile } from './helpers.mjs';

const ROWS = 500_000; // about 21 MB: over the page's 16 MB, so it is counted in parts

async function openOffline() {
  const built = await buildOffline();
  const url = pathToFileURL(built.path).href;
  const browser = await launch({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, offline: true });
  const log = { requests: [], errors: [], console: [] };
  browser.context.on('request', (r) => log.requests.push(r.url()));
  const page = browser.context.pages()[0] || await browser.context.newPage();
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log.console.push(m.text()); });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') log.console.push(`worker: ${m.text()}`); }));
  return { ...browser, built, url, page, log };
}

/** Nothing but the file itself and the blob: URLs it made (its workers, its exports). */
function assertNoConnections(log, url) {
  const outside = log.requests.filter((u) => u.split('#')[0] !== url && !u.startsWith('blob:null/'));
  assert.deepEqual(outside, [], `the offline file made requests: ${outside.join(', ')}`);
  const csp = log.console.filter((t) => /Content Security Policy|Refused to/i.test(t));
  assert.deepEqual(csp, [], `CSP violations: ${csp.join(' | ')}`);
  assert.deepEqual(log.errors, []);
}

test('the offline file: its policy allows no connection and it carries everything it needs', async () => {
  const { path, sha256 } = await buildOffline();
  const html = readFileSync(path, 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['connect-src'], ["'none'"]);
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['worker-src'], ['blob:']);
  assert.ok(directives['script-src'].every((s) => /^'sha256-[A-Za-z0-9+/=]+'$/.test(s) || s === "'wasm-unsafe-eval'"), csp);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href="(?!data:)|https?:\/\/[^"'\s]*\.(js|css|wasm)\b/, 'nothing is loaded from a URL');
  assert.match(sha256, /^[0-9a-f]{64}$/);
  // Built twice from the same sources, the file is the same (its hash can be published).
  assert.equal((await buildOffline()).sha256, sha256);
});

test('the offline file opened from disk with no network: a sample and a user\'s file, in parts, to the record, with the CLI\'s figures', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'biasaudit-offline-'));
  const b = await openOffline();
  const { page, log, url } = b;
  try {
    // Two cores, whatever this machine has, so the user's file goes to two workers.
    await page.addInitScript(() => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 }));
    await installEngineHold(page);

    // 0. The start page says what this copy does: it fetches nothing (not "only its own files").
    await page.goto(`${url}#/start`);
    await page.waitForSelector('#main-heading');
    const panel = await page.textContent('.ba-privacy');
    assert.match(panel, /a single file that fetches nothing: its security policy blocks every connection/);
    assert.doesNotMatch(panel, /only fetches its own files/);
    assert.match(panel, /connect-src 'none' allows no connection at all/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click('.ba-privacy summary');
    await page.locator('.ba-privacy').screenshot({ path: join(SHOTS, 'offline-00-start-390.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    // 1. The recruitment sample, as a student would.
    const sample = join(ROOT, 'examples', 'data', 'recruitment.csv');
    const expected = cli(sample, ['--group', 'sex', '--group', 'ethnicity', '--group', 'age_band', '--group', 'disability', '--decision', 'shortlisted', '--positive', 'yes', '--negative', 'no',
      '--label', 'suitable', '--label-positive', '1', '--label-negative', '0', '--outcome', 'beneficial', '--reference', 'largest', '--score', 'score']);
    await page.goto(`${url}#/data`);
    await page.click('#sample-recruitment');
    await page.waitForSelector('#data-preview-heading');
    await page.click('#data-check');
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    await page.goto(`${url}#/results`);
    await page.waitForSelector('section.ba-attribute');
    await assertResultsMatch(page, expected);
    // The threshold explorer's worker starts from the file too (a classic worker from a blob: URL).
    await page.click('#attr-results-0-detail summary');
    await page.click('#attr-results-0-explorer-open');
    await page.waitForFunction(() => /^At a threshold of 65:/.test(document.getElementById('attr-results-0-explorer-status')?.textContent || ''));
    await page.screenshot({ path: join(SHOTS, 'offline-01-sample-results-1280.png') });

    // 2. A user's file, over 16 MB: progress, a cancel, then counted in two parts.
    const file = join(dir, 'decisions.csv');
    await generateCsv(file, ROWS);
    const direct = cli(file, ['--group', 'race', '--decision', 'decision', '--positive', 'yes', '--negative', 'no']);
    await page.goto(`${url}#/data`);
    await openGeneratedFile(page, file);
    await page.evaluate(() => { window.e2eHold.merges = true; });
    await page.click('#data-check');
    await page.waitForSelector('#data-progress-bar');
    await page.click('#data-cancel');
    await page.waitForSelector('.govuk-error-summary');
    assert.match(await page.textContent('.govuk-error-summary'), /You cancelled the check/);
    await page.evaluate(() => window.e2eHold.release());
    await recordProgress(page);
    await page.evaluate(() => { window.e2eHold.merges = true; });
    await page.click('#data-check');
    // Held before the merge: both parts counted, every progress message shown.
    await page.waitForFunction(() => window.e2eHold.held.length === 1, null, { timeout: 120_000 });
    const merge = await page.evaluate(() => window.e2eHold.held[0][1][0]);
    assert.equal(merge.tallies.length, 2, 'two parts were merged');
    const seen = await page.evaluate(() => window.progressLog);
    assert.equal(seen[seen.length - 1].value, 100, 'the progress bar reached 100%');
    await page.evaluate(() => window.e2eHold.release());
    await page.waitForSelector('#data-summary-heading', { timeout: 120_000 });
    await page.goto(`${url}#/results`);
    await page.waitForSelector('section.ba-attribute');
    await assertResultsMatch(page, direct);
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('biasaudit.review.v1')).report);
    assertSameReport(saved, direct);

    // 3. Autosave: the answers and results are there after a reload.
    await page.goto(`${url}#/system`);
    await page.fill('#f-system-name', 'Offline check');
    await page.reload();
    await page.waitForSelector('#f-system-name');
    assert.equal(await page.inputValue('#f-system-name'), 'Offline check');
    await page.goto(`${url}#/results`);
    await page.waitForSelector('section.ba-attribute');
    await assertResultsMatch(page, direct);

    // 4. The record's exports download from the file.
    await page.goto(`${url}#/record`);
    await page.waitForSelector('#record-summary');
    const record = await download(page, 'export-html');
    assert.match(record.text, /Offline check/);
    assert.match(record.text, /<svg/);
    await page.screenshot({ path: join(SHOTS, 'offline-02-record-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'offline-03-record-390.png') });

    assertNoConnections(log, url);
  } finally {
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
