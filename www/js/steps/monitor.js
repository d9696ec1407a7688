// Step 12, Monitoring: a new file of the system's decisions checked with the
// review's own settings and compared with the reviewed figures, group by
// group: the change with its range and test, the board's lines as alerts,
// new and vanished groups, and (with a date column) each group's ratio
// period by period. Each check can be kept in the review's history, and
// saved as a monitoring report. The engine does every comparison.
import * as engine from '../engine/engine.js';
import { settingChoices } from '../model/mapping.js';
import { baselineText, engineRuleProblems, historyEntry, ruleCharacteristics, ruleText } from '../model/monitor.js';
import { state, touch } from '../model/state.js';
import { add, download, h, scrollTable } from '../ui/dom.js';
import { elementMarkdown, fileStem, standaloneHtml } from '../ui/export.js';
import { adjustedBy, bytes, count, longDate, pValue, pct, signedPoints, today, whyUndefined } from '../ui/format.js';
import { field } from '../ui/forms.js';
import { periodSection, verdictText } from '../ui/period-section.js';

/** Only in memory: the new file, its columns, the check running and its result. */
const monitor = { reviewId: null, file: null, columns: null, period: { column: '', unit: 'month', date_order: 'dmy' }, job: null, progress: null, result: null, checked: null, kept: false };


function th(text, numeric = false) { return h('th', { class: ['govuk-table__header', numeric && 'govuk-table__header--numeric'], scope: 'col' }, text); }
function td(text, numeric = false) { return h('td', { class: ['govuk-table__cell', numeric && 'govuk-table__cell--numeric'] }, text); }
function row(key, value) { return h('div', { class: 'govuk-summary-list__row' }, h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, value)); }
const attributeLabel = (column) => ruleCharacteristics(monitor.result?.report).find((c) => c.column === column)?.label ?? column;

function rateText(f) {
  const range = f.interval ? ` (${pct(f.interval.lower)} to ${pct(f.interval.upper)})` : '';
  return `${pct(f.rate)}${range}, n = ${count(f.n)}`;
}

function changeText(g) {
  const d = g.change;
  if (!d || whyUndefined(d) !== null) return whyUndefined(d) ?? '—';
  return `${signedPoints(d.estimate)} (${signedPoints(d.lower)} to ${signedPoints(d.upper)})`;
}

// ---- The check's result, as shown and as exported ------------------------------

function alertsSection(m) {
  const alerts = m.alerts.filter((a) => a.level === 'alert');
  const watches = m.alerts.filter((a) => a.level === 'watch');
  // The characteristic first: a group's name (such as "Other") can be in more than one.
  const item = (a) => h('li', null, h('strong', null, attributeLabel(a.attribute)), ' — ', a.sentence, a.notify ? ` Tell: ${a.notify}.` : '');
  return h('div', { id: 'monitor-alerts' },
    m.summary.map((line) => h('p', { class: 'govuk-body-l' }, line)),
    alerts.length ? h('div', { class: 'ba-monitor-alert' }, h('h3', { class: 'govuk-heading-m' }, alerts.length === 1 ? '1 alert' : `${alerts.length} alerts`),
      h('ul', { class: 'govuk-list govuk-list--bullet' }, alerts.map(item))) : null,
    watches.length ? h('div', { class: 'ba-monitor-watch' }, h('h3', { class: 'govuk-heading-m' }, watches.length === 1 ? '1 to watch' : `${watches.length} to watch`),
      h('p', { class: 'govuk-body' }, 'A line is crossed by the estimate, but its range reaches back within the line: not yet clear of chance.'),
      h('ul', { class: 'govuk-list govuk-list--bullet' }, watches.map(item))) : null);
}

function attributeSection(a, m, k) {
  const compared = a.groups.find((g) => g.group === a.compared_with)?.label ?? a.compared_with;
  const table = h('table', { class: 'govuk-table', id: `monitor-table-${k}` },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${attributeLabel(a.column)}: each group at the review and now`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
      th('Group'), th('At the review'), th('Now'), th('Change in points (range)'), th('Adjusted p', true), th('Verdict then → now'))),
    h('tbody', { class: 'govuk-table__body' }, a.groups.map((g) => h('tr', { class: 'govuk-table__row', 'data-group': g.group },
      h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, g.label)), td(rateText(g.reviewed)), td(rateText(g.now)),
      td(changeText(g)), td(g.adjusted_p === null || g.adjusted_p === undefined ? '—' : pValue(g.adjusted_p), true),
      td(`${verdictText(g.reviewed.verdict)} → ${verdictText(g.now.verdict)}`)))));
  const groups = (list) => list.map((g) => `${g.label} (${count(g.n)})`).join(', ');
  return [
    h('h3', { class: 'govuk-heading-m', id: `monitor-attribute-${k}` }, h('bdi', null, attributeLabel(a.column))),
    h('p', { class: 'govuk-body' }, `Ratios compare each group with ${compared ?? 'everyone else'}, as the review did. Changes in rate are given with ranges at ${(a.changes_family.interval_confidence * 100).toFixed(2)}%, adjusted by ${adjustedBy(a.changes_family.method)} across ${a.changes_family.tests} tests.`),
    scrollTable(table, `${attributeLabel(a.column)}: at the review and now`),
    a.new_groups.length ? h('p', { class: 'govuk-body', 'data-new-groups': '' }, `New since the review: ${groups(a.new_groups)}. They have no reviewed figure to compare with.`) : null,
    a.vanished_groups.length ? h('p', { class: 'govuk-body', 'data-vanished-groups': '' }, `In the review but not in the new file: ${groups(a.vanished_groups)}.`) : null,
    periodSection(m.report, a.column, { id: `monitor-periods-${k}`, name: attributeLabel(a.column) }),
  ];
}

/** The monitoring report: shown on the page, and saved as HTML, Markdown or printed. */
export function monitorElement(m, fileName) {
  const info = m.baseline;
  const rules = m.rules.map((r) => `${ruleText(r, attributeLabel)}${r.notify ? ` (tell ${r.notify})` : ''}`);
  return h('article', { id: 'monitor-report', 'aria-labelledby': 'monitor-report-heading' },
    h('h2', { class: 'govuk-heading-l', id: 'monitor-report-heading', tabindex: '-1' }, 'Monitoring report', h('span', { class: 'govuk-caption-m' }, state.review.answers['system.name'] || 'Unnamed system')),
    alertsSection(m),
    h('h3', { class: 'govuk-heading-m' }, 'What was compared'),
    h('dl', { class: 'govuk-summary-list' },
      row('Checked', longDate(monitor.checked?.slice(0, 10) ?? today())),
      row('Reviewed file', `${info.file ?? 'not named'}: ${count(info.rows)} rows`),
      row('Reviewed file’s fingerprint (SHA-256)', h('code', { class: 'ba-hash' }, info.sha256 ?? 'not recorded')),
      row('New file', `${fileName ?? 'not named'}: ${count(m.rows)} rows`),
      row('New file’s fingerprint (SHA-256)', h('code', { class: 'ba-hash', id: 'monitor-sha256' }, m.sha256 ?? 'being calculated…')),
      m.covered ? row('Period covered', m.covered) : null,
      row(m.default_rules ? 'Rule (the board set no lines)' : 'The board’s lines', rules.length === 1 ? rules[0] : h('ol', { class: 'govuk-list govuk-list--number' }, rules.map((r) => h('li', null, r))))),
    m.attributes.map((a, k) => attributeSection(a, m, k)));
}

// ---- The step ---------------------------------------------------------------------------

async function openFile(file, ctx) {
  // A check still running is for the file being replaced.
  monitor.job?.cancel();
  monitor.job = null;
  monitor.file = file;
  monitor.columns = null;
  monitor.result = null;
  ctx.setErrors([]);
  try {
    // A workbook: the review's sheet (the new file is checked with the review's settings, its sheet included).
    const reviewed = state.review.report?.config;
    const preview = await engine.previewFile(file, { maxRows: 0, sheet: reviewed?.sheet ?? null, headerRow: reviewed?.header_row ?? 1 });
    monitor.columns = preview.columns.map((c) => c.name);
    // The review's own date column if it had one; else a column named like a decision date (not a date of birth).
    const dated = reviewed?.period;
    if (dated && monitor.columns.includes(dated.column)) monitor.period = { column: dated.column, unit: dated.unit ?? 'month', date_order: dated.date_order ?? 'dmy' };
    else if (!monitor.columns.includes(monitor.period.column)) monitor.period.column = monitor.columns.find((c) => /date|month|period|when/i.test(c) && !/birth|dob/i.test(c)) ?? '';
    ctx.rerender({ focus: 'monitor-file-chosen' });
  } catch (e) {
    monitor.file = null;
    ctx.setErrors([{ target: 'monitor-file', text: `The file could not be read: ${e.message}` }]);
    ctx.rerender({ focusErrors: true });
  }
}

async function check(ctx) {
  const errors = [];
  if (!monitor.file) errors.push({ target: 'monitor-file', text: 'Choose the new file of decisions' });
  const rules = state.review.monitoring.rules;
  if (rules.length) {
    const problems = await engineRuleProblems(engine.monitorRules, rules);
    for (const p of problems) errors.push({ target: 'monitor-rules', text: `${String(p.message).replace(/^monitoring rule/, 'Line')}. Change it in the Decision step.` });
  }
  let settings = null;
  const text = baselineText();
  if (!errors.length) {
    try { settings = await engine.readBaseline(text); } catch (e) { errors.push({ target: 'monitor-file', text: `The review cannot be monitored: ${e.message}` }); }
  }
  if (errors.length) {
    ctx.setErrors(errors);
    ctx.rerender({ focusErrors: true });
    return;
  }
  const config = { ...settings.config, period: monitor.period.column ? { column: monitor.period.column, unit: monitor.period.unit, date_order: monitor.period.date_order } : null };
  ctx.setErrors([]);
  monitor.result = null;
  monitor.kept = false;
  const job = engine.monitorFile(monitor.file, config, text, {
    onProgress(p) {
      const bar = /** @type {HTMLProgressElement | null} */ (document.getElementById('monitor-progress-bar'));
      if (bar) { const v = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0; bar.value = v; bar.textContent = `${v}%`; }
    },
  });
  monitor.job = job;
  ctx.rerender({ focus: 'monitor-cancel' });
  // What arrives after the check was replaced, or after the reader left this step, is dropped or kept quietly.
  const here = () => location.hash === '#/monitor';
  try {
    const result = await job.promise;
    if (monitor.job !== job) return;
    monitor.result = result;
    monitor.checked = new Date().toISOString();
    monitor.job = null;
    if (here()) ctx.rerender({ focus: 'monitor-report-heading' });
    const hex = await job.fingerprint;
    if (monitor.result !== result) return;
    if (!result.sha256) monitor.result = { ...result, sha256: hex, report: { ...result.report, input: { ...result.report.input, sha256: hex } } };
    const el = document.getElementById('monitor-sha256');
    if (el) el.textContent = hex;
    // A check is kept with the fingerprint of its file, so only once that is known.
    const keep = /** @type {HTMLButtonElement | null} */ (document.getElementById('monitor-keep'));
    if (keep && !monitor.kept) { keep.disabled = false; keep.textContent = 'Add this check to the review’s history'; }
  } catch (e) {
    if (monitor.job !== job) return;
    monitor.job = null;
    job.cancel();
    if (!here()) return;
    if (e.name === 'AbortError') {
      ctx.setErrors([{ target: 'monitor-check', text: 'You cancelled the check. Check the file again when you are ready.' }]);
    } else {
      const where = [e.line ? `line ${e.line}` : null, e.column ? `column “${e.column}”` : null].filter(Boolean).join(', ');
      const detail = e.detail || e.message || String(e);
      ctx.setErrors([{ target: e.column && e.column === monitor.period.column ? 'f-monitor-period' : 'monitor-file', text: where ? `The new file could not be compared at ${where}: ${detail}` : `The new file could not be compared: ${detail}` }]);
    }
    ctx.rerender({ focusErrors: true });
  }
}

function reviewSection() {
  const r = state.review;
  const reviewedGroups = r.report.attributes.map((a) => `${a.columns?.length > 1 ? a.columns.join(' × ') : a.column}: ${a.reference?.group ? (a.groups.find((g) => g.group === a.reference.group)?.label ?? a.reference.group) : 'everyone else'}`);
  const rules = r.monitoring.rules;
  return [
    h('h2', { class: 'govuk-heading-m' }, 'The review'),
    h('dl', { class: 'govuk-summary-list' },
      row('Reviewed file', `${r.dataset?.name ?? 'not named'}: ${count(r.report.input.rows_used)} rows`),
      row('Fingerprint (SHA-256)', h('code', { class: 'ba-hash' }, r.report.input.sha256 ?? r.dataset?.sha256 ?? 'not recorded')),
      row('Compared with', reviewedGroups.join('; '))),
    h('h2', { class: 'govuk-heading-m', id: 'monitor-rules', tabindex: '-1' }, 'The board’s lines'),
    rules.length
      ? h('ol', { class: 'govuk-list govuk-list--number' }, rules.map((x) => h('li', null, `${ruleText(x)}${x.notify ? `; tell ${x.notify}` : ''}`)))
      : h('p', { class: 'govuk-body' }, 'The board set no lines, so an alert is raised where the check’s verdict is “adverse impact indicated”, as in the results.'),
    h('p', { class: 'govuk-body' }, h('a', { class: 'govuk-link', href: '#/decision' }, 'Change the lines in the Decision step')),
  ];
}

function fileSection(ctx) {
  const input = h('input', { class: 'govuk-file-upload', id: 'monitor-file', type: 'file', accept: '.csv,.tsv,.txt,text/csv,.xlsx,.xls,.ods', 'aria-describedby': 'monitor-file-hint' });
  input.addEventListener('change', () => { if (input.files[0]) openFile(input.files[0], ctx); });
  const err = ctx.errors.find((e) => e.target === 'monitor-file');
  const parts = [
    h('h2', { class: 'govuk-heading-m' }, 'The new file'),
    h('div', { class: ['govuk-form-group', err && 'govuk-form-group--error'] },
      h('label', { class: 'govuk-label govuk-label--s', for: 'monitor-file' }, 'Choose a recent file of the system’s decisions'),
      h('div', { class: 'govuk-hint', id: 'monitor-file-hint' }, 'It needs the same columns as the reviewed file. It is read on this computer and never uploaded.'),
      err ? h('p', { class: 'govuk-error-message' }, h('span', { class: 'govuk-visually-hidden' }, 'Error: '), err.text) : null,
      input),
  ];
  if (monitor.file && monitor.columns) {
    const set = (key) => (_, v) => { monitor.period[key] = v; if (key === 'column') ctx.rerender({ focus: 'f-monitor-period' }); };
    parts.push(h('p', { class: 'govuk-body', id: 'monitor-file-chosen', tabindex: '-1' }, `Chosen: ${monitor.file.name} (${bytes(monitor.file.size)}).`),
      field({ id: 'monitor.period', type: 'select', label: 'Which column holds the date of each decision? (optional)', hint: 'With a date, each group’s figures are also shown period by period.', options: [{ value: '', label: 'No date column' }, ...monitor.columns.map((c) => ({ value: c, label: c }))] },
        ctx.fieldErrors, { value: monitor.period.column, set: set('column') }));
    if (monitor.period.column) {
      parts.push(field({ id: 'monitor.unit', type: 'radios', noClear: true, label: 'Group the dates by', options: settingChoices('period_unit') }, ctx.fieldErrors, { value: monitor.period.unit, set: set('unit') }),
        field({ id: 'monitor.date_order', type: 'radios', noClear: true, label: 'Dates written with the year last are', options: settingChoices('date_order') }, ctx.fieldErrors, { value: monitor.period.date_order, set: set('date_order') }));
    }
  }
  if (monitor.job) {
    const cancel = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: 'monitor-cancel' }, 'Cancel the check');
    cancel.addEventListener('click', () => monitor.job?.cancel());
    parts.push(h('div', { class: 'ba-progress', role: 'status' }, h('p', { class: 'govuk-body' }, 'Comparing the new file with the review…'),
      h('progress', { id: 'monitor-progress-bar', max: 100, value: 0 }, '0%')), cancel);
  } else {
    const go = h('button', { type: 'button', class: 'govuk-button', id: 'monitor-check' }, 'Compare with the review');
    go.addEventListener('click', () => check(ctx));
    parts.push(go);
  }
  return parts;
}


function resultSection(ctx) {
  if (!monitor.result) return null;
  // The fingerprint may arrive after this is drawn: each button reads the result as it is then.
  const current = () => monitor.result;
  const status = h('p', { class: 'govuk-body', id: 'monitor-export-status', 'aria-live': 'polite' });
  const button = (id, text, fn) => {
    const b = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id }, text);
    b.addEventListener('click', fn);
    return b;
  };
  const hashed = Boolean(current().sha256);
  const keep = button('monitor-keep', monitor.kept ? 'Kept in the review’s history' : hashed ? 'Add this check to the review’s history' : 'Add this check to the review’s history (once the fingerprint is calculated)', () => {
    if (monitor.kept || !current().sha256) return;
    state.review.monitoring.history.push(historyEntry(current(), monitor.file?.name, monitor.checked ?? undefined));
    monitor.kept = true;
    touch();
    ctx.rerender({ focus: 'monitor-history-heading' });
  });
  if (monitor.kept) keep.setAttribute('aria-disabled', 'true');
  else if (!hashed) /** @type {HTMLButtonElement} */ (keep).disabled = true;
  const element = () => monitorElement(current(), monitor.file?.name);
  return [
    element(),
    h('h2', { class: 'govuk-heading-m' }, 'Keep and save this check'),
    h('div', { class: 'govuk-button-group ba-export' },
      keep,
      button('monitor-export-html', 'Save the monitoring report (HTML)', () => { download(`${fileStem('monitoring')}.html`, 'text/html', standaloneHtml(`Monitoring report: ${state.review.answers['system.name'] || 'Unnamed system'}`, element())); status.textContent = 'The HTML monitoring report saved to your downloads folder.'; }),
      button('monitor-export-md', 'Save the monitoring report (Markdown)', () => { download(`${fileStem('monitoring')}.md`, 'text/markdown', elementMarkdown(element())); status.textContent = 'The Markdown monitoring report saved to your downloads folder.'; }),
      button('monitor-export-json', 'Save the monitoring report (JSON)', () => { download(`${fileStem('monitoring')}.json`, 'application/json', `${JSON.stringify(current(), null, 2)}\n`); status.textContent = 'The JSON monitoring report saved to your downloads folder.'; }),
      button('monitor-export-print', 'Print or save as PDF', () => window.print())),
    status,
  ];
}

function historySection() {
  const list = state.review.monitoring.history;
  return [
    h('h2', { class: 'govuk-heading-m', id: 'monitor-history-heading', tabindex: '-1' }, 'Checks kept in this review'),
    list.length
      ? scrollTable(h('table', { class: 'govuk-table', id: 'monitor-history' },
        h('caption', { class: 'govuk-table__caption govuk-table__caption--s govuk-visually-hidden' }, 'Every check of a new file kept in this review'),
        h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, th('Checked'), th('File'), th('Rows', true), th('Period'), th('Alerts', true), th('To watch', true), th('Fingerprint (SHA-256)'))),
        h('tbody', { class: 'govuk-table__body' }, list.map((e) => h('tr', { class: 'govuk-table__row' },
          td(e.checked ? longDate(e.checked.slice(0, 10)) : '—'), td(e.file ?? '—'), td(count(e.rows), true), td(e.covered ?? '—'), td(count(e.alerts), true), td(count(e.watches), true),
          td(h('code', { class: 'ba-hash' }, e.sha256 ?? 'not recorded')))))), 'Checks kept in this review')
      : h('p', { class: 'govuk-body' }, 'None yet.'),
    h('p', { class: 'govuk-body' }, 'The history is saved in this browser with the review. Save the review file in ', h('a', { class: 'govuk-link', href: '#/record' }, 'Record and export'), ' to keep it: a year of monitoring is one file.'),
  ];
}

export function renderMonitor(root, ctx) {
  // Another review opened, or its data checked again: what was compared with the old one is of no use.
  const reviewKey = `${state.review.id}:${state.review.report?.input?.sha256 ?? ''}:${state.review.report?.input?.rows_used ?? ''}:${JSON.stringify(state.review.report?.config ?? null)}`;
  if (monitor.reviewId !== reviewKey) {
    const running = monitor.job;
    monitor.job = null;
    running?.cancel();
    Object.assign(monitor, { reviewId: reviewKey, file: null, columns: null, job: null, result: null, checked: null, kept: false });
  }
  add(root, h('p', { class: 'govuk-body-l' }, 'Once the system is in use, check a recent file of its decisions against this review: the same settings, each group’s figures then and now, and the lines the board set.'));
  if (!state.review.report) {
    add(root, h('div', { class: 'govuk-inset-text', id: 'monitor-no-review' },
      h('p', { class: 'govuk-body' }, 'This review has no results to compare with yet.'),
      h('p', { class: 'govuk-body govuk-!-margin-bottom-0' }, 'Check the reviewed data in the ', h('a', { class: 'govuk-link', href: '#/data' }, 'Data step'), ', or open the board’s review file on the ', h('a', { class: 'govuk-link', href: '#/start' }, 'Start page'), '.')));
    return;
  }
  add(root, reviewSection(), fileSection(ctx), resultSection(ctx), historySection());
}
