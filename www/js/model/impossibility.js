// The impossibility result as arithmetic a student can move: two groups
// scored by the same calibrated score, which has two levels. A high score is
// right (the true outcome positive) for a share `high` of the people who get
// it, a low score for a share `low`, in both groups alike: the flag means the
// same whoever carries it. Only the base rate differs. Then precision is
// equal, but the false positive and false negative rates are not, unless the
// base rates are (Chouldechova 2017: FPR = p/(1−p) · (1−PPV)/PPV · (1−FNR)).

export const DEMO = { high: 0.8, low: 0.1, fixedBaseRate: 0.3 };

/**
 * A group with base rate `baseRate` (between `low` and `high`), flagged when
 * its score is high: how many are flagged and the error rates that follow.
 * @param {number} baseRate
 * @param {{ high: number, low: number }} [score]
 */
export function groupAt(baseRate, { high, low } = DEMO) {
  const p = Math.min(high, Math.max(low, baseRate));
  const flagged = (p - low) / (high - low); // the share with a high score
  const fpr = p < 1 ? (flagged * (1 - high)) / (1 - p) : 0;
  const fnr = p > 0 ? ((1 - flagged) * low) / p : 0;
  return { baseRate: p, flagged, ppv: high, fpr, fnr };
}
