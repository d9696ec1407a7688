// The review page: steps, navigation, focus management, error summary and
// autosave. Each step renders into <main>; see the step modules.
import { add, h, clear } from './dom.js';
import { field, errorSummary, checkDate, domId } from './forms.js';
import { STEP_QUESTIONS, REVIEW_TYPES } from './questions.js';
import { IMPACT_QUESTIONS, LEVELS, scoreImpact } from './impact.js';
import { state, restore, saveNow, onSaved, forget, sanitiseReview, STORAGE_KEY } from './state.js';
import { renderData, session, dropFingerprint, loadDefaults } from './data.js';
import { renderFairness, validateFairness } from './fairness.js';
import { renderResults } from './results.js';
import { renderEquality, renderRisks } from './board.js';
import { renderRecord } from './record.js';

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
];

let current = 'start';
let errors = []; // [{ target: DOM id, field?: question id, text }]

// ---- Start -----------------------------------------------------------------------

function renderStart(root, ctx) {
  const resumeInput = h('input', { class: 'govuk-file-upload', type: 'file', id: 'resume-file', accept: '.json,application/json', 'aria-describedby': 'resume-hint' });
  resumeInput.addEventListener('change', async () => {
    const file = resumeInput.files[0];
    if (!file) return;
    try {
      if (file.size > 50 * 1024 * 1024) throw new Error('The file is too large to be a review file.');
      const review = sanitiseReview(JSON.parse(await file.text()));
      dropFingerprint();
      state.review = review;
      session.file = null;
      session.preview = null;
      saveNow();
      ctx.setErrors([]);
      ctx.rerender({ focus: 'resume-done' });
    } catch (e) {
      ctx.setErrors([{ target: 'resume-file', text: e instanceof SyntaxError ? 'The file is not a review file: it is not valid JSON.' : e.message }]);
      ctx.rerender({ focusErrors: true });
    }
  });
  const startNew = h('button', { type: 'button', class: 'govuk-button govuk-button--warning', id: 'start-new' }, 'Clear this browser’s saved review and start again');
  startNew.addEventListener('click', () => {
    if (startNew.dataset.confirm !== 'yes') {
      startNew.dataset.confirm = 'yes';
      startNew.textContent = 'Select again to confirm: this deletes the saved answers';
      return;
    }
    dropFingerprint();
    forget();
    session.file = null;
    session.preview = null;
    ctx.rerender({ focus: 'main-heading' });
  });
  const has = Object.keys(state.review.answers).length || state.review.report;
  add(root, 
    h('p', { class: 'govuk-body-l' }, 'Use this page to review whether an algorithm’s decisions fall harder on some groups of people than others, and to record what your board decided.'),
    h('p', { class: 'govuk-body' }, 'It is for council ethics boards, procurement teams testing a supplier’s system, and students. It takes you through the system, its impact, the data, the fairness question, the results, equality duties, risks and the decision, and produces a record you can publish.'),
    h('div', { class: 'govuk-notification-banner ba-privacy', role: 'region', 'aria-labelledby': 'privacy-title' },
      h('div', { class: 'govuk-notification-banner__header' }, h('h2', { class: 'govuk-notification-banner__title', id: 'privacy-title' }, 'Your data stays on this computer')),
      h('div', { class: 'govuk-notification-banner__content' },
        h('p', { class: 'govuk-notification-banner__heading' }, 'The data file is read inside this browser and is never uploaded.'),
        h('p', { class: 'govuk-body' }, 'All the figures are worked out here, by a WebAssembly program that came with this page. The page’s security policy stops it connecting to any other website, so it cannot send your data anywhere. It only fetches its own files from the address it was opened from.'),
        h('p', { class: 'govuk-body' }, 'Your answers (not the data) are saved in this browser as you go, so nothing is lost if you close the tab. On a shared computer, clear them when you finish.'),
        h('details', { class: 'govuk-details govuk-!-margin-bottom-0' },
          h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'How to check this yourself')),
          h('div', { class: 'govuk-details__text' },
            h('ol', { class: 'govuk-list govuk-list--number' },
              h('li', null, 'Open your browser’s developer tools (F12, or Ctrl+Shift+I; on a Mac, Cmd+Option+I) and choose the Network tab.'),
              h('li', null, 'Tick “Preserve log”, then reload this page and go through the review with your file.'),
              h('li', null, 'Every request listed goes to the address in the address bar, and is one of the page’s own files (its scripts, styles, the WebAssembly engine and the sample files). Nothing is sent when you open or check a file.'),
              h('li', null, 'For a stronger test, disconnect from the network after the page has loaded: everything still works.')),
            h('p', { class: 'govuk-body' }, 'The policy is in the page’s source (View source, the “Content-Security-Policy” line): connect-src \'self\' allows connections only to this page’s own address.'))))),
    field({ id: 'start.type', type: 'radios', label: 'What kind of review is this?', options: REVIEW_TYPES }, ctx.fieldErrors),
    h('h2', { class: 'govuk-heading-m' }, 'Carry on with a saved review'),
    h('div', { class: ['govuk-form-group', ctx.fieldErrors['resume'] && 'govuk-form-group--error'] },
      h('label', { class: 'govuk-label', for: 'resume-file' }, 'Open a review file (JSON) saved from this page'),
      h('div', { class: 'govuk-hint', id: 'resume-hint' }, 'The answers and results in the file replace the ones saved in this browser. The data file itself is not in it; open it again in the Data step if you need to re-check it.'),
      resumeInput),
    h('p', { class: 'govuk-body', id: 'resume-done', tabindex: '-1' }, has ? `A review is saved in this browser (last changed ${new Date(state.review.updated).toLocaleString('en-GB')}).` : 'Nothing is saved in this browser yet.'),
    has ? startNew : null);
}

// ---- Generic question steps -------------------------------------------------------------

function renderQuestions(stepId) {
  return (root, ctx) => {
    const q = STEP_QUESTIONS[stepId];
    add(root, h('p', { class: 'govuk-body-l' }, q.intro));
    for (const section of q.sections) {
      add(root, h('h2', { class: 'govuk-heading-m' }, section.heading), ...section.fields.map((f) => field(f, ctx.fieldErrors)));
    }
  };
}

function validateQuestions(stepId) {
  return () => STEP_QUESTIONS[stepId].sections.flatMap((s) => s.fields)
    .filter((f) => f.type === 'date')
    .map((f) => ({ f, msg: checkDate(state.review.answers[f.id], f.label) }))
    .filter((x) => x.msg)
    .map(({ f, msg }) => ({ field: f.id, text: msg }));
}

// ---- Impact --------------------------------------------------------------------------------

function impactPanel() {
  const r = scoreImpact(state.review.answers);
  return h('div', { class: 'ba-impact-result', id: 'impact-result', 'aria-live': 'polite' },
    h('h2', { class: 'govuk-heading-m' }, `Provisional impact: ${LEVELS[r.level].name}`),
    h('p', { class: 'govuk-body' }, r.reasons.join(' '), r.unanswered ? ` ${r.unanswered} of ${IMPACT_QUESTIONS.length} questions are unanswered and count as 0.` : ''),
    h('p', { class: 'govuk-body govuk-!-margin-bottom-0' }, h('strong', null, 'What this means for the review: '), LEVELS[r.level].depth));
}

function renderImpact(root, ctx) {
  const update = () => { const old = document.getElementById('impact-result'); if (old) old.replaceWith(impactPanel()); };
  add(root, 
    h('p', { class: 'govuk-body-l' }, 'Seven questions give a provisional impact level, from I (little) to IV (very high). The level sets how deep the rest of the review should go.'),
    h('details', { class: 'govuk-details' },
      h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'How the level is worked out')),
      h('div', { class: 'govuk-details__text' },
        h('p', { class: 'govuk-body' }, 'Each answer scores 0 to 4 points, multiplied by the question’s weight (shown with each question). The levels are: I up to 25% of the maximum score, II up to 50%, III up to 75%, IV above. An output that takes effect without a person, with a serious effect on people, is at least Level III.'),
        h('p', { class: 'govuk-body' }, 'The idea follows the Canadian Algorithmic Impact Assessment, with our own questions and weights, documented in IMPACT.md alongside this page.'))),
    ...IMPACT_QUESTIONS.map((q) => field({ ...q, type: q.type || 'radios', hint: [q.hint, `Weight ${q.weight}.`].filter(Boolean).join(' ') }, ctx.fieldErrors, { onChange: update })),
    impactPanel());
}

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
};
const VALIDATE = { system: validateQuestions('system'), oversight: validateQuestions('oversight'), decision: validateQuestions('decision'), fairness: validateFairness };

function stepIndex(id) { return STEPS.findIndex((s) => s.id === id); }

function stepList() {
  const nav = document.getElementById('step-list');
  clear(nav);
  nav.append(h('h2', { class: 'govuk-heading-s', id: 'step-list-title' }, 'Steps of the review'),
    h('ol', { class: 'ba-steps' }, STEPS.map((s, i) => {
      const isCurrent = s.id === current;
      const link = h('a', { class: 'govuk-link ba-steps__link', href: `#/${s.id}`, 'aria-current': isCurrent ? 'step' : null }, h('span', { class: 'ba-steps__number' }, `${i + 1}.`), s.title);
      return h('li', { class: ['ba-steps__item', isCurrent && 'ba-steps__item--current'] }, link);
    })));
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
  next?.addEventListener('click', () => {
    const problems = (VALIDATE[current]?.() || []).map((e) => ({ ...e, target: e.target || domId(e.field) }));
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
  let start = 'start';
  try { start = localStorage.getItem(`${STORAGE_KEY}.step`) || 'start'; } catch { /* ignore */ }
  const m = /^#\/([a-z]+)$/.exec(location.hash);
  current = m && RENDER[m[1]] ? m[1] : (RENDER[start] ? start : 'start');
  if (!m) history.replaceState(null, '', `#/${current}`);
  render({});
  loadDefaults();
}

init();
