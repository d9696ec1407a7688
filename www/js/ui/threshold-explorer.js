// The threshold explorer: a slider (and a number box) over the score; at
// each position the engine makes the report an audit would give if the
// decision were "score at or above the threshold", and this shows each
// group's rates and verdict from it. Nothing is judged here: the verdicts
// are the engine's. One threshold for everyone, or one per group.
import { VERDICTS, flatten, isFinding } from '../model/metrics-info.js';
import { h } from './dom.js';
import { attributeName, count, figure, groupName, pct, ratio } from './format.js';
import { th, verdictTag as tag } from './table.js';

// Said as www/LEGAL.md says it (Equality Act 2010, s13).
const LEGAL_NOTE = 'Thresholds that differ by group are shown to explore trade-offs, not as a remedy. In the UK, treating a person less favourably because of a protected characteristic is direct discrimination (Equality Act 2010, section 13). It usually cannot be justified: only direct age discrimination can be; treating disabled people more favourably is not discrimination against others; and the other exceptions, such as positive action (section 158), are narrow. Take legal advice before acting on anything seen here.';

function numberText(v, whole) {
  if (!Number.isFinite(v)) return '';
  return whole ? String(Math.round(v)) : String(Math.round(v * 1e6) / 1e6);
}

function cell(key, value, text) {
  const v = figure(value);
  return h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-key': key, 'data-value': v === null ? 'null' : String(v) }, text);
}

/**
 * @param {{ a: any, report: any, id: string, open: (() => Promise<any>) | null, initial: number | null }} options
 *   `a`: the attribute in the main report; `open`: opens the engine's explorer for it (null when the
 *   counts are not in memory); `initial`: a threshold to start from when the system's is not known.
 */
export function thresholdExplorer({ a, report, id, open, initial }) {
  const harmful = report.config?.outcome === 'harmful';
  const labelled = !!report.input?.labelled;
  const name = attributeName(a);
  const section = h('div', { class: 'ba-explorer', id });
  const heading = h('h4', { class: 'govuk-heading-s' }, 'Try another threshold');
  if (!open) {
    section.append(heading, h('p', { class: 'govuk-body', id: `${id}-closed` },
      'To move the threshold, check the data file again in “Your data”: the explorer works from the counts of the file, which are kept only while the page is open, never saved.'));
    return section;
  }
  const start = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: `${id}-open`, 'data-module': 'govuk-button' }, 'Open the threshold explorer');
  const intro = h('p', { class: 'govuk-body' }, `Move the threshold to see what the figures and verdicts for ${name} would be if everyone scoring at or above it were given the decision. The engine works out the whole audit again at each position, from the same people.`);
  const body = h('div', { id: `${id}-body` });
  section.append(heading, intro, start, body);

  start.addEventListener('click', async () => {
    start.disabled = true;
    body.replaceChildren(h('p', { class: 'govuk-body', role: 'status' }, 'Opening the explorer…'));
    let explorer;
    try {
      explorer = await open();
    } catch (e) {
      start.disabled = false;
      body.replaceChildren(h('p', { class: 'govuk-error-message', role: 'alert' }, `The explorer could not be opened: ${e.message}`));
      return;
    }
    start.remove();
    build(explorer);
  });

  function build(explorer) {
    const range = explorer.range;
    const whole = range.whole_numbers;
    const span = range.highest - range.lowest;
    const step = whole ? 1 : span > 0 ? Number((span / 1000).toPrecision(1)) : 'any';
    const system = range.system_threshold;
    const clampT = (v) => Math.min(range.highest, Math.max(range.lowest, v));
    const first = clampT(system?.threshold ?? initial ?? (range.lowest + range.highest) / 2);
    const groups = (a.groups || []).filter((g) => !g.is_missing).map((g) => g.group);
    const perGroup = new Map(groups.map((g) => [g, first]));
    let mode = 'one';
    let one = first;

    const status = h('p', { class: 'govuk-body govuk-!-font-weight-bold', id: `${id}-status`, 'aria-live': 'polite' });
    const tbody = h('tbody', { class: 'govuk-table__body' });
    const thead = h('thead', { class: 'govuk-table__head' });
    // The threshold is a column only when it differs by group.
    const heads = (perGroupShown) => h('tr', { class: 'govuk-table__row' },
      th('Group', false), th('Verdict', false), perGroupShown ? th('Threshold') : null, th('People'), th(harmful ? 'Given the harmful decision' : 'Given the positive decision'),
      labelled ? [th('True positive rate'), th('False positive rate'), th('Precision (PPV)')] : null,
      th(harmful ? 'Times as often' : 'Impact ratio'));
    const table = h('table', { class: 'govuk-table ba-results-table', id: `${id}-table` },
      h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `${name}: each group at the threshold chosen`),
      thead, tbody);

    const systemText = system
      ? (system.how === 'configured'
        ? `The system’s threshold is ${numberText(system.threshold, whole)}: the decision was set as the score at ${numberText(system.threshold, whole)} or more.`
        : `The system’s threshold appears to be ${numberText(system.threshold, whole)}: in every group, the number given the decision${labelled ? ', and how many of them had a positive true outcome,' : ''} equal those scoring ${numberText(system.threshold, whole)} or more.`)
      : `The decisions in the file do not follow one threshold on the score (or the file does not say which), so no system threshold is marked.${initial !== null && initial !== undefined ? ` The slider starts at ${numberText(first, whole)}, the one threshold for everyone that makes the fewest errors (${report.config?.cost_ratio === 1 || report.config?.cost_ratio === undefined ? 'a false positive counted as bad as a false negative' : `a false positive counted ${report.config.cost_ratio} times a false negative`}).` : ''}`;

    const listId = `${id}-marks`;
    const marks = h('datalist', { id: listId }, system ? h('option', { value: String(system.threshold), label: 'system' }) : null);

    /** A slider and a number box kept in step; `onChange(value)` when either moves. */
    function control(key, label, value, onChange) {
      const sliderId = `${id}-${key}-slider`;
      const numberId = `${id}-${key}-number`;
      const slider = h('input', { type: 'range', class: 'ba-explorer__slider', id: sliderId, min: String(range.lowest), max: String(range.highest), step: String(step), value: String(value), list: system ? listId : null, 'aria-describedby': `${id}-hint` });
      const number = h('input', { type: 'number', class: 'govuk-input ba-explorer__number', id: numberId, min: String(range.lowest), max: String(range.highest), step: 'any', value: numberText(value, whole), inputmode: 'decimal' });
      slider.addEventListener('input', () => {
        number.value = numberText(Number(slider.value), whole);
        onChange(Number(slider.value));
      });
      number.addEventListener('input', () => {
        const v = Number(number.value);
        if (number.value.trim() === '' || !Number.isFinite(v)) return;
        slider.value = String(v);
        onChange(v);
      });
      const set = (v) => {
        slider.value = String(v);
        number.value = numberText(v, whole);
      };
      const wrap = h('div', { class: 'govuk-form-group ba-explorer__group' },
        h('label', { class: 'govuk-label govuk-!-font-weight-bold', for: sliderId }, label),
        h('div', { class: 'ba-explorer__controls' }, slider,
          h('label', { class: 'govuk-visually-hidden', for: numberId }, `${label}: exact value`), number));
      return { wrap, set };
    }

    const ask = () => {
      const thresholds = mode === 'one' ? one : { default: one, groups: Object.fromEntries(perGroup) };
      explorer.report(thresholds).then((r) => {
        if (r) show(r, thresholds);
      }, (e) => {
        status.textContent = `The figures could not be worked out: ${e.message}`;
      });
    };

    function show(r, thresholds) {
      const ex = r.attributes?.[0];
      if (!ex) return;
      const rows = flatten(r).filter((x) => !x.is_missing);
      const byGroup = new Map((ex.groups || []).map((g) => [g.group, g]));
      const gname = (g) => groupName(ex, g);
      const tOf = (g) => (typeof thresholds === 'number' ? thresholds : thresholds.groups[g] ?? thresholds.default);
      const flagged = rows.filter((x) => isFinding(x.verdict));
      const selected = rows.reduce((t, x) => t + (x.selected ?? 0), 0);
      const people = rows.reduce((t, x) => t + (x.n ?? 0), 0);
      const at = typeof thresholds === 'number' ? `At a threshold of ${numberText(thresholds, whole)}` : 'At these thresholds';
      status.textContent = `${at}: ${people ? pct(selected / people) : '—'} of people given the decision (${count(selected)} of ${count(people)}); ${flagged.length ? `${flagged.length} group${flagged.length > 1 ? 's' : ''} flagged: ${flagged.map((x) => `${gname(x.group)} (${VERDICTS[x.verdict].label.toLowerCase()})`).join('; ')}` : 'no group flagged'}.`;
      const perGroupShown = typeof thresholds !== 'number';
      thead.replaceChildren(heads(perGroupShown));
      tbody.replaceChildren(...rows.map((x) => {
        const g = byGroup.get(x.group);
        const deciding = harmful ? x.harm_ratio : x.impact_ratio;
        return h('tr', { class: 'govuk-table__row', 'data-group': x.group },
          h('th', { class: 'govuk-table__header', scope: 'row' }, h('bdi', null, gname(x.group)), x.is_reference ? ' (comparison group)' : ''),
          // The verdict next to the name: on a phone the figures scroll, the verdict stays in view.
          h('td', { class: 'govuk-table__cell', 'data-key': 'verdict', 'data-value': x.verdict ?? 'null' }, tag(x.verdict)),
          perGroupShown ? cell('threshold', tOf(x.group), numberText(tOf(x.group), whole)) : null,
          cell('n', x.n, count(x.n)),
          cell('selection_rate', x.selection_rate, `${pct(x.selection_rate)} (${count(x.selected)})`),
          labelled ? [cell('tpr', g?.metrics?.tpr, pct(g?.metrics?.tpr)), cell('fpr', g?.metrics?.fpr, pct(g?.metrics?.fpr)), cell('ppv', g?.metrics?.ppv, pct(g?.metrics?.ppv))] : null,
          x.is_reference ? h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, 'compared with') : cell(harmful ? 'harm_ratio' : 'impact_ratio', deciding, deciding === null ? 'not defined' : harmful ? `${ratio(deciding)}×` : ratio(deciding)));
      }));
    }

    const single = control('all', 'Threshold for everyone', first, (v) => {
      one = v;
      ask();
    });
    const back = system ? h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: `${id}-system` }, 'Go back to the system’s threshold') : null;
    /** Every group's threshold set to the one for everyone. */
    const setAll = () => {
      for (const g of groups) { perGroup.set(g, one); groupControls.get(g)?.set(one); }
    };
    back?.addEventListener('click', () => {
      one = system.threshold;
      single.set(one);
      setAll();
      ask();
    });
    const groupControls = new Map();
    const perGroupBox = h('div', { id: `${id}-per-group`, hidden: true },
      h('div', { class: 'govuk-warning-text', id: `${id}-legal` },
        h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
        h('strong', { class: 'govuk-warning-text__text' }, h('span', { class: 'govuk-visually-hidden' }, 'Warning'), LEGAL_NOTE)),
      groups.map((g) => {
        const c = control(`g${groups.indexOf(g)}`, `Threshold for ${groupName(a, g)}`, first, (v) => {
          perGroup.set(g, v);
          ask();
        });
        groupControls.set(g, c);
        return c.wrap;
      }));
    const radio = (value, label, checked) => h('div', { class: 'govuk-radios__item' },
      h('input', { class: 'govuk-radios__input', id: `${id}-mode-${value}`, name: `${id}-mode`, type: 'radio', value, checked: checked || null }),
      h('label', { class: 'govuk-label govuk-radios__label', for: `${id}-mode-${value}` }, label));
    const modes = h('div', { class: 'govuk-form-group' }, h('fieldset', { class: 'govuk-fieldset' },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, 'Which thresholds?'),
      h('div', { class: 'govuk-radios govuk-radios--small', 'data-module': 'govuk-radios' },
        radio('one', 'One threshold for everyone', true), radio('groups', 'A different threshold for each group', false))));
    modes.addEventListener('change', (e) => {
      mode = /** @type {HTMLInputElement} */ (e.target).value === 'groups' ? 'groups' : 'one';
      perGroupBox.hidden = mode !== 'groups';
      single.wrap.querySelector('label').textContent = mode === 'groups' ? 'Threshold for everyone (sets every group’s)' : 'Threshold for everyone';
      ask();
    });
    // In per-group mode the one slider moves every group together.
    const singleChange = single.wrap.querySelector('input[type=range]');
    singleChange?.addEventListener('input', () => {
      if (mode === 'groups') setAll();
    });

    body.replaceChildren(
      h('p', { class: 'govuk-hint', id: `${id}-hint` }, `Scores run from ${numberText(range.lowest, whole)} to ${numberText(range.highest, whole)} (${count(range.distinct)} different scores). Use the arrow keys on the slider, or type a value. ${systemText}`),
      marks, modes, single.wrap, back, perGroupBox, status,
      h('div', { class: 'ba-scroll', role: 'region', 'aria-label': `${name}: the threshold explorer’s table`, tabindex: '0' }, table),
      h('p', { class: 'govuk-body-s' }, `These are the verdicts the full audit would give with that decision, from the ${count(rows0(a))} people with a score, unweighted. A threshold chosen by looking at this same data fits it better than it would fit new decisions, most of all for small groups.`),
      strategiesSection());
    ask();

    /** Per-group thresholds from a strategy, tried in the explorer above. */
    function tryThresholds(outcomes) {
      mode = 'groups';
      const radioGroups = /** @type {HTMLInputElement | null} */ (section.querySelector(`#${id}-mode-groups`));
      if (radioGroups) radioGroups.checked = true;
      perGroupBox.hidden = false;
      for (const o of outcomes) {
        const t = o.threshold ?? range.highest + (whole ? 1 : step === 'any' ? 1 : Number(step));
        perGroup.set(o.group, t);
        groupControls.get(o.group)?.set(t);
      }
      ask();
      status.focus?.();
    }

    function strategiesSection() {
      const wrap = h('div', { id: `${id}-strategies` });
      const tolId = `${id}-tolerance`;
      const tolerance = h('input', { type: 'text', class: 'govuk-input govuk-input--width-4', id: tolId, inputmode: 'decimal', spellcheck: 'false', 'aria-describedby': `${tolId}-hint` });
      // GOV.UK's error message is display: block, so it is added and removed, not hidden.
      const error = h('div');
      const out = h('div', { id: `${id}-strategies-table`, 'aria-live': 'polite' });
      const compare = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: `${id}-compare` }, 'Compare the strategies');
      const run = () => {
        const text = tolerance.value.trim().replace(/%$/, '');
        const points = text === '' ? null : Number(text);
        const wrong = points !== null && !(Number.isFinite(points) && points >= 0 && points <= 100);
        group.classList.toggle('govuk-form-group--error', wrong);
        tolerance.classList.toggle('govuk-input--error', wrong);
        tolerance.setAttribute('aria-describedby', wrong ? `${tolId}-hint ${tolId}-error` : `${tolId}-hint`);
        error.replaceChildren(wrong ? h('p', { class: 'govuk-error-message', id: `${tolId}-error` },
          h('span', { class: 'govuk-visually-hidden' }, 'Error: '), 'Enter the gap allowed as a number of percentage points from 0 to 100, or leave it empty') : '');
        if (wrong) {
          tolerance.focus();
          return;
        }
        explorer.strategies(points === null ? null : points / 100).then((st) => out.replaceChildren(strategyTable(st)), (e) => {
          out.replaceChildren(h('p', { class: 'govuk-error-message' }, `The strategies could not be worked out: ${e.message}`));
        });
      };
      const group = h('div', { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label', for: tolId }, 'Gap allowed between groups (percentage points)'),
        h('div', { class: 'govuk-hint', id: `${tolId}-hint` }, 'For example, 2 for rates within 2 points of each other. Leave empty for the smallest gap the data allows.'),
        error, tolerance);
      compare.addEventListener('click', run);
      wrap.append(
        h('h4', { class: 'govuk-heading-s' }, 'What-if strategies'),
        h('p', { class: 'govuk-body' }, 'What would other rules do? One threshold for everyone that makes the fewest errors, or a threshold for each group that makes a rate equal. Exact equality is often out of reach on real data except by giving everyone, or no one, the decision; allowing a small gap costs fewer errors.'),
        group, compare, out);
      return wrap;
    }

    function strategyTable(st) {
      const base = new Map((a.groups || []).filter((g) => !g.is_missing).map((g) => [g.group, g.counts]));
      const gname = (g) => groupName(a, g);
      const more = harmful ? 'more given the harmful decision' : 'more given the decision';
      const fewer = harmful ? 'fewer given the harmful decision' : 'fewer given the decision';
      const change = (outcomes) => outcomes.map((o) => {
        const was = base.get(o.group);
        if (!was) return null;
        const d = o.confusion.selected - was.selected;
        if (d === 0) return h('li', null, h('bdi', null, gname(o.group)), ': no change');
        const right = labelled ? o.confusion.tp - (was.tp ?? 0) : null;
        const wrong = labelled ? o.confusion.fp - (was.fp ?? 0) : null;
        const signed = (x) => `${x >= 0 ? '+' : '−'}${count(Math.abs(x))}`;
        const detail = labelled ? ` (${signed(right)} with a positive true outcome, ${signed(wrong)} negative)` : '';
        return h('li', { 'data-group': o.group }, h('bdi', null, gname(o.group)), `: ${count(Math.abs(d))} ${d > 0 ? more : fewer}${detail}`);
      });
      const thresholds = (outcomes) => outcomes.map((o) => h('li', null, h('bdi', null, gname(o.group)), `: ${o.threshold === null ? 'nobody' : numberText(o.threshold, whole)}`));
      const rows = [];
      const single = st.single_threshold;
      if (single && single.total) {
        rows.push({ key: 'single_threshold', name: 'One threshold for everyone, fewest errors', value: single, thresholds: [h('li', null, single.threshold === null ? 'nobody' : numberText(single.threshold, whole))], gap: null });
      }
      const NAMES = { demographic_parity: 'Equal selection rates (demographic parity)', equal_opportunity: 'Equal true positive rates (equal opportunity)', equal_accuracy: 'Equal accuracy', equalized_odds: 'Equal true and false positive rates (equalized odds)' };
      for (const [key, label] of Object.entries(NAMES)) {
        const g = st.group_thresholds?.[key];
        if (g && g.total) rows.push({ key, name: label, value: g, thresholds: thresholds(g.groups), gap: g });
        else if (g?.undefined) rows.push({ key, name: label, undefined: g.undefined });
      }
      const note = rows.find((r) => r.value?.note)?.value.note;
      return h('div', null,
        h('div', { class: 'ba-scroll', role: 'region', 'aria-label': 'What-if strategies compared', tabindex: '0' },
          h('table', { class: 'govuk-table ba-results-table ba-strategies', id: `${id}-strategies-compared` },
            h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `Strategies compared with the decisions in the file (${st.cost_ratio === 1 ? 'a false positive counted as bad as a false negative' : `a false positive counted ${st.cost_ratio} times a false negative`})`),
            h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
              th('Strategy', false), th('Thresholds', false), th('Errors (false positives + false negatives)'), th('Gap between groups'), th('Who gains and who loses', false), th('', false))),
            h('tbody', { class: 'govuk-table__body' }, rows.map((r) => (r.undefined
              ? h('tr', { class: 'govuk-table__row', 'data-strategy': r.key }, h('th', { class: 'govuk-table__header', scope: 'row' }, r.name), h('td', { class: 'govuk-table__cell', colspan: '5' }, `Not defined: ${r.undefined}`))
              : h('tr', { class: 'govuk-table__row', 'data-strategy': r.key },
                h('th', { class: 'govuk-table__header', scope: 'row' }, r.name),
                h('td', { class: 'govuk-table__cell' }, h('ul', { class: 'govuk-list govuk-body-s' }, r.thresholds)),
                h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-key': 'errors', 'data-value': String(r.value.total.fp + r.value.total.fn) }, `${count(r.value.total.fp + r.value.total.fn)} (${count(r.value.total.fp)} + ${count(r.value.total.fn)})`),
                h('td', { class: 'govuk-table__cell govuk-table__cell--numeric', 'data-key': 'gap', 'data-value': r.gap ? String(r.gap.gap) : 'null' }, r.gap ? `${pct(r.gap.gap)}${r.gap.tolerance !== undefined && r.gap.smallest_gap > r.gap.tolerance ? ` (no choice is within ${pct(r.gap.tolerance)}: the smallest possible)` : ''}` : '—'),
                h('td', { class: 'govuk-table__cell' }, h('ul', { class: 'govuk-list govuk-body-s' }, change(r.value.groups))),
                h('td', { class: 'govuk-table__cell' }, r.gap ? (() => {
                  const b = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0', 'data-try': r.key }, 'Try these', h('span', { class: 'govuk-visually-hidden' }, ` thresholds: ${r.name}`));
                  b.addEventListener('click', () => tryThresholds(r.value.groups));
                  return b;
                })() : null))))))),
        note ? h('p', { class: 'govuk-body-s', id: `${id}-strategies-note` }, note) : null,
        h('p', { class: 'govuk-body-s', id: `${id}-strategies-law` }, LEGAL_NOTE));
    }
  }
  return section;
}

/** The people with a score: the explorer's rows. */
function rows0(a) {
  return (a.scores?.groups || []).reduce((t, g) => t + (g.rows || 0), 0);
}
