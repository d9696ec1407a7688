// The page's engine: runs the WebAssembly audit in Web Workers so the page
// never freezes, reports progress, can be cancelled, and splits large files
// across several workers whose tallies are merged. Nothing here touches the
// network: the file is read from the user's disk by File.stream(), and the
// only fetch is of the engine's own .wasm file, from this origin. The offline
// file (scripts/build-offline.mjs) carries the engine and the worker's code
// inside it instead, and fetches nothing at all.

import { ERROR_KEYS } from './errors.js';

/** @type {{ wasm: string, worker: string } | undefined} */
const OFFLINE = /** @type {any} */ (globalThis).BIASAUDIT_OFFLINE;
const WORKER_URL = OFFLINE
  ? URL.createObjectURL(new Blob([OFFLINE.worker], { type: 'text/javascript' }))
  : new URL('./worker.js', import.meta.url);
const WASM_URL = new URL('../../../pkg/biasaudit_bg.wasm', import.meta.url);

/** Files smaller than this are counted by one worker. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
/** How far past a cut point we look for the next line start. */
const LINE_SEARCH_BYTES = 1024 * 1024;
const MAX_WORKERS = 8;
/** Idle workers are kept this long for the next request, then let go. */
const IDLE_MS = 60_000;
/** A worker whose WebAssembly memory grew past this is not kept (it never shrinks). */
const KEEP_MEMORY_BYTES = 32 * 1024 * 1024;

// The smallest module using a SIMD instruction (the check the
// wasm-feature-detect package uses): the engine is built with SIMD.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0,
  253, 15, 253, 98, 11]);
const UNSUPPORTED = 'This browser cannot run the engine: it needs WebAssembly with SIMD (Chrome or Edge 91, Firefox 89, ' +
  'Safari 16.4 or later). Update the browser and try again.';

function engineError(e) {
  const error = new Error(e.message);
  for (const key of ERROR_KEYS) {
    if (e[key] !== undefined) error[key] = e[key];
  }
  return error;
}

function abortError() {
  const error = new Error('The audit was cancelled.');
  error.name = 'AbortError';
  return error;
}

// The engine is compiled once per page and shared by every worker: a new
// worker then starts in milliseconds, with the optimised code already made.
let compiled = null;
function engineModule() {
  compiled ??= (async () => {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) throw new Error(UNSUPPORTED);
    if (OFFLINE) return WebAssembly.compile(Uint8Array.from(atob(OFFLINE.wasm), (c) => c.charCodeAt(0)));
    const response = await fetch(WASM_URL);
    if (!response.ok) throw new Error(`The engine could not be loaded (${response.status} for ${WASM_URL.pathname}).`);
    // compileStreaming needs the server to say application/wasm; some do not.
    if (response.headers.get('Content-Type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  })();
  compiled.catch(() => {
    compiled = null; // let a later request try again
  });
  return compiled;
}

// Workers wait here between requests; one request per worker at a time.
const idle = [];

/** A new worker, given the compiled engine. */
async function startWorker() {
  const module = await engineModule();
  // A module worker cannot start from a blob: URL in a page opened from disk; the offline worker is a classic script.
  const worker = new Worker(WORKER_URL, { type: OFFLINE ? 'classic' : 'module' });
  worker.postMessage({ type: 'init', module });
  return worker;
}

async function acquireWorker() {
  const kept = idle.pop();
  if (kept) {
    clearTimeout(kept.timer);
    return kept.worker;
  }
  return startWorker();
}

/** How many workers wait in the pool (for tests and diagnostics). */
export function idleWorkerCount() {
  return idle.length;
}

let idleMs = IDLE_MS;

/**
 * How long idle workers are kept; `Infinity` keeps them until the page
 * closes. Tests use it so that no worker leaves the pool on a clock.
 */
export function setIdleTimeout(ms) {
  idleMs = ms;
}

function releaseWorker(worker) {
  const entry = { worker };
  if (Number.isFinite(idleMs)) {
    entry.timer = setTimeout(() => {
      const i = idle.indexOf(entry);
      if (i >= 0) idle.splice(i, 1);
      worker.terminate();
    }, idleMs);
  }
  idle.push(entry);
}

/**
 * Runs one request in a worker from the pool. `onProgress` gets the worker's
 * progress messages; `live` collects the worker while it works, so that a
 * cancel can terminate it (a terminated worker is never reused).
 * @param {object} request
 * @param {{ onProgress?: (p: any) => void, live?: ReturnType<typeof liveWorkers> }} [options]
 */
async function run(request, { onProgress, live } = {}) {
  const worker = await acquireWorker();
  if (live?.cancelled) {
    releaseWorker(worker);
    throw abortError();
  }
  live?.add(worker);
  return new Promise((resolve, reject) => {
    const finish = (settle) => {
      worker.onmessage = null;
      worker.onerror = null;
      live?.delete(worker);
      settle();
    };
    worker.onmessage = ({ data }) => {
      if (data.type === 'progress') {
        onProgress?.(data);
        return;
      }
      finish(() => {
        // A worker whose engine failed to start or trapped is not trusted
        // again, and one whose memory grew large gives it back by ending.
        if (data.broken || data.memoryBytes > KEEP_MEMORY_BYTES) worker.terminate();
        else releaseWorker(worker);
        if (data.type === 'done') resolve(data);
        else reject(engineError(data.error));
      });
    };
    worker.onerror = (event) => {
      finish(() => {
        worker.terminate();
        reject(new Error(`The engine failed to start: ${event.message || 'unknown error'}`));
      });
    };
    worker.postMessage(request);
  });
}

/**
 * The workers a job (or one attempt of it, `within` the job) is using, which
 * terminateAll() stops: a terminated worker is never reused.
 */
function liveWorkers(within = null) {
  const workers = new Set();
  let stopped = false;
  return {
    get cancelled() {
      return stopped || Boolean(within?.cancelled);
    },
    add(w) {
      workers.add(w);
      within?.add(w);
    },
    delete(w) {
      workers.delete(w);
      within?.delete(w);
    },
    terminateAll() {
      stopped = true;
      for (const w of workers) {
        w.terminate();
        within?.delete(w);
      }
      workers.clear();
    },
  };
}

export async function engineVersion() {
  return (await run({ type: 'version' })).version;
}

/**
 * The engine's defaults (the config with every default filled in) and the
 * values each enumerated setting may take: the page shows these, and keeps
 * no copy of them.
 * @returns {Promise<{ config: import('../../../pkg/biasaudit.js').ResolvedAuditConfig,
 *   options: import('../../../pkg/biasaudit.js').ConfigOptions }>}
 */
export async function engineRules() {
  const { config, options } = await run({ type: 'defaults' });
  return { config, options };
}

/**
 * Every problem the engine finds in a config, each { code, message, field }
 * (field: a path such as "evidence.confidence"); [] when it is valid.
 */
export async function validateConfig(config) {
  return (await run({ type: 'validate', config })).problems;
}

/**
 * The GROUP BY query that counts what an audit with `config` needs, where
 * the data lives (docs/databases.md), and the name of its count column.
 * @returns {Promise<{ query: string, countColumn: string }>}
 */
export async function countsQuery(config, table, dialect) {
  const { query, countColumn } = await run({ type: 'sql', config, table, dialect });
  return { query, countColumn };
}

/**
 * A review file (its JSON text) as a monitoring baseline: the settings to
 * audit the new file with, the board's rules and where the review came from.
 * @returns {Promise<import('../../../pkg/biasaudit.js').BaselineSettings>}
 */
export async function readBaseline(reviewText) {
  return (await run({ type: 'baseline', review: reviewText })).settings;
}

/**
 * The figures a monitoring rule can watch, and every problem with `rules`
 * (each { code, message, field: "monitoring.rules[0].threshold" }) given the
 * characteristics the review audited, and whether its decision harms the person.
 * @returns {Promise<{ figures: import('../../../pkg/biasaudit.js').MonitorFigure[], problems: any[] }>}
 */
export async function monitorRules(rules = null, columns = [], harmful = false) {
  const { figures, problems } = await run({ type: 'monitorRules', rules, columns, harmful });
  return { figures, problems };
}

/**
 * Column names, first rows, delimiter and distinct values, from the start of
 * the file (all of it if smaller than `maxBytes`; then `complete` is true).
 * For a workbook (.xlsx, .xls, .ods), of one sheet (`sheet`, the first when
 * null; its column names on `headerRow`), and `workbook` lists the sheets.
 */
export async function previewFile(file, { maxRows = 20, maxBytes = 16 * 1024 * 1024, sheet = null, headerRow = 1 } = {}) {
  return (await run({ type: 'preview', file, maxRows, maxBytes, sheet, headerRow })).preview;
}

/** `xlsx`, `xls` or `ods` when the file is a workbook (from its first bytes); null for a CSV file. */
export async function workbookKind(file) {
  return (await run({ type: 'kind', file })).kind;
}

/** The start of the first line after `offset`, or null if none is near. */
async function lineStartAfter(file, offset) {
  const window = new Uint8Array(await file.slice(offset, offset + LINE_SEARCH_BYTES).arrayBuffer());
  const i = window.indexOf(10);
  const start = i < 0 ? null : offset + i + 1;
  return start !== null && start < file.size ? start : null;
}

/** Byte offsets where parts start: 0, then line starts near equal cuts. */
export async function planParts(file, count, headerBytes) {
  const starts = [0];
  for (let k = 1; k < count; k++) {
    const target = Math.max(headerBytes, Math.floor((file.size * k) / count));
    const start = await lineStartAfter(file, target);
    // Past the header's own line end too (a CRLF header's \n is after headerBytes): the first part must hold a data row.
    if (start !== null && start > starts[starts.length - 1] && start > headerBytes + 1) starts.push(start);
  }
  return starts;
}

function cores() {
  return navigator.hardwareConcurrency || 2;
}

function workerCount(file, requested) {
  if (requested) return Math.max(1, Math.min(MAX_WORKERS, requested));
  if (file.size < PARALLEL_MIN_BYTES) return 1;
  return Math.max(1, Math.min(MAX_WORKERS, cores()));
}

/**
 * Audits a file. Returns { promise, fingerprint, complete, cancel }.
 *
 * `promise` gives the report (the same JSON as the CLI) as soon as the rows
 * are counted. `fingerprint` gives the file's SHA-256 (hex). With cores to
 * spare the fingerprint is computed alongside the counting and may be in the
 * report already; otherwise counting goes first (results sooner) and the
 * report's `input.sha256` is null. `complete` gives a copy of the report
 * with the fingerprint in, once both are ready.
 *
 * `onProgress` receives { bytesDone, bytesTotal, rows, rowsPerSecond, workers };
 * `onFingerprintProgress` receives { bytesDone, bytesTotal }.
 * `options.workers` forces a worker count (tests, benchmarks).
 * `options.baseline`, a review file's JSON text, makes the result the
 * monitoring report against it (its `report` is the new file's report), and
 * `config` must then be readBaseline's, a period column perhaps added.
 */
/**
 * @param {File | Blob} file
 * @param {import('../../../pkg/biasaudit.js').AuditConfig} config
 * @param {{ onProgress?: (p: { bytesDone: number, bytesTotal: number, rows: number, rowsPerSecond: number, workers: number }) => void,
 *   onFingerprintProgress?: (p: { bytesDone: number, bytesTotal: number }) => void, workers?: number, baseline?: string | null }} [options]
 * @returns {{ promise: Promise<import('../../../pkg/biasaudit.js').Report>, fingerprint: Promise<string>,
 *   complete: Promise<import('../../../pkg/biasaudit.js').Report>,
 *   tallies: Promise<{ config: object, parts: string[] } | null>, cancel: () => void }}
 *   `tallies`: with a score column, the counts the report came from (for openExplorer); else null.
 */
export function auditFile(file, config, { onProgress, onFingerprintProgress, workers: requested, baseline = null } = {}) {
  const live = liveWorkers();
  const started = performance.now();
  const report = (bytesDone, rows, workers) => {
    const seconds = (performance.now() - started) / 1000;
    onProgress?.({
      bytesDone: Math.min(bytesDone, file.size),
      bytesTotal: file.size,
      rows,
      rowsPerSecond: seconds > 0 ? rows / seconds : 0,
      workers,
    });
  };

  let hashing = null;
  let sha256 = null;
  // With a score column: the counts and config the report came from, for the threshold explorer.
  let kept = null;
  const startHashing = () => {
    hashing ??= run({ type: 'hash', file }, {
      live,
      onProgress: (p) => onFingerprintProgress?.({ bytesDone: p.bytes, bytesTotal: file.size }),
    }).then((r) => {
      sha256 = r.sha256;
      return r.sha256;
    });
    hashing.catch(() => {}); // reported through `fingerprint`, which may be listened to later
    return hashing;
  };

  // Counts the file in `count` parts (1 = one pass). Resolves to null when a
  // split turned out unsafe (a cut inside a quoted field) or a part met a
  // data error: then the caller counts again in one part, which also
  // locates the error exactly.
  const count = async (parts) => {
    const preview = await previewFile(file, { maxRows: 0, maxBytes: LINE_SEARCH_BYTES });
    const delimiter = config.delimiter ?? preview.delimiter;
    const starts = parts > 1 ? await planParts(file, parts, preview.header_bytes) : [0];
    if (live.cancelled) throw abortError();
    // Hashing alongside only with a core to spare beyond the counting workers
    // and the browser's own work of reading the file; else results first.
    if (cores() > starts.length + 1) startHashing();
    const header = starts.length > 1
      ? new Uint8Array(await file.slice(0, preview.header_bytes).arrayBuffer())
      : new Uint8Array(0);
    const partConfig = { ...config, delimiter };
    const attempt = liveWorkers(live);
    const progress = starts.map(() => ({ bytes: 0, rows: 0 }));
    const update = () =>
      report(progress.reduce((s, p) => s + p.bytes, 0), progress.reduce((s, p) => s + p.rows, 0), starts.length);
    const counting = starts.map((start, k) => {
      const end = k + 1 < starts.length ? starts[k + 1] : null;
      // The first part reads the real header itself; the others get a copy.
      const request = { type: 'part', file, config: partConfig, header: start === 0 ? new Uint8Array(0) : header, start, end };
      return run(request, {
        live: attempt,
        onProgress: (p) => {
          progress[k] = { bytes: end === null ? p.bytes : Math.min(p.bytes, end - start), rows: p.rows };
          update();
        },
      });
    });
    let results;
    try {
      results = await Promise.all(counting);
    } catch (e) {
      // The other parts are of no use now: stop them rather than let them
      // compete with the count that follows (or with the next check).
      attempt.terminateAll();
      const located = e.line !== undefined || e.record !== undefined || e.column !== undefined;
      if (starts.length > 1 && located) return null;
      throw e;
    }
    if (!results.every((r) => r.part.endedAtBoundary)) return null;
    const counted = results.map((r) => r.part.tallies);
    const merged = await run({ type: 'merge', config, tallies: counted, sha256, delimiter, baseline }, { live });
    if (!baseline && config.score) kept = { config: partConfig, parts: counted };
    return baseline ? merged.monitor : merged.report;
  };

  // A workbook is read whole by one worker (a zip cannot be cut into parts),
  // which also takes its fingerprint.
  const countSheet = async (kind) => {
    const done = await run({ type: 'sheet', file, kind, config, baseline }, {
      live,
      onProgress: (p) => report(p.bytes, p.rows, 1),
    });
    sha256 = done.sha256;
    if (done.tallies) kept = { config: { ...config, sheet: done.report.config?.sheet ?? config.sheet }, parts: done.tallies };
    hashing = Promise.resolve(done.sha256);
    onFingerprintProgress?.({ bytesDone: file.size, bytesTotal: file.size });
    return baseline ? done.monitor : done.report;
  };

  const promise = (async () => {
    const kind = await workbookKind(file);
    if (kind) return countSheet(kind);
    let result = await count(workerCount(file, requested));
    if (result === null && !live.cancelled) result = await count(1);
    if (live.cancelled) throw abortError();
    startHashing();
    return result;
  })().catch((e) => {
    throw live.cancelled ? abortError() : e;
  });

  // The fingerprint needs the counting's verdict on the file first: a file
  // the engine refuses gets no fingerprint either.
  const fingerprint = promise.then(() => startHashing()).catch((e) => {
    throw live.cancelled ? abortError() : e;
  });

  // A terminated worker never answers, so cancelling settles the promises itself.
  let rejectCancelled;
  const whenCancelled = new Promise((_, reject) => {
    rejectCancelled = reject;
  });
  whenCancelled.catch(() => {});
  const cancel = () => {
    live.terminateAll();
    rejectCancelled(abortError());
  };
  const withHash = (r, hex) => ({ ...r, input: { ...r.input, sha256: hex } });
  const complete = Promise.all([promise, fingerprint])
    .then(([r, hex]) => (baseline ? { ...r, sha256: hex, report: withHash(r.report, hex) } : withHash(r, hex)));
  // Callers may listen to only some of these; a failure is reported by each
  // one listened to, and the others must not raise unhandled rejections.
  const settled = (p) => {
    const raced = Promise.race([p, whenCancelled]);
    raced.catch(() => {});
    return raced;
  };
  const tallies = promise.then(() => kept);
  return { promise: settled(promise), fingerprint: settled(fingerprint), complete: settled(complete), tallies: settled(tallies), cancel };
}

/**
 * The threshold explorer for one attribute, in a worker of its own that keeps
 * it: `report(thresholds)` gives the report an audit with the decision
 * `score ≥ t` would give (one number, or `{ default, groups }`). While one
 * report is being made, a newer request replaces any still waiting, so a
 * slider dragged fast asks only for where it stops.
 * @param {{ config: object, parts: string[] }} tallies from auditFile's `tallies`
 * @param {number} attribute the attribute's index in the report
 * @returns {Promise<{ range: import('../../../pkg/biasaudit.js').ScoreRange,
 *   report: (thresholds: import('../../../pkg/biasaudit.js').Thresholds) => Promise<import('../../../pkg/biasaudit.js').Report | null>,
 *   strategies: (tolerance: number | null) => Promise<import('../../../pkg/biasaudit.js').Strategies | null>,
 *   close: () => void }>}
 */
export async function openExplorer(tallies, attribute) {
  const worker = await startWorker();
  let pending = null; // { resolve, reject } of the request in the worker
  let waiting = null; // { thresholds, resolve } replaced by a newer request
  let closed = false;
  const send = (request) => new Promise((resolve, reject) => {
    pending = { resolve, reject };
    worker.postMessage(request);
  });
  worker.onmessage = ({ data }) => {
    const p = pending;
    pending = null;
    if (!p) return;
    if (data.type === 'done') p.resolve(data);
    else p.reject(engineError(data.error));
  };
  worker.onerror = (event) => {
    pending?.reject(new Error(`The engine failed to start: ${event.message || 'unknown error'}`));
    pending = null;
  };
  const opened = await send({ type: 'explorer', config: tallies.config, tallies: tallies.parts, attribute }).catch((e) => {
    worker.terminate();
    throw e;
  });
  // Requests never dropped (the strategies) go first; a slider's request may be overtaken.
  const queued = [];
  const next = async () => {
    while ((queued.length || waiting) && !closed) {
      const job = queued.shift() ?? waiting;
      if (job === waiting) waiting = null;
      try {
        job.resolve(await send(job.request));
      } catch (e) {
        job.reject(e);
      }
    }
  };
  return {
    range: opened.range,
    report(thresholds) {
      if (closed) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        // A request overtaken before it was sent resolves to null: it was never asked.
        waiting?.resolve(null);
        waiting = { request: { type: 'explore', thresholds }, resolve: (d) => resolve(d && d.report), reject };
        if (!pending) next();
      });
    },
    /** The what-if strategies, with the gap allowed (a rate) or null for the smallest. */
    strategies(tolerance) {
      if (closed) return Promise.resolve(null);
      return new Promise((resolve, reject) => {
        queued.push({ request: { type: 'strategies', tolerance }, resolve: (d) => resolve(d && d.strategies), reject });
        if (!pending) next();
      });
    },
    close() {
      closed = true;
      waiting?.resolve(null);
      waiting = null;
      for (const job of queued.splice(0)) job.resolve(null);
      worker.terminate();
    },
  };
}

/**
 * Audits a new file with a review's settings (readBaseline's config, a
 * period column perhaps added) and compares it with the review: auditFile's
 * promises, giving the monitoring report.
 * @param {File | Blob} file
 * @param {import('../../../pkg/biasaudit.js').AuditConfig} config
 * @param {string} baseline the review file's JSON text
 * @param {{ onProgress?: (p: any) => void, onFingerprintProgress?: (p: any) => void, workers?: number }} [options]
 * @returns {{ promise: Promise<import('../../../pkg/biasaudit.js').MonitorReport>, fingerprint: Promise<string>,
 *   complete: Promise<import('../../../pkg/biasaudit.js').MonitorReport>, cancel: () => void }}
 */
export function monitorFile(file, config, baseline, options = {}) {
  return /** @type {any} */ (auditFile(file, config, { ...options, baseline }));
}
