#!/usr/bin/env node
// Benchmark of the WebAssembly engine alone (no workers, no browser) in
// Node's V8, beside the native engine on the same file: counting only, then
// SHA-256 only. Isolates the engine's speed from the page's pipeline.
//
//   node scripts/bench-engine.mjs [ROWS] [RUNS]     default: 1000000 3
//
// Needs: scripts/build-wasm and cargo build --release --example bench.
import { readFileSync, unlinkSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, Audit, Hasher } from '../pkg/biasaudit.js';
import { generateCsv } from '../tests/support/generate.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const rows = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const NATIVE = `${ROOT}target/release/examples/bench`;
if (!existsSync(NATIVE) || !existsSync(`${ROOT}pkg/biasaudit_bg.wasm`)) {
  console.error('build first: scripts/build-wasm && cargo build --release --example bench');
  process.exit(1);
}
initSync({ module: readFileSync(`${ROOT}pkg/biasaudit_bg.wasm`) });

const config = {
  groups: ['race', 'sex', 'age_band'],
  decision: { column: 'decision', positive: ['yes'], negative: ['no'] },
  label: { column: 'label', positive: ['1'] },
  outcome: 'harmful',
  delimiter: ',',
};
const CHUNK = 1 << 20;

const path = join(tmpdir(), `biasaudit-bench-engine-${rows}.csv`);
const bytes = await generateCsv(path, rows);
const data = readFileSync(path);
console.log(`${rows.toLocaleString('en-GB')} rows, ${(bytes / 1e6).toFixed(1)} MB, in memory; best of ${runs}\n`);

const best = (fn) => {
  let seconds = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return seconds;
};
const line = (label, seconds, extra = '') =>
  console.log(`${label.padEnd(30)} ${(bytes / 1e6 / seconds).toFixed(1).padStart(7)} MB/s ${(rows / 1e6 / seconds).toFixed(2).padStart(6)} M rows/s  ${extra}`);

const nativeOut = execFileSync(NATIVE, [path, String(runs)]).toString();
const nativeMbs = Number(nativeOut.match(/best: ([\d.]+) MB\/s/)[1]);
console.log(`native counting, one thread     ${nativeMbs.toFixed(1).padStart(7)} MB/s`);

const counting = best(() => {
  const audit = Audit.forPart(config, new Uint8Array(0), 0, -1);
  for (let at = 0; at < data.length; at += CHUNK) audit.push(data.subarray(at, at + CHUNK));
  const part = audit.finishPart();
  if (audit.rowsRead !== rows && !part) throw new Error('wrong row count');
});
line('wasm counting, one thread', counting, `(${((bytes / 1e6 / counting / nativeMbs) * 100).toFixed(0)}% of native)`);

const hashing = best(() => {
  const hasher = new Hasher();
  for (let at = 0; at < data.length; at += CHUNK) hasher.update(data.subarray(at, at + CHUNK));
  hasher.finish();
});
line('wasm SHA-256', hashing);
const sumStart = process.hrtime.bigint();
execFileSync('sha256sum', [path]);
line('sha256sum (for comparison)', Number(process.hrtime.bigint() - sumStart) / 1e9);
unlinkSync(path);
