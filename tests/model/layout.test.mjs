// The page's code in rooms: steps/ (one module per step, no imports between
// steps), model/ (no DOM, unit-tested here), engine/ (workers), ui/ (dom,
// forms, charts, format). Only app.js, the shell, imports the steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/static-server.mjs';

const JS = join(ROOT, 'www', 'js');
const rooms = ['steps', 'model', 'engine', 'ui'];
const files = ['app.js', ...rooms.flatMap((room) => readdirSync(join(JS, room)).filter((f) => f.endsWith('.js')).map((f) => `${room}/${f}`))];
const importsOf = (file) => [...readFileSync(join(JS, file), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
const roomOf = (file, spec) => {
  const parts = join(file, '..', spec).split('/');
  return parts.length > 1 ? parts[0] : '.';
};

test('www/js has the four rooms and nothing loose but the shell', () => {
  const loose = readdirSync(JS).filter((f) => f.endsWith('.js'));
  assert.deepEqual(loose, ['app.js']);
  // Twelve steps: questions.js draws the three that are lists of questions (system, oversight, decision).
  assert.deepEqual(files.filter((f) => f.startsWith('steps/')).map((f) => f.slice(6)).sort(),
    ['data.js', 'equality.js', 'fairness.js', 'impact.js', 'monitor.js', 'questions.js', 'record.js', 'results.js', 'risks.js', 'start.js']);
});

test('steps import no other step; the model imports no DOM code; the engine imports only itself and pkg/', () => {
  const wrong = [];
  for (const file of files) {
    const room = file.includes('/') ? file.split('/')[0] : '.';
    for (const spec of importsOf(file)) {
      if (spec.includes('/pkg/')) continue; // the engine's own package
      const target = roomOf(file, spec);
      const ok = {
        '.': true,
        steps: ['model', 'ui', 'engine'].includes(target),
        model: target === 'model' || spec.endsWith('/ui/format.js'),
        ui: target === 'ui' || target === 'model',
        engine: target === 'engine',
      }[room];
      if (!ok) wrong.push(`${file} imports ${spec}`);
    }
    if (file.startsWith('model/')) {
      const code = readFileSync(join(JS, file), 'utf8').replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
      if (/\bdocument\.|\bwindow\./.test(code)) wrong.push(`${file} touches the DOM`);
    }
  }
  assert.deepEqual(wrong, []);
});
