// What an engine error carries besides its message (EngineError in
// pkg/biasaudit.d.ts); the worker copies these across postMessage, and the
// page puts them back on an Error.
export const ERROR_KEYS = ['line', 'record', 'column', 'detail', 'code', 'kind', 'field', 'value'];
