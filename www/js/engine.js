// The page's engine: runs the WebAssembly audit in Web Workers so the page
// never freezes, reports progress, can be cancelled, and splits large files
// across several workers whose tallies are merged. Nothing here touches the
// network: the file is read from the user's disk by File.stream().

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Files smaller than this are counted by one worker. */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
/** How far past a cut point we look for the next line start. */
const LINE_SEARCH_BYTES = 1024 * 1024;
const MAX_WORKERS = 8;

function engineError(e) {
  const error = new Error(e.message);
  for (const key of ['line', 'record', 'column', 'detail']) {
    if (e[key] !== undefined) error[key] = e[key];
  }
  return error;
}

function abortError() {
  const error = new Error('The audit was cancelled.');
  error.name = 'AbortError';
  return error;
}

/** Runs one request in a fresh worker. `onProgress` gets {bytes, rows}. */
function run(request, { onProgress, workers } = {}) {
  const worker = new Worker(WORKER_URL, { type: 'module' });
  workers?.add(worker);
  const promise = new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.type === 'progress') {
        onProgress?.(data);
        return;
      }
      worker.terminate();
      workers?.delete(worker);
      if (data.type === 'done') resolve(data);
      else reject(engineError(data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      workers?.delete(worker);
      reject(new Error(`The engine failed to start: ${event.message || 'unknown error'}`));
    };
  });
  worker.postMessage(request);
  return { promise, worker };
}

export async function engineVersion() {
  const { promise } = run({ type: 'version' });
  return (await promise).version;
}

/**
 * Column names, first rows, delimiter and distinct values, from the start of
 * the file (all of it if smaller than `maxBytes`; then `complete` is true).
 */
export async function previewFile(file, { maxRows = 20, maxBytes = 16 * 1024 * 1024 } = {}) {
  const { promise } = run({ type: 'preview', file, maxRows, maxBytes });
  return (await promise).preview;
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
    if (start !== null && start > starts[starts.length - 1] && start > headerBytes) starts.push(start);
  }
  return starts;
}

function workerCount(file, requested) {
  if (requested) return Math.max(1, Math.min(MAX_WORKERS, requested));
  if (file.size < PARALLEL_MIN_BYTES) return 1;
  const cores = navigator.hardwareConcurrency || 2;
  return Math.max(1, Math.min(MAX_WORKERS, cores));
}

/**
 * Audits a file. Returns { promise, cancel }; the promise gives the report
 * (the same JSON as the CLI, with input.sha256). `onProgress` receives
 * { bytesDone, bytesTotal, rows, rowsPerSecond, workers }.
 * `options.workers` forces a worker count (tests, benchmarks).
 */
export function auditFile(file, config, { onProgress, workers: requested } = {}) {
  const live = new Set();
  let cancelled = false;
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

  // Counts the file in `count` parts (1 = one pass) while another worker
  // computes its SHA-256. Resolves to null when a split turned out unsafe
  // (a cut inside a quoted field) or a part met a data error: then the
  // caller counts again in one part, which also locates the error exactly.
  const count = async (parts) => {
    const preview = await previewFile(file, { maxRows: 0, maxBytes: LINE_SEARCH_BYTES });
    const delimiter = config.delimiter ?? preview.delimiter;
    const starts = parts > 1 ? await planParts(file, parts, preview.header_bytes) : [0];
    if (cancelled) throw abortError();
    const header = starts.length > 1
      ? new Uint8Array(await file.slice(0, preview.header_bytes).arrayBuffer())
      : new Uint8Array(0);
    const partConfig = { ...config, delimiter };
    const progress = starts.map(() => ({ bytes: 0, rows: 0 }));
    const update = () =>
      report(progress.reduce((s, p) => s + p.bytes, 0), progress.reduce((s, p) => s + p.rows, 0), starts.length);
    const counting = starts.map((start, k) => {
      const end = k + 1 < starts.length ? starts[k + 1] : null;
      // The first part reads the real header itself; the others get a copy.
      const request = { type: 'part', file, config: partConfig, header: start === 0 ? new Uint8Array(0) : header, start, end };
      return run(request, {
        workers: live,
        onProgress: (p) => {
          progress[k] = { bytes: end === null ? p.bytes : Math.min(p.bytes, end - start), rows: p.rows };
          update();
        },
      }).promise;
    });
    const hashing = run({ type: 'hash', file }, { workers: live }).promise;
    let results;
    try {
      results = await Promise.all(counting);
    } catch (e) {
      const located = e.line !== undefined || e.record !== undefined || e.column !== undefined;
      if (starts.length > 1 && located) return null;
      throw e;
    }
    if (!results.every((r) => r.part.endedAtBoundary)) return null;
    const { sha256 } = await hashing;
    const merged = run({ type: 'merge', config, tallies: results.map((r) => r.part.tallies), sha256, delimiter },
      { workers: live });
    return (await merged.promise).report;
  };

  const promise = (async () => {
    let result = await count(workerCount(file, requested));
    if (result === null && !cancelled) {
      for (const w of live) w.terminate();
      live.clear();
      result = await count(1);
    }
    if (cancelled) throw abortError();
    return result;
  })().catch((e) => {
    throw cancelled ? abortError() : e;
  });

  // A terminated worker never answers, so cancelling settles the promise itself.
  let rejectCancelled;
  const whenCancelled = new Promise((_, reject) => {
    rejectCancelled = reject;
  });
  const cancel = () => {
    cancelled = true;
    for (const w of live) w.terminate();
    live.clear();
    rejectCancelled(abortError());
  };
  return { promise: Promise.race([promise, whenCancelled]), cancel };
}
