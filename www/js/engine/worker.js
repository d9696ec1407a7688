// A Web Worker that streams a file through the WebAssembly engine.
// The file is read with File.stream() in chunks, never as one string, so
// memory is bounded by the tallies, not the file. Cancel = terminate().
import init, { Audit, Preview, Hasher, ThresholdExplorer, workbookKind, previewSheet, sheetTallies, reportFromTallies, engineVersion, defaultConfig, configOptions, validateConfig, countsQuery, readBaseline, monitorFromTallies, monitorFigures, monitorRuleProblems } from '../../../pkg/biasaudit.js';
import { ERROR_KEYS, trapMessage } from './errors.js';

// The page sends the compiled engine first ({ type: 'init', module }); a
// worker started without one loads the engine itself.
let ready = null;
// Progress is told every few megabytes read, not on a clock: the same file
// gives the same progress messages on any machine, fast or slow.
const PROGRESS_EVERY_BYTES = 4 * 1024 * 1024;

function errorMessage(e) {
  // Errors from the engine carry line/record/column; keep them across postMessage.
  const out = { message: String(e && e.message ? e.message : e) };
  for (const key of ERROR_KEYS) {
    if (e && e[key] !== undefined) out[key] = e[key];
  }
  return out;
}

const CHUNK_BYTES = 1 << 20;

// Reads into one reused buffer (a BYOB reader), so reading a 10 GB file
// allocates nothing per chunk and the worker's memory stays flat.
async function forEachChunk(blob, onChunk) {
  const reader = blob.stream().getReader({ mode: 'byob' });
  let buffer = new ArrayBuffer(CHUNK_BYTES);
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer, 0, CHUNK_BYTES));
    if (done) return;
    buffer = value.buffer; // the same memory, handed back by the stream
    if (onChunk(value) === false) {
      await reader.cancel();
      return;
    }
  }
}

function progressReporter() {
  let next = PROGRESS_EVERY_BYTES;
  return (bytes, rows, force) => {
    if (force || bytes >= next) {
      next = bytes + PROGRESS_EVERY_BYTES;
      self.postMessage({ type: 'progress', bytes, rows });
    }
  };
}

/** `xlsx`, `xls` or `ods` for a workbook, from its first bytes; null for a CSV file. */
async function kindOf(file) {
  return workbookKind(new Uint8Array(await file.slice(0, 96).arrayBuffer())) ?? null;
}

// A worker opened for the threshold explorer holds one, for the page to ask again and again.
let explorer = null;

const handlers = {
  async explorer({ config, tallies, attribute }) {
    explorer?.free();
    explorer = null;
    explorer = new ThresholdExplorer(config, tallies, attribute);
    return { range: explorer.range() };
  },

  async explore({ thresholds }) {
    if (!explorer) throw new Error('the threshold explorer is not open');
    return { report: explorer.report(thresholds) };
  },

  async strategies({ tolerance }) {
    if (!explorer) throw new Error('the threshold explorer is not open');
    return { strategies: explorer.strategies(tolerance ?? undefined) };
  },

  async version() {
    return { version: engineVersion() };
  },

  async defaults() {
    return { config: defaultConfig(), options: configOptions() };
  },

  async validate({ config }) {
    return { problems: validateConfig(config) };
  },

  async sql({ config, table, dialect }) {
    return countsQuery(config, table, dialect);
  },

  // One part of the file, read from `start` until the engine says it has
  // passed `end` (the record straddling `end` is finished here).
  async part({ file, config, header, start, end }) {
    const audit = Audit.forPart(config, header, start, end ?? -1);
    try {
      const report = progressReporter();
      let bytes = 0;
      await forEachChunk(file.slice(start), (chunk) => {
        audit.push(chunk);
        bytes += chunk.length;
        report(bytes, audit.rowsRead);
        return !audit.partDone;
      });
      report(bytes, audit.rowsRead, true);
      return { part: audit.finishPart() };
    } finally {
      audit.free(); // workers are reused: give the memory back now, not at some later GC
    }
  },

  async hash({ file }) {
    const hasher = new Hasher();
    try {
      const report = progressReporter();
      let bytes = 0;
      await forEachChunk(file, (chunk) => {
        hasher.update(chunk);
        bytes += chunk.length;
        report(bytes, 0);
      });
      report(bytes, 0, true);
      return { sha256: hasher.finish() };
    } finally {
      hasher.free();
    }
  },

  async merge({ config, tallies, sha256, delimiter, baseline }) {
    // Against a review: the monitoring report, which holds the new report.
    if (baseline) return { monitor: monitorFromTallies(baseline, config, tallies, sha256, delimiter) };
    return { report: reportFromTallies(config, tallies, sha256, delimiter) };
  },

  async baseline({ review }) {
    return { settings: readBaseline(review) };
  },

  async monitorRules({ rules, columns, harmful }) {
    return { figures: monitorFigures(), problems: rules ? monitorRuleProblems(rules, columns, harmful) : [] };
  },

  async kind({ file }) {
    return { kind: await kindOf(file) };
  },

  // A sheet of a workbook: the whole file in memory (a zip cannot be read in
  // pieces), its rows streamed through the engine, the fingerprint taken of
  // the same bytes.
  async sheet({ file, kind, config, baseline }) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let last = 0;
    const counted = sheetTallies(bytes, kind, config, (rows, rowsTotal) => {
      last = rows;
      self.postMessage({ type: 'progress', bytes: Math.round(file.size * Math.min(1, rows / Math.max(rowsTotal, 1))), rows });
    });
    self.postMessage({ type: 'progress', bytes: file.size, rows: Math.max(last, 0) });
    const hasher = new Hasher();
    let sha256;
    try {
      hasher.update(bytes);
      sha256 = hasher.finish();
    } finally {
      hasher.free();
    }
    const read = { ...config, sheet: counted.sheet };
    if (baseline) return { monitor: monitorFromTallies(baseline, read, [counted.tallies], sha256, ''), sha256 };
    // With a score, the counts go back too: the threshold explorer starts from them.
    return { report: reportFromTallies(read, [counted.tallies], sha256, ''), sha256, tallies: config.score ? [counted.tallies] : null };
  },

  async preview({ file, maxRows, maxBytes, sheet = null, headerRow = 1 }) {
    const kind = await kindOf(file);
    if (kind) {
      const preview = previewSheet(new Uint8Array(await file.arrayBuffer()), kind, sheet, headerRow, maxRows);
      return { preview: { ...preview, complete: preview.workbook.complete } };
    }
    const preview = new Preview(maxRows);
    try {
      const part = file.size > maxBytes ? file.slice(0, maxBytes) : file;
      await forEachChunk(part, (chunk) => preview.push(chunk));
      const complete = file.size <= maxBytes;
      return { preview: { ...preview.finish(complete), complete } };
    } finally {
      preview.free();
    }
  },
};

self.onmessage = async (event) => {
  const { type, ...args } = event.data;
  if (type === 'init') {
    ready = init({ module_or_path: args.module });
    ready.catch(() => {}); // reported to the request that needs it
    return;
  }
  let engine = null;
  try {
    engine = await (ready ??= init());
  } catch (e) {
    self.postMessage({ type: 'error', error: errorMessage(e), broken: true });
    return;
  }
  const memoryBytes = () => engine.memory.buffer.byteLength;
  try {
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    const result = await handler(args);
    self.postMessage({ type: 'done', ...result, memoryBytes: memoryBytes() });
  } catch (e) {
    // A trap (e.g. out of memory) may leave the engine's state inconsistent.
    const broken = e instanceof WebAssembly.RuntimeError;
    const error = broken ? trapMessage(e, memoryBytes()) : errorMessage(e);
    self.postMessage({ type: 'error', error, broken, memoryBytes: memoryBytes() });
  }
};
