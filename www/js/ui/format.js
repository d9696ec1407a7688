// Number formatting shared by the page, the charts and the exports (and
// mirrored by tests/e2e to compare what is shown with the CLI's JSON).

/**
 * Why the engine left a figure undefined: it writes `{"undefined": reason}`
 * where the number would be. Null for a defined figure.
 * @param {unknown} x
 * @returns {string | null}
 */
export function whyUndefined(x) {
  return x !== null && typeof x === 'object' && typeof (/** @type {{undefined?: unknown}} */ (x)).undefined === 'string'
    ? /** @type {{undefined: string}} */ (x).undefined : null;
}

/**
 * The number of a figure, or null when it is undefined (or not a number).
 * @param {unknown} x
 * @returns {number | null}
 */
export function figure(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

const missing = (x) => x === null || x === undefined || whyUndefined(x) !== null;

export function pct(x, digits = 1) {
  if (missing(x) || Number.isNaN(x)) return 'not defined';
  return `${(x * 100).toFixed(digits)}%`;
}

export function ratio(x, digits = 2) {
  if (missing(x)) return 'not defined';
  if (x === 'infinite') return 'infinite';
  return Number(x).toFixed(digits);
}

export function count(x) {
  if (missing(x)) return 'not defined';
  return Number(x).toLocaleString('en-GB', { maximumFractionDigits: 3 });
}

export function pValue(p) {
  if (missing(p)) return 'not defined';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

export function bytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** A change in rate in percentage points, signed: 0.083 → "+8.3", −0.02 → "−2.0". */
export function signedPoints(x) {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;
}

/** How a report's adjustment method is named in a sentence. */
export function adjustedBy(method) {
  return { holm: 'Holm’s method', bh: 'the Benjamini–Hochberg method', none: 'no adjustment' }[method] ?? method;
}

export function interval(lo, hi, f = pct) {
  if (missing(lo) || missing(hi)) return '';
  return `${f(lo)} to ${f(hi)}`;
}

/** Today's date as YYYY-MM-DD in local time. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// ---- Intersections ------------------------------------------------------------

/** The parts of an intersection group name ("A|B", with "\\|" and "\\\\" escaped). */
export function groupParts(name) {
  const parts = [];
  let cur = '';
  const text = String(name);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) { cur += text[i + 1]; i += 1; } else if (ch === '|') { parts.push(cur); cur = ''; } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** How an attribute is named on the page: "race × sex" for an intersection. */
export function attributeName(a) {
  return a?.columns?.length > 1 ? a.columns.join(' × ') : a?.column ?? '';
}

/** How a group is named on the page: the engine's label ("African-American × Female", "25 to under 35"). */
export function groupName(a, name) {
  const label = a?.groups?.find((g) => g.group === name)?.label;
  if (label !== undefined) return label;
  return a?.columns?.length > 1 ? groupParts(name).join(' × ') : name;
}

/** "X and Y", "X, Y and Z". */
export function andList(items) {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A YYYY-MM-DD answer as people write it: 28 February 2027 (the text as given if it is not one). */
export function longDate(v) {
  const [y, m, d] = String(v).split('-');
  const month = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][Number(m) - 1];
  return month ? `${Number(d)} ${month} ${y}` : String(v);
}

// Bidirectional-override and other invisible control characters in data can
// make text read differently from what it is ("\u202Eevil" shows as "live").
// Every string shown, in the page and in the exports, shows them as [U+XXXX].
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** @param {unknown} text */
export function visible(text) {
  return String(text).replace(CONTROLS, (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** A CSV cell that neutralises spreadsheet formulas: text starting = + - @ tab or CR gets a leading apostrophe. */
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let t = visible(v);
  if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  return `"${t.replace(/"/g, '""')}"`;
}
