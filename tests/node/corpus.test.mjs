// The malformed and hostile input corpus (tests/corpus/manifest.json)
// through the WebAssembly package: the same outcomes and the same located
// messages as the native engine, and never a panic (which in wasm would be a
// WebAssembly.RuntimeError and would kill the page's engine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, Audit, workbookKind, sheetTallies } from '../../pkg/biasaudit.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
initSync({ module: readFileSync(`${root}pkg/biasaudit_bg.wasm`) });
const manifest = JSON.parse(readFileSync(`${root}tests/corpus/manifest.json`));

function run(config, bytes, chunk) {
  // A file that starts like a workbook is read as one, as the page reads it.
  const kind = workbookKind(bytes.subarray(0, 96));
  if (kind) return sheetTallies(bytes, kind, config, () => {});
  const audit = new Audit(config);
  for (let i = 0; i < bytes.length; i += chunk) audit.push(bytes.subarray(i, i + chunk));
  return audit.finish();
}

for (const c of manifest) {
  test(`corpus: ${c.file}`, () => {
    const bytes = readFileSync(`${root}tests/corpus/${c.file}`);
    for (const chunk of [1, 5, Math.max(1, bytes.length)]) {
      let report;
      try {
        report = run(c.config, bytes, chunk);
      } catch (e) {
        assert.ok(!(e instanceof WebAssembly.RuntimeError), `${c.file}: the engine panicked`);
        assert.ok(c.expect.error, `${c.file}: unexpected error ${e.message}`);
        assert.ok(e.message.startsWith(c.expect.error), `${c.file}: ${JSON.stringify(e.message)}`);
        continue;
      }
      assert.ok(c.expect.ok, `${c.file}: expected an error starting ${c.expect.error}`);
      assert.deepEqual(report.attributes[0].groups.map((g) => g.group), c.expect.groups);
    }
  });
}
