// The Markdown record's escaping, read back by a Markdown renderer
// (markdown-it with raw HTML and bare-link detection on, as the most
// permissive viewers are): hostile or awkward text renders as exactly that
// text, with no markup, while ordinary prose keeps no backslashes.
// Run: node --test tests/model/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { mdEscape } from '../../www/js/ui/export.js';

const md = new MarkdownIt({ html: true, linkify: true });
const decode = (html) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const AWKWARD = [
  '<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '=HYPERLINK("http://evil.example")', 'javascript:alert(3)',
  'see http://evil.example or www.evil.example', '# not a heading', '> not a quote', '- not a list', '+ not a list', '1. not a list',
  '2) not a list', '*not emphasis*', '_not emphasis_', '**not strong**', '`not code`', '[not](https://a.example)', '![not](x.png)',
  'a | b', '~~not struck~~', '&amp; &#60; entities stay text', 'back\\slash', '=== not a rule', '---', 'single_parent', 'x_y_z',
  'ends with a hash #', '##', 'C# stays', 'costs $5 and $10',
];

for (const text of AWKWARD) {
  test(`${JSON.stringify(text)} renders as itself in a paragraph, a list item, after a label and in a heading`, () => {
    const block = mdEscape(text, { startsBlock: true });
    const cases = [[block, '<p>', '</p>'], [`- ${block}`, '<ul>\n<li>', '</li>\n</ul>'], [`- **Key:** ${mdEscape(text)}`, '<ul>\n<li><strong>Key:</strong> ', '</li>\n</ul>'],
      [`## ${mdEscape(text)}`, '<h2>', '</h2>']];
    for (const [source, open, close] of cases) {
      const html = md.render(source).trim();
      assert.ok(html.startsWith(open) && html.endsWith(close), `${source} → ${html}`);
      const inner = html.slice(open.length, -close.length);
      assert.ok(!/<[a-z]/i.test(inner), `no element from ${JSON.stringify(text)}: ${html}`);
      assert.equal(decode(inner), text);
    }
  });
}

test('ordinary prose is written as it is, with no backslashes', () => {
  const prose = 'Non-EU (nationality) were given the decision 31.5% of the time against 9.3% for British: 3.39 times as often (range 2.81 to 4.07). Adverse impact indicated.';
  assert.equal(mdEscape(prose), prose);
  assert.equal(mdEscape('1. The system'), '1. The system', 'a heading or a labelled value need no block escapes');
  assert.equal(mdEscape('Level III: high impact (score 43 of 68); record produced 2026-12-02; single_parent = "yes"'),
    'Level III: high impact (score 43 of 68); record produced 2026-12-02; single_parent = "yes"');
});

test('a pair of dollar signs, which GitHub reads as mathematics, is escaped; one alone is not', () => {
  assert.equal(mdEscape('costs $5 and $10'), 'costs \\$5 and \\$10');
  assert.equal(mdEscape('costs $5'), 'costs $5');
  assert.equal(mdEscape('C# and F#'), 'C# and F#', 'a hash inside a word is not a closing sequence');
});
