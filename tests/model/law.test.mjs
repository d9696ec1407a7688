// The law the page states: the duties by nation, and no outdated wording
// anywhere in the page's files. Run: node --test tests/model/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/static-server.mjs';
import { dutiesFor } from '../../www/js/model/questions.js';

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'vendor') return [];
    return statSync(path).isDirectory() ? files(path) : /\.(js|html|md)$/.test(name) ? [path] : [];
  });
}

test('no page text states the replaced Article 22 or the wording that could expose a council', () => {
  const outdated = [
    [/right not to be subject to a decision/i, 'the old Article 22 right (replaced by Articles 22A–22D on 5 February 2026)'],
    // LEGAL.md may say what replaced it.
    [/Article 22(?![A-D])/, 'Article 22 without A–D', 'LEGAL.md'],
    [/open or restricted tender/i, 'procedures before the Procurement Act 2023'],
    [/trust between communities and the council/i, 'good relations misdefined (s149(5))'],
    [/gap the board accepts/i, 'a tolerated gap the board never chose'],
    [/non-UK nationality/i, 'a condition that treats one nationality differently'],
  ];
  const found = [];
  for (const file of files(join(ROOT, 'www'))) {
    const text = readFileSync(file, 'utf8');
    for (const [pattern, why, except] of outdated) {
      if (pattern.test(text) && !(except && file.endsWith(except))) found.push(`${file.slice(ROOT.length)}: ${why}`);
    }
  }
  assert.deepEqual(found, []);
});

test('the duties shown follow the nation', () => {
  const all = (j) => dutiesFor(j).join(' ');
  assert.match(all('england'), /not required by law/);
  assert.match(all('wales'), /Welsh Language Standards/);
  assert.match(all('wales'), /socio-economic duty/);
  assert.match(all('scotland'), /Fairer Scotland Duty/);
  assert.match(all('scotland'), /Freedom of Information \(Scotland\) Act 2002/);
  assert.match(all('northern_ireland'), /section 75 of the Northern Ireland Act 1998/);
  assert.doesNotMatch(all('northern_ireland'), /applies to every function/);
  for (const j of ['england', 'scotland', 'northern_ireland']) assert.doesNotMatch(all(j), /Welsh/);
  for (const j of ['england', 'wales', 'northern_ireland']) assert.doesNotMatch(all(j), /Fairer Scotland/);
  assert.match(all(undefined), /Say where the organisation is/);
});
