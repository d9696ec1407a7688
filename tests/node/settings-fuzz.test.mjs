// Random settings × random files through the npm package (the engine the
// page runs). For every case: no trap (a panic in wasm kills the page's
// engine); an error is an engine Error with a code; a report matches its
// JSON Schema, stays within a size bound set by the file's size, and its
// counts equal a plain recount of the file written here, independently of
// the engine. A run prints its seed; repeat one with FUZZ_SEED, run longer
// with FUZZ_CASES (scripts/fuzz settings [CASES] does).
//
// Run: node --test tests/node/   (after scripts/build-wasm and cargo build --release)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertMatchesSchema } from '../support/schema.mjs';
import { initSync, Audit } from '../../pkg/biasaudit.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
initSync({ module: readFileSync(`${root}pkg/biasaudit_bg.wasm`) });

const CASES = Number(process.env.FUZZ_CASES ?? 600);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => next() < p;
  const subset = (xs) => xs.filter(() => chance(0.5));
  return { int, pick, chance, subset };
}

// Cell values, some of them awkward: missing tokens, a comma, a quote, accents.
const GROUP_VALUES = ['A', 'B', 'C', 'na', '', 'Ä ö', 'x,y', 'q"t', 'D'];
// Mostly values every rule reads; a rare one (maybe, 2) that some settings refuse.
const OUTCOME_VALUES = ['1', '0', 'no', '', 'NULL', '0.0', '1', '0', 'no', '1.0'];
const RARE_OUTCOMES = ['2', 'maybe', 'yes'];
const WEIGHTS = ['1', '2.5', '0', '', '3', '0.25'];
const SCORES = ['0.1', '0.5', '0.9', '0', '1', '', '0.35', '0.5'];
const STRATA = ['s1', 's2', '', 's3'];
const COLUMNS = ['g1', 'g2', 'd', 'y', 'w', 's', 'st'];

const MISSING = new Set(['', 'na', 'n/a', 'null', 'nan']);
const DEFAULT_NEGATIVE = new Set(['false', 'no', 'n', 'f', 'negative', 'neg']);
const isMissing = (cell) => MISSING.has(cell.toLowerCase());
const number = (cell) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) ? Number(cell) : null);

function csvCell(value) {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// A column read by a threshold rule holds numbers (and missing tokens), so
// those cases reach the count check; a rare word still stops some of them.
const NUMERIC_OUTCOMES = ['1', '0', '0.5', '', 'NULL', '-1', '2', '0.25'];

function randomFile(r, config) {
  const awkward = r.chance(0.5) ? 0 : 0.03;
  const outcome = (rule) => {
    if (rule?.threshold !== undefined) return r.chance(awkward) ? 'maybe' : r.pick(NUMERIC_OUTCOMES);
    return r.chance(awkward) ? r.pick(RARE_OUTCOMES) : r.pick(OUTCOME_VALUES);
  };
  const rows = [];
  for (let i = r.int(60); i >= 0; i -= 1) {
    rows.push({
      g1: r.pick(GROUP_VALUES), g2: r.pick(GROUP_VALUES.slice(0, 5)), d: outcome(config.decision), y: outcome(config.label),
      w: r.pick(WEIGHTS), s: r.pick(SCORES), st: r.pick(STRATA),
    });
  }
  const text = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((c) => csvCell(row[c])).join(','))].join(r.pick(['\n', '\r\n'])) + '\n';
  return { rows, bytes: new TextEncoder().encode(text) };
}

function outcomeColumn(r, column) {
  if (r.chance(0.1)) return { column, threshold: r.pick([0, 0.5, 1, -1]) };
  const out = { column, positive: r.chance(0.7) ? ['1'] : r.subset(['1', 'yes', '2', 'maybe']) };
  if (out.positive.length === 0) out.positive = ['1'];
  if (r.chance(0.3)) out.negative = ['maybe'];
  if (r.chance(0.3) || !out.positive.includes('1')) out.rest_negative = true;
  return out;
}

function randomConfig(r) {
  const groups = r.chance(0.5) ? ['g1'] : r.chance(0.5) ? ['g1', 'g2'] : ['g2'];
  const config = { groups, decision: outcomeColumn(r, 'd') };
  if (r.chance(0.5)) config.label = outcomeColumn(r, 'y');
  if (r.chance(0.3)) config.weight = 'w';
  if (r.chance(0.3)) config.score = 's';
  if (r.chance(0.3)) config.strata = 'st';
  if (groups.length === 2 && r.chance(0.6)) config.intersections = [['g1', 'g2']];
  if (r.chance(0.5)) config.reference = r.pick(['largest', 'most_favoured', 'rest', { group: 'A' }, { group: 'nobody' }]);
  if (r.chance(0.4)) config.outcome = r.pick(['beneficial', 'harmful']);
  if (r.chance(0.3)) config.min_cell = r.pick([0, 1, 3, 10]);
  if (r.chance(0.25)) config.publication = true;
  if (r.chance(0.4)) {
    config.evidence = {};
    if (r.chance(0.5)) config.evidence.min_group = r.pick([0, 1, 5, 30]);
    if (r.chance(0.5)) config.evidence.adjust = r.pick(['holm', 'bh', 'none']);
    if (r.chance(0.5)) config.evidence.interval = r.pick(['wilson', 'clopper_pearson']);
  }
  for (const key of Object.keys(config)) if (config[key] === undefined) delete config[key];
  return config;
}

/** How a cell reads for an outcome column, as docs/metrics.md says. */
function read(rule, raw) {
  const cell = raw.trim();
  if (isMissing(cell)) return 'missing';
  const value = number(cell);
  if (rule.threshold !== undefined) return value === null ? 'not_numeric' : value >= rule.threshold ? 'positive' : 'negative';
  if (rule.positive.includes(cell) || (value !== null && rule.positive.some((p) => number(p) === value))) return 'positive';
  if (rule.rest_negative || (rule.negative ?? []).includes(cell) || value === 0 || DEFAULT_NEGATIVE.has(cell.toLowerCase())) {
    return 'negative';
  }
  return 'unrecognised';
}

const groupName = (cell) => (isMissing(cell.trim()) ? '(missing)' : cell.trim());

/**
 * The counts per group of each attribute, straight from the rows; or, when a
 * row must stop the audit (a value that is neither positive nor negative, or
 * not a number for a threshold), where: `{ stop: { record, column, code } }`.
 */
function recount(config, rows) {
  const kept = [];
  const stop = (reading, record, column) => ({
    stop: { record, column, code: reading === 'not_numeric' ? 'data.not_a_number' : 'data.unexpected_value' },
  });
  const unreadable = (reading) => reading === 'unrecognised' || reading === 'not_numeric';
  // Read in the engine's order: a row left out for a missing decision is not read further.
  for (const [i, row] of rows.entries()) {
    const decision = read(config.decision, row.d);
    if (unreadable(decision)) return stop(decision, i + 1, 'd');
    if (decision === 'missing') continue;
    const label = config.label ? read(config.label, row.y) : null;
    if (unreadable(label)) return stop(label, i + 1, 'y');
    if (label === 'missing' || (config.weight && isMissing(row.w.trim()))) continue;
    kept.push({ row, selected: decision === 'positive', positive: label === 'positive', weight: config.weight ? Number(row.w) : 1 });
  }
  const attributes = [...config.groups.map((c) => [c]), ...(config.intersections ?? [])];
  return attributes.map((columns) => {
    const groups = new Map();
    for (const { row, selected, positive, weight } of kept) {
      const name = columns.map((c) => groupName(row[c])).join('|');
      const g = groups.get(name) ?? { n: 0, selected: 0, tp: 0, fp: 0, tn: 0, fn: 0, weighted: 0, weightedSelected: 0 };
      g.n += 1;
      g.selected += selected ? 1 : 0;
      if (config.label) g[selected ? (positive ? 'tp' : 'fp') : positive ? 'fn' : 'tn'] += 1;
      g.weighted += weight;
      g.weightedSelected += selected ? weight : 0;
      groups.set(name, g);
    }
    return groups;
  });
}

function auditInChunks(config, bytes, chunk) {
  const audit = new Audit(config);
  try {
    for (let at = 0; at < bytes.length; at += chunk) audit.push(bytes.subarray(at, at + chunk));
    return audit.finish();
  } finally {
    audit.free();
  }
}

function checkCounts(config, report, want, where) {
  assert.ok(!want.stop, `${where}: record ${want.stop?.record}, column ${want.stop?.column} should have stopped the audit`);
  assert.equal(report.attributes.length, want.length, `${where}: attributes`);
  report.attributes.forEach((attribute, k) => {
    const names = attribute.groups.map((g) => g.group);
    if (!config.publication) assert.deepEqual([...names].sort(), [...want[k].keys()].sort(), `${where}: groups of ${attribute.column}`);
    for (const g of attribute.groups) {
      const expected = want[k].get(g.group);
      assert.ok(expected, `${where}: ${attribute.column} has a group ${JSON.stringify(g.group)} that no row has`);
      assert.equal(g.counts.n, expected.n, `${where}: rows of ${attribute.column} = ${g.group}`);
      assert.equal(g.counts.selected, expected.selected, `${where}: selected in ${attribute.column} = ${g.group}`);
      if (config.label) {
        for (const key of ['tp', 'fp', 'tn', 'fn']) assert.equal(g.counts[key], expected[key], `${where}: ${key} of ${g.group}`);
      }
      if (config.weight) {
        const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
        assert.ok(close(g.metrics.n, expected.weighted), `${where}: weighted n of ${g.group}: ${g.metrics.n} vs ${expected.weighted}`);
        assert.ok(close(g.metrics.selected, expected.weightedSelected), `${where}: weighted selected of ${g.group}`);
      }
    }
  });
}

test(`random settings × random files: no trap, located errors, schema-valid bounded reports, counts equal a recount (seed ${SEED}, ${CASES} cases)`, () => {
  const r = generator(SEED);
  let reports = 0;
  let errors = 0;
  let thresholdReports = 0;
  const codes = new Map();
  for (let i = 0; i < CASES; i += 1) {
    const config = randomConfig(r);
    const { rows, bytes } = randomFile(r, config);
    const want = recount(config, rows);
    const where = `case ${i} (FUZZ_SEED=${SEED}) with ${JSON.stringify(config)}`;
    let report;
    try {
      report = auditInChunks(config, bytes, 1 + r.int(64));
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), `${where}: the engine trapped: ${e.message}`);
      assert.ok(e instanceof Error && typeof e.code === 'string' && e.message.length > 0, `${where}: not an engine error: ${e}`);
      assert.ok(!e.code.startsWith('engine.'), `${where}: an engine fault, not the data's or the settings': ${e.code}: ${e.message}`);
      if (e.code.startsWith('config.')) {
        // Settings the engine refuses (before or after reading the file) are fine.
      } else if (want.stop) {
        // The engine stops at the same cell as the recount, and says where.
        assert.deepEqual({ record: e.record, column: e.column, code: e.code }, want.stop, `${where}: ${e.message}`);
        assert.match(e.message, new RegExp(`\\b${want.stop.record}\\b`), `${where}: the message does not give the row: ${e.message}`);
      } else {
        // A file the recount reads fails only for having nothing to compare.
        assert.ok(e.code === 'data.nothing_to_compare' || e.code === 'data.too_many_groups', `${where}: ${e.code}: ${e.message}`);
      }
      errors += 1;
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      continue;
    }
    reports += 1;
    if (config.decision.threshold !== undefined || config.label?.threshold !== undefined) thresholdReports += 1;
    assertMatchesSchema('Report', report, where);
    const size = JSON.stringify(report).length;
    assert.ok(size <= 300_000 + 2_500 * bytes.length, `${where}: a ${size}-byte report from ${bytes.length} bytes of data`);
    checkCounts(config, report, want, where);
  }
  // Both paths are exercised, whatever the seed.
  const why = [...codes].map(([code, n]) => `${code} ${n}`).join(', ');
  assert.ok(reports > CASES / 3 && errors > 0, `${reports} reports and ${errors} errors (${why}) in ${CASES} cases`);
  if (CASES >= 300) assert.ok(thresholdReports > 5, `only ${thresholdReports} reports used a threshold rule`);
  console.log(`${reports} reports (${thresholdReports} with a threshold rule), ${errors} errors: ${why}`);
});
