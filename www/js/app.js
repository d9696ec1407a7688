// The review page: steps, navigation, focus management, error summary and
// autosave. Each step renders into <main>; see the step modules.
import { carried } from './model/offline.js';
import { STORAGE_KEY, onSaved, restore, saveNow, state } from './model/state.js';
import { loadDefaults, renderData } from './steps/data.js';
import { renderEquality } from './steps/equality.js';
import { renderFairness, validateFairness } from './steps/fairness.js';
import { renderImpact } from './steps/impact.js';
import { renderMonitor } from './steps/monitor.js';
import { renderQuestions, validateQuestions } from './steps/questions.js';
import { renderRecord } from './steps/record.js';
import { renderResults } from './steps/results.js';
import { renderRisks } from './steps/risks.js';
import { renderStart } from './steps/start.js';
import { clear, h, s } from './ui/dom.js';
import { domId, errorSummary } from './ui/forms.js';

const STEPS = [
  { id: 'start', title: 'Start', heading: 'Review an algorithm for bias' },
  { id: 'system', title: 'The system', heading: 'The system' },
  { id: 'impact', title: 'Impact screening', heading: 'Impact screening' },
  { id: 'oversight', title: 'Oversight and redress', heading: 'Oversight and redress' },
  { id: 'data', title: 'Data', heading: 'Data' },
  { id: 'fairness', title: 'Which fairness question?', heading: 'Which fairness question?' },
  { id: 'results', title: 'Results', heading: 'Results' },
  { id: 'equality', title: 'Equality and rights', heading: 'Equality and rights' },
  { id: 'risks', title: 'Risks and mitigations', heading: 'Risks and mitigations' },
  { id: 'decision', title: 'Decision', heading: 'Decision' },
  { id: 'record', title: 'Record and export', heading: 'Record and export' },
  { id: 'monitor', title: 'Monitoring', heading: 'Monitoring a live system' },
];

let current = 'start';
let errors = []; // [{ target: DOM id, field?: question id, text }]

// ---- Start -----------------------------------------------------------------------

// ---- Generic question steps -------------------------------------------------------------

// ---- Impact --------------------------------------------------------------------------------

// ---- Layout, navigation and focus --------------------------------------------------------

const RENDER = {
  start: renderStart,
  system: renderQuestions('system'),
  impact: renderImpact,
  oversight: renderQuestions('oversight'),
  data: renderData,
  fairness: renderFairness,
  results: renderResults,
  equality: renderEquality,
  risks: renderRisks,
  decision: renderQuestions('decision'),
  record: renderRecord,
  monitor: renderMonitor,
};
const VALIDATE = { system: validateQuestions('system'), oversight: validateQuestions('oversight'), decision: validateQuestions('decision'), fairness: validateFairness };

function stepIndex(id) { return STEPS.findIndex((s) => s.id === id); }

function stepList() {
  const nav = document.getElementById('step-list');
  clear(nav);
  const list = h('ol', { class: 'ba-steps' }, STEPS.map((s, i) => {
    const isCurrent = s.id === current;
    const link = h('a', { class: 'govuk-link ba-steps__link', href: `#/${s.id}`, 'aria-current': isCurrent ? 'step' : null }, h('span', { class: 'ba-steps__number' }, `${i + 1}.`), s.title);
    return h('li', { class: ['ba-steps__item', isCurrent && 'ba-steps__item--current'] }, link);
  }));
  const title = h('h2', { class: 'govuk-heading-s ba-step-list__title', id: 'step-list-title' }, 'Steps of the review');
  // On a phone the list folds away behind one line, so the step itself comes first.
  if (window.matchMedia('(min-width: 40.0625em)').matches) {
    nav.append(title, list);
    return;
  }
  const at = STEPS.findIndex((s) => s.id === current);
  if (at >= 0) title.append(h('span', { class: 'ba-step-list__where' }, ` (step ${at + 1} of ${STEPS.length})`));
  nav.append(h('details', { class: 'ba-step-list' }, h('summary', { class: 'ba-step-list__summary' }, title), list));
}

function saveStatusText(st) {
  if (!st) return 'Answers are saved in this browser as you go.';
  if (!st.ok) return 'Your answers could not be saved in this browser (storage is full or blocked). Save the review file in the last step.';
  return `Answers saved in this browser at ${st.at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}.`;
}

/** Renders the current step. opts.focus: id to focus; opts.focusErrors; opts.focusHeading. */
function render(opts = {}) {
  const step = STEPS[stepIndex(current)];
  const main = document.getElementById('main-content');
  const keepScroll = !opts.focusHeading ? window.scrollY : 0;
  clear(main);
  document.title = `${errors.length ? 'Error: ' : ''}${step.title} – Algorithm bias review – biasaudit`;
  const i = stepIndex(current);
  const ctx = {
    errors,
    fieldErrors: Object.fromEntries(errors.filter((e) => e.field).map((e) => [e.field, e.text])),
    setErrors(list) { errors = list; },
    rerender(o) { render(o); },
    go,
  };
  const back = i > 0 ? h('a', { href: `#/${STEPS[i - 1].id}`, class: 'govuk-back-link' }, `Back to ${STEPS[i - 1].title}`) : null;
  const summary = errorSummary(errors);
  const body = h('div', { class: 'ba-step', id: `step-${step.id}` });
  try {
    RENDER[step.id](body, ctx);
  } catch (e) {
    console.error(e);
    body.append(h('div', { class: 'govuk-error-summary' }, h('h2', { class: 'govuk-error-summary__title' }, 'This step could not be shown'),
      h('p', { class: 'govuk-body' }, `Something in the saved review could not be read: ${e.message}. You can start again from the first step.`)));
  }
  const next = i < STEPS.length - 1 ? h('button', { type: 'button', class: 'govuk-button', id: 'next' }, i === 0 ? 'Start the review' : 'Save and continue') : null;
  next?.addEventListener('click', async () => {
    // A step may ask the engine, so its check can take a moment.
    next.disabled = true;
    let found;
    try { found = (await VALIDATE[current]?.()) || []; } finally { next.disabled = false; }
    const problems = found.map((e) => ({ ...e, target: e.target || domId(e.field) }));
    if (problems.length) {
      errors = problems;
      render({ focusErrors: true });
      return;
    }
    go(STEPS[i + 1].id);
  });
  main.append(back || '', summary || '',
    h('span', { class: 'govuk-caption-l' }, `Step ${i + 1} of ${STEPS.length}`),
    h('h1', { class: 'govuk-heading-xl', id: 'main-heading', tabindex: '-1' }, step.heading),
    body,
    h('div', { class: 'govuk-button-group ba-nav-buttons' }, next, i > 0 ? h('a', { class: 'govuk-link', href: `#/${STEPS[i - 1].id}` }, 'Previous step') : null));
  stepList();
  document.getElementById('save-status').textContent = saveStatusText(state.saveStatus);

  if (opts.focusErrors && summary) { summary.focus(); window.scrollTo(0, 0); }
  else if (opts.focus && document.getElementById(opts.focus)) { document.getElementById(opts.focus).focus({ preventScroll: !!keepScroll }); if (keepScroll) window.scrollTo(0, keepScroll); }
  else if (opts.focusHeading) { document.getElementById('main-heading').focus(); window.scrollTo(0, 0); }
  else if (keepScroll) window.scrollTo(0, keepScroll);
}

function go(id) {
  if (location.hash !== `#/${id}`) location.hash = `#/${id}`;
  else show(id);
}

function show(id) {
  if (!RENDER[id]) return;
  const changed = id !== current;
  current = id;
  if (changed) errors = [];
  try { localStorage.setItem(`${STORAGE_KEY}.step`, id); } catch { /* ignore */ }
  render({ focusHeading: true });
}

function route() {
  const m = /^#\/([a-z]+)$/.exec(location.hash);
  if (m && RENDER[m[1]]) show(m[1]);
}

// The offline file has no LEGAL.md or IMPACT.md beside it: it carries them
// (scripts/build-offline.mjs), and a link to one opens that copy in a new tab.
function openCarriedNotes() {
  const notes = carried()?.notes;
  if (!notes) return;
  const urls = new Map();
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    const name = link?.getAttribute('href');
    if (!link || !name || typeof notes[name] !== 'string') return;
    event.preventDefault();
    if (!urls.has(name)) urls.set(name, URL.createObjectURL(new Blob([notes[name]], { type: 'text/plain;charset=utf-8' })));
    window.open(urls.get(name), '_blank', 'noopener');
  });
}

function init() {
  restore();
  onSaved((st) => { const el = document.getElementById('save-status'); if (el) el.textContent = saveStatusText(st); });
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    const main = document.getElementById('main-content');
    main.setAttribute('tabindex', '-1');
    main.focus();
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('pagehide', saveNow);
  openCarriedNotes();
  let start = 'start';
  try { start = localStorage.getItem(`${STORAGE_KEY}.step`) || 'start'; } catch { /* ignore */ }
  const m = /^#\/([a-z]+)$/.exec(location.hash);
  current = m && RENDER[m[1]] ? m[1] : (RENDER[start] ? start : 'start');
  if (!m) history.replaceState(null, '', `#/${current}`);
  render({});
  loadDefaults();
}

init();
