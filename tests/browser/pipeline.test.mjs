// The page's worker pipeline in headless Chromium: File.stream() in Web
// Workers, progress, cancel, parallel counting with merged tallies, and the
// same numbers as the native CLI.
//
// Run: node --test tests/browser/   (needs pkg/ built, target/release/biasaudit, chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer, ROOT } from '../support/static-server.mjs';
import { launch } from '../support/browser.mjs';

let server;
let browser;
let page;
const outsideRequests = [];

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await browser.context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) {
      outsideRequests.push(r.url());
    }
  });
  await page.goto(`${server.url}/tests/browser/harness.html`);
  await page.waitForFunction(() => window.ready === true);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const config = {
  groups: ['group', 'sex'],
  decision: { column: 'decision', positive: ['1'] },
  label: { column: 'label', positive: ['1'] },
  outcome: 'harmful',
};

/** Audits a generated file in the page with `workers` workers. */
function auditGenerated(rows, options, workers) {
  return page.evaluate(async ({ rows, options, workers, config }) => {
    const file = window.makeCsv(rows, options);
    const seen = [];
    const { complete } = window.engine.auditFile(file, config, { workers, onProgress: (p) => seen.push(p) });
    const report = await complete;
    return { report, progress: seen, size: file.size };
  }, { rows, options, workers, config });
}

test('several workers give exactly the one-worker report', async () => {
  const one = await auditGenerated(200_000, {}, 1);
  const four = await auditGenerated(200_000, {}, 4);
  assert.deepEqual(four.report, one.report);
  assert.ok(four.progress.some((p) => p.workers === 4), 'the parallel path was used');
  assert.equal(one.report.input.rows_read, 200_000);
  const last = four.progress[four.progress.length - 1];
  assert.equal(last.bytesTotal, four.size);
  assert.ok(last.bytesDone <= last.bytesTotal && last.rows > 0);
});

test('a file full of quoted newlines gives the same report however many workers', async () => {
  for (const crlf of [false, true]) {
    const one = await auditGenerated(60_000, { quotedEvery: 3, crlf }, 1);
    for (const workers of [2, 3, 5]) {
      const many = await auditGenerated(60_000, { quotedEvery: 3, crlf }, workers);
      assert.deepEqual(many.report, one.report, `${workers} workers, crlf ${crlf}`);
    }
  }
});

test('the browser report equals the native CLI on the same file', async () => {
  const cli = JSON.parse(execFileSync(`${ROOT}target/release/biasaudit`, ['audit', `${ROOT}examples/data/fraud_flags.csv`,
    '--group', 'nationality', '--group', 'single_parent', '--decision', 'flagged', '--positive', '1',
    '--label', 'overpayment_found', '--label-positive', '1', '--outcome', 'harmful', '--reference', 'most-favoured',
    '--strata', 'region']).toString());
  const report = await page.evaluate(async () => {
    const blob = await (await fetch('../../examples/data/fraud_flags.csv')).blob();
    const file = new File([blob], 'fraud_flags.csv');
    const config = {
      groups: ['nationality', 'single_parent'],
      decision: { column: 'flagged', positive: ['1'] },
      label: { column: 'overpayment_found', positive: ['1'] },
      outcome: 'harmful',
      reference: 'most_favoured',
      strata: 'region',
    };
    const [one, three] = await Promise.all([
      window.engine.auditFile(file, config, { workers: 1 }).complete,
      window.engine.auditFile(file, config, { workers: 3 }).complete,
    ]);
    return { one, three };
  });
  assert.deepEqual(report.three, report.one);
  // Exact on counts, rates and verdicts; last-bit tolerance only in transcendental statistics
  // (the browser's wasm libm and glibc differ in the last bit; see tests/node/pkg.test.mjs).
  const strip = (r) => JSON.parse(JSON.stringify(r, (k, v) => (['evidence', 'chi_squared', 'stratified', 'indices'].includes(k) ? undefined : v)));
  assert.deepEqual(strip(report.one), strip(cli));
  const verdicts = (r) => r.attributes.map((a) => a.groups.map((g) => g.evidence?.adverse_impact?.verdict ?? null));
  assert.deepEqual(verdicts(report.one), verdicts(cli));
  assert.equal(report.one.input.sha256, cli.input.sha256);
});

test('without a spare core, results come first and the fingerprint follows', async () => {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const out = await page.evaluate(async ({ config, cores }) => {
    const file = window.makeCsv(50_000, {});
    const order = [];
    const job = window.engine.auditFile(file, config, {
      workers: cores,
      onFingerprintProgress: (p) => order.push(['fingerprint progress', p.bytesTotal]),
    });
    const report = await job.promise;
    order.push(['report', report.input.sha256 ?? null]);
    const hex = await job.fingerprint;
    const complete = await job.complete;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    const expected = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    return { order, hex, expected, completeHash: complete.input.sha256, rows: complete.input.rows_read, size: file.size };
  }, { config, cores });
  assert.deepEqual(out.order[0], ['report', null], 'counting finished before hashing began');
  assert.equal(out.hex, out.expected);
  assert.equal(out.completeHash, out.expected);
  assert.equal(out.rows, 50_000);
  assert.ok(out.order.slice(1).every(([kind, total]) => kind === 'fingerprint progress' && total === out.size));
});

test('the worker pool is reused: a second audit starts no new workers', async () => {
  const workerLoads = () => server.requests.filter((p) => p.endsWith('/www/js/worker.js')).length;
  const run = () => page.evaluate(async (config) => {
    await window.engine.auditFile(window.makeCsv(1_000, {}), config, { workers: 1 }).complete;
  }, config);
  await run();
  const before = workerLoads();
  await run();
  assert.equal(workerLoads(), before);
});

test('a worker whose memory grew large is let go, not kept for the next request', async () => {
  const idleAfter = (quotedMb) => page.evaluate(async ({ config, quotedMb }) => {
    // A quoted note of `quotedMb` MB makes the counting engine hold a record that long.
    const note = quotedMb ? `"${'x'.repeat(quotedMb * 1024 * 1024)}"` : 'short';
    const file = new File([`group,sex,decision,label,note\ng,F,1,0,${note}\ng,M,0,1,short\n`], 'big-cell.csv');
    await window.engine.auditFile(file, config, { workers: 1 }).complete;
    return window.engine.idleWorkerCount();
  }, { config, quotedMb });
  const before = await idleAfter(0);
  assert.ok(before >= 1);
  assert.equal(await idleAfter(0), before, 'small requests hand their workers back');
  // The requests run one after another, each taking the worker last handed back.
  assert.equal(await idleAfter(40), before - 1, 'the worker that held the 40 MB record ended');
});

test('cancel stops the workers and rejects with AbortError', async () => {
  const outcome = await page.evaluate(async (config) => {
    const file = window.makeCsv(1_500_000, {});
    let progressed = 0;
    const run = window.engine.auditFile(file, config, { workers: 2, onProgress: () => progressed++ });
    await new Promise((r) => setTimeout(r, 150));
    run.cancel();
    try {
      await run.promise;
      return { name: 'finished', progressed };
    } catch (e) {
      return { name: e.name, message: e.message, progressed };
    }
  }, config);
  assert.equal(outcome.name, 'AbortError');
});

test('a data error names its line and column, also when the file was split', async () => {
  for (const workers of [1, 3]) {
    const error = await page.evaluate(async ({ workers }) => {
      const rows = ['g,d'];
      for (let i = 0; i < 400_000; i++) rows.push(`${i % 3},${i === 300_000 ? 'maybe' : i % 2}`);
      const file = new File([rows.join('\n') + '\n'], 'bad.csv');
      try {
        await window.engine.auditFile(file, { groups: ['g'], decision: { column: 'd', positive: ['1'] } }, { workers }).promise;
        return null;
      } catch (e) {
        return { message: e.message, line: e.line, record: e.record, column: e.column };
      }
    }, { workers });
    assert.ok(error, `${workers} workers: expected an error`);
    assert.equal(error.line, 300_002);
    assert.equal(error.record, 300_001);
    assert.equal(error.column, 'd');
    assert.match(error.message, /^line 300002 \(record 300001\), column "d": value "maybe"/);
  }
});

test('the preview reads the start of the file in a worker', async () => {
  const preview = await page.evaluate(async () => window.engine.previewFile(window.makeCsv(1000, {}), { maxRows: 5 }));
  assert.deepEqual(preview.columns.map((c) => c.name), ['group', 'sex', 'decision', 'label']);
  assert.equal(preview.rows.length, 5);
  assert.equal(preview.complete, true);
  assert.equal(await page.evaluate(() => window.engine.engineVersion()),
    JSON.parse(readFileSync(`${ROOT}pkg/package.json`)).version);
});

test('nothing was requested from anywhere but this origin', () => {
  assert.deepEqual(outsideRequests, []);
  // Fetched and compiled once, then shared by every worker.
  assert.equal(server.requests.filter((p) => p.endsWith('/pkg/biasaudit_bg.wasm')).length, 1);
});
