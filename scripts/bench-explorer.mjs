#!/usr/bin/env node
// Benchmark of the threshold explorer (the results page's slider): the
// WebAssembly engine in Node's V8 counts a generated file once, builds the
// explorer from its tallies, then makes the report at many thresholds, one
// for everyone and one per group, as a slider's moves would. Prints the time
// per move (median, 95th percentile, slowest) and the peak memory.
//
//   node scripts/bench-explorer.mjs [ROWS] [MOVES]     default: 1000000 201
//
// Needs: scripts/build-wasm.
import { readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, Audit, ThresholdExplorer } from '../pkg/biasaudit.js';
import { generateCsv } from '../tests/support/generate.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const rows = Number(process.argv[2] ?? 1_000_000);
const moves = Number(process.argv[3] ?? 201);
if (!existsSync(`${ROOT}pkg/biasaudit_bg.wasm`)) {
  console.error('build first: scripts/build-wasm');
  process.exit(1);
}
initSync({ module: readFileSync(`${ROOT}pkg/biasaudit_bg.wasm`) });

const config = {
  groups: ['race', 'age_band'],
  intersections: [['race', 'age_band']],
  decision: { column: 'decision', positive: ['yes'], negative: ['no'] },
  label: { column: 'label', positive: ['1'] },
  score: 'score',
  outcome: 'harmful',
  delimiter: ',',
};
const path = join(tmpdir(), `biasaudit-bench-explorer-${rows}.csv`);
const bytes = await generateCsv(path, rows);
const data = readFileSync(path);
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

let start = process.hrtime.bigint();
const audit = Audit.forPart(config, new Uint8Array(0), 0, -1);
for (let at = 0; at < data.length; at += 1 << 20) audit.push(data.subarray(at, at + (1 << 20)));
const tallies = [audit.finishPart().tallies];
console.log(`${rows.toLocaleString('en-GB')} rows (${(bytes / 1e6).toFixed(1)} MB) counted in ${seconds(start).toFixed(2)} s; tallies ${(tallies[0].length / 1e6).toFixed(1)} MB of JSON`);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
for (const [attribute, name] of [[0, 'race'], [2, 'race × age band']]) {
  start = process.hrtime.bigint();
  const explorer = new ThresholdExplorer(config, tallies, attribute);
  const range = explorer.range();
  const groups = explorer.at(0).map((r) => r.group);
  console.log(`\n${name} (${groups.length} groups): explorer built in ${(seconds(start) * 1000).toFixed(0)} ms over ${range.distinct.toLocaleString('en-GB')} distinct scores`);
  for (const kind of ['one threshold', 'a threshold per group']) {
    const times = [];
    let flagged = 0;
    for (let i = 0; i < moves; i++) {
      const t = range.lowest + ((range.highest - range.lowest) * i) / (moves - 1);
      const thresholds = kind === 'one threshold'
        ? t
        : { default: t, groups: Object.fromEntries(groups.map((g, k) => [g, Math.min(range.highest, t + 0.01 * k)])) };
      const moveStart = process.hrtime.bigint();
      const report = explorer.report(thresholds);
      times.push(seconds(moveStart) * 1000);
      flagged += report.attributes[0].groups.filter((g) => g.evidence?.adverse_impact?.verdict === 'adverse_impact_indicated').length;
    }
    times.sort((a, b) => a - b);
    console.log(`  ${kind}: ${moves} moves, per move median ${percentile(times, 0.5).toFixed(2)} ms, 95th percentile ${percentile(times, 0.95).toFixed(2)} ms, slowest ${times[times.length - 1].toFixed(2)} ms (${flagged} flagged verdicts seen)`);
  }
  explorer.free();
}
console.log(`\npeak memory (resident): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
