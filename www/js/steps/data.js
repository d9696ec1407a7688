// Step 5, Data: open a file (or a sample), preview it, map its columns,
// and run the audit in the browser with a progress bar and cancel.
import * as engine from '../engine/engine.js';
import { SETTINGS, likelyCountColumn, settingChoices, buildConfig, chosenIntersections, coverage, defaultSetting, describeBins, describeIntersections, describeOutcome, describeReference, emptyMapping, mapping, pageFieldFor, possibleIntersections, sentence, setDefaults } from '../model/mapping.js';
import { DATA_QUESTIONS, EQUALITY_CHARACTERISTICS, OTHER_ATTRIBUTES, characteristicLabel } from '../model/questions.js';
import { checkAgainstRequest, dataRequest, dataRequestCsv, dataRequestTemplate, freezeDataRequest } from '../model/procurement.js';
import { SAMPLES, fetchSample } from '../model/samples.js';
import { FINGERPRINT_PENDING, dropFingerprint, session } from '../model/session.js';
import { saveNow, state, touch } from '../model/state.js';
import { add, clear, download, h, s } from '../ui/dom.js';
import { attributeName, bytes, count, groupName, longDate, pct, today } from '../ui/format.js';
import { domId, field, helpDetails } from '../ui/forms.js';

/** Puts the fingerprint wherever the page shows it, once it has arrived. */
function showFingerprint(text) {
  for (const el of document.querySelectorAll('[data-fingerprint]')) el.textContent = text;
}

/** Waits for the fingerprint that `job` is still calculating for `report`. */
function awaitFingerprint(job, report) {
  const pending = { cancel: job.cancel };
  pending.promise = job.fingerprint.then((hex) => {
    if (state.review.report !== report) return; // a newer check replaced this one
    report.input.sha256 = hex;
    state.review.dataset.sha256 = hex;
    saveNow();
    showFingerprint(hex);
  }, (e) => {
    if (state.review.report !== report || e.name === 'AbortError') return;
    showFingerprint(`Not calculated: ${e.message}`);
  }).finally(() => {
    if (session.fingerprint === pending) session.fingerprint = null;
  });
  session.fingerprint = pending;
}

/** Asks the engine for its defaults once; the settings show them when they arrive. */
export function loadDefaults() {
  return engine.engineRules().then(({ config, options }) => {
    setDefaults(config, options);
    fillDefaultSettings();
  }, () => { /* an engine that cannot start is reported when the data is checked */ });
}

/** Shows the engine's defaults in settings fields already drawn and not changed. */
function fillDefaultSettings() {
  const changed = state.review.mapping?.settings || {};
  for (const key of Object.keys(SETTINGS)) {
    if (changed[key] !== undefined) continue;
    const id = domId(`settings.${key}`);
    const value = defaultSetting(key);
    for (const el of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll(`input[name="${id}"], input#${id}`))) {
      if (el.type === 'radio') el.checked = el.value === value;
      else if (el.value === '') el.value = value;
    }
  }
}

function columnNames() { return session.preview ? session.preview.columns.map((c) => c.name) : []; }
function column(name) { return session.preview?.columns.find((c) => c.name === name) || null; }

// ---- Opening files -------------------------------------------------------------

async function openFile(file, ctx, { sample = null } = {}) {
  session.file = file;
  session.sample = sample;
  session.preview = null;
  ctx.setErrors([]);
  ctx.rerender();
  const kept = state.review.mapping;
  try {
    // A saved review's sheet first; if this workbook has no such sheet, its first.
    const choice = { sheet: kept?.sheet || null, headerRow: kept?.header_row || 1 };
    session.preview = await engine.previewFile(file, { maxRows: 10, ...choice }).catch((e) => {
      if (!sample && (choice.sheet || choice.headerRow !== 1) && (e.field === 'sheet' || e.field === 'header_row')) return engine.previewFile(file, { maxRows: 10 });
      throw e;
    });
  } catch (e) {
    session.file = null;
    ctx.setErrors([{ target: 'data-file', text: `The file could not be read: ${e.message}` }]);
    ctx.rerender({ focusErrors: true });
    return;
  }
  const names = columnNames();
  const m = state.review.mapping;
  if (sample) {
    state.review.mapping = JSON.parse(JSON.stringify(sample.mapping));
    for (const [k, v] of Object.entries(sample.system || {})) if (!state.review.answers[k]) state.review.answers[k] = v;
  } else if (m) {
    // Keep a mapping whose columns are all in this file (the same file reopened).
    const used = [...m.attributes.map((a) => a.column), m.decision?.column, m.label?.column, m.weight, m.count, m.strata, m.score, m.period?.column].filter(Boolean);
    if (!used.every((c) => names.includes(c))) state.review.mapping = emptyMapping();
  } else state.review.mapping = emptyMapping();
  keepSheet();
  touch();
  ctx.rerender({ focus: 'data-preview-heading' });
}

/** The sheet the preview shows is the one the audit reads. */
function keepSheet() {
  const w = session.preview?.workbook;
  state.review.mapping.sheet = w ? w.sheet : '';
  state.review.mapping.header_row = w ? w.header_row : 1;
}

/** Shows another sheet, or the same one with its column names on another row. */
async function readSheet(ctx, sheet, headerRow) {
  const errors = [];
  const row = Number(headerRow);
  if (!Number.isInteger(row) || row < 1) errors.push({ target: 'data-header-row', text: 'Enter the row of the column names as a whole number, 1 for the first row' });
  if (errors.length) { ctx.setErrors(errors); ctx.rerender({ focusErrors: true }); return; }
  let preview;
  try {
    preview = await engine.previewFile(session.file, { maxRows: 10, sheet, headerRow: row });
  } catch (e) {
    ctx.setErrors([{ target: e.field === 'sheet' ? 'data-sheet' : 'data-header-row', text: `That sheet could not be read: ${e.message}` }]);
    ctx.rerender({ focusErrors: true });
    return;
  }
  session.preview = preview;
  const names = columnNames();
  const m = state.review.mapping;
  const used = [...m.attributes.map((a) => a.column), m.decision?.column, m.label?.column, m.weight, m.count, m.strata, m.score, m.period?.column].filter(Boolean);
  if (!used.every((c) => names.includes(c))) state.review.mapping = emptyMapping();
  keepSheet();
  ctx.setErrors([]);
  touch();
  ctx.rerender({ focus: 'data-preview-heading' });
}

/** For a workbook: which sheet, and the row of its column names. */
function sheetChoice(ctx) {
  const w = session.preview?.workbook;
  if (!w) return null;
  const select = h('select', { class: 'govuk-select', id: 'data-sheet' }, w.sheets.map((name) => h('option', { value: name, selected: name === w.sheet || null }, name)));
  const row = h('input', { class: 'govuk-input govuk-input--width-5', id: 'data-header-row', type: 'text', inputmode: 'numeric', spellcheck: 'false', value: String(w.header_row), 'aria-describedby': 'data-header-row-hint' });
  const show = button('data-sheet-read', 'Show this sheet', () => readSheet(ctx, select.value, row.value.trim()), 'govuk-button--secondary');
  return h('div', { class: 'govuk-inset-text', id: 'data-workbook' },
    h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: 'data-sheet' }, 'Sheet'), select),
    h('div', { class: 'govuk-form-group' },
      h('label', { class: 'govuk-label', for: 'data-header-row' }, 'Row of the column names'),
      h('div', { class: 'govuk-hint', id: 'data-header-row-hint' }, 'Rows above it, such as a title, are left out, and so are empty rows.'),
      row),
    show);
}

// ---- Rendering -------------------------------------------------------------------

function fileSection(ctx) {
  const input = h('input', { class: 'govuk-file-upload', id: 'data-file', name: 'data-file', type: 'file', accept: '.csv,.tsv,.txt,text/csv,.xlsx,.xls,.ods', 'aria-describedby': 'data-file-hint' });
  input.addEventListener('change', () => { if (input.files[0]) openFile(input.files[0], ctx); });
  const drop = h('div', { class: 'ba-dropzone', id: 'data-drop' },
    h('p', { class: 'govuk-body govuk-!-margin-bottom-0' }, 'Or drag a file and drop it here.'));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('ba-dropzone--over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('ba-dropzone--over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('ba-dropzone--over');
    const file = e.dataTransfer?.files?.[0];
    if (file) openFile(file, ctx);
  });
  const samples = h('div', { class: 'ba-samples' }, SAMPLES.map((sample) => {
    const b = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: `sample-${sample.id}`, 'aria-describedby': `sample-${sample.id}-desc` }, `Use the sample: ${sample.title}`);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try { await openFile(await fetchSample(sample), ctx, { sample }); } catch (e) {
        ctx.setErrors([{ target: b.id, text: e.message }]);
        ctx.rerender({ focusErrors: true });
      }
    });
    return h('div', { class: 'ba-sample' }, b, h('p', { class: 'govuk-body-s', id: `sample-${sample.id}-desc` }, sample.description));
  }));
  const current = session.file
    ? h('p', { class: 'govuk-body', id: 'data-current' }, 'Open file: ', h('strong', null, session.file.name), ` (${bytes(session.file.size)})`,
      session.preview ? '' : ' — reading…')
    : state.review.dataset
      ? h('div', { class: 'govuk-inset-text', id: 'data-current' },
        h('p', { class: 'govuk-body' }, 'This review has results from ', h('strong', null, state.review.dataset.name || 'a file'),
          state.review.dataset.sha256 ? ` (SHA-256 ${state.review.dataset.sha256.slice(0, 16)}…)` : '', '. The file itself was not saved.'),
        h('p', { class: 'govuk-body govuk-!-margin-bottom-0' }, 'To change the columns or check again, open the same file. The page will tell you if its fingerprint differs.'))
      : null;
  const learning = state.review.answers['start.type'] === 'learning';
  const sampleBlock = [h('h3', { class: 'govuk-heading-s' }, learning ? 'Sample datasets for learning' : 'No file to hand? Try a sample'),
    h('p', { class: 'govuk-body' }, 'Invented data with disparities built in, made by examples/data/make_samples.py. The columns are filled in for you.'), samples];
  return h('section', { 'aria-labelledby': 'data-open-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'data-open-heading' }, 'Open the data file'),
    learning ? sampleBlock : null,
    h('div', { class: 'govuk-form-group' },
      h('label', { class: 'govuk-label govuk-label--s', for: 'data-file' }, 'Choose a file of decisions: CSV, or a spreadsheet (Excel or OpenDocument)'),
      h('div', { class: 'govuk-hint', id: 'data-file-hint' }, 'One row per person or case, with a header row. The file is read by this page on this computer; it is not uploaded anywhere. Large files are read in pieces, so size is not a problem.'),
      input),
    drop,
    current,
    learning ? null : sampleBlock);
}

/** Whether the file may be used at all: asked beside it, before any figure is worked out. */
function lawfulBasisSection(ctx) {
  return h('section', { 'aria-labelledby': 'data-basis-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'data-basis-heading' }, 'The lawful basis for this file'),
    DATA_QUESTIONS.map((f) => field(f, ctx.fieldErrors)));
}

function previewSection(ctx) {
  const p = session.preview;
  if (!p) return null;
  const names = columnNames();
  const table = h('table', { class: 'govuk-table ba-preview' },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `The first ${p.rows.length} rows of ${session.file.name}`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, names.map((n) => h('th', { class: 'govuk-table__header', scope: 'col' }, n)))),
    h('tbody', { class: 'govuk-table__body' }, p.rows.map((row) => h('tr', { class: 'govuk-table__row' }, row.map((cell) => h('td', { class: 'govuk-table__cell' }, cell))))));
  const dupes = p.columns.filter((c) => c.name_count > 1).map((c) => c.name);
  return h('section', { 'aria-labelledby': 'data-preview-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'data-preview-heading', tabindex: '-1' }, 'What the file contains'),
    p.workbook
      ? h('p', { class: 'govuk-body', id: 'data-sheet-summary' }, `A spreadsheet (${WORKBOOK_KINDS[p.workbook.kind] || p.workbook.kind}) with ${count(p.workbook.sheets.length)} ${p.workbook.sheets.length === 1 ? 'sheet' : 'sheets'}. This is the sheet “${p.workbook.sheet}”, its column names on row ${p.workbook.header_row}: ${names.length} columns, `,
        p.complete ? `${count(p.rows_scanned)} rows.` : `at least ${count(p.rows_scanned)} rows (the preview read the first ${count(p.rows_scanned)}; the check reads them all).`,
        ' Cells are read as the values they hold, not as they are shown: a cell shown as 60% is 0.6. Numbers are read to 15 digits, and dates as 2025-03-31.')
      : h('p', { class: 'govuk-body' }, `${names.length} columns, separated by ${p.delimiter === '\t' ? 'tabs' : `“${p.delimiter}”`}. `,
        p.complete ? `${count(p.rows_scanned)} rows.` : `At least ${count(p.rows_scanned)} rows (the preview read the first ${bytes(p.bytes_scanned)}; the check reads everything).`),
    sheetChoice(ctx),
    dupes.length ? h('div', { class: 'govuk-warning-text' }, h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
      h('strong', { class: 'govuk-warning-text__text' }, h('span', { class: 'govuk-visually-hidden' }, 'Warning: '), `These column names appear more than once, so they cannot be used: ${dupes.join(', ')}.`)) : null,
    state.review.answers['start.type'] === 'supplier' && !session.sample ? requestCheck(names) : null,
    countOffer(ctx),
    h('div', { class: 'ba-scroll', tabindex: '0', role: 'region', 'aria-label': 'Preview of the file (scrolls sideways)' }, table));
}

/** For a supplier review before any file: what to ask the supplier for (the full pack is in Record and export). */
function requestSection() {
  const status = h('p', { class: 'govuk-body', id: 'data-request-status', 'aria-live': 'polite' });
  const save = (id, text, name, body, what) => button(id, text, () => {
    freezeDataRequest(today());
    touch();
    download(name, 'text/csv', body());
    status.textContent = `${what} saved to your downloads folder. When the supplier sends the file, open it below: the page checks it against this request.`;
  }, 'govuk-button--secondary');
  const asked = dataRequest().filter((c) => c.required).map((c) => c.name);
  return h('section', { 'aria-labelledby': 'data-request-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'data-request-heading' }, 'Ask the supplier for the data'),
    h('p', { class: 'govuk-body' }, `This review tests a supplier’s outputs, so the board needs the system’s decisions on the council’s own cases: one row per case, with ${asked.map((x) => `“${x}”`).join(', ')} and, if the supplier has them, the true outcome and the score. Send the supplier the template and the column descriptions.`),
    h('div', { class: 'govuk-button-group ba-export' },
      save('data-request-template', 'Save the data file template (CSV)', 'biasaudit-data-template.csv', dataRequestTemplate, 'The data file template'),
      save('data-request-columns', 'Save the column descriptions (CSV)', 'biasaudit-data-columns.csv', dataRequestCsv, 'The column descriptions')),
    status,
    h('p', { class: 'govuk-body' }, 'The procurement pack, with the questions for the supplier, the evidence to demand and contract clauses, is in ', h('a', { class: 'govuk-link', href: '#/record' }, 'Record and export'), '.'));
}

/** For a supplier's file: its columns against the data request in the procurement pack (Record and export). */
function requestCheck(names) {
  // The distinct values of a column, when the preview read them all.
  const valuesOf = (name) => {
    const c = column(name);
    return c?.values && (session.preview.complete || c.distinct <= c.values.length) ? c.values.map((v) => v.value) : null;
  };
  // The preview marks a column numeric only when every value it read is a number; one with values that is not holds text.
  const hasNonNumber = (name) => {
    const c = column(name);
    return c ? !c.numeric && c.distinct > 0 : null;
  };
  const c = checkAgainstRequest(names, valuesOf, hasNonNumber);
  const list = (items) => items.map((x) => `“${x}”`).join(', ');
  const warn = c.missing.length || c.unexpected.length || c.notNumbers.length;
  const request = c.sent ? `the data request sent on ${longDate(c.sent)}` : 'the data request';
  return h('div', { class: warn ? 'govuk-warning-text' : 'govuk-inset-text', id: 'data-request-check' },
    warn ? h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!') : null,
    h(warn ? 'strong' : 'p', { class: warn ? 'govuk-warning-text__text' : 'govuk-body' },
      warn ? h('span', { class: 'govuk-visually-hidden' }, 'Warning: ') : null,
      c.missing.length
        ? `This file does not have every column ${request} asks for: ${list(c.missing)} ${c.missing.length === 1 ? 'is' : 'are'} missing. If the supplier named them differently, say what each column means below; if not, ask the supplier for them.`
        : `This file has every column ${request} asks for.`,
      c.unexpected.map((u) => ` Column “${u.column}” has ${u.values.length === 1 ? 'a value' : 'values'} the request did not permit: ${list(u.values)} (it asked for ${list(u.permitted)}).`).join(''),
      c.notNumbers.map((name) => ` Column “${name}” holds values that are not numbers, and the request asked for numbers (with a full stop for decimals).`).join(''),
      c.missingOptional.length ? ` It does not have ${list(c.missingOptional)}, which the request asks for if the supplier has them.` : '',
      c.extra.length ? ` It also has columns the request did not ask for: ${list(c.extra)}. Check that none of them identifies a person.` : ''));
}

function valuesText(c) {
  if (!c) return '';
  if (!c.values) return c.numeric ? `numbers from ${c.min} to ${c.max}` : `more than ${c.distinct - 1} different values`;
  const shown = c.values.slice(0, 6).map((v) => v.value).join(', ');
  return `${shown}${c.values.length > 6 ? `, and ${c.values.length - 6} more` : ''}${c.missing ? ` (and ${count(c.missing)} missing)` : ''}`;
}

function attributesSection(ctx, m, errors) {
  const options = [{ value: '', label: 'Not a characteristic to audit' }, ...EQUALITY_CHARACTERISTICS, ...OTHER_ATTRIBUTES];
  const rows = session.preview.columns.filter((c) => c.name_count === 1).map((c, i) => {
    const id = `attr-${i}`;
    const current = m.attributes.find((a) => a.column === c.name);
    const select = h('select', { class: 'govuk-select', id, name: id, 'aria-describedby': `${id}-values` },
      options.map((o) => h('option', { value: o.value }, o.label)));
    select.value = current?.characteristic || '';
    const usable = !!c.values || !!c.numeric;
    if (!usable && !current) select.disabled = true;
    select.addEventListener('change', () => {
      const rest = m.attributes.filter((a) => a.column !== c.name);
      m.attributes = select.value ? [...rest, { column: c.name, characteristic: select.value }] : rest;
      const order = columnNames();
      m.attributes.sort((a, b) => order.indexOf(a.column) - order.indexOf(b.column));
      touch();
      ctx.rerender({ focus: id });
    });
    return h('tr', { class: 'govuk-table__row' },
      h('th', { class: 'govuk-table__header', scope: 'row' }, h('label', { for: id }, c.name)),
      h('td', { class: 'govuk-table__cell', id: `${id}-values` }, valuesText(c), c.values ? '' : c.numeric ? '. Many different values: put them into bands (you can do this below once it is chosen).' : '. Too many values to audit as groups; group them into bands in the file first.'),
      h('td', { class: 'govuk-table__cell' }, select));
  });
  const err = errors.attributes;
  return h('section', { 'aria-labelledby': 'data-attr-heading', class: ['govuk-form-group', err && 'govuk-form-group--error'] },
    h('h2', { class: 'govuk-heading-m', id: 'data-attr-heading' }, 'Protected characteristics'),
    h('p', { class: 'govuk-body', id: 'attributes' , tabindex: '-1' }, 'Which columns record a characteristic of the person that the decision should not disadvantage? The Equality Act 2010 protects nine characteristics; you can also audit others, such as socio-economic disadvantage, or a column that may stand in for a characteristic (a proxy).'),
    helpDetails('Help with the protected characteristics', [
      'Under the Equality Act 2010 the protected characteristics are age, disability, gender reassignment, marriage and civil partnership, pregnancy and maternity, race (which includes colour, nationality and ethnic or national origins), religion or belief, sex, and sexual orientation.',
      'Each column is audited on its own: every group in it is compared with the reference group. A missing value becomes a visible “(missing)” group, counted but not compared.',
      'A column of numbers (such as an exact age) can be put into bands on this page, by cut points you give or as groups of about equal size. Any other column with more than 50 different values (such as a postcode) cannot be audited as groups: group it in the file first.',
      'You can also audit characteristics in combination (for example race and sex together), because a group can be treated fairly on each characteristic alone and still unfairly in combination.',
    ]),
    err ? h('p', { class: 'govuk-error-message' }, h('span', { class: 'govuk-visually-hidden' }, 'Error: '), err) : null,
    h('table', { class: 'govuk-table ba-attr-table' },
      h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, 'Columns of the file and what they record'),
      h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
        h('th', { class: 'govuk-table__header', scope: 'col' }, 'Column'),
        h('th', { class: 'govuk-table__header', scope: 'col' }, 'Values'),
        h('th', { class: 'govuk-table__header', scope: 'col' }, 'Audit as'))),
      h('tbody', { class: 'govuk-table__body' }, rows)));
}

function binsSection(ctx, m, errors) {
  const numeric = m.attributes.filter((a) => column(a.column)?.numeric);
  if (!numeric.length) return null;
  return h('section', { 'aria-labelledby': 'data-bins-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'data-bins-heading' }, 'Bands for numbers'),
    h('p', { class: 'govuk-body' }, 'These characteristics are recorded as numbers. Each different number can be its own group, or the numbers can be put into bands, such as ages under 25, 25 to 34, and so on.'),
    numeric.map((a) => {
      const c = column(a.column);
      m.bins[a.column] ??= { mode: 'none', edges: '', quantiles: '4' };
      const b = m.bins[a.column];
      const key = `bins.${a.column}`;
      const many = !c.values;
      const parts = [field({
        id: `${key}.mode`, type: 'radios', noClear: true, label: `How should the groups of “${a.column}” be formed?`,
        hint: `Values run from ${c.min} to ${c.max}${many ? `, with more than ${c.distinct - 1} different values` : ''}.`,
        options: [
          { value: 'none', label: 'Each different value is a group', hint: many ? 'Not recommended here: there are too many values, so most groups would be too small to judge, and the check stops at 10,000 groups. Put them into bands.' : null },
          { value: 'edges', label: 'Cut at values I give' },
          { value: 'quantiles', label: 'A number of groups of about equal size' },
        ],
      }, {}, { value: b.mode || 'none', set: (_, v) => { b.mode = v; touch(); ctx.rerender({ focus: domId(`${key}.mode`) + ({ none: '', edges: '-2', quantiles: '-3' }[v]) }); } })];
      if (b.mode === 'edges') {
        parts.push(field({ id: `${key}.edges`, type: 'text', width: 20, label: `Cut points for ${a.column}`,
          hint: 'Numbers in increasing order, separated by commas. For example 25, 35, 50 makes the groups “< 25”, “[25, 35)” (25 up to but not including 35), “[35, 50)” and “≥ 50”.' },
        errors, { value: b.edges, set: (_, v) => { b.edges = v; touch(); } }));
      } else if (b.mode === 'quantiles') {
        parts.push(field({ id: `${key}.quantiles`, type: 'number', width: 3, label: `How many groups for ${a.column}?`,
          hint: 'From 2 to 100. For example 4 makes quarters. People with the same value are never split, so there may be fewer groups.' },
        errors, { value: b.quantiles, set: (_, v) => { b.quantiles = v; touch(); } }));
      } else if (many) {
        parts.push(h('div', { class: 'govuk-warning-text' }, h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
          h('strong', { class: 'govuk-warning-text__text' }, h('span', { class: 'govuk-visually-hidden' }, 'Warning: '), `“${a.column}” has many different values. We suggest putting them into bands.`)));
      }
      return h('div', { class: 'ba-bins', 'data-column': a.column }, parts);
    }));
}

function intersectionsSection(m, errors) {
  const cols = m.attributes.map((a) => a.column);
  if (cols.length < 2) return null;
  const options = possibleIntersections(cols).map((c) => ({ value: JSON.stringify(c), label: c.join(' × ') }));
  const values = options.map((o) => o.value);
  const selected = chosenIntersections(m).map((c) => JSON.stringify(c)).filter((v) => values.includes(v));
  return h('section', { 'aria-labelledby': 'data-inter-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'data-inter-heading' }, 'Combinations (optional)'),
    field({
      id: 'intersections', type: 'checkboxes', label: 'Also look at combinations',
      hint: 'A group can be treated fairly on each characteristic alone and still unfairly in combination: for example, women of one ethnic group. Each combination you select is audited as one more characteristic, with groups such as “Female × Hispanic”. Combinations with few people are marked.',
      options,
    }, errors, { value: selected, set: (_, v) => { m.intersections = v.map((x) => JSON.parse(x)); touch(); } }));
}

function columnSelect(id, label, hintText, value, names, onChange, err, { none = 'None' } = {}) {
  return field({ id, type: 'select', label, hint: hintText, options: [{ value: '', label: none }, ...names.map((n) => ({ value: n, label: n }))] },
    err ? { [id]: err } : {}, { value, set: (_, v) => onChange(v) });
}

function outcomeSection(ctx, m, what, errors) {
  const isDecision = what === 'decision';
  const o = isDecision ? m.decision : m.label;
  const names = columnNames().filter((n) => column(n)?.name_count === 1);
  const parts = [];
  parts.push(columnSelect(`${what}.column`, isDecision ? 'Which column holds the decision?' : 'Which column holds the true outcome, if any?',
    isDecision ? 'The system’s output for each person: for example “flagged”, “shortlisted”, or a score.' : 'What really happened, if you know: for example whether an overpayment was found. It lets the page compare error rates. Leave as “None” if you do not have it.',
    o?.column || '', names, (v) => {
      if (isDecision) m.decision = { ...emptyMapping().decision, column: v };
      else m.label = v ? { ...emptyMapping().decision, column: v } : null;
      touch();
      ctx.rerender({ focus: domId(`${what}.column`) });
    }, errors[`${what}.column`], { none: isDecision ? 'Choose a column' : 'None' }));
  const c = o?.column ? column(o.column) : null;
  if (c) {
    if (c.numeric) {
      parts.push(field({ id: `${what}.mode`, type: 'radios', noClear: true, label: 'How should the column be read?', options: [
        { value: 'values', label: 'Some values mean positive' },
        { value: 'threshold', label: 'It is a score: values at or above a cut-off mean positive' },
      ] }, {}, { value: o.mode, set: (_, v) => { o.mode = v; touch(); ctx.rerender({ focus: domId(`${what}.mode`) + (v === 'threshold' ? '-2' : '') }); } }));
    }
    if (o.mode === 'threshold' && c.numeric) {
      parts.push(field({ id: `${what}.threshold`, type: 'number', width: 5, label: 'Cut-off', hint: `Values range from ${c.min} to ${c.max}.` },
        errors, { value: o.threshold, set: (_, v) => { o.threshold = v; touch(); } }));
    } else if (c.values) {
      const values = c.values.map((v) => v.value);
      parts.push(field({
        id: `${what}.positive`, type: 'checkboxes',
        label: isDecision ? 'Which values mean a positive decision?' : 'Which values mean a positive true outcome?',
        hint: isDecision ? 'The “positive” decision is the one the system exists to make: for example flagged, shortlisted, approved, high risk. The values you do not select count as negative.' : 'For example: an overpayment was found, the person reoffended, the applicant was suitable. The values you do not select count as negative.',
        options: c.values.map((v) => ({ value: v.value, label: `${v.value} (${count(v.count)} rows)` })),
      }, errors, { value: o.positive, set: (_, v) => { o.positive = v; o.negative = values.filter((x) => !v.includes(x)); touch(); } }));
      if (!session.preview.complete || c.distinct > values.length) {
        parts.push(field({ id: `${what}.rest_negative`, type: 'checkboxes', label: 'Other values', options: [{ value: 'yes', label: 'Count any other value found in the file as negative' }] },
          {}, { value: o.rest_negative ? ['yes'] : [], set: (_, v) => { o.rest_negative = v.includes('yes'); touch(); } }));
      }
    } else {
      parts.push(h('p', { class: 'govuk-body' }, 'This column has too many different values to list. Choose a column of decisions, or read it as a score.'));
    }
  }
  return parts;
}

function referenceSection(ctx, m, errors) {
  const groupNames = [...new Set(m.attributes.flatMap((a) => column(a.column)?.values?.map((v) => v.value) || []))];
  const parts = [field({
    id: 'reference', type: 'radios', noClear: true, label: 'Compare each group with',
    hint: 'Every ratio, test and verdict compares each group with this one, chosen before the results are seen.',
    options: [
      { value: 'largest', label: 'The largest group', hint: 'The usual choice when you have no reason to pick another.' },
      { value: 'most_favoured', label: 'The most favoured group', hint: 'The group that gets the best outcome most often (US practice). Every pair of groups is then tested, which allows for picking the best, so findings need more evidence.' },
      { value: 'overall', label: 'Everyone else', hint: 'Each group against all the other groups together.' },
      { value: 'group', label: 'A group I name', hint: 'For example the group the law or your policy treats as the comparator. With several characteristics, a name not found in one falls back to its largest group.' },
    ],
  }, errors, { value: m.reference, set: (_, v) => { m.reference = v; touch(); ctx.rerender({ focus: domId('reference') + (v === 'group' ? '-4' : '') }); } })];
  if (m.reference === 'group') {
    parts.push(field({ id: 'reference_group', type: 'select', label: 'Which group?', options: [{ value: '', label: 'Choose a group' }, ...groupNames.map((g) => ({ value: g, label: g }))] },
      errors, { value: m.reference_group, set: (_, v) => { m.reference_group = v; touch(); } }));
  }
  return parts;
}

function settingsSection(m, errors) {
  const s = m.settings;
  const set = (key) => (_, v) => { s[key] = v; touch(); };
  const shown = (key) => s[key] ?? defaultSetting(key);
  const open = ['four_fifths', 'confidence', 'min_group'].some((k) => errors[`settings.${k}`]);
  return h('details', { class: 'govuk-details', open: open || null },
    h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'Statistical settings (optional)')),
    h('div', { class: 'govuk-details__text' },
      field({ id: 'settings.four_fifths', type: 'number', width: 4, label: 'Four-fifths threshold', hint: 'An impact ratio below this is flagged. The US four-fifths rule uses 0.8. UK law sets no number.' }, errors, { value: shown('four_fifths'), set: set('four_fifths') }),
      field({ id: 'settings.confidence', type: 'number', width: 4, label: 'Confidence level', hint: 'For the ranges around each figure, and the significance tests (0.95 means 5% significance).' }, errors, { value: shown('confidence'), set: set('confidence') }),
      field({ id: 'settings.min_group', type: 'number', width: 4, label: 'Smallest group to judge', hint: 'Groups with fewer people get the verdict “insufficient data”.' }, errors, { value: shown('min_group'), set: set('min_group') }),
      field({ id: 'settings.interval', type: 'radios', noClear: true, label: 'Range around each rate', options: settingChoices('interval') },
        errors, { value: shown('interval'), set: set('interval') }),
      field({ id: 'settings.adjust', type: 'radios', noClear: true, label: 'Many comparisons', hint: 'Testing many groups makes some “significant” results appear by chance. An adjustment corrects for this.', options: settingChoices('adjust') },
        errors, { value: shown('adjust'), set: set('adjust') })));
}

function mappingSections(ctx, errors) {
  const m = mapping();
  const names = columnNames().filter((n) => column(n)?.name_count === 1);
  const decision = outcomeSection(ctx, m, 'decision', errors);
  const direction = field({
    id: 'outcome', type: 'radios', noClear: true, label: 'Does a positive decision help or harm the person?',
    options: [
      { value: 'beneficial', label: 'It helps them', hint: 'For example: hired, approved, given a home, offered support.' },
      { value: 'harmful', label: 'It harms them', hint: 'For example: flagged for investigation, refused, rated “high risk”.' },
    ],
  }, errors, { value: m.outcome, set: (_, v) => { m.outcome = v; touch(); } });
  return [
    attributesSection(ctx, m, errors),
    binsSection(ctx, m, errors),
    intersectionsSection(m, errors),
    h('section', { 'aria-labelledby': 'data-decision-heading' }, h('h2', { class: 'govuk-heading-m', id: 'data-decision-heading' }, 'The decision'), decision, direction),
    h('section', { 'aria-labelledby': 'data-label-heading' }, h('h2', { class: 'govuk-heading-m', id: 'data-label-heading' }, 'What really happened (optional)'), outcomeSection(ctx, m, 'label', errors)),
    h('section', { 'aria-labelledby': 'data-other-heading' }, h('h2', { class: 'govuk-heading-m', id: 'data-other-heading' }, 'Other columns (optional)'),
      columnSelect('score', 'Score column', 'The system’s score, if it has one (a number for each person). The results then show how well it ranks each group, and let you try other thresholds.', m.score, names, (v) => { m.score = v; touch(); }),
      columnSelect('strata', 'Strata column', 'A column such as site, region or month: the page then also tests whether the gaps hold within each stratum.', m.strata, names, (v) => { m.strata = v; touch(); }, errors.strata),
      columnSelect('weight', 'Weight column', 'Only for survey or design weights: how many people in the population each row represents. Ranges and tests then use each group’s effective size. Not for a table of counts.', m.weight, names, (v) => { m.weight = v; touch(); }, errors.weight),
      countChoice(ctx, m, names, errors),
      periodChoice(ctx, m, names, errors)),
    h('section', { 'aria-labelledby': 'data-ref-heading' }, h('h2', { class: 'govuk-heading-m', id: 'data-ref-heading' }, 'Comparison'), referenceSection(ctx, m, errors), settingsSection(m, errors)),
  ];
}

/** The date of each decision: the results then also come period by period, with trends. */
function periodChoice(ctx, m, names, errors) {
  m.period ??= { column: '', unit: 'month', date_order: 'dmy' };
  const p = m.period;
  const parts = [columnSelect('period', 'Date column', 'The date of each decision (or a period such as 2025-Q3): the results then also show each group period by period, with a test for a trend. It is also the column monitoring charts by.', p.column, names, (v) => {
    p.column = v;
    touch();
    ctx.rerender({ focus: domId('period') });
  }, errors.period)];
  if (p.column) {
    parts.push(field({ id: 'period.unit', type: 'radios', noClear: true, label: 'Group the dates by', options: settingChoices('period_unit') }, errors, { value: p.unit, set: (_, v) => { p.unit = v; touch(); } }),
      field({ id: 'period.date_order', type: 'radios', noClear: true, label: 'Dates written with the year last are', options: settingChoices('date_order') }, errors, { value: p.date_order, set: (_, v) => { p.date_order = v; touch(); } }));
  }
  return parts;
}

/**
 * The count column, for a table of counts (as a database GROUP BY gives):
 * offered when a column's name says it holds counts, and confirmed by the
 * user, never assumed.
 */
function countChoice(ctx, m, names, errors) {
  return [
    columnSelect('count', 'Count column', 'Only for a table of counts, as a database query with GROUP BY gives: the number of cases each row stands for (0 or more). Every figure is then worked out as if each case had its own row.', m.count, names, (v) => { m.count = v; touch(); ctx.rerender({ focus: domId('count') }); }, errors.count),
    m.count ? h('p', { class: 'govuk-body', id: 'data-count-status', tabindex: '-1' }, h('strong', null, 'This file holds counts, not individual rows: '), `each row stands for the number of cases in “${m.count}”.`) : null,
  ];
}

const WORKBOOK_KINDS = { xlsx: 'an Excel workbook', xls: 'an Excel 97-2003 workbook', ods: 'an OpenDocument spreadsheet' };

const DIALECTS = [['duckdb', 'DuckDB'], ['postgres', 'PostgreSQL'], ['sqlite', 'SQLite'], ['spark', 'Spark or Databricks'], ['bigquery', 'BigQuery'], ['snowflake', 'Snowflake'], ['tsql', 'SQL Server']];

/**
 * For data that lives in a database: the engine writes the one GROUP BY
 * query that counts, there, what this audit needs; the user runs it, saves
 * the result as CSV and opens it here as a table of counts. No row leaves
 * the database, and this page sends nothing anywhere.
 */
function databaseSection() {
  const m = mapping();
  if (m.count) return null;
  const table = h('input', { class: 'govuk-input govuk-input--width-20', id: 'data-sql-table', type: 'text', spellcheck: 'false', value: m.sql_table || '' });
  table.addEventListener('input', () => { m.sql_table = table.value; touch(); });
  const dialect = h('select', { class: 'govuk-select', id: 'data-sql-dialect' }, DIALECTS.map(([value, label]) => h('option', { value, selected: (m.sql_dialect || 'duckdb') === value || null }, label)));
  dialect.addEventListener('change', () => { m.sql_dialect = dialect.value; touch(); });
  const out = h('div', { id: 'data-sql-result', 'aria-live': 'polite' });
  const write = button('data-sql-write', 'Write the query', async () => {
    clear(out);
    const { config, errors } = buildConfig(m);
    if (errors.length) { add(out, h('p', { class: 'govuk-error-message' }, `Choose the columns first: ${errors[0].text}.`)); return; }
    try {
      const { query, countColumn } = await engine.countsQuery(config, table.value.trim(), dialect.value);
      const save = button('data-sql-save', 'Save the query (.sql)', () => download('biasaudit-counts.sql', 'application/sql', query), 'govuk-button--secondary');
      add(out, h('pre', { class: 'ba-sql', id: 'data-sql-query', tabindex: '0', 'aria-label': 'The query' }, query),
        h('div', { class: 'govuk-button-group' }, save),
        h('p', { class: 'govuk-body' }, `Run it where the data is, save the result as a CSV file with a header row, and open that file here. The page will offer “${countColumn}” as the count column: confirm it, and every figure is worked out as if each case had its own row.`));
    } catch (e) {
      add(out, h('p', { class: 'govuk-error-message' }, `The query could not be written: ${e.detail || e.message}`));
    }
  }, 'govuk-button--secondary');
  return h('details', { class: 'govuk-details', id: 'data-sql' },
    h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'Is the whole table in a database? Get a query that counts it there')),
    h('div', { class: 'govuk-details__text' },
      h('p', { class: 'govuk-body' }, 'If this file is an extract and the full data is in a database, you do not need to export its rows. With the columns chosen above, the page writes one query that counts, in the database, how many cases have each combination of them. The result is a few hundred or thousand rows of counts, with no one in them, and its audit gives the same figures as the rows would.'),
      h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: 'data-sql-table' }, 'Table name'), h('div', { class: 'govuk-hint', id: 'data-sql-table-hint' }, 'As the database names it, for example benefits.claims'), table),
      h('div', { class: 'govuk-form-group' }, h('label', { class: 'govuk-label', for: 'data-sql-dialect' }, 'Database'), dialect),
      write, out));
}

/** Said with the file's contents: a column named like a count may make this a table of counts, which the user confirms. */
function countOffer(ctx) {
  const m = mapping();
  const likely = likelyCountColumn(session.preview.columns);
  if (!likely || m.count || m.count_declined === likely.name) return null;
  return h('div', { class: 'govuk-inset-text', id: 'data-count-offer' },
    h('p', { class: 'govuk-body' }, `The column “${likely.name}” may say how many cases each row stands for. If so, this file holds counts, not individual rows.`),
    h('div', { class: 'govuk-button-group' },
      button('data-count-yes', `Yes, “${likely.name}” is a count of cases`, () => { m.count = likely.name; touch(); ctx.rerender({ focus: 'data-count-status' }); }),
      button('data-count-no', 'No, each row is one case', () => { m.count_declined = likely.name; touch(); ctx.rerender({ focus: 'data-preview-heading' }); }, 'govuk-button--secondary')));
}

function button(id, text, fn, extra = '') {
  const b = h('button', { type: 'button', class: ['govuk-button', extra], id }, text);
  b.addEventListener('click', fn);
  return b;
}

function progressSection(ctx) {
  const p = session.progress;
  if (!session.job) return null;
  const percent = p && p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
  const cancel = h('button', { type: 'button', class: 'govuk-button govuk-button--warning', id: 'data-cancel' }, 'Cancel the check');
  cancel.addEventListener('click', () => session.job?.cancel());
  return h('div', { class: 'ba-progress', id: 'data-progress' },
    h('label', { class: 'govuk-label govuk-label--s', for: 'data-progress-bar' }, 'Checking the data'),
    h('progress', { id: 'data-progress-bar', max: '100', value: String(percent) }, `${percent}%`),
    h('p', { class: 'govuk-body', id: 'data-progress-text', role: 'status', 'aria-live': 'polite' }, progressText(p)),
    cancel);
}

function progressText(p) {
  if (!p) return 'Starting…';
  const percent = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
  const speed = p.rowsPerSecond ? `, ${count(Math.round(p.rowsPerSecond))} rows a second` : '';
  return `${percent}% read: ${count(p.rows)} rows${speed}${p.workers > 1 ? `, using ${p.workers} workers` : ''}.`;
}

function errorTarget(e, m) {
  const field = pageFieldFor(e.field);
  if (field && field !== 'attributes') return domId(field);
  if (e.column) {
    if (e.column === m.decision?.column) return domId('decision.column');
    if (e.column === m.label?.column) return domId('label.column');
    if (e.column === m.weight) return domId('weight');
    if (e.column === m.count) return domId('count');
    if (e.column === m.strata) return domId('strata');
    if (e.column === m.score) return domId('score');
    if (e.column === m.period?.column) return domId('period');
    const i = session.preview?.columns.findIndex((c) => c.name === e.column);
    if (i >= 0) return `attr-${i}`;
  }
  return 'data-check';
}

/** An error for the summary, linked to its page field (or to the check button when it has none). */
function pageError(field, text) {
  if (!field) return { target: 'data-check', text };
  return { field, target: field === 'attributes' ? 'attributes' : domId(field), text };
}

async function runAudit(ctx) {
  const m = mapping();
  const { config, errors } = buildConfig(m);
  // The engine's rules decide what is allowed: every problem, each at its field.
  let problems = [];
  if (!errors.length) {
    try {
      problems = await engine.validateConfig(config);
    } catch (e) {
      problems = [{ message: e.message }];
    }
  }
  const shown = errors.length
    ? errors.map((e) => pageError(e.field, e.text))
    : problems.map((p) => pageError(pageFieldFor(p.field), sentence(p.message)));
  if (shown.length) {
    ctx.setErrors(shown);
    ctx.rerender({ focusErrors: true });
    return;
  }
  ctx.setErrors([]);
  const file = session.file;
  // Each check announces its first progress at once, then at most every 1.5 s.
  session.lastAnnounce = null;
  const job = engine.auditFile(file, config, {
    onProgress(p) {
      session.progress = p;
      const bar = /** @type {HTMLProgressElement | null} */ (document.getElementById('data-progress-bar'));
      if (bar) { const v = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0; bar.value = v; bar.textContent = `${v}%`; }
      const text = document.getElementById('data-progress-text');
      const now = performance.now();
      if (text && (!session.lastAnnounce || now - session.lastAnnounce > 1500)) { text.textContent = progressText(p); session.lastAnnounce = now; }
    },
  });
  session.job = job;
  session.progress = null;
  ctx.rerender({ focus: 'data-cancel' });
  try {
    const report = await job.promise;
    // New results replace the old, so a fingerprint still being calculated for those is of no use.
    dropFingerprint();
    const version = report.engine?.version || null;
    state.review.report = report;
    session.scoreTallies = null;
    job.tallies.then((t) => {
      if (t && state.review.report === report) session.scoreTallies = { ...t, report };
    }, () => {});
    state.review.engine_version = version;
    state.review.dataset = {
      name: file.name, size: file.size, last_modified: file.lastModified ? new Date(file.lastModified).toISOString() : null,
      sha256: report.input?.sha256 || null, sample: session.sample?.id || null,
    };
    state.review.risks_seeded = state.review.risks.some((r) => r.source === 'board');
    state.review.risks = state.review.risks.filter((r) => r.source === 'board');
    saveNow();
    session.job = null;
    if (!report.input?.sha256) awaitFingerprint(job, report);
    ctx.rerender({ focus: 'data-summary-heading' });
  } catch (e) {
    session.job = null;
    job.cancel(); // stops a fingerprint begun alongside the failed count
    if (e.name === 'AbortError') {
      ctx.setErrors([{ target: 'data-check', text: 'You cancelled the check. Nothing was saved; check the data again when you are ready.' }]);
    } else {
      // A spreadsheet's cell as the sheet names it (Decisions!G17); else the file's line.
      const at = e.reference ? `cell ${e.reference}` : e.sheet ? `sheet “${e.sheet}”${e.line ? `, row ${e.line}` : ''}` : e.line ? `line ${e.line}` : null;
      const where = [at, e.column ? `column “${e.column}”` : null].filter(Boolean).join(', ');
      let detail = e.detail || e.message || String(e);
      // The engine names no controls; the page says which of its own to use.
      if (e.code === 'data.unexpected_value') {
        detail += `. Choose under “Which values mean a positive ${e.field === 'label' ? 'true outcome' : 'decision'}?”, or tick “Count any other value found in the file as negative”`;
      }
      ctx.setErrors([{ target: errorTarget(e, m), text: where ? `The file could not be checked at ${where}: ${detail}` : `The file could not be checked: ${detail}` }]);
    }
    ctx.rerender({ focusErrors: true });
  }
}

function summarySection(report, m) {
  if (!report) return null;
  const input = report.input || {};
  const cov = coverage(report, m);
  const excluded = (input.exclusions || []).map((x) => `${count(x.rows)} because ${x.description}`).join('; ');
  const fileChanged = session.file && state.review.dataset && session.file.name !== state.review.dataset.name;
  return h('section', { 'aria-labelledby': 'data-summary-heading', class: 'ba-summary-panel' },
    h('h2', { class: 'govuk-heading-m', id: 'data-summary-heading', tabindex: '-1' }, 'What the data covers'),
    fileChanged ? h('p', { class: 'govuk-body' }, 'These results are from the file checked earlier. Check the data again to use the file now open.') : null,
    h('dl', { class: 'govuk-summary-list' },
      ...(report.config?.count ? [summaryRow('A table of counts', `Each row stands for the number of cases in “${report.config.count}”: the figures count cases.`)] : []),
      summaryRow(report.config?.count ? 'Cases read' : 'Rows read', count(input.rows_read)),
      summaryRow(report.config?.count ? 'Cases used' : 'Rows used', count(input.rows_used)),
      summaryRow('Rows left out', input.rows_excluded ? `${count(input.rows_excluded)}: ${excluded}` : 'None'),
      summaryRow('Fingerprint (SHA-256)', h('code', { class: 'ba-hash', 'data-fingerprint': '' },
        input.sha256 || state.review.dataset?.sha256 || (session.fingerprint ? FINGERPRINT_PENDING : 'not recorded'))),
      summaryRow('Characteristics audited', (m?.attributes || []).map((a) => `${a.column} (${characteristicLabel(a.characteristic)})`).join(', ')),
      report.config?.bins && Object.keys(report.config.bins).length ? summaryRow('Bands', describeBins(report.config.bins)) : null,
      report.config?.intersections?.length ? summaryRow('Combinations', describeIntersections(report.config.intersections)) : null),
    // The engine's warnings (a positive value that never occurs) come first: the settings may be wrong.
    ...(report.warnings || []).map((w) => warning(`${w} Check the positive values before reading the results.`, 'data-value-warning')),
    ...(report.attributes || []).map((a) => groupSizes(a)),
    cov.small.length ? warning(`Small groups (under 2% of rows): ${cov.small.map((x) => `${x.group} in ${x.column} (${count(x.n)} rows)`).join('; ')}. Figures for small groups are uncertain, and can identify people: weigh them here, but suppress them before anything is published.`) : null,
    cov.missing.length ? warning(`Missing values: ${cov.missing.map((x) => `${count(x.n)} rows (${pct(x.share)}) have no ${x.column}`).join('; ')}. They are shown as a “(missing)” group, counted but not compared. If missing values are more common in some groups, the results may understate a disparity.`) : null,
    cov.gap.length ? h('div', { class: 'govuk-inset-text', id: 'data-gap' },
      h('h3', { class: 'govuk-heading-s' }, 'Evidence gap'),
      h('p', { class: 'govuk-body' }, `The data says nothing about ${cov.gap.length} of the 9 protected characteristics: ${cov.gap.map((c) => c.label.replace(/ \(.*\)$/, '').toLowerCase()).join(', ')}.`),
      h('p', { class: 'govuk-body govuk-!-margin-bottom-0' }, 'No figure here can show whether the system treats these groups fairly. The record lists this gap; say in “Equality and rights” how the board will get evidence for them (for example a sample survey, or consultation).')) : null,
    (report.notes || []).length ? h('div', null, h('h3', { class: 'govuk-heading-s' }, 'Notes from the check'), h('ul', { class: 'govuk-list govuk-list--bullet' }, report.notes.map((n) => h('li', null, n)))) : null);
}

function warning(text, kind = null) {
  return h('div', { class: 'govuk-warning-text', 'data-warning': kind }, h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
    h('strong', { class: 'govuk-warning-text__text' }, h('span', { class: 'govuk-visually-hidden' }, 'Warning: '), text));
}

function summaryRow(key, value) {
  return h('div', { class: 'govuk-summary-list__row' }, h('dt', { class: 'govuk-summary-list__key' }, key), h('dd', { class: 'govuk-summary-list__value' }, value));
}

function groupSizes(a) {
  return h('table', { class: 'govuk-table ba-sizes' },
    h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `Group sizes: ${attributeName(a)}`),
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
      h('th', { class: 'govuk-table__header', scope: 'col' }, 'Group'),
      h('th', { class: 'govuk-table__header govuk-table__header--numeric', scope: 'col' }, 'Rows'),
      h('th', { class: 'govuk-table__header govuk-table__header--numeric', scope: 'col' }, 'Share'))),
    h('tbody', { class: 'govuk-table__body' }, (a.groups || []).map((g) => h('tr', { class: 'govuk-table__row' },
      h('th', { class: 'govuk-table__header', scope: 'row' }, groupName(a, g.group), g.is_reference ? ' (reference)' : '', g.below_min_cell ? ` (fewer than ${state.review.report?.config?.min_cell ?? 10} people: treat with care)` : ''),
      h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, count(g.counts?.n)),
      h('td', { class: ['govuk-table__cell govuk-table__cell--numeric', g.metrics?.share < 0.02 && 'ba-small'] }, pct(g.metrics?.share))))));
}

export function renderData(root, ctx) {
  const errors = Object.fromEntries(ctx.errors.filter((e) => e.field).map((e) => [e.field, e.text]));
  add(root, 
    h('p', { class: 'govuk-body-l' }, 'Open a file of the system’s decisions and say what its columns mean. The page then works out the figures the rest of the review needs.'),
    h('div', { class: 'govuk-inset-text' }, 'The file is read here, in this browser. It is never uploaded, and this page cannot send it anywhere: its security policy blocks connections to any other site. Only the results and a fingerprint of the file go into the record.'),
    state.review.answers['start.type'] === 'supplier' && !session.preview && !state.review.report ? requestSection() : null,
    fileSection(ctx), lawfulBasisSection(ctx));
  if (session.preview) {
    add(root, previewSection(ctx), ...mappingSections(ctx, errors));
    const check = h('button', { type: 'button', class: 'govuk-button', id: 'data-check', disabled: session.job ? true : null }, state.review.report ? 'Check the data again' : 'Check the data');
    check.addEventListener('click', () => runAudit(ctx));
    add(root, h('div', { class: 'govuk-button-group' }, check), progressSection(ctx), databaseSection());
  } else if (state.review.mapping && state.review.report) {
    add(root, savedMapping(state.review.mapping));
  }
  const live = h('div', { class: 'govuk-visually-hidden', 'aria-live': 'polite', id: 'data-live' });
  add(root, live, summarySection(state.review.report, state.review.mapping));
}

function savedMapping(m) {
  const { config } = buildConfig(m);
  return h('section', { 'aria-labelledby': 'data-saved-heading' },
    h('h2', { class: 'govuk-heading-m', id: 'data-saved-heading' }, 'Columns used'),
    h('dl', { class: 'govuk-summary-list' },
      summaryRow('Characteristics', m.attributes.map((a) => `${a.column} (${characteristicLabel(a.characteristic)})`).join(', ')),
      summaryRow('Bands', describeBins(config.bins)),
      summaryRow('Combinations', describeIntersections(config.intersections)),
      summaryRow('Decision', describeOutcome(config.decision)),
      summaryRow('Positive decision', m.outcome === 'harmful' ? 'harms the person' : 'helps the person'),
      summaryRow('True outcome', config.label ? describeOutcome(config.label) : 'none'),
      summaryRow('Compared with', describeReference(config.reference))));
}

export { clear };
