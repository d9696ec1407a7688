#!/usr/bin/env node
// Benchmark of the page's pipeline (Web Workers + WebAssembly) in headless
// Chromium against the native CLI on the same generated files.
//
//   node scripts/bench-browser.mjs [ROWS ...]     default: 1000000 10000000
//   node scripts/bench-browser.mjs --sheet FILE.xlsx  a workbook written by scripts/bench-sheet.py
//
// Needs: scripts/build-wasm, cargo build --release --bin biasaudit --example
// bench, npm ci, /usr/bin/chromium.
// Prints MB/s and rows/s for native counting on one thread (examples/bench),
// the native CLI (which hashes on a second thread), and the page's pipeline
// with one worker and with several: the time to the results, and to the
// SHA-256 fingerprint, which comes after the results when no core is spare.
// Also the browser's peak memory: the tab's renderer process (where its
// workers run) sampled from /proc, and the page's JS heap.
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, ROOT } from '../tests/support/static-server.mjs';
import { launch } from '../tests/support/browser.mjs';
import { generateCsv } from '../tests/support/generate.mjs';

const sheetAt = process.argv.indexOf('--sheet');
const SHEET = sheetAt > 0 ? process.argv[sheetAt + 1] : null;
const counts = SHEET ? [] : process.argv.slice(2).map(Number).filter((n) => n > 0);
const ROWS = SHEET ? [] : counts.length ? counts : [1_000_000, 10_000_000];
const CLI = `${ROOT}target/release/biasaudit`;
const NATIVE_BENCH = `${ROOT}target/release/examples/bench`;



const config = {
  groups: ['race', 'sex', 'age_band'],
  decision: { column: 'decision', positive: ['yes'] },
  label: { column: 'label', positive: ['1'] },
  outcome: 'harmful',
};
const cliArgs = ['--group', 'race', '--group', 'sex', '--group', 'age_band', '--decision', 'decision', '--positive', 'yes',
  '--negative', 'no', '--label', 'label', '--label-positive', '1', '--outcome', 'harmful'];

function native(path) {
  const start = process.hrtime.bigint();
  const run = spawnSync(CLI, ['audit', path, ...cliArgs], { maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(run.stderr.toString());
  return { seconds, report: JSON.parse(run.stdout.toString()) };
}

/** Native counting alone, one thread: the best of three runs, in seconds. */
function nativeCounting(path) {
  const out = execFileSync(NATIVE_BENCH, [path, '3']).toString();
  return Math.min(...[...out.matchAll(/run \d+: ([\d.]+) s/g)].map((m) => Number(m[1])));
}

/** Memory of our profile's renderer processes (the tab and its workers), in MB:
 *  `private` = pages only this process uses (what Chrome's task manager calls
 *  its memory footprint, roughly); `rss` also counts shared library pages. */
function rendererMemoryMb(profileMarker) {
  let rss = 0;
  let priv = 0;
  const ps = execFileSync('ps', ['-eo', 'pid=,rss=,args=']).toString().split('\n');
  for (const line of ps) {
    if (!line.includes('--type=renderer') || !line.includes(profileMarker)) continue;
    const [pid, kb] = line.trim().split(/\s+/);
    rss += Number(kb) / 1024;
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      for (const key of ['Private_Clean', 'Private_Dirty']) {
        const m = rollup.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
        if (m) priv += Number(m[1]) / 1024;
      }
    } catch {
      // The process ended between ps and the read.
    }
  }
  return { rss, private: priv };
}

async function browserRun(page, path, workers, marker, auditConfig = config) {
  await page.setInputFiles('#file', path);
  const peak = { rss: 0, private: 0 };
  const timer = setInterval(() => {
    const now = rendererMemoryMb(marker);
    peak.rss = Math.max(peak.rss, now.rss);
    peak.private = Math.max(peak.private, now.private);
  }, 100);
  const result = await page.evaluate(async ({ config, workers }) => {
    const file = document.querySelector('#file').files[0];
    const start = performance.now();
    let usedWorkers = 1;
    const job = window.engine.auditFile(file, config, {
      workers,
      onProgress: (p) => {
        usedWorkers = p.workers;
      },
    });
    const report = await job.promise;
    const seconds = (performance.now() - start) / 1000;
    const sha256 = await job.fingerprint;
    const fingerprintSeconds = (performance.now() - start) / 1000;
    const heap = performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null;
    return { seconds, fingerprintSeconds, rows: report.input.rows_read, sha256, usedWorkers, heap };
  }, { config: auditConfig, workers });
  clearInterval(timer);
  return { ...result, peak };
}

const line = (label, bytes, rows, seconds, extra = '') =>
  console.log(`${label.padEnd(32)} ${(bytes / 1e6 / seconds).toFixed(1).padStart(7)} MB/s ${(rows / 1e6 / seconds).toFixed(2).padStart(6)} M rows/s ${seconds.toFixed(2).padStart(7)} s  ${extra}`);

if (!existsSync(CLI) || (!SHEET && !existsSync(NATIVE_BENCH)) || !existsSync(`${ROOT}pkg/biasaudit_bg.wasm`)) {
  console.error('build first: scripts/build-wasm && cargo build --release --bin biasaudit --example bench');
  process.exit(1);
}
const server = await startServer();
const browser = await launch();
const page = await browser.context.newPage();
await page.goto(`${server.url}/tests/browser/harness.html`);
await page.waitForFunction(() => window.ready === true);
await page.evaluate(() => {
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'file';
  document.body.append(input);
});
const cores = await page.evaluate(() => navigator.hardwareConcurrency);
const idle = rendererMemoryMb(browser.profile);
console.log(`Chromium, ${cores} logical cores; engine ${JSON.parse(readFileSync(`${ROOT}pkg/package.json`)).version}`);
console.log(`idle tab: ${idle.private.toFixed(0)} MB private, ${idle.rss.toFixed(0)} MB RSS\n`);

if (SHEET) {
  // The flags and config of scripts/bench-sheet.py's audit.
  const sheetConfig = {
    groups: ['ethnicity', 'sex', 'age'], intersections: [['ethnicity', 'sex']], bins: { age: { edges: [25, 45, 65] } },
    decision: { column: 'approved', positive: ['yes'] }, score: 'score', period: { column: 'decided_on', unit: 'quarter' },
  };
  const args = ['--group', 'ethnicity', '--group', 'sex', '--group', 'age', '--bin', 'age=25,45,65', '--intersect', 'ethnicity,sex',
    '--decision', 'approved', '--positive', 'yes', '--score', 'score', '--period', 'decided_on', '--period-unit', 'quarter'];
  const bytes = readFileSync(SHEET).length;
  const start = process.hrtime.bigint();
  const run = spawnSync(CLI, ['audit', SHEET, ...args], { maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(run.stderr.toString());
  const cliSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const expected = JSON.parse(run.stdout.toString());
  const rows = expected.input.rows_read;
  console.log(`a workbook of ${rows.toLocaleString('en-GB')} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  line('native CLI', bytes, rows, cliSeconds);
  const b = await browserRun(page, SHEET, 1, browser.profile, sheetConfig);
  if (b.rows !== rows || b.sha256 !== expected.input.sha256) throw new Error('the browser read a different workbook');
  line('page, 1 worker: results', bytes, rows, b.seconds, `tab peak ${b.peak.private.toFixed(0)} MB private, ${b.peak.rss.toFixed(0)} MB RSS`);
}

for (const rows of ROWS) {
  const path = join(tmpdir(), `biasaudit-bench-${rows}.csv`);
  const bytes = await generateCsv(path, rows);
  console.log(`${rows.toLocaleString('en-GB')} rows, ${(bytes / 1e6).toFixed(1)} MB`);
  const counting = nativeCounting(path);
  line('native counting, one thread', bytes, rows, counting);
  const n = native(path);
  line('native CLI (+ SHA-256 thread)', bytes, rows, n.seconds);
  // Once to warm the page's worker pool and the engine's optimised code, as a
  // second check in the same page would find them.
  await browserRun(page, path, 1, browser.profile);
  for (const workers of [1, Math.max(2, cores)]) {
    const b = await browserRun(page, path, workers, browser.profile);
    if (b.rows !== rows || b.sha256 !== n.report.input.sha256) throw new Error('the browser read a different file');
    const label = `page, ${b.usedWorkers} worker${b.usedWorkers > 1 ? 's' : ''}`;
    line(`${label}: results`, bytes, rows, b.seconds,
      `${((counting / b.seconds) * 100).toFixed(0)}% of native counting, ${((n.seconds / b.seconds) * 100).toFixed(0)}% of the CLI`);
    line(`${label}: + fingerprint`, bytes, rows, b.fingerprintSeconds,
      `tab peak ${b.peak.private.toFixed(0)} MB private, ${b.peak.rss.toFixed(0)} MB RSS`);
  }
  unlinkSync(path);
  console.log();
}
await browser.close();
await server.close();
