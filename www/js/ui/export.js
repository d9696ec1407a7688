// Documents built on the page (headings, paragraphs, summary lists, tables,
// charts, lists) as the files a board keeps: Markdown for people, and a
// standalone HTML page with no scripts and nothing from outside.
import { state } from '../model/state.js';
import { escapeHtml } from './dom.js';
import { today } from './format.js';

/** The start of an export's file name: biasaudit-<system>[-<kind>]-<date>. */
export function fileStem(kind = '') {
  const name = (state.review.answers['system.name'] || 'review').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'review';
  return `biasaudit-${name}${kind ? `-${kind}` : ''}-${today()}`;
}

/**
 * Text for one line of Markdown, escaped only where CommonMark or GitHub's
 * Markdown would otherwise read it as markup, so a plain-text reader sees
 * clean sentences: HTML (< > and entities), code, emphasis at a word's edge,
 * links, table cells, strikethrough, bare web addresses that would become
 * links, dollar signs that GitHub would read as mathematics (two or more in a
 * line), a closing run of # that a heading would drop, and, for text that
 * starts a block (`startsBlock`: a paragraph or a list item), a heading,
 * quote or list marker at its start. Bare e-mail addresses and domain names
 * are left as written: viewers that turn them into links do so in any text.
 */
export function mdEscape(v, { startsBlock = false } = {}) {
  const line = String(v ?? '').replace(/[\r\n]+/g, ' ');
  const inline = line
    .replace(/[\\`*[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/\$/g, (c) => ((line.match(/\$/g) ?? []).length > 1 ? '\\$' : c))
    .replace(/(^|\s)(#+)(\s*)$/, '$1\\$2$3')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.');
  if (!startsBlock) return inline;
  return inline.replace(/^(\s*)(\d+)([.)])(?=\s|$)/, '$1$2\\$3').replace(/^(\s*)([#>+=-])/, '$1\\$2');
}

/** A document built here (headings, paragraphs, summary lists, tables, charts, lists) as Markdown for people. */
export function elementMarkdown(el) {
  const out = [];
  const walk = (node) => {
    for (const child of node.children) {
      const tag = child.tagName.toLowerCase();
      if (/^h[1-4]$/.test(tag)) {
        const level = Number(tag[1]);
        // A caption inside a heading is its own phrase ("… decision record: Fraud flags"), not run into the title.
        const words = [...child.childNodes].map((x) => (x.textContent || '').trim()).filter(Boolean).join(': ');
        out.push('', `${'#'.repeat(level)} ${mdEscape(words)}`, '');
      } else if (child.getAttribute('aria-hidden') === 'true') {
        // A hint for the screen (such as "Scroll sideways"), not part of the document.
      } else if (tag === 'p') out.push(mdEscape(child.textContent.trim(), { startsBlock: true }), '');
      else if (tag === 'dl') {
        for (const row of child.querySelectorAll('.govuk-summary-list__row')) {
          const dd = row.querySelector('dd');
          const items = [...dd.querySelectorAll('li')].map((li) => li.textContent.trim());
          const value = items.length ? items.map((x, i) => `(${i + 1}) ${x}`).join('; ') : dd.textContent.trim();
          out.push(`- **${mdEscape(row.querySelector('dt').textContent.trim())}:** ${mdEscape(value)}`);
        }
        out.push('');
      } else if (tag === 'table') {
        const cap = child.querySelector('caption');
        if (cap) out.push(`*${mdEscape(cap.textContent.trim())}*`, '');
        const head = [...child.querySelectorAll('thead th')].map((x) => mdEscape(x.textContent.trim()));
        out.push(`| ${head.join(' | ')} |`, `|${head.map(() => ' --- |').join('')}`);
        for (const tr of child.querySelectorAll('tbody tr')) out.push(`| ${[...tr.children].map((x) => mdEscape(x.textContent.trim())).join(' | ')} |`);
        out.push('');
      } else if (tag === 'figure') {
        // A chart reads as its description, which holds every figure it draws.
        const desc = child.querySelector('desc')?.textContent.trim();
        if (desc) out.push(mdEscape(desc, { startsBlock: true }), '');
      } else if (tag === 'ul' || tag === 'ol') {
        [...child.children].forEach((li, i) => out.push(`${tag === 'ol' ? `${i + 1}.` : '-'} ${mdEscape(li.textContent.trim(), { startsBlock: true })}`));
        out.push('');
      } else walk(child);
    }
  };
  walk(el);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

const REPORT_CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#0b0c0c;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.4}
h1{font-size:2em}h2{font-size:1.5em;margin-top:1.5em;border-top:2px solid #0b0c0c;padding-top:.5em}h3{font-size:1.2em}
table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.9em}caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{border-bottom:1px solid #b1b4b6;padding:.3em .5em;text-align:left;vertical-align:top}
dl{margin:1em 0}dl>div{display:grid;grid-template-columns:minmax(10em,1fr) 2fr;gap:0 1em;padding:.3em 0;border-bottom:1px solid #e5e6e7}dt{font-weight:bold}dd{margin:0}
.ba-scroll{overflow-x:auto}.ba-gap{color:#6f3900}.govuk-caption-l{display:block;font-size:.6em;color:#505a5f}code{word-break:break-all}
figure{margin:1em 0}.ba-chart{width:100%;max-width:680px;height:auto;display:block}.ba-chart text{font-size:14px;fill:#0b0c0c}
.ba-chart__tick{fill:#505a5f!important;font-size:12px!important}.ba-chart__grid{stroke:#e5e6e7;stroke-width:1}.ba-chart__bar{fill:#5694ca}
.ba-chart__bar--ref{fill:#1d70b8}.ba-chart__bar--missing{fill:#b1b4b6}.ba-chart__bar--below{fill:#d4351c}.ba-chart__whisker{stroke:#0b0c0c;stroke-width:2}
.ba-chart__line{stroke:#0b0c0c;stroke-width:2;stroke-dasharray:6 4}.ba-chart__line--threshold{stroke:#d4351c}.ba-chart__line-label{font-size:12px!important;font-weight:700}
.ba-chart__na{fill:#505a5f!important;font-style:italic}
.ba-chart__panel-label{font-weight:700}.ba-chart__band{fill:#5694ca;fill-opacity:.3}.ba-chart__series{fill:none;stroke:#1d70b8;stroke-width:2}
.ba-chart__point{fill:#1d70b8}.ba-chart__point--few{fill:#fff;stroke:#1d70b8;stroke-width:1.5}.ba-chart__line--even{stroke:#505a5f;stroke-dasharray:2 3}
.ba-scroll-cue{display:none}.ba-block{display:block}.ba-monitor-alert{border-left:5px solid #d4351c;padding-left:15px}.ba-monitor-watch{border-left:5px solid #f47738;padding-left:15px}
@media print{body{margin:0;max-width:none}.ba-scroll{overflow:visible}h2{break-before:auto}tr,dl>div,figure{break-inside:avoid}.ba-record__summary{break-after:page}}`;

/** A standalone HTML page of `el`: no scripts, no requests, nothing from outside. */
export function standaloneHtml(title, el) {
  // The tree was built with text nodes only; outerHTML escapes it.
  return `<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">\n<title>${escapeHtml(title)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>\n${el.outerHTML}\n</body>\n</html>\n`;
}

