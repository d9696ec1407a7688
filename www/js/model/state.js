// The review being written: answers, the column mapping, the results and the
// risk register. Autosaved to this browser's local storage on every change.
// Never saved anywhere: the rows of the data file (only the file's name, size,
// SHA-256 fingerprint and the aggregate results are kept).

export const STORAGE_KEY = 'biasaudit.review.v1';
export const FORMAT = 'biasaudit-review';
export const FORMAT_VERSION = 1;

function randomId() {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export function emptyReview() {
  const now = new Date().toISOString();
  return {
    format: FORMAT,
    format_version: FORMAT_VERSION,
    id: randomId(),
    created: now,
    updated: now,
    answers: {},
    mapping: null, // see data.js: what the board chose in the data step
    dataset: null, // { name, size, last_modified, sha256, sample }
    report: null, // the engine's JSON report (aggregates only)
    engine_version: null,
    risks: [],
    risks_seeded: false,
    conditions: [], // the board's conditions: { id, text, owner, due (YYYY-MM-DD) }
    data_request: null, // the data request as the procurement pack sent it: { sent (YYYY-MM-DD), columns: [{ name, required, permitted?, number? }] }
    // The board's monitoring lines, in the engine's form ({ figure, attribute?, threshold?, notify }),
    // and every check of a new file against this review: see model/monitor.js.
    monitoring: { rules: [], history: [] },
  };
}

export const state = { review: emptyReview(), saveStatus: null };

const listeners = new Set();
export function onSaved(fn) { listeners.add(fn); }

let timer = null;
/** Marks the review changed and schedules an autosave. */
export function touch() {
  state.review.updated = new Date().toISOString();
  clearTimeout(timer);
  timer = setTimeout(saveNow, 250);
}

export function saveNow() {
  clearTimeout(timer);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state.review));
    state.saveStatus = { ok: true, at: new Date() };
  } catch (e) {
    state.saveStatus = { ok: false, error: e };
  }
  for (const fn of listeners) fn(state.saveStatus);
}

export function setAnswer(id, value) {
  const empty = value === '' || value === undefined || value === null || (Array.isArray(value) && value.length === 0);
  if (empty) delete state.review.answers[id];
  else state.review.answers[id] = value;
  touch();
}

export function answer(id) { return state.review.answers[id]; }

export function restore() {
  let text = null;
  try { text = localStorage.getItem(STORAGE_KEY); } catch { return false; }
  if (!text) return false;
  try {
    state.review = sanitiseReview(JSON.parse(text));
    return true;
  } catch {
    return false;
  }
}

export function forget() {
  try { localStorage.removeItem(STORAGE_KEY); } catch { /* storage unavailable */ }
  state.review = emptyReview();
}

// ---- Loading a review file (which may come from anyone) ---------------------

const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
const str = (x, max = 100_000) => (typeof x === 'string' ? x.slice(0, max) : undefined);

function cleanAnswers(raw) {
  const out = {};
  if (!isObj(raw)) return out;
  for (const [k, v] of Object.entries(raw)) {
    if (typeof k !== 'string' || k.length > 200 || k === '__proto__') continue;
    if (typeof v === 'string') out[k] = v.slice(0, 100_000);
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string').map((x) => x.slice(0, 1000)).slice(0, 100);
  }
  return out;
}

function cleanRisks(raw) {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObj).slice(0, 500).map((r) => {
    const out = {};
    for (const key of ['id', 'source', 'title', 'group', 'likelihood', 'severity', 'owner', 'mitigation', 'status']) {
      const v = str(r[key], 10_000);
      if (v !== undefined) out[key] = v;
    }
    out.id ||= randomId();
    return out;
  });
}

function cleanDataRequest(raw) {
  if (!isObj(raw) || !Array.isArray(raw.columns)) return null;
  const columns = raw.columns.filter((c) => isObj(c) && str(c.name, 1000)).slice(0, 500).map((c) => ({
    name: str(c.name, 1000), required: c.required === true,
    ...(Array.isArray(c.permitted) ? { permitted: c.permitted.filter((v) => typeof v === 'string').slice(0, 100).map((v) => v.slice(0, 1000)) } : {}),
    ...(c.number === true ? { number: true } : {}),
  }));
  return { sent: /^\d{4}-\d{2}-\d{2}$/.test(raw.sent ?? '') ? raw.sent : null, columns };
}

function cleanConditions(raw) {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObj).slice(0, 500).map((c) => {
    const out = { id: str(c.id, 64) || randomId(), text: '', owner: '', due: '' };
    for (const key of ['text', 'owner']) out[key] = str(c[key], 10_000) ?? '';
    // A due date as the date input writes it (year-month-day, perhaps part typed); anything else is dropped.
    const due = str(c.due, 11) ?? '';
    out.due = /^\d{0,4}-\d{0,2}-\d{0,2}$/.test(due) ? due : '';
    return out;
  });
}

function cleanMonitoring(raw) {
  if (!isObj(raw)) return { rules: [], history: [] };
  // The engine checks each rule (monitorRuleProblems) before it is used.
  const rules = (Array.isArray(raw.rules) ? raw.rules : []).filter((r) => isObj(r) && str(r.figure, 40)).slice(0, 50).map((r) => ({
    figure: r.figure,
    ...(str(r.attribute, 1000) ? { attribute: str(r.attribute, 1000) } : {}),
    ...(Number.isFinite(r.threshold) ? { threshold: r.threshold } : {}),
    notify: str(r.notify, 1000) ?? '',
  }));
  const count = (x) => (Number.isInteger(x) && x >= 0 ? x : null);
  const history = (Array.isArray(raw.history) ? raw.history : []).filter(isObj).slice(-500).map((e) => ({
    checked: str(e.checked, 64) ?? null,
    file: str(e.file, 1000) ?? null,
    sha256: /^[0-9a-f]{64}$/.test(e.sha256 ?? '') ? e.sha256 : null,
    rows: count(e.rows),
    covered: str(e.covered, 200) ?? null,
    alerts: count(e.alerts),
    watches: count(e.watches),
    summary: (Array.isArray(e.summary) ? e.summary : []).filter((x) => typeof x === 'string').slice(0, 20).map((x) => x.slice(0, 2000)),
  }));
  return { rules, history };
}

/**
 * Turns parsed JSON (a saved review file or the autosave) into a review
 * object, keeping only known fields of the right types. Throws an Error with
 * a plain-English message when it is not a review file.
 */
export function sanitiseReview(raw) {
  if (!isObj(raw)) throw new Error('The file is not a biasaudit review file: it does not contain a JSON object.');
  const src = isObj(raw.review) && raw.format === FORMAT ? raw.review : raw;
  if (src.format !== FORMAT) throw new Error('The file is not a biasaudit review file: its “format” is not “biasaudit-review”.');
  if (typeof src.format_version !== 'number' || src.format_version > FORMAT_VERSION) {
    throw new Error(`The review file is format version ${String(src.format_version).slice(0, 20)}, which this page cannot read. Use a newer version of the page.`);
  }
  const review = emptyReview();
  review.id = str(src.id, 64) || review.id;
  review.created = str(src.created, 64) || review.created;
  review.updated = str(src.updated, 64) || review.updated;
  review.answers = cleanAnswers(src.answers);
  // Reviews saved before the audit file's lawful basis moved to the data step.
  if (review.answers['system.audit_basis'] !== undefined) {
    review.answers['data.audit_basis'] ??= review.answers['system.audit_basis'];
    delete review.answers['system.audit_basis'];
  }
  review.mapping = isObj(src.mapping) ? JSON.parse(JSON.stringify(src.mapping)) : null;
  review.dataset = isObj(src.dataset) ? {
    name: str(src.dataset.name, 1000) ?? null,
    size: Number.isFinite(src.dataset.size) ? src.dataset.size : null,
    last_modified: str(src.dataset.last_modified, 64) ?? null,
    sha256: /^[0-9a-f]{64}$/.test(src.dataset.sha256 ?? '') ? src.dataset.sha256 : null,
    sample: str(src.dataset.sample, 100) ?? null,
  } : null;
  review.report = isObj(src.report) && src.report.schema_version === 3 && Array.isArray(src.report.attributes) ? src.report : null;
  review.engine_version = str(src.engine_version, 100) ?? null;
  review.risks = cleanRisks(src.risks);
  review.conditions = cleanConditions(src.conditions);
  // Reviews saved when the conditions were lines of one answer: a condition per line, its owner and due date to add.
  const lines = typeof review.answers['decision.conditions'] === 'string' ? review.answers['decision.conditions'].split('\n').map((x) => x.trim()).filter(Boolean) : [];
  if (!review.conditions.length) review.conditions = lines.map((text) => ({ id: randomId(), text, owner: '', due: '' }));
  delete review.answers['decision.conditions'];
  review.risks_seeded = src.risks_seeded === true;
  review.data_request = cleanDataRequest(src.data_request);
  review.monitoring = cleanMonitoring(src.monitoring);
  return review;
}
