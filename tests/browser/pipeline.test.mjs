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
  // As on a 2-core machine, whatever this one has: two counting workers leave no core for hashing.
  const out = await page.evaluate(async (config) => window.withCores(2, async () => {
    const file = window.makeCsv(50_000, {});
    const order = [];
    const job = window.engine.auditFile(file, config, {
      workers: 2,
      onFingerprintProgress: (p) => order.push(['fingerprint progress', p.bytesTotal]),
    });
    const report = await job.promise;
    order.push(['report', report.input.sha256 ?? null]);
    const hex = await job.fingerprint;
    const complete = await job.complete;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    const expected = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    return { order, hex, expected, completeHash: complete.input.sha256, rows: complete.input.rows_read, size: file.size };
  }), config);
  assert.deepEqual(out.order[0], ['report', null], 'counting finished before hashing began');
  assert.equal(out.hex, out.expected);
  assert.equal(out.completeHash, out.expected);
  assert.equal(out.rows, 50_000);
  assert.ok(out.order.slice(1).every(([kind, total]) => kind === 'fingerprint progress' && total === out.size));
});

test('with cores to spare, the fingerprint is computed alongside and is the same', async () => {
  const out = await page.evaluate(async (config) => window.withCores(8, async () => {
    const file = window.makeCsv(50_000, {});
    const complete = await window.engine.auditFile(file, config, { workers: 2 }).complete;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    return { hash: complete.input.sha256, expected: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''), rows: complete.input.rows_read };
  }), config);
  assert.equal(out.hash, out.expected);
  assert.equal(out.rows, 50_000);
});

test('the worker pool is reused: a second audit starts no new workers', async () => {
  const workerLoads = () => server.requests.filter((p) => p.endsWith('/www/js/engine/worker.js')).length;
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

test('cancel rejects with AbortError wherever it comes, and the engine works afterwards', async () => {
  // Each cancel comes at a point the test controls, never on a clock: at once
  // (before any worker has started), from the first progress message (while
  // a part is still counting, so the merge cannot have begun), and from the
  // first fingerprint progress (the results are in; the fingerprint is not).
  const out = await page.evaluate(async (config) => window.withCores(2, async () => {
    const file = window.makeCsv(300_000, {});
    const attempt = (when) => new Promise((resolve) => {
      let progressed = 0;
      const job = window.engine.auditFile(file, config, {
        workers: 2,
        onProgress: () => {
          if (progressed++ === 0 && when === 'first progress') job.cancel();
        },
        onFingerprintProgress: () => {
          if (when === 'fingerprint progress') job.cancel();
        },
      });
      if (when === 'at once') job.cancel();
      const settle = (p) => p.then((r) => ({ value: r.input?.rows_read ?? r }), (e) => ({ error: e.name }));
      Promise.all([settle(job.promise), settle(job.fingerprint), settle(job.complete)])
        .then(([promise, fingerprint, complete]) => resolve({ when, progressed, promise, fingerprint, complete }));
    });
    const results = [];
    for (const when of ['at once', 'first progress', 'fingerprint progress']) results.push(await attempt(when));
    const after = await window.engine.auditFile(file, config, { workers: 2 }).complete;
    return { results, rowsAfter: after.input.rows_read };
  }), config);
  const [atOnce, firstProgress, duringHash] = out.results;
  const aborted = { error: 'AbortError' };
  assert.deepEqual([atOnce.promise, atOnce.fingerprint, atOnce.complete], [aborted, aborted, aborted]);
  assert.deepEqual([firstProgress.promise, firstProgress.fingerprint, firstProgress.complete], [aborted, aborted, aborted]);
  assert.ok(firstProgress.progressed >= 1);
  assert.deepEqual(duringHash.promise, { value: 300_000 }, 'the results had arrived before the fingerprint was cancelled');
  assert.deepEqual([duringHash.fingerprint, duringHash.complete], [aborted, aborted]);
  assert.equal(out.rowsAfter, 300_000, 'a full audit after the cancels');
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
