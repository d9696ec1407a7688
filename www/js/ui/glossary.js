// Terms in the results linked to their plain-English entries, and the list
// of entries. The page routes on the hash, so a link moves focus itself.
import { GLOSSARY } from '../model/glossary.js';
import { h } from './dom.js';

function jump(event, target) {
  event.preventDefault();
  const el = document.getElementById(target);
  if (!el) return;
  el.setAttribute('tabindex', '-1');
  el.focus();
  el.scrollIntoView({ block: 'center' });
}

/** `text` as a link to the glossary's entry `key`. */
export function termLink(key, text) {
  const a = h('a', { class: 'govuk-link ba-term', href: `#glossary-${key}` }, text);
  a.addEventListener('click', (e) => jump(e, `glossary-${key}`));
  return a;
}

/** Every entry, for the foot of the results. */
export function glossarySection() {
  return h('section', { 'aria-labelledby': 'glossary-heading', id: 'glossary' },
    h('h2', { class: 'govuk-heading-m', id: 'glossary-heading' }, 'Words used in the results'),
    h('dl', { class: 'govuk-summary-list' }, Object.entries(GLOSSARY).map(([key, entry]) => h('div', { class: 'govuk-summary-list__row', id: `glossary-${key}` },
      h('dt', { class: 'govuk-summary-list__key' }, entry.term),
      h('dd', { class: 'govuk-summary-list__value' }, entry.text)))));
}
