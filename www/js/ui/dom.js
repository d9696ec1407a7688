// Building the page safely. Every piece of text, and above all every piece of
// text that comes from a data file or a saved review, goes in as a text node
// or an attribute value. Nothing in this page uses innerHTML.

import { visible } from './format.js';

// Invisible control characters are shown as [U+XXXX] (ui/format.js says why).
export { visible };

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) { for (const c of child) append(el, c); return; }
  el.append(child instanceof Node ? child : document.createTextNode(visible(child)));
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'checked' || key === 'selected' || key === 'value') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

/** h('p', {class: 'x'}, 'text', child, ...) builds an HTML element. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Same for SVG elements. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function clear(el) { while (el.firstChild) el.firstChild.remove(); return el; }

let idCounter = 0;
/** A fresh id for aria references (never derived from data). */
export function uid(prefix = 'id') { idCounter += 1; return `${prefix}-${idCounter}`; }

/** Saves text as a file on this computer (no network: a blob: URL). */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Escapes text for HTML (for the exported report, which is a file, not this page). */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Appends children to an element, skipping null/false and flattening arrays. */
export function add(el, ...children) { append(el, children); return el; }

/** A wide table (or chart) in a container that scrolls sideways, saying so. */
export function scrollTable(table, label) {
  return h('div', { class: 'ba-table-wrap' },
    h('p', { class: 'govuk-body-s ba-scroll-cue', 'aria-hidden': 'true' }, 'Scroll sideways to see every column →'),
    h('div', { class: 'ba-scroll', tabindex: '0', role: 'region', 'aria-label': `${label} (scrolls sideways)` }, table));
}
