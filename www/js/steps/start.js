// Step 1, Start: what the review is for, a new review or one carried on.
import { carried } from '../model/offline.js';
import { REVIEW_TYPES } from '../model/questions.js';
import { dropFingerprint, session } from '../model/session.js';
import { forget, sanitiseReview, saveNow, state } from '../model/state.js';
import { add, h } from '../ui/dom.js';
import { field } from '../ui/forms.js';

export function renderStart(root, ctx) {
  const offline = carried() !== null;
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
        h('p', { class: 'govuk-body' }, offline
          ? 'All the figures are worked out here, by a WebAssembly program inside this file. This copy of the page is a single file that fetches nothing: its security policy blocks every connection, to anywhere, so it cannot send your data anywhere.'
          : 'All the figures are worked out here, by a WebAssembly program that came with this page. The page’s security policy stops it connecting to any other website, so it cannot send your data anywhere. It only fetches its own files from the address it was opened from.'),
        h('p', { class: 'govuk-body' }, 'Your answers (not the data) are saved in this browser as you go, so nothing is lost if you close the tab. On a shared computer, clear them when you finish.'),
        h('details', { class: 'govuk-details govuk-!-margin-bottom-0' },
          h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, 'How to check this yourself')),
          h('div', { class: 'govuk-details__text' },
            h('ol', { class: 'govuk-list govuk-list--number' },
              h('li', null, 'Open your browser’s developer tools (F12, or Ctrl+Shift+I; on a Mac, Cmd+Option+I) and choose the Network tab.'),
              ...(offline
                ? [h('li', null, 'Tick “Preserve log”, then reload this file and go through the review with your file.'),
                  h('li', null, 'The only entries are this file itself and “blob:” entries the page made on this computer (its workers and the files you save). None has an http or https address.'),
                  h('li', null, 'For a stronger test, disconnect from the network before you open the file: everything still works.')]
                : [h('li', null, 'Tick “Preserve log”, then reload this page and go through the review with your file.'),
                  h('li', null, 'Every request listed goes to the address in the address bar, and is one of the page’s own files (its scripts, styles, the WebAssembly engine and the sample files). Nothing is sent when you open or check a file.'),
                  h('li', null, 'For a stronger test, disconnect from the network after the page has loaded: everything still works.')])),
            h('p', { class: 'govuk-body' }, offline
              ? 'The policy is in the file’s source (the “Content-Security-Policy” line): connect-src \'none\' allows no connection at all. Compare the file’s SHA-256 fingerprint with the one your organisation published for it.'
              : 'The policy is in the page’s source (View source, the “Content-Security-Policy” line): connect-src \'self\' allows connections only to this page’s own address.'))))),
    field({ id: 'start.type', type: 'radios', label: 'What kind of review is this?', options: REVIEW_TYPES }, ctx.fieldErrors),
    h('h2', { class: 'govuk-heading-m' }, 'Carry on with a saved review'),
    h('div', { class: ['govuk-form-group', ctx.fieldErrors['resume'] && 'govuk-form-group--error'] },
      h('label', { class: 'govuk-label', for: 'resume-file' }, 'Open a review file (JSON) saved from this page'),
      h('div', { class: 'govuk-hint', id: 'resume-hint' }, 'The answers and results in the file replace the ones saved in this browser. The data file itself is not in it; open it again in the Data step if you need to re-check it.'),
      resumeInput),
    h('p', { class: 'govuk-body', id: 'resume-done', tabindex: '-1' }, has ? `A review is saved in this browser (last changed ${new Date(state.review.updated).toLocaleString('en-GB')}).` : 'Nothing is saved in this browser yet.'),
    state.review.report ? h('p', { class: 'govuk-body', id: 'resume-monitor' }, 'The system is in use? ', h('a', { class: 'govuk-link', href: '#/monitor' }, 'Check a new file of its decisions against this review'), '.') : null,
    has ? startNew : null);
}
