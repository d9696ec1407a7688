// Pieces of the results' tables shared by the steps and the explorer.
import { VERDICTS } from '../model/metrics-info.js';
import { h } from './dom.js';

/** A column heading; numeric ones are right-aligned. */
export function th(text, numeric = true) {
  return h('th', { class: ['govuk-table__header', numeric && 'govuk-table__header--numeric'], scope: 'col' }, text);
}

/** A verdict as its coloured tag. */
export function verdictTag(verdict) {
  const v = VERDICTS[verdict] || { label: 'No verdict', tag: 'govuk-tag--grey' };
  return h('strong', { class: ['govuk-tag', v.tag] }, v.label);
}
