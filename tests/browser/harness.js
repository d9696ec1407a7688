// Exposes the page's engine to the browser tests.
import { auditFile, previewFile, engineVersion, idleWorkerCount } from '../../www/js/engine.js';

window.engine = { auditFile, previewFile, engineVersion, idleWorkerCount };

/** A CSV generated in the page (so large files need not cross the test bridge). */
window.makeCsv = (rows, { quotedEvery = 0, crlf = false } = {}) => {
  const eol = crlf ? '\r\n' : '\n';
  const parts = [`group,sex,decision,label${eol}`];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < rows; i++) {
    const g = next() % 5;
    const group = quotedEvery && i % quotedEvery === 0 ? `"group ${g}\nsecond line, with comma"` : `group ${g}`;
    parts.push(`${group},${next() % 2 ? 'F' : 'M'},${next() % 100 < 30 + g * 5 ? 1 : 0},${next() % 2}${eol}`);
  }
  return new File(parts, 'generated.csv', { type: 'text/csv' });
};

window.ready = true;
