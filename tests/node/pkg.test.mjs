// The npm package in pkg/ (wasm-pack --target web), loaded in Node with
// initSync. Its numbers must equal the native CLI's for the same file and
// config, errors must be located Error objects, and no input may panic.
//
// Run: node --test tests/node/   (after scripts/build-wasm and cargo build --release)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { assertMatchesSchema } from '../support/schema.mjs';
import { initSync, Audit, Preview, Hasher, ThresholdExplorer, reportFromTallies, readBaseline, monitorFromTallies, engineVersion, defaultConfig, configOptions, validateConfig } from '../../pkg/biasaudit.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
initSync({ module: readFileSync(`${root}pkg/biasaudit_bg.wasm`) });

const CLI = `${root}target/release/biasaudit`;
const COMPAS = `${root}../shared/data/compas-scores-two-years.csv`;
// Tests that need the shared data skip, saying why, when ../shared is not beside the clone.
const needsCompas = { skip: !existsSync(COMPAS) && `COMPAS data not found at ${COMPAS} (the shared/ folder must sit beside the repository)` };
const FRAUD = `${root}examples/data/fraud_flags.csv`;

const compasConfig = {
  groups: ['race', 'sex'],
  decision: { column: 'score_text', positive: ['Medium', 'High'], negative: ['Low'] },
  label: { column: 'two_year_recid', positive: ['1'] },
  outcome: 'harmful',
  reference: { group: 'Caucasian' },
  strata: 'age_cat',
};
const compasArgs = [
  '--group', 'race', '--group', 'sex', '--decision', 'score_text', '--positive', 'Medium,High', '--negative', 'Low',
  '--label', 'two_year_recid', '--label-positive', '1', '--outcome', 'harmful', '--reference', 'Caucasian',
  '--strata', 'age_cat',
];

function cli(file, args) {
  assert.ok(existsSync(CLI), `build the CLI first: cargo build --release (${CLI})`);
  return JSON.parse(execFileSync(CLI, ['audit', file, ...args], { maxBuffer: 64 << 20 }).toString());
}

// Native code uses the platform's libm (glibc), WebAssembly uses Rust's own
// port, so results of ln/exp/sin can differ in the last bit. Everything is
// compared exactly except statistics under these keys, which must agree to
// 1e-12 relative. Counts, rates, ratios, four-fifths figures, shortfalls and
// verdicts are all compared exactly.
const TRANSCENDENTAL = new Set(['evidence', 'chi_squared', 'stratified', 'indices']);

function assertSameReport(actual, expected, path = '', inEvidence = false) {
  if (typeof actual === 'number' && typeof expected === 'number' && inEvidence) {
    const ok = actual === expected || Math.abs(actual - expected) <= 1e-12 * Math.max(Math.abs(expected), 1e-300);
    assert.ok(ok, `${path}: ${actual} vs ${expected}`);
    return;
  }
  if (actual === null || expected === null || typeof actual !== 'object' || typeof expected !== 'object') {
    assert.equal(actual, expected, path);
    return;
  }
  assert.equal(Array.isArray(actual), Array.isArray(expected), path);
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `${path} keys`);
  for (const key of Object.keys(expected)) {
    assertSameReport(actual[key], expected[key], `${path}.${key}`, inEvidence || TRANSCENDENTAL.has(key));
  }
}

function auditInChunks(bytes, config, chunk) {
  const audit = new Audit(config);
  for (let i = 0; i < bytes.length; i += chunk) audit.push(bytes.subarray(i, i + chunk));
  const report = audit.finish();
  assertMatchesSchema('Report', report);
  return report;
}

test('the wasm report equals the CLI JSON on COMPAS (race and sex, strata, evidence)', needsCompas, () => {
  const bytes = readFileSync(COMPAS);
  const wasm = auditInChunks(bytes, compasConfig, 65_521);
  const native = cli(COMPAS, compasArgs);
  assertSameReport(wasm, native);
  // Spot checks, so a shared mistake would still show: 2174 of 3696 flagged.
  const aa = wasm.attributes[0].groups.find((g) => g.group === 'African-American');
  assert.equal(aa.counts.selected, 2174);
  assert.equal(aa.metrics.selection_rate, 2174 / 3696);
  assert.equal(aa.evidence.adverse_impact.verdict, 'adverse_impact_indicated');
  assert.equal(wasm.input.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(engineVersion(), wasm.engine.version);
});

test('the wasm report equals the CLI JSON on a weighted, unlabelled audit', () => {
  const config = {
    groups: ['nationality'],
    decision: { column: 'risk_score', threshold: 0.45 },
    weight: 'risk_score',
    reference: 'most_favoured',
    evidence: { confidence: 0.9, interval: 'clopper_pearson', adjust: 'bh', min_group: 100 },
  };
  const args = ['--group', 'nationality', '--decision', 'risk_score', '--threshold', '0.45', '--weight', 'risk_score',
    '--reference', 'most-favoured', '--confidence', '0.9', '--interval', 'clopper-pearson', '--adjust', 'bh',
    '--min-group', '100'];
  assertSameReport(auditInChunks(readFileSync(FRAUD), config, 4096), cli(FRAUD, args));
});

test('errors are Error objects with the CLI message, their code, field and location', needsCompas, () => {
  const bytes = readFileSync(COMPAS);
  const config = { groups: ['race'], decision: { column: 'score_text', positive: ['Medium', 'High'] } };
  const native = spawnSync(CLI, ['audit', COMPAS, '--group', 'race', '--decision', 'score_text', '--positive', 'Medium,High']);
  // The CLI words the same error with its own flags; the engine's message names none.
  const hint = ' (--negative Low, or --rest-negative)';
  const cliMessage = native.stderr.toString().trim().replace(/^biasaudit: error: /, '');
  assert.ok(cliMessage.endsWith(hint), cliMessage);
  const audit = new Audit(config);
  assert.throws(() => audit.push(bytes), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.message, cliMessage.slice(0, -hint.length));
    assert.doesNotMatch(e.message, /--/);
    assert.deepEqual([e.code, e.kind, e.field, e.value], ['data.unexpected_value', 'data', 'decision', 'Low']);
    assert.equal(e.line, 2);
    assert.equal(e.record, 1);
    assert.equal(e.column, 'score_text');
    assert.match(e.detail, /^value "Low" is neither positive/);
    return true;
  });
  // A bad config is an Error too, before any data.
  assert.throws(() => new Audit({ groups: [], decision: { column: 'd', positive: ['1'] } }), (e) => {
    assert.match(e.message, /at least one protected-attribute/);
    assert.deepEqual([e.code, e.field], ['config.missing', 'groups']);
    return true;
  });
  assert.throws(() => new Audit({ groups: ['g'], decison: {} }), (e) => e.code === 'config.invalid' && /settings are not valid/.test(e.message));
  // A column missing from the file names the setting that named it.
  const unknown = new Audit({ groups: ['race', 'nope'], decision: { column: 'score_text', positive: ['High'], rest_negative: true } });
  assert.throws(() => unknown.push(bytes), (e) => e.code === 'config.unknown_column' && e.field === 'groups[1]' && e.line === 1);
});

test('the engine gives its defaults and every problem with a config, each at its field', () => {
  const defaults = defaultConfig();
  assertMatchesSchema('ResolvedAuditConfig', defaults);
  assert.equal(defaults.four_fifths_threshold, 0.8);
  assert.deepEqual(defaults.evidence, { confidence: 0.95, interval: 'wilson', min_group: 30, adjust: 'holm', yates: false, power: 0.8 });
  // The defaults are the CLI's: the CLI's echoed config has the same settings.
  const echoed = cli(FRAUD, ['--group', 'nationality', '--decision', 'flagged', '--positive', '1']).config;
  assert.deepEqual(echoed.evidence, defaults.evidence);
  assert.equal(echoed.four_fifths_threshold, defaults.four_fifths_threshold);

  const options = configOptions();
  assertMatchesSchema('ConfigOptions', options);
  assert.deepEqual(options, {
    interval: ['wilson', 'clopper_pearson'], adjust: ['holm', 'bh', 'none'], outcome: ['beneficial', 'harmful'],
    period_unit: ['month', 'quarter', 'year', 'as_given'], date_order: ['dmy', 'mdy'],
  });

  const problems = validateConfig({
    groups: ['a', 'a'],
    decision: { column: 'd' },
    four_fifths_threshold: 0,
    evidence: { confidence: 0.5, power: 0.01 },
  });
  for (const p of problems) assertMatchesSchema('EngineError', p);
  assert.deepEqual(problems.map((p) => [p.code, p.field]), [
    ['config.conflict', 'groups[1]'],
    ['config.missing', 'decision.positive'],
    ['config.out_of_range', 'four_fifths_threshold'],
    ['config.out_of_range', 'evidence.confidence'],
    ['config.out_of_range', 'evidence.power'],
  ]);
  assert.match(problems[3].message, /^the confidence level must be between 0.5 and 1/);
  assert.deepEqual(validateConfig({ groups: ['g'], decision: { column: 'd', positive: ['1'] } }), []);
  const unreadable = validateConfig({ groups: ['g'], decision: { column: 'd', positive: ['1'] }, colour: 'red' });
  assert.deepEqual(unreadable.map((p) => p.code), ['config.invalid']);
  assert.match(unreadable[0].message, /unknown field `colour`/);
});

test('the preview lists columns, values and the header length', () => {
  const preview = new Preview(3);
  preview.push(readFileSync(FRAUD));
  const p = preview.finish(true);
  assertMatchesSchema('PreviewResult', p);
  assert.equal(p.delimiter, ',');
  assert.equal(p.rows.length, 3);
  assert.equal(p.rows_scanned, 5000);
  const header = readFileSync(FRAUD).toString().split('\n')[0];
  assert.equal(p.header_bytes, header.length + 1);
  const nationality = p.columns.find((c) => c.name === 'nationality');
  assert.deepEqual(nationality.values.map((v) => v.value), ['British', 'Non-EU', 'EU']);
  assert.equal(nationality.values.reduce((s, v) => s + v.count, 0), 5000);
  assert.equal(p.columns.find((c) => c.name === 'risk_score').numeric, true);
  assert.equal(p.columns.find((c) => c.name === 'claim_id').values, null);
});

// A file full of quoted newlines, CRLF line ends.
function quotedNewlinesCsv(rows) {
  let s = 'group,decision\r\n';
  for (let i = 0; i < rows; i++) {
    const group = i % 3 === 0 ? `"multi\nline ${i % 4}"` : `g${i % 4}`;
    s += `${group},${i % 5 < 2 ? 1 : 0}\r\n`;
  }
  return Buffer.from(s);
}

test('parts merged equal one pass, and an unsafe cut is detected', () => {
  const bytes = quotedNewlinesCsv(2000);
  const config = { groups: ['group'], decision: { column: 'decision', positive: ['1'] } };
  const whole = auditInChunks(bytes, config, 1 << 20);
  const preview = new Preview(0);
  preview.push(bytes);
  const { header_bytes: headerBytes, delimiter } = preview.finish(true);
  const header = bytes.subarray(0, headerBytes);
  const partConfig = { ...config, delimiter };
  const lineStart = (from) => bytes.indexOf(10, from) + 1;
  let safe = 0;
  let unsafe = 0;
  for (const cuts of [[0.25, 0.5, 0.75], [0.1, 0.33], [0.5], [0.2, 0.4, 0.6, 0.8]]) {
    const starts = [0, ...cuts.map((c) => lineStart(Math.floor(bytes.length * c)))];
    const results = starts.map((start, k) => {
      const end = k + 1 < starts.length ? starts[k + 1] : -1;
      const audit = start === 0
        ? Audit.forPart(partConfig, new Uint8Array(0), 0, end)
        : Audit.forPart(partConfig, header, start, end);
      for (let i = start; i < bytes.length && !audit.partDone; i += 1000) audit.push(bytes.subarray(i, i + 1000));
      return audit.finishPart();
    });
    if (results.every((r) => r.endedAtBoundary)) {
      safe++;
      const sha = createHash('sha256').update(bytes).digest('hex');
      assert.deepEqual(reportFromTallies(config, results.map((r) => r.tallies), sha, delimiter), whole);
    } else {
      unsafe++;
    }
  }
  // With a third of rows holding a quoted newline, both outcomes occur for these cuts.
  assert.ok(safe > 0 && unsafe > 0, `safe ${safe}, unsafe ${unsafe}`);
});

test('the hasher equals node:crypto, across chunks', () => {
  const bytes = randomBytes(100_000);
  const hasher = new Hasher();
  for (let i = 0; i < bytes.length; i += 777) hasher.update(bytes.subarray(i, i + 777));
  assert.equal(hasher.finish(), createHash('sha256').update(bytes).digest('hex'));
});

test('a freed or finished engine object says so, and a finished audit cannot be finished again', () => {
  const config = { groups: ['g'], decision: { column: 'd', positive: ['1'] } };
  const csv = new TextEncoder().encode('g,d\nA,1\nB,0\n');
  const freed = new Audit(config);
  freed.free();
  assert.throws(() => freed.push(csv), (e) => e.code === 'engine.misuse'
    && e.message === 'this Audit was freed (free() was called), so push() cannot be used; create a new Audit');
  assert.throws(() => freed.rowsRead, /this Audit was freed \(free\(\) was called\), so rowsRead cannot be used/);
  const hasher = new Hasher();
  hasher.free();
  assert.throws(() => hasher.update(csv), /this Hasher was freed/);
  const finished = new Audit(config);
  finished.push(csv);
  assert.equal(finished.finish().input.rows_used, 2);
  assert.throws(() => finished.finish(), (e) => e.code === 'engine.misuse' && /already finished/.test(e.message));
});

test('no input makes the engine panic', () => {
  const config = { groups: ['a'], decision: { column: 'b', positive: ['1'] }, label: { column: 'c', positive: ['1'] } };
  const pieces = ['a', 'b', 'c', ',', ';', '"', '\n', '\r', '1', '0', 'NA', '\u00ff', '\u0000', 'é', ' ', '\t'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let round = 0; round < 300; round++) {
    let text = round % 2 ? 'a,b,c\n' : '';
    const length = next() % 200;
    for (let i = 0; i < length; i++) text += pieces[next() % pieces.length];
    const bytes = round % 7 === 0 ? randomBytes(next() % 300) : Buffer.from(text);
    try {
      auditInChunks(bytes, config, 1 + (next() % 17));
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError), `panic on input ${JSON.stringify(bytes.toString('latin1'))}`);
      assert.ok(e instanceof Error && e.message.length > 0);
    }
  }
});

test('the threshold explorer equals a full audit at any threshold, from merged part tallies', () => {
  const bytes = readFileSync(FRAUD);
  const label = { column: 'overpayment_found', positive: ['1'] };
  const withScore = { groups: ['nationality'], decision: { column: 'flagged', positive: ['1'] }, label, score: 'risk_score', delimiter: ',' };
  // Two parts, cut at a line start, as workers would count them.
  const cut = bytes.indexOf(10, bytes.length >> 1) + 1;
  const header = bytes.subarray(0, bytes.indexOf(10) + 1);
  const first = Audit.forPart(withScore, new Uint8Array(0), 0, cut);
  first.push(bytes);
  const second = Audit.forPart(withScore, header, cut, -1);
  second.push(bytes.subarray(cut));
  const parts = [first.finishPart(), second.finishPart()];
  for (const part of parts) {
    assertMatchesSchema('PartResult', part);
    assertMatchesSchema('TallySet', JSON.parse(part.tallies));
  }
  const tallies = parts.map((p) => p.tallies);
  const explorer = new ThresholdExplorer(withScore, tallies, 0);
  const range = explorer.range();
  assertMatchesSchema('ScoreRange', range);
  assert.deepEqual([range.lowest, range.highest, range.whole_numbers, range.system_threshold], [0, 1, false, null]);
  for (const t of [0, 0.2, 0.45, 0.4501, 0.8, 2]) {
    const at = explorer.at(t);
    for (const row of at) assertMatchesSchema('GroupAtThreshold', row);
    const direct = auditInChunks(bytes, { groups: ['nationality'], decision: { column: 'risk_score', threshold: t }, label }, 1 << 16);
    for (const g of direct.attributes[0].groups) {
      const row = at.find((r) => r.group === g.group);
      assert.deepEqual({ tp: row.tp, fp: row.fp, tn: row.tn, fn: row.fn, selected: row.selected },
        { tp: g.counts.tp, fp: g.counts.fp, tn: g.counts.tn, fn: g.counts.fn, selected: g.counts.selected }, `${g.group} at ${t}`);
    }
    // The report at t is the full audit's: every figure and verdict of the attribute.
    const report = explorer.report(t);
    assertMatchesSchema('Report', report);
    assert.deepEqual(report.attributes[0], direct.attributes[0], `the report at ${t}`);
  }
  const perGroup = explorer.report({ default: 0.5, groups: { EU: 0.7 } });
  const eu = perGroup.attributes[0].groups.find((g) => g.group === 'EU');
  assert.equal(eu.counts.selected, explorer.at(0.7).find((r) => r.group === 'EU').selected);
  assert.throws(() => explorer.report('high'), /the thresholds must be a number or/);
  assert.throws(() => new ThresholdExplorer(withScore, tallies, 3), /no attribute number 3/);
  assert.throws(() => new ThresholdExplorer({ ...withScore, score: undefined }, tallies, 0), /no score column/);
});

test('monitoring through the wasm API equals biasaudit monitor, alerts and exit status included', () => {
  const dir = `${root}target/node-monitor`;
  mkdirSync(dir, { recursive: true });
  const lines = readFileSync(FRAUD, 'utf8').split('\n');
  writeFileSync(`${dir}/reviewed.csv`, `${lines.slice(0, 2501).join('\n')}\n`);
  const args = ['--group', 'nationality', '--group', 'sex', '--decision', 'flagged', '--positive', '1', '--outcome', 'harmful'];
  const review = {
    format: 'biasaudit-review', format_version: 1, id: 'feedc0ffee000000',
    report: cli(`${dir}/reviewed.csv`, args),
    monitoring: { rules: [{ figure: 'rate_change', attribute: 'sex', threshold: 0.03, notify: 'Head of counter-fraud' }] },
  };
  const text = JSON.stringify(review);
  writeFileSync(`${dir}/review.json`, text);

  const settings = readBaseline(text);
  assertMatchesSchema('BaselineSettings', settings);
  assert.deepEqual(settings.rules, review.monitoring.rules);
  assert.equal(settings.info.review_id, 'feedc0ffee000000');

  const later = readFileSync(`${root}tests/fixtures/monitor/fraud_later.csv`);
  const audit = new Audit(settings.config);
  audit.push(later);
  const { tallies } = audit.finishPart();
  const sha = createHash('sha256').update(later).digest('hex');
  const monitored = monitorFromTallies(text, settings.config, [tallies], sha, ',');
  assertMatchesSchema('MonitorReport', monitored);
  assert.deepEqual(monitored.alerts.map((a) => [a.level, a.group, a.notify]), [['alert', 'Female', 'Head of counter-fraud']]);

  const native = spawnSync(CLI, ['monitor', '--baseline', `${dir}/review.json`, `${root}tests/fixtures/monitor/fraud_later.csv`], { maxBuffer: 64 << 20 });
  assert.equal(native.status, 3, native.stderr.toString());
  assertSameReport(monitored, JSON.parse(native.stdout.toString()), '', true);

  // Settings other than the review's are refused, by code.
  const other = { ...settings.config, min_cell: 3 };
  assert.throws(() => monitorFromTallies(text, other, [tallies], sha, ','), (e) => e.code === 'config.conflict');
  assert.throws(() => readBaseline('{"format": "biasaudit-review", "report": null}'), /holds no results/);
});
