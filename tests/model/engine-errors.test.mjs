// How the page words an engine that stopped at a WebAssembly trap: out of
// memory when it held a gigabyte or more, a fault inside it otherwise.
// Run: node --test tests/model/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OUT_OF_MEMORY_BYTES, trapMessage } from '../../www/js/engine/errors.js';

const trap = new Error('unreachable');

test('a trap in an engine holding 2 GB is taken for running out of memory, and says what to do', () => {
  const error = trapMessage(trap, 2 * 1024 * 1024 * 1024);
  assert.equal(error.code, 'engine.out_of_memory');
  assert.match(error.message, /using 2048 MB when it stopped/);
  assert.match(error.message, /round the score column/);
  assert.match(error.message, /command-line tool/);
});

test('a trap in a small engine is a fault to report, not a memory problem', () => {
  const error = trapMessage(trap, OUT_OF_MEMORY_BYTES - 1);
  assert.equal(error.code, 'engine.internal');
  assert.match(error.message, /fault inside it \(unreachable\)/);
  assert.doesNotMatch(error.message, /memory/);
});
