// Steps 2, 4 and 10 (the system, oversight and redress, the decision): lists of
// questions from model/questions.js, with their checks. The decision's
// conditions are a list of their own: each with its owner and due date.
import * as engine from '../engine/engine.js';
import { newId } from '../model/board.js';
import { FIGURE_TEXT, engineRuleProblems, figureLabel, lineText, points, ruleCharacteristics, thresholdFrom } from '../model/monitor.js';
import { STEP_QUESTIONS } from '../model/questions.js';
import { state, touch } from '../model/state.js';
import { add, h } from '../ui/dom.js';
import { today } from '../ui/format.js';
import { checkDate, domId, field, hint } from '../ui/forms.js';

/** The form fields of condition `i` (from 0): their ids are `condition-N.text`, `.owner`, `.due`. */
export const conditionFieldId = (i, key) => `condition-${i + 1}.${key}`;

function conditionsList(f, ctx) {
  const list = state.review.conditions;
  const errors = ctx.fieldErrors || {};
  const addButton = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: 'condition-add' }, list.length ? 'Add another condition' : 'Add a condition');
  addButton.addEventListener('click', () => {
    list.push({ id: newId(), text: '', owner: '', due: '' });
    touch();
    ctx.rerender({ focus: `f-condition-${list.length}-text` });
  });
  const block = (c, i) => {
    const set = (key) => (_, v) => { c[key] = v; touch(); };
    const remove = h('button', { type: 'button', class: 'govuk-button govuk-button--warning govuk-!-margin-bottom-0' },
      'Remove this condition', h('span', { class: 'govuk-visually-hidden' }, ` (condition ${i + 1})`));
    remove.addEventListener('click', () => {
      list.splice(i, 1);
      touch();
      ctx.rerender({ focus: 'decision-conditions-heading' });
    });
    return h('fieldset', { class: 'govuk-fieldset ba-risk' },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, `Condition ${i + 1}`),
      field({ id: conditionFieldId(i, 'text'), type: 'textarea', rows: 2, label: 'What must be done?' }, errors, { value: c.text, set: set('text') }),
      field({ id: conditionFieldId(i, 'owner'), type: 'text', label: 'Who owns it (role, not name)?' }, errors, { value: c.owner, set: set('owner') }),
      field({ id: conditionFieldId(i, 'due'), type: 'date', label: 'Due by' }, errors, { value: c.due, set: set('due') }),
      remove);
  };
  return h('div', { class: 'govuk-form-group', id: 'decision-conditions' },
    h('h3', { class: 'govuk-heading-s', id: 'decision-conditions-heading', tabindex: '-1' }, f.label),
    hint('decision-conditions-hint', f.hint),
    list.length ? list.map(block) : h('p', { class: 'govuk-body' }, 'No conditions set.'),
    addButton);
}

/** The form fields of monitoring rule `i` (from 0): `monitoring-rule-N.figure`, `.attribute`, `.threshold`, `.notify`. */
export const ruleFieldId = (i, key) => `monitoring-rule-${i + 1}.${key}`;

// What was typed in a line box that is not yet a number, kept while the page is open.
const typedLines = new WeakMap();

// The figures the engine can watch, asked once.
let figures = null;
function engineFigures() {
  figures ??= engine.monitorRules().then((r) => r.figures).catch(() => Object.keys(FIGURE_TEXT));
  return figures;
}

function rulesList(f, ctx) {
  const list = state.review.monitoring.rules;
  const errors = ctx.fieldErrors || {};
  const characteristics = ruleCharacteristics();
  const addButton = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary', id: 'monitoring-rule-add' }, list.length ? 'Add another line' : 'Add a line');
  addButton.addEventListener('click', () => {
    list.push({ figure: 'verdict', notify: '' });
    touch();
    ctx.rerender({ focus: `f-monitoring-rule-${list.length}-figure` });
  });
  const block = (rule, i) => {
    const figureField = field({ id: ruleFieldId(i, 'figure'), type: 'radios', noClear: true, label: 'Which figure?', options: Object.keys(FIGURE_TEXT).map((value) => ({ value, label: FIGURE_TEXT[value].label, hint: FIGURE_TEXT[value].hint })) }, errors, {
      value: rule.figure,
      set: (_, v) => {
        rule.figure = v;
        // A line typed for one figure means something else for another.
        delete rule.threshold;
        typedLines.delete(rule);
        touch();
        const at = Object.keys(FIGURE_TEXT).indexOf(v);
        ctx.rerender({ focus: at > 0 ? `${domId(ruleFieldId(i, 'figure'))}-${at + 1}` : domId(ruleFieldId(i, 'figure')) });
      },
    });
    const options = [{ value: '', label: 'Every characteristic' }, ...characteristics.map((c) => ({ value: c.column, label: c.label }))];
    if (rule.attribute && !characteristics.some((c) => c.column === rule.attribute)) options.push({ value: rule.attribute, label: `${rule.attribute} (not in the checked data)` });
    const attributeField = field({ id: ruleFieldId(i, 'attribute'), type: 'select', label: 'For which characteristic?', options, hint: characteristics.length ? null : 'Check the data first to choose one characteristic.' }, errors, {
      value: rule.attribute ?? '',
      set: (_, v) => { if (v) rule.attribute = v; else delete rule.attribute; touch(); },
    });
    const lineHint = { impact_ratio: 'A ratio, for example 0.8', harm_ratio: 'A ratio, for example 1.25', rate_change: 'In percentage points, for example 5' }[rule.figure];
    const shown = typedLines.get(rule) ?? (Number.isFinite(rule.threshold) ? (rule.figure === 'rate_change' ? points(rule.threshold) : String(rule.threshold)) : '');
    const lineField = rule.figure === 'verdict' ? null : field({ id: ruleFieldId(i, 'threshold'), type: 'number', label: 'The line', hint: lineHint, width: 5 }, errors, {
      value: shown,
      set: (_, v) => {
        const t = thresholdFrom(rule.figure, v);
        if (t === null) { delete rule.threshold; if (String(v).trim()) typedLines.set(rule, v); else typedLines.delete(rule); }
        else { rule.threshold = t; typedLines.delete(rule); }
        touch();
      },
    });
    const notifyField = field({ id: ruleFieldId(i, 'notify'), type: 'text', label: 'Who is told (role, not name)?' }, errors, {
      value: rule.notify ?? '', set: (_, v) => { rule.notify = v; touch(); },
    });
    const remove = h('button', { type: 'button', class: 'govuk-button govuk-button--warning govuk-!-margin-bottom-0' },
      'Remove this line', h('span', { class: 'govuk-visually-hidden' }, ` (line ${i + 1}: ${figureLabel(rule.figure)} ${lineText(rule)})`));
    remove.addEventListener('click', () => {
      list.splice(i, 1);
      touch();
      ctx.rerender({ focus: 'decision-monitoring-heading' });
    });
    return h('fieldset', { class: 'govuk-fieldset ba-risk' },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, `Line ${i + 1}`),
      figureField, attributeField, lineField, notifyField, remove);
  };
  return h('div', { class: 'govuk-form-group', id: 'decision-monitoring-rules' },
    h('h3', { class: 'govuk-heading-s', id: 'decision-monitoring-heading', tabindex: '-1' }, f.label),
    hint('decision-monitoring-hint', f.hint),
    list.length ? list.map(block) : h('p', { class: 'govuk-body' }, 'No lines set: the check’s own verdicts are the rule.'),
    addButton);
}

/** Every problem with the board's lines: a line that is not a number here, then what the engine finds. */
export async function ruleProblems() {
  const list = state.review.monitoring.rules;
  const typed = list.flatMap((rule, i) => (rule.figure !== 'verdict' && typedLines.has(rule)
    ? [{ field: ruleFieldId(i, 'threshold'), text: `Line ${i + 1}: enter the line as a number, like ${rule.figure === 'rate_change' ? '5' : rule.figure === 'harm_ratio' ? '1.25' : '0.8'}` }] : []));
  if (typed.length || !list.length) return typed;
  await engineFigures();
  const problems = await engineRuleProblems(engine.monitorRules, list);
  return problems.map((p) => {
    const m = /^monitoring\.rules\[(\d+)\]\.(\w+)$/.exec(p.field ?? '');
    const text = String(p.message).replace(/^monitoring rule (\d+): /, 'Line $1: ');
    return { field: m ? ruleFieldId(Number(m[1]), m[2]) : ruleFieldId(0, 'figure'), text: text.charAt(0).toUpperCase() + text.slice(1) };
  });
}

export function renderQuestions(stepId) {
  return (root, ctx) => {
    const q = STEP_QUESTIONS[stepId];
    add(root, h('p', { class: 'govuk-body-l' }, q.intro));
    for (const section of q.sections) {
      add(root, h('h2', { class: 'govuk-heading-m' }, section.heading),
        ...section.fields.map((f) => (f.type === 'conditions' ? conditionsList(f, ctx) : f.type === 'monitoring-rules' ? rulesList(f, ctx) : field(f, ctx.fieldErrors))));
    }
  };
}

export function validateQuestions(stepId) {
  return async () => {
    const dates = STEP_QUESTIONS[stepId].sections.flatMap((s) => s.fields)
      .filter((f) => f.type === 'date')
      .map((f) => {
        const value = state.review.answers[f.id];
        const wrong = checkDate(value, f.label);
        // A review date already past schedules nothing.
        return { field: f.id, text: wrong ?? (f.future && value && value <= today() ? `${f.label} must be in the future` : null) };
      });
    const conditions = STEP_QUESTIONS[stepId].sections.some((s) => s.fields.some((f) => f.type === 'conditions'))
      ? state.review.conditions.map((c, i) => ({ field: conditionFieldId(i, 'due'), text: checkDate(c.due, `The due date of condition ${i + 1}`) }))
      : [];
    const rules = STEP_QUESTIONS[stepId].sections.some((s) => s.fields.some((f) => f.type === 'monitoring-rules')) ? await ruleProblems() : [];
    return [...dates, ...conditions, ...rules].filter((x) => x.text);
  };
}
