// Copies the built GOV.UK Frontend stylesheet from node_modules into
// www/vendor/govuk-frontend/, so the page works from a static checkout with no
// npm. Run from the repository root after `npm ci`:  npm run vendor
//
// What is changed on the way (the page is not a GOV.UK service, so it must not
// look like one, and it loads nothing it does not ship):
// - the GDS Transport @font-face rules are removed and the typeface is replaced
//   by a system font stack (the font files are not copied);
// - the crown/crest image used by the footer logo is removed (not copied);
// - the source map comment is dropped.
// No JavaScript is copied: the page's own modules do what it needs.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const pkgDir = join(root, 'node_modules', 'govuk-frontend');
const out = join(here, 'govuk-frontend');
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const SYSTEM_FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif';

let css = readFileSync(join(pkgDir, 'dist', 'govuk', 'govuk-frontend.min.css'), 'utf8');
css = css
  .replace(/@font-face\{[^}]*\}/g, '')
  .replace(/font-family:GDS Transport,arial,sans-serif/g, `font-family:${SYSTEM_FONTS}`)
  .replace(/font-family:GDS Transport/g, `font-family:${SYSTEM_FONTS}`)
  .replace(/url\(\/assets\/images\/[^)]*\)/g, 'none')
  .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
for (const left of ['GDS Transport', 'url(/assets/']) {
  if (css.includes(left)) throw new Error(`copy-govuk-frontend: "${left}" is still in the stylesheet`);
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'govuk-frontend.min.css'),
  `/* GOV.UK Frontend ${version} (MIT, see LICENSE). Copied by www/vendor/copy-govuk-frontend.mjs: GDS Transport and the crown removed. */\n${css}\n`);
writeFileSync(join(out, 'VERSION'), `${version}\n`);
console.log(`copied govuk-frontend ${version} to ${out}`);
