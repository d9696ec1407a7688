// GOV.UK Design System form patterns, built with dom.js (text only).
import { answer, setAnswer } from '../model/state.js';
import { h } from './dom.js';

/** The DOM id of a question's (first) control, used by error summary links. */
export function domId(fieldId) { return `f-${fieldId.replace(/[^A-Za-z0-9]+/g, '-')}`; }

export function hint(id, text) { return text ? h('div', { class: 'govuk-hint', id }, text) : null; }

export function helpDetails(summary, paragraphs) {
  if (!paragraphs || paragraphs.length === 0) return null;
  return h('details', { class: 'govuk-details' },
    h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, summary)),
    h('div', { class: 'govuk-details__text' }, paragraphs.map((p) => (p instanceof Node ? p : h('p', { class: 'govuk-body' }, p)))));
}

function errorMessage(id, text) {
  return text ? h('p', { class: 'govuk-error-message', id }, h('span', { class: 'govuk-visually-hidden' }, 'Error: '), text) : null;
}

function describedBy(...ids) { const v = ids.filter(Boolean).join(' '); return v || null; }

/**
 * Renders one question from questions.js. `errors` maps field ids to messages.
 * `opts.onChange` is called after the answer is stored.
 */
export function field(f, errors = {}, opts = {}) {
  const id = domId(f.id);
  const err = errors[f.id];
  const hintText = [f.hint, f.source ? `Source: ${f.source}.` : null].filter(Boolean).join(' ');
  const hintId = hintText ? `${id}-hint` : null;
  const errId = err ? `${id}-error` : null;
  const value = opts.value !== undefined ? opts.value : answer(f.id);
  const store = (v) => { (opts.set || setAnswer)(f.id, v); opts.onChange?.(v); };
  const help = helpDetails('Help with this question', f.help);
  const group = (...children) => h('div', { class: ['govuk-form-group', err && 'govuk-form-group--error'] }, children);

  if (f.type === 'text' || f.type === 'number' || f.type === 'textarea') {
    const control = f.type === 'textarea'
      ? h('textarea', { class: ['govuk-textarea', err && 'govuk-textarea--error'], id, name: id, rows: f.rows || 4, 'aria-describedby': describedBy(hintId, errId) })
      : h('input', {
        class: ['govuk-input', f.width && `govuk-input--width-${f.width}`, err && 'govuk-input--error'], id, name: id, type: 'text',
        inputmode: f.type === 'number' ? 'decimal' : null, spellcheck: f.type === 'number' ? 'false' : null, 'aria-describedby': describedBy(hintId, errId),
      });
    control.value = value ?? '';
    control.addEventListener('input', () => store(control.value));
    return group(h('label', { class: 'govuk-label govuk-label--s', for: id }, f.label), hint(hintId, hintText), help, errorMessage(errId, err), control);
  }

  if (f.type === 'select') {
    const control = h('select', { class: ['govuk-select', err && 'govuk-select--error'], id, name: id, 'aria-describedby': describedBy(hintId, errId) },
      f.options.map((o) => h('option', { value: o.value }, o.label)));
    control.value = value ?? '';
    control.addEventListener('change', () => store(control.value));
    return group(h('label', { class: 'govuk-label govuk-label--s', for: id }, f.label), hint(hintId, hintText), help, errorMessage(errId, err), control);
  }

  if (f.type === 'radios' || f.type === 'checkboxes') {
    const radio = f.type === 'radios';
    const selected = radio ? value : (Array.isArray(value) ? value : []);
    const items = f.options.map((o, i) => {
      const itemId = i === 0 ? id : `${id}-${i + 1}`;
      const itemHint = o.hint ? `${itemId}-item-hint` : null;
      const input = h('input', {
        class: radio ? 'govuk-radios__input' : 'govuk-checkboxes__input', id: itemId, name: id, type: radio ? 'radio' : 'checkbox',
        value: o.value, 'aria-describedby': itemHint,
      });
      input.checked = radio ? selected === o.value : selected.includes(o.value);
      input.addEventListener('change', () => {
        if (radio) store(o.value);
        else {
          const boxes = input.closest('.govuk-checkboxes').querySelectorAll('input');
          store([...boxes].filter((b) => b.checked).map((b) => b.value));
        }
      });
      return h('div', { class: radio ? 'govuk-radios__item' : 'govuk-checkboxes__item' }, input,
        h('label', { class: ['govuk-label', radio ? 'govuk-radios__label' : 'govuk-checkboxes__label'], for: itemId }, o.label),
        o.hint ? h('div', { class: ['govuk-hint', radio ? 'govuk-radios__hint' : 'govuk-checkboxes__hint'], id: itemHint }, o.hint) : null);
    });
    const extra = [];
    if (radio && !f.noClear) {
      const clearBtn = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0 ba-clear-answer' }, 'Clear this answer',
        h('span', { class: 'govuk-visually-hidden' }, `: ${f.label}`));
      clearBtn.addEventListener('click', () => {
        for (const input of clearBtn.closest('.govuk-fieldset').querySelectorAll('input')) input.checked = false;
        store('');
      });
      extra.push(clearBtn);
    }
    return group(h('fieldset', { class: 'govuk-fieldset', 'aria-describedby': describedBy(hintId, errId) },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, f.label),
      hint(hintId, hintText), help, errorMessage(errId, err),
      h('div', { class: [radio ? 'govuk-radios govuk-radios--small' : 'govuk-checkboxes govuk-checkboxes--small', f.inline && 'govuk-radios--inline'] }, items),
      extra));
  }

  if (f.type === 'date') {
    const [y = '', m = '', d = ''] = typeof value === 'string' ? value.split('-') : [];
    const part = (key, label, width, v) => {
      const input = h('input', {
        class: ['govuk-input', 'govuk-date-input__input', `govuk-input--width-${width}`, err && 'govuk-input--error'],
        id: key === 'day' ? id : `${id}-${key}`, name: `${id}-${key}`, type: 'text', inputmode: 'numeric',
      });
      input.value = v;
      return h('div', { class: 'govuk-date-input__item' }, h('div', { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label govuk-date-input__label', for: input.id }, label), input));
    };
    const wrap = h('div', { class: 'govuk-date-input' }, part('day', 'Day', 2, d), part('month', 'Month', 2, m), part('year', 'Year', 4, y));
    wrap.addEventListener('input', () => {
      const [dd, mm, yy] = [...wrap.querySelectorAll('input')].map((i) => i.value.trim());
      store(dd || mm || yy ? `${yy}-${mm.padStart(mm ? 2 : 0, '0')}-${dd.padStart(dd ? 2 : 0, '0')}` : '');
    });
    return group(h('fieldset', { class: 'govuk-fieldset', role: 'group', 'aria-describedby': describedBy(hintId, errId) },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, f.label), hint(hintId, hintText), help, errorMessage(errId, err), wrap));
  }
  throw new Error(`unknown field type ${f.type}`);
}

/** Checks a date answer; returns an error message or null. */
export function checkDate(value, label) {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return `${label} must be a real date, with a day, month and year`;
  const [y, mo, d] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return `${label} must be a real date`;
  return null;
}

export function isAnswered(v) { return !(v === undefined || v === '' || (Array.isArray(v) && v.length === 0)); }

/** The GOV.UK error summary, or null when there are no errors. */
export function errorSummary(list) {
  if (!list.length) return null;
  return h('div', { class: 'govuk-error-summary', tabindex: '-1', 'aria-labelledby': 'error-summary-title' },
    h('div', { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title', id: 'error-summary-title' }, 'There is a problem'),
      h('div', { class: 'govuk-error-summary__body' },
        h('ul', { class: 'govuk-list govuk-error-summary__list' }, list.map((e) => {
          const a = h('a', { href: `#${e.target}` }, e.text);
          a.addEventListener('click', (ev) => {
            ev.preventDefault();
            const el = document.getElementById(e.target);
            if (el) { el.scrollIntoView({ block: 'center' }); el.focus(); }
          });
          return h('li', null, a);
        })))));
}
