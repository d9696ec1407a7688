// Exposes the page's engine to the browser tests.
import { auditFile, previewFile, engineVersion, idleWorkerCount, setIdleTimeout } from '../../www/js/engine/engine.js';

// No worker leaves the pool on a timer while the tests count them.
setIdleTimeout(Infinity);

window.engine = { auditFile, previewFile, engineVersion, idleWorkerCount };

/** Runs `body` with navigator.hardwareConcurrency reading `cores`, as on a machine of that size. */
window.withCores = async (cores, body) => {
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores, configurable: true });
  try {
    return await body();
  } finally {
    delete navigator.hardwareConcurrency;
  }
};

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
