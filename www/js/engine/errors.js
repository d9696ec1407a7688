// What an engine error carries besides its message (EngineError in
// pkg/biasaudit.d.ts); the worker copies these across postMessage, and the
// page puts them back on an Error.
export const ERROR_KEYS = ['line', 'record', 'column', 'sheet', 'cell', 'reference', 'detail', 'code', 'kind', 'field', 'value'];

/** Past this, a trap is taken for running out of memory (browsers allow a wasm engine 2 to 4 GB). */
export const OUT_OF_MEMORY_BYTES = 1024 * 1024 * 1024;

/**
 * A WebAssembly trap in words: the engine stops the same way ("unreachable")
 * when an allocation fails as when it meets a fault, so the memory it holds
 * tells the two apart.
 */
export function trapMessage(e, bytes) {
  const megabytes = Math.round(bytes / (1024 * 1024));
  if (bytes >= OUT_OF_MEMORY_BYTES) {
    return {
      code: 'engine.out_of_memory',
      kind: 'engine',
      message:
        `The browser could not give the engine enough memory for this file (it was using ${megabytes} MB when it stopped). ` +
        'Millions of distinct scores, or very many groups, need more memory than a browser allows: round the score column ' +
        '(to 4 decimal places, say), use fewer groups, or audit the file with the command-line tool.',
    };
  }
  return {
    code: 'engine.internal',
    kind: 'engine',
    message: `The engine stopped at a fault inside it (${String(e && e.message ? e.message : e)}); nothing was lost from your file. Please report this, with the settings you used.`,
  };
}
