// Writes dist/biasaudit-offline.html: the review page as one file that works
// opened from disk (file://), with no server and no network. Everything is
// inside it: the page's scripts and the workers' (bundled by esbuild), the
// engine (the .wasm, base64), the styles, the sample files and the legal and
// impact notes. Its Content-Security-Policy allows no connection at all
// (connect-src 'none'), and only its own inline script and style, by hash.
//
//   node scripts/build-offline.mjs     (after scripts/build-wasm and npm ci)
//
// Prints the file's size and SHA-256, which a user compares with the
// published one (README, "A single offline file").
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const at = (...parts) => join(ROOT, ...parts);
const OFFLINE_FILE = at('dist', 'biasaudit-offline.html');

const sha256 = (text) => createHash('sha256').update(text).digest('base64');

async function bundle(entry, format) {
  const result = await build({
    entryPoints: [at(entry)],
    bundle: true,
    format,
    target: 'es2022',
    write: false,
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
    // The worker's import.meta (see below) is never reached offline.
    logOverride: format === 'iife' ? { 'empty-import-meta': 'silent' } : {},
  });
  return result.outputFiles[0].text;
}

/** Text safe inside an inline <script>: no "</script" or "<!--" can end or change it. */
function scriptSafe(text) {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export async function buildOffline() {
  // The worker as a classic script: Chromium starts no module worker from a blob: URL in a
  // page opened from disk. (Its one import.meta, wasm-bindgen's default path to the .wasm, is
  // never reached: the page hands every worker the compiled engine.)
  const worker = await bundle('www/js/engine/worker.js', 'iife');
  const app = await bundle('www/js/app.js', 'esm');
  const wasm = readFileSync(at('pkg', 'biasaudit_bg.wasm'));
  const samples = Object.fromEntries(['fraud_flags.csv', 'recruitment.csv']
    .map((name) => [name, readFileSync(at('examples', 'data', name), 'utf8')]));
  const notes = Object.fromEntries(['LEGAL.md', 'IMPACT.md'].map((name) => [name, readFileSync(at('www', name), 'utf8')]));
  // What the page would fetch from its server, given to it here instead (engine.js, samples.js).
  const bundled = { wasm: wasm.toString('base64'), worker, samples, notes };
  const prelude = `globalThis.BIASAUDIT_OFFLINE=${JSON.stringify(bundled)};`;
  const styles = [readFileSync(at('www', 'vendor', 'govuk-frontend', 'govuk-frontend.min.css'), 'utf8'),
    readFileSync(at('www', 'css', 'app.css'), 'utf8')].join('\n');
  if (/url\((?!\s*["']?data:)/.test(styles)) throw new Error('a style loads a url(): it would need a connection');

  const scripts = [scriptSafe(prelude), scriptSafe(app)];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map((s) => `'sha256-${sha256(s)}'`).join(' ')} 'wasm-unsafe-eval'`,
    'worker-src blob:',
    "connect-src 'none'",
    `style-src 'sha256-${sha256(styles)}'`,
    'img-src data: blob:',
    "font-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  let html = readFileSync(at('www', 'index.html'), 'utf8');
  const replace = (pattern, text, what) => {
    if (!pattern.test(html)) throw new Error(`www/index.html: ${what} not found`);
    html = html.replace(pattern, () => text);
  };
  replace(/<!--\s*Content-Security-Policy\.[\s\S]*?-->/, `<!--
    The offline file: everything it needs is inside it, and its Content-Security-Policy
    allows no connection of any kind (connect-src 'none'); only its own inline script
    and style run (by hash), and its workers start from blob: URLs it makes itself.
  -->`, 'the CSP comment');
  replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`, 'the CSP');
  replace(/\s*<link rel="stylesheet" href="vendor\/govuk-frontend\/govuk-frontend.min.css">\s*<link rel="stylesheet" href="css\/app.css">/,
    `\n  <style>${styles}</style>`, 'the stylesheets');
  replace(/<script type="module" src="js\/app.js"><\/script>/,
    `<script>${scripts[0]}</script>\n  <script type="module">${scripts[1]}</script>`, 'the app script');
  mkdirSync(at('dist'), { recursive: true });
  writeFileSync(OFFLINE_FILE, html);
  return { path: OFFLINE_FILE, bytes: Buffer.byteLength(html), sha256: createHash('sha256').update(html).digest('hex') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { path, bytes, sha256: hex } = await buildOffline();
  console.log(`wrote ${path} (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
  console.log(`SHA-256 ${hex}`);
}
