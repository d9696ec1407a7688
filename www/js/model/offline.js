// The offline file (scripts/build-offline.mjs) carries inside it what a
// server would otherwise give the page: the engine, the worker's code, the
// samples and the notes. (engine/engine.js reads the engine and worker itself.)

/** @typedef {{ wasm: string, worker: string, samples: Record<string, string>, notes: Record<string, string> }} Carried */

/** What this page carries, when it is the offline file; null when it is served. @returns {Carried | null} */
export function carried() {
  return /** @type {any} */ (globalThis).BIASAUDIT_OFFLINE ?? null;
}
