// Shared helpers for the review page's end-to-end tests: Chromium launch (as
// ../shared/TOOLCHAIN.md says), request recording, axe-core, screenshots, the
// command-line reference report, and comparing what the page shows with it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, ROOT } from '../support/static-server.mjs';
import { launch } from '../support/browser.mjs';
import { assertMatchesSchema } from '../support/schema.mjs';
import { pct, ratio, count, pValue } from '../../www/js/ui/format.js';

export { ROOT };
export const SHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');
export const CLI = process.env.BIASAUDIT_BIN || join(ROOT, 'target', 'release', 'biasaudit');
export const COMPAS = join(ROOT, '..', 'shared', 'data', 'compas-scores-two-years.csv');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_URL = '/__e2e__/axe.min.js'; // test tooling, served same-origin so the page's CSP allows it
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The CLI's JSON report for a file and arguments. */
export function cli(file, args) {
  return JSON.parse(execFileSync(CLI, ['audit', file, ...args], { maxBuffer: 256 << 20 }).toString());
}

/**
 * Starts the static server and a fresh Chromium profile; records every
 * request the browser makes, every dialog, page error and CSP violation.
 */
export async function openBrowser() {
  const server = await startServer(ROOT, { extra: { [AXE_URL]: AXE } });
  const browser = await launch({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const { context } = browser;
  const log = { requests: [], dialogs: [], errors: [], console: [] };
  context.on('request', (r) => log.requests.push(r.url()));
  const page = context.pages()[0] || await context.newPage();
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => log.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log.console.push(m.text()); });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') log.console.push(`worker: ${m.text()}`); }));
  const close = async () => {
    await browser.close();
    await server.close();
  };
  return { server, context, page, log, close };
}

/** Every request went to the page's own origin, and only for its own files. */
export function assertSameOrigin(log, server) {
  const origin = new URL(server.url).origin;
  const outside = log.requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
  assert.deepEqual(outside, [], `requests left the page's origin: ${outside.join(', ')}`);
  const allowed = /^\/(www\/|pkg\/|examples\/data\/[a-z_]+\.csv$)/;
  const odd = server.requests.filter((p) => !allowed.test(p) && p !== AXE_URL);
  assert.deepEqual(odd, [], `the server was asked for files outside www/, pkg/ and the samples: ${odd.join(', ')}`);
  const csp = log.console.filter((t) => /Content Security Policy|Refused to/i.test(t));
  assert.deepEqual(csp, [], `CSP violations: ${csp.join(' | ')}`);
}

/** axe-core with the WCAG 2.2 A/AA tags; fails with a readable list. */
export async function assertAccessible(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: AXE_URL });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
  assert.ok(result.testEngine?.name === 'axe-core' && result.passes.length > 0, 'axe-core ran');
  const list = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('; ')}`);
  assert.deepEqual(list, [], `axe-core found WCAG violations on ${where}:\n${list.join('\n')}`);
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * No table is wider than its container unless it sits in a container that
 * scrolls sideways; open every disclosure first so hidden tables are measured.
 */
export async function assertNothingClipped(page, where) {
  const clipped = await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    const out = [];
    for (const t of document.querySelectorAll('main table')) {
      const scroller = t.closest('.ba-scroll');
      const box = (scroller || t.parentElement).getBoundingClientRect();
      if (scroller) {
        if (getComputedStyle(scroller).overflowX !== 'auto') out.push(`${t.id || t.className}: scroll container does not scroll`);
      } else if (t.getBoundingClientRect().width > box.width + 1) out.push(`${t.id || t.className}: ${Math.round(t.getBoundingClientRect().width)} px in ${Math.round(box.width)} px`);
      const main = document.querySelector('main').getBoundingClientRect();
      if (box.right > main.right + 1 || box.left < main.left - 1) out.push(`${t.id || t.className}: container overflows the page`);
    }
    for (const d of document.querySelectorAll('details.ba-attribute__detail')) d.open = false;
    return out;
  });
  assert.deepEqual(clipped, [], `${where}: tables clipped`);
}

/**
 * Opens `file` in the data step, maps its first column as race and the
 * `decision` column with positive value "yes" (and `weight`, if given, as the
 * weight column), checks it, and shows the results.
 */
export async function checkSimpleFile(page, server, file, { weight } = {}) {
  await page.goto(`${server.url}/www/#/data`);
  await page.setInputFiles('#data-file', file);
  await page.waitForSelector('#data-preview-heading');
  await page.selectOption('#attr-0', 'race');
  await page.selectOption('#f-decision-column', 'decision');
  await page.check('input[name="f-decision-positive"][value="yes"]');
  await page.check('#f-outcome');
  if (weight) await page.selectOption('#f-weight', weight);
  await page.click('#data-check');
  await page.waitForSelector('#data-summary-heading', { timeout: 60_000 });
  await page.goto(`${server.url}/www/#/results`);
  await page.waitForSelector('section.ba-attribute');
}

/**
 * In the data step, opens a file written by tests/support/generate.mjs and
 * maps it: race as race, the decision "yes" positive and beneficial (the
 * CLI's `--group race --decision decision --positive yes --negative no`).
 */
export async function openGeneratedFile(page, file) {
  await page.setInputFiles('#data-file', file);
  await page.waitForSelector('#data-preview-heading', { timeout: 60_000 });
  await page.getByLabel('race', { exact: true }).selectOption('race');
  await page.selectOption('#f-decision-column', 'decision');
  await page.check('input[name="f-decision-positive"][value="yes"]');
  await page.check('#f-outcome');
}

/** Goes to the next step with the page's own button and waits for the new heading. */
/** Clicks and waits for the error summary that click brings. A summary
 * already on the page stays until the engine has judged the new settings,
 * so waiting for any summary could read the old one: this waits until the
 * summary's text differs from what it was before the click. */
export async function clickForErrors(page, selector, { timeout = 30_000 } = {}) {
  const before = await page.evaluate(() => document.querySelector('.govuk-error-summary')?.textContent ?? null);
  await page.click(selector);
  await page.waitForFunction((old) => {
    const now = document.querySelector('.govuk-error-summary')?.textContent;
    return now != null && now !== old;
  }, before, { timeout });
}

export async function next(page, expectedHeading) {
  await page.click('#next');
  await page.waitForFunction((h) => document.getElementById('main-heading')?.textContent === h, expectedHeading);
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert.equal(focused, 'main-heading', 'focus moves to the step heading');
}

export async function download(page, buttonId) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#${buttonId}`)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

/** The same cell formatting the page uses, applied to the CLI's numbers. */
const num = (x) => (typeof x === 'number' ? x : null);

function cellOf(rowLocator, key) { return rowLocator.locator(`[data-key="${key}"]`).first(); }

async function expectCell(row, key, value, text, where) {
  const cell = cellOf(row, key);
  const dataValue = await cell.getAttribute('data-value');
  if (value === null) assert.equal(dataValue, 'null', `${where} ${key}: value`);
  else assertClose(Number(dataValue), value, `${where} ${key}: value`);
  if (text !== undefined) {
    const shown = (await cell.evaluate((el) => el.firstChild?.textContent ?? '')).trim();
    assert.equal(shown, text, `${where} ${key}: text shown`);
  }
}

const quote = (s) => `"${String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Every figure the results step shows for each attribute equals the CLI's:
 * counts, rates, impact and harm ratios, adjusted p-values, shortfalls,
 * verdicts, error rates with their ratios, and the summary criteria.
 */
export async function assertResultsMatch(page, report) {
  const harmful = report.config.outcome === 'harmful';
  let cells = 0;
  for (const a of report.attributes) {
    const section = page.locator(`section.ba-attribute[data-attribute=${quote(a.column)}]`);
    assert.equal(await section.count(), 1, `a results section for ${a.column}`);
    const main = section.locator('table.ba-results-table').first();
    const ff = new Map(a.four_fifths.groups.map((g) => [g.group, g]));
    for (const g of a.groups) {
      const where = `${a.column}/${g.group}`;
      const row = main.locator(`tr[data-group=${quote(g.group)}]`);
      const f = ff.get(g.group);
      const ai = g.evidence?.adverse_impact;
      await expectCell(row, 'n', g.counts.n, count(g.counts.n), where);
      await expectCell(row, 'selected', g.counts.selected, count(g.counts.selected), where);
      await expectCell(row, 'selection_rate', num(g.metrics.selection_rate), pct(g.metrics.selection_rate), where);
      await expectCell(row, 'impact_ratio', num(f.impact_ratio), ratio(f.impact_ratio), where);
      if (harmful) await expectCell(row, 'harm_ratio', num(f.harm_ratio), num(f.harm_ratio) === null ? 'not defined' : `${ratio(f.harm_ratio)}×`, where);
      const p = ai?.p_value?.adjusted ?? null;
      await expectCell(row, 'p_adjusted', p, p === null ? '—' : pValue(p), where);
      const sf = ai?.shortfall_to_threshold ?? null;
      await expectCell(row, 'shortfall_to_threshold', sf, sf === null ? '—' : count(sf), where);
      const verdict = (await row.locator('.govuk-tag').textContent()).trim();
      const expected = g.is_missing ? 'Not compared' : {
        adverse_impact_indicated: 'Adverse impact indicated', possible_adverse_impact: 'Possible adverse impact',
        gap_within_threshold: 'Gap to examine', insufficient_evidence: 'Not enough evidence either way',
        no_adverse_impact_indicated: 'Within the lines', insufficient_data: 'Too few to judge',
        comparison_group: 'Comparison group',
      }[ai.verdict];
      assert.equal(verdict, expected, `${where} verdict`);
      const reason = (await section.locator(`ul.ba-verdicts li[data-group=${quote(g.group)}] .govuk-body-s`).textContent()).trim();
      if (!g.is_missing) assert.equal(reason, ai.reason, `${where} reason`);
      cells += 8;
      if (report.input.labelled) {
        const err = section.locator('table.ba-results-table').nth(1).locator(`tr[data-group=${quote(g.group)}]`);
        for (const k of ['base_rate', 'tpr', 'fpr', 'ppv']) {
          await expectCell(err, k, num(g.metrics[k]), pct(g.metrics[k]), where);
          const r = g.disparity?.ratio?.[k];
          if (typeof r === 'number') {
            assert.equal(await err.locator(`[data-key="ratio.${k}"]`).getAttribute('data-value'), String(r), `${where} ratio.${k}`);
            cells += 1;
          }
          cells += 1;
        }
      }
    }
    for (const [key, f] of [['demographic_parity_difference', pct], ['demographic_parity_ratio', ratio], ['equalized_odds_difference', pct], ['equalized_odds_ratio', ratio]]) {
      const c = a.summary[key];
      const dd = section.locator(`dd[data-key="${key}"]`);
      assert.equal(await dd.getAttribute('data-value'), num(c.value) === null ? 'null' : String(c.value), `${a.column} ${key}`);
      const shown = (await dd.evaluate((el) => el.firstChild.textContent)).trim();
      assert.equal(shown, num(c.value) === null ? `Not defined: ${c.value.undefined}` : f(c.value), `${a.column} ${key}: text shown`);
      cells += 1;
    }
  }
  return cells;
}

/**
 * Numbers agree to 1e-12 (relative above 1). Figures from counts are exact in
 * both; the WebAssembly build's log/exp can differ from the native one's in
 * the last bit, which moves interval ends and p-values by about 1e-16.
 */
export function assertClose(actual, expected, where) {
  const ok = actual === expected || Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected));
  assert.ok(ok, `${where}: ${actual} is not ${expected}`);
}

function compareDeep(a, b, path, diffs) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)))) diffs.push(`${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) diffs.push(`${path}: length ${a.length} vs ${b.length}`);
    a.forEach((x, i) => compareDeep(x, b[i], `${path}[${i}]`, diffs));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) compareDeep(a[k], b[k], `${path}.${k}`, diffs);
  } else if (a !== b) diffs.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

/** The page's report equals the CLI's (numbers to 1e-12), input.sha256 included. */
export function assertSameReport(pageReport, cliReport) {
  assertMatchesSchema('Report', pageReport, "the page's report");
  assertMatchesSchema('Report', cliReport, "the CLI's report");
  const diffs = [];
  compareDeep(pageReport, cliReport, 'report', diffs);
  assert.deepEqual(diffs, [], `the page's report differs from the CLI's:\n${diffs.slice(0, 20).join('\n')}`);
}

/** The page's monitoring report equals the CLI's (numbers to 1e-12), fingerprints included. */
export function assertSameMonitor(pageMonitor, cliMonitor) {
  assertMatchesSchema('MonitorReport', pageMonitor, "the page's monitoring report");
  assertMatchesSchema('MonitorReport', cliMonitor, "the CLI's monitoring report");
  const diffs = [];
  compareDeep(pageMonitor, cliMonitor, 'monitor', diffs);
  assert.deepEqual(diffs, [], `the page's monitoring report differs from the CLI's:\n${diffs.slice(0, 20).join('\n')}`);
}

/**
 * Lets a test hold the engine at a point it controls, whatever the machine's
 * speed: while `window.e2eHold.merges` is true, the page's requests to merge
 * counted tallies into a report wait (in `window.e2eHold.held`) instead of
 * going to the worker, so a check cannot finish until the test calls
 * `window.e2eHold.release()`. It only delays a message, as a slow machine
 * would. Call before the page is loaded.
 */
export async function installEngineHold(page) {
  await page.addInitScript(() => {
    const post = Worker.prototype.postMessage;
    const hold = {
      merges: false,
      held: [],
      release() {
        this.merges = false;
        for (const [worker, args] of this.held.splice(0)) post.apply(worker, args);
      },
    };
    window.e2eHold = hold;
    Worker.prototype.postMessage = function postMessage(...args) {
      if (hold.merges && args[0]?.type === 'merge') {
        hold.held.push([this, args]);
        return undefined;
      }
      return post.apply(this, args);
    };
  });
}

/**
 * Records the progress bar's value and the live status after every change to
 * the page (a MutationObserver, not a timer), into `window.progressLog`.
 */
export async function recordProgress(page) {
  await page.evaluate(() => {
    window.progressLog = [];
    window.progressObserver?.disconnect();
    window.progressObserver = new MutationObserver(() => {
      const bar = document.getElementById('data-progress-bar');
      if (bar) window.progressLog.push({ value: bar.value, status: document.getElementById('data-progress-text')?.textContent || '' });
    });
    window.progressObserver.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}
