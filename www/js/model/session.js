// What is only in memory: the open file, its preview, the check running and
// the fingerprint still being calculated. Never saved.

/** What is only in memory: the open file and its preview (never saved). */
export const session = { file: null, preview: null, sample: null, job: null, progress: null, fingerprint: null, publication: null, scoreTallies: null };

/**
 * The counts behind these results, for the threshold explorer: kept in
 * memory with the report they made (a reloaded review has the report only).
 * @returns {{ config: object, parts: string[] } | null}
 */
export function scoreTalliesFor(report) {
  return session.scoreTallies && session.scoreTallies.report === report ? session.scoreTallies : null;
}

/**
 * Settles once the fingerprint (SHA-256) of the file last checked is in the
 * review: the engine shows results before it has finished (see engine.js).
 */
export function fingerprintReady() {
  return session.fingerprint?.promise ?? Promise.resolve();
}

/** Stops calculating the fingerprint of results that are being replaced. */
export function dropFingerprint() {
  session.fingerprint?.cancel();
  session.fingerprint = null;
}

export const FINGERPRINT_PENDING = 'Being calculated…';
