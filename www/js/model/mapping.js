// The data step's model: what the user mapped (columns, values, settings) →
// the engine's AuditConfig, and the plain-language views of it. No DOM: the
// step draws it, tests/model/ tests it.

import { EQUALITY_CHARACTERISTICS } from './questions.js';
import { state } from './state.js';

// The statistical settings the page offers, and where each sits in the
// engine's config. Their defaults come from the engine (defaultConfig()),
// never from a copy here; a setting left as it is is not sent, so the engine
// applies its own default.
export const SETTINGS = {
  four_fifths: { path: ['four_fifths_threshold'], label: 'The four-fifths threshold' },
  confidence: { path: ['evidence', 'confidence'], label: 'The confidence level' },
  min_group: { path: ['evidence', 'min_group'], label: 'The smallest group to judge', integer: true },
  interval: { path: ['evidence', 'interval'], label: 'The range around each rate', choice: true },
  adjust: { path: ['evidence', 'adjust'], label: 'The adjustment for many comparisons', choice: true },
};

let engineDefaults = null;
let engineOptions = null;

/** Keeps the engine's defaults (defaultConfig()) and choices (configOptions()) for the settings to show. */
export function setDefaults(config, options = null) {
  engineDefaults = config;
  engineOptions = options;
}

// The page's words for the engine's values; the values themselves, and which
// exist, come from the engine (a value the page has no words for is shown as
// the engine names it).
const CHOICE_LABELS = {
  interval: { wilson: 'Wilson score interval (recommended)', clopper_pearson: 'Clopper–Pearson exact interval (wider, cautious)' },
  adjust: { holm: 'Holm adjustment (recommended)', bh: 'Benjamini–Hochberg adjustment (less strict)', none: 'No adjustment' },
  period_unit: { month: 'Month', quarter: 'Quarter', year: 'Year', as_given: 'As written in the file (for example 2025-Q3)' },
  date_order: { dmy: 'Day first (03/04/2025 is 3 April), the UK’s way', mdy: 'Month first (03/04/2025 is 4 March)' },
};

/** The radio options for an enumerated setting: the engine's values, in the page's words. */
export function settingChoices(key) {
  const values = engineOptions?.[key] ?? Object.keys(CHOICE_LABELS[key]);
  return values.map((value) => ({ value, label: CHOICE_LABELS[key][value] ?? value }));
}

/**
 * A config as the engine will read it: the settings left out take the
 * engine's defaults (when they have arrived), so a record made before the
 * data is checked still states them.
 */
export function withDefaults(config) {
  if (!config || !engineDefaults) return config;
  return { ...engineDefaults, ...config, evidence: { ...engineDefaults.evidence, ...(config.evidence || {}) } };
}

/** The engine's default for a page setting, as the text a field shows. */
export function defaultSetting(key) {
  let v = engineDefaults;
  for (const k of SETTINGS[key].path) v = v?.[k];
  return v === undefined || v === null ? '' : String(v);
}

export function emptyMapping() {
  return {
    attributes: [],
    decision: { column: '', mode: 'values', positive: [], negative: [], rest_negative: false, threshold: '' },
    label: null,
    score: '',
    outcome: '',
    reference: 'largest',
    reference_group: '',
    weight: '',
    count: '', // a table of counts: the column of how many cases each row stands for
    sheet: '', // a workbook's sheet ('' for the first) and the row of its column names
    header_row: 1,
    strata: '',
    period: { column: '', unit: 'month', date_order: 'dmy' }, // a date column: figures period by period
    bins: {}, // { column: { mode: 'none' | 'edges' | 'quantiles', edges: '25, 35, 50', quantiles: '4' } }
    intersections: [], // [['race', 'sex'], …]: columns audited in combination
    settings: {}, // only what the user changed: the rest is the engine's default
  };
}

export function mapping() {
  state.review.mapping ??= emptyMapping();
  const m = state.review.mapping;
  if (!m.settings || typeof m.settings !== 'object' || Array.isArray(m.settings)) m.settings = {};
  m.attributes ??= [];
  m.decision ??= emptyMapping().decision;
  if (!m.bins || typeof m.bins !== 'object' || Array.isArray(m.bins)) m.bins = {};
  if (!Array.isArray(m.intersections)) m.intersections = [];
  return m;
}

export function outcomeColumn(o, what, errors) {
  const out = { column: o.column };
  if (o.mode === 'threshold') {
    const t = Number(String(o.threshold).trim());
    if (String(o.threshold).trim() === '' || !Number.isFinite(t)) {
      errors.push({ field: `${what}.threshold`, text: `Enter the cut-off for ${what === 'decision' ? 'the decision' : 'the true outcome'} as a number, like 0.5` });
    }
    out.threshold = t;
  } else {
    if (!o.positive?.length) errors.push({ field: `${what}.positive`, text: what === 'decision' ? 'Select which values mean a positive decision' : 'Select which values mean a positive true outcome' });
    out.positive = [...(o.positive || [])];
    out.negative = [...(o.negative || [])].filter((v) => !out.positive.includes(v));
    out.rest_negative = !!o.rest_negative;
  }
  return out;
}

/**
 * Puts the settings the user changed into the config. Only the text is read
 * here (is it a number?); whether the number is allowed is the engine's rule
 * (validateConfig), so the page cannot drift from the CLI.
 */
export function applySettings(config, settings, errors) {
  for (const [key, spec] of Object.entries(SETTINGS)) {
    const text = String(settings[key] ?? '').trim();
    if (text === '') continue;
    /** @type {string | number} */
    let value = text;
    if (!spec.choice) {
      const n = Number(text);
      if (!Number.isFinite(n) || (spec.integer && !(Number.isInteger(n) && n >= 0))) {
        errors.push({ field: `settings.${key}`, text: `${spec.label} must be ${spec.integer ? 'a whole number, 0 or more' : 'a number'}` });
        continue;
      }
      value = n;
    }
    let target = config;
    for (const k of spec.path.slice(0, -1)) target = (target[k] ??= {});
    target[spec.path[spec.path.length - 1]] = value;
  }
}

/** The page field where an engine problem with the config belongs (its `field` is a config path). */
export function pageFieldFor(enginePath) {
  if (!enginePath) return null;
  for (const [key, spec] of Object.entries(SETTINGS)) if (spec.path.join('.') === enginePath) return `settings.${key}`;
  if (/^groups(\[\d+\])?$/.test(enginePath) || enginePath.startsWith('intersections')) return 'attributes';
  const bins = /^bins\.(.+)\.(edges|quantiles)$/.exec(enginePath);
  if (bins) return `bins.${bins[1]}.${bins[2]}`;
  const outcome = /^(decision|label)(?:\.(column|positive|threshold|negative))?/.exec(enginePath);
  if (outcome) return `${outcome[1]}.${outcome[2] === 'negative' || !outcome[2] ? 'positive' : outcome[2]}`;
  if (['weight', 'count', 'strata', 'score', 'reference_group'].includes(enginePath)) return enginePath;
  if (enginePath.startsWith('period')) return 'period';
  return null;
}

/** An engine message as the page's sentence: capital first letter, full stop. */
export function sentence(text) {
  const t = String(text || '').trim();
  return t ? `${t[0].toUpperCase()}${t.slice(1)}${/[.!?)]$/.test(t) ? '' : '.'}` : t;
}

/** The edges typed for a column, as numbers, or null if they are not valid. */
export function parseEdges(text) {
  const parts = String(text ?? '').split(/[,;]|\s+/).map((x) => x.trim()).filter(Boolean);
  if (!parts.length) return null;
  const edges = parts.map(Number);
  if (edges.some((x) => !Number.isFinite(x))) return null;
  for (let i = 1; i < edges.length; i++) if (!(edges[i] > edges[i - 1])) return null;
  return edges;
}

/** The binning chosen for the protected-attribute columns (only chosen columns). */
export function binsConfig(m, groups, errors) {
  const out = {};
  for (const [col, b] of Object.entries(m.bins || {})) {
    if (!groups.includes(col) || !b || !b.mode || b.mode === 'none') continue;
    if (b.mode === 'edges') {
      const edges = parseEdges(b.edges);
      if (!edges) errors.push({ field: `bins.${col}.edges`, text: `Enter the cut points for ${col} as numbers in increasing order, separated by commas, like 25, 35, 50` });
      else out[col] = { edges };
    } else if (b.mode === 'quantiles') {
      const k = Number(String(b.quantiles ?? '').trim());
      if (String(b.quantiles ?? '').trim() === '' || !Number.isInteger(k) || k < 2 || k > 100) errors.push({ field: `bins.${col}.quantiles`, text: `The number of groups for ${col} must be a whole number from 2 to 100` });
      else out[col] = { quantiles: k };
    }
  }
  return out;
}

/** The combinations chosen whose columns are all still chosen. */
export function chosenIntersections(m) {
  const cols = (m.attributes || []).map((a) => a.column);
  const seen = new Set();
  return (m.intersections || []).filter((c) => Array.isArray(c) && c.length >= 2 && c.length <= 3 && new Set(c).size === c.length && c.every((x) => cols.includes(x)))
    .filter((c) => { const k = JSON.stringify(c); if (seen.has(k)) return false; seen.add(k); return true; });
}

/** Every pair (and, with three or more characteristics, triple) of the chosen columns. */
export function possibleIntersections(cols) {
  const out = [];
  for (let i = 0; i < cols.length; i++) for (let j = i + 1; j < cols.length; j++) out.push([cols[i], cols[j]]);
  for (let i = 0; i < cols.length; i++) for (let j = i + 1; j < cols.length; j++) for (let k = j + 1; k < cols.length; k++) out.push([cols[i], cols[j], cols[k]]);
  return out.slice(0, 40);
}

/** Mapping → the engine's AuditConfig (docs/report.md), or errors. */
export function buildConfig(m) {
  const errors = [];
  if (!m.attributes.length) errors.push({ field: 'attributes', text: 'Choose at least one column that records a protected characteristic' });
  if (!m.decision.column) errors.push({ field: 'decision.column', text: 'Choose the column that holds the decision' });
  const config = { groups: m.attributes.map((a) => a.column), decision: m.decision.column ? outcomeColumn(m.decision, 'decision', errors) : null };
  const bins = binsConfig(m, config.groups, errors);
  if (Object.keys(bins).length) config.bins = bins;
  const intersections = chosenIntersections(m);
  if (intersections.length) config.intersections = intersections;
  if (m.label?.column) config.label = outcomeColumn(m.label, 'label', errors);
  if (m.weight) config.weight = m.weight;
  if (m.count) config.count = m.count;
  if (m.sheet) config.sheet = m.sheet;
  if (m.header_row && Number(m.header_row) !== 1) config.header_row = Number(m.header_row);
  if (!m.outcome) errors.push({ field: 'outcome', text: 'Select whether a positive decision helps or harms the person' });
  config.outcome = m.outcome || 'beneficial';
  if (m.reference === 'group') {
    if (!m.reference_group) errors.push({ field: 'reference_group', text: 'Choose the group to compare with' });
    config.reference = { group: m.reference_group };
  } else config.reference = m.reference || 'largest';
  if (m.strata) config.strata = m.strata;
  // With a score the results show ROC, calibration and the threshold explorer.
  if (m.score) config.score = m.score;
  if (m.period?.column) config.period = { column: m.period.column, unit: m.period.unit || 'month', date_order: m.period.date_order || 'dmy' };
  applySettings(config, m.settings || {}, errors);
  for (const [key, name] of [['weight', 'weight'], ['strata', 'strata'], ['count', 'count'], ['score', 'score']]) {
    if (m[key] && config.groups.includes(m[key])) errors.push({ field: key, text: `The ${name} column cannot also be a protected characteristic` });
  }
  if (m.decision.column && config.groups.includes(m.decision.column)) errors.push({ field: 'decision.column', text: 'The decision column cannot also be a protected characteristic' });
  return { config, errors };
}

/** The "what the data covers" summary: sizes, small and missing groups, evidence gap. */
export function coverage(report, m) {
  const small = [];
  const missing = [];
  for (const a of report.attributes || []) {
    for (const g of a.groups || []) {
      if (a.columns?.length > 1) continue; // combinations: their small cells are marked in the results
      if (g.is_missing) missing.push({ column: a.column, n: g.counts?.n, share: g.metrics?.share });
      else if (typeof g.metrics?.share === 'number' && g.metrics.share < 0.02) small.push({ column: a.column, group: g.group, n: g.counts?.n, share: g.metrics.share });
    }
  }
  const mapped = new Set((m?.attributes || []).map((a) => a.characteristic));
  const gap = EQUALITY_CHARACTERISTICS.filter((c) => !mapped.has(c.value));
  return { small, missing, gap };
}

export function describeOutcome(o) {
  if (!o) return '';
  if (o.threshold !== undefined && o.threshold !== null) return `${o.column}: positive when ${o.threshold} or more`;
  return `${o.column}: positive when ${(o.positive || []).join(' or ')}${o.negative?.length ? `; negative when ${o.negative.join(' or ')}` : ''}${o.rest_negative ? '; anything else negative' : ''}`;
}

export function describeBins(bins) {
  const list = Object.entries(bins || {}).map(([col, b]) => (b.edges ? `${col}: cut at ${b.edges.join(', ')}` : `${col}: ${b.quantiles} groups of about equal size`));
  return list.length ? list.join('; ') : 'none';
}

export function describeIntersections(list) {
  return list?.length ? list.map((c) => c.join(' × ')).join(', ') : 'none';
}

export function describeReference(r) {
  if (r && typeof r === 'object') return `the group “${r.group}”`;
  return { largest: 'the largest group', most_favoured: 'the most favoured group', overall: 'everyone else' }[r] || String(r);
}

/** A column whose name says it holds counts (count, n, freq, frequency, cases, total…), to offer as the count column. */
export function likelyCountColumn(columns) {
  return columns.find((c) => /^(n|count|counts|cnt|freq|frequency|cases|num_cases|n_cases|number|total|weight_count)$/i.test(c.name.trim()) && c.numeric) ?? null;
}
