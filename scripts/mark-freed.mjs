// Makes a freed engine object say so. wasm-bindgen's glue passes a freed
// object's pointer (0) to the engine, which answers "null pointer passed to
// rust"; this adds, at the top of each method of each exported class in
// pkg/biasaudit.js, a check that throws "this Audit was freed ...". Run by
// scripts/build-wasm after wasm-pack; tests/node/pkg.test.mjs checks the words.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../pkg/biasaudit.js', import.meta.url);
const MARK = '/* biasaudit: freed objects say so */';
let source = readFileSync(file, 'utf8');
if (source.includes(MARK)) process.exit(0);

let className = null;
let checks = 0;
const lines = source.split('\n').map((line) => {
  const opened = /^export class (\w+) \{$/.exec(line);
  if (opened) className = opened[1];
  else if (line === '}') className = null;
  const method = className && /^ {4}(?:get |set )?(?!constructor\(|free\(|__destroy_into_raw\(|static )(\w+)\([^)]*\) \{$/.exec(line);
  if (!method) return line;
  checks += 1;
  const what = line.includes(' get ') ? method[1] : `${method[1]}()`;
  return `${line}\n        if (this.__wbg_ptr === 0) throw freedError('${className}', '${what}');`;
});
if (checks === 0) {
  console.error('mark-freed: no methods found in pkg/biasaudit.js (has the wasm-bindgen glue changed shape?)');
  process.exit(1);
}
source = `${lines.join('\n')}
${MARK}
function freedError(className, method) {
    const error = new Error(\`this \${className} was freed (free() was called), so \${method} cannot be used; create a new \${className}\`);
    error.code = 'engine.misuse';
    error.kind = 'engine';
    return error;
}
`;
writeFileSync(file, source);
console.log(`mark-freed: ${checks} methods check for a freed object`);
