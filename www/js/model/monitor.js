// Monitoring a live system: the board's lines as the Decision step writes
// them, the review as the engine reads it for a check, and the history of
// checks kept in the review file. The engine judges the rules
// (monitorRuleProblems) and the figures (monitorFile); this only words them.
import { state } from './state.js';

/** How the page names each figure a rule can watch (the engine lists them: monitorRules). */
export const FIGURE_TEXT = {
  verdict: { label: 'The check’s verdict', hint: 'Tell the board when a group’s verdict is “adverse impact indicated” (or, as a watch, “possible adverse impact”).' },
  impact_ratio: { label: 'Impact ratio', hint: 'A group’s rate of the good outcome over the comparison group’s. Tell the board when its whole range is below the line, for example 0.8.' },
  harm_ratio: { label: 'Harm ratio', hint: 'For a harmful decision: how many times as often a group gets it as the comparison group. Tell the board when its whole range is above the line, for example 1.25.' },
  rate_change: { label: 'Change in a group’s rate since the review', hint: 'Tell the board when a group’s rate has moved, up or down, by more than this many percentage points, beyond doubt from chance.' },
};

export const figureLabel = (figure) => FIGURE_TEXT[figure]?.label ?? figure;

/** A rule's line as people read it: "0.80", "1.25", "±5 points", or "" (verdict). */
export function lineText(rule) {
  if (rule.figure === 'verdict' || !Number.isFinite(rule.threshold)) return '';
  if (rule.figure === 'rate_change') return `±${points(rule.threshold)} points`;
  return String(rule.threshold);
}

/** A rule as a line of text, "Harm ratio, line 1.25 for nationality" (`named`: how a characteristic is shown), without who is told. */
export function ruleText(rule, named = (column) => column) {
  return `${figureLabel(rule.figure)}${lineText(rule) ? `, line ${lineText(rule)}` : ''}${rule.attribute ? ` for ${named(rule.attribute)}` : ', every characteristic'}`;
}

/** A proportion as percentage points without float noise: 0.05 → "5". */
export function points(proportion) {
  return String(Number((proportion * 100).toPrecision(12)));
}

/**
 * The threshold a typed line stands for, in the engine's form (a change in
 * rate is typed in points, held as a proportion): null when it is not a number.
 */
export function thresholdFrom(figure, typed) {
  // "5 points" or "5%" for a change in rate; a ratio typed as "80%" is not 0.8 or 80, so it stays unread.
  const raw = String(typed ?? '').trim();
  const text = figure === 'rate_change' ? raw.replace(/\s*(points?|pts?|%)$/i, '') : raw;
  if (text === '') return null;
  const n = Number(text);
  if (!Number.isFinite(n)) return null;
  return figure === 'rate_change' ? Number((n / 100).toPrecision(12)) : n;
}

/** The review as the engine reads a baseline: the review file's JSON text. */
export function baselineText(review = state.review) {
  return JSON.stringify({ ...review, monitoring: { rules: review.monitoring?.rules ?? [] } });
}

/** The characteristics a rule may name: the review's audited attributes, as { column, label }. */
export function ruleCharacteristics(report = state.review.report) {
  return (report?.attributes ?? []).map((a) => ({ column: a.column, label: a.columns?.length > 1 ? a.columns.join(' × ') : a.column }));
}

/** Every problem the engine finds with the board's lines, for the review's characteristics and decision. */
export async function engineRuleProblems(monitorRules, rules, report = state.review.report) {
  try {
    const { problems } = await monitorRules(rules, ruleCharacteristics(report).map((c) => c.column), report?.config?.outcome === 'harmful');
    return problems;
  } catch (e) {
    // A rule the engine cannot read at all (a figure it does not know, from an edited file).
    return [{ message: `monitoring rule 1: ${e.message}`, field: 'monitoring.rules[0].figure' }];
  }
}

/** One entry of the review's monitoring history, from a monitoring report. */
export function historyEntry(m, fileName, checked = new Date().toISOString()) {
  return {
    checked,
    file: fileName ?? null,
    sha256: m.sha256 ?? null,
    rows: m.rows,
    covered: m.covered ?? null,
    alerts: m.alerts.filter((a) => a.level === 'alert').length,
    watches: m.alerts.filter((a) => a.level === 'watch').length,
    summary: m.summary,
  };
}
