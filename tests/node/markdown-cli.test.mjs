// The command line's Markdown report read back by a Markdown renderer
// (markdown-it with raw HTML and bare-link detection on, as the most
// permissive viewers are): group names from the data render as exactly
// themselves, with no markup, while the engine's own sentences keep no
// backslashes. The same rules as the page's (tests/model/markdown.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = `${root}target/release/biasaudit`;
const md = new MarkdownIt({ html: true, linkify: true });
const decode = (html) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const AWKWARD = [
  '<img src=x onerror=alert(1)>', '<script>alert(2)</script>', 'javascript:alert(3)', 'see http://evil.example or www.evil.example',
  '# not a heading', '> not a quote', '*not emphasis*', '_not emphasis_', '**not strong**', '`not code`', '[not](https://a.example)',
  '![not](x.png)', 'a | b', '~~not struck~~', '&amp; &#60; entities stay text', 'back\\slash', 'single_parent', 'x_y_z',
  'ends with a hash #', 'C# stays', 'costs $5 and $10', 'Caucasian (white)',
];

test('group names from the data render as themselves in the Markdown report, and prose keeps no backslashes', () => {
  const dir = `${root}target/node-markdown`;
  mkdirSync(dir, { recursive: true });
  const quote = (v) => `"${v.replace(/"/g, '""')}"`;
  const rows = AWKWARD.flatMap((name, i) => Array.from({ length: 40 }, (_, k) => `${quote(name)},${k < 10 + i ? 'yes' : 'no'}`));
  writeFileSync(`${dir}/awkward.csv`, `group,decision\n${rows.join('\n')}\n`);
  const text = execFileSync(CLI, ['audit', `${dir}/awkward.csv`, '--group', 'group', '--decision', 'decision', '--positive', 'yes', '--format', 'markdown'], { maxBuffer: 64 << 20 }).toString();
  const html = md.render(text);
  const cells = [...html.matchAll(/<t[dh]>([\s\S]*?)<\/t[dh]>/g)].map((m) => m[1]);
  for (const name of AWKWARD) {
    assert.ok(cells.some((c) => !/<[a-z]/i.test(c) && decode(c) === name), `${JSON.stringify(name)} is not a table cell of its own: ${cells.filter((c) => decode(c).includes(name.slice(0, 5))).join(' | ')}`);
  }
  assert.ok(!/<(img|script)\b/i.test(html), 'no element from the data');
  // The sentences the engine writes read as plain text: no "\(" or "\." from over-escaping.
  const prose = text.split('\n').filter((l) => l.startsWith('- ') && !AWKWARD.some((name) => l.includes(name.slice(0, 4))));
  assert.ok(prose.length > 0);
  for (const line of prose) assert.ok(!/\\[().!#{}]/.test(line), line);
});
