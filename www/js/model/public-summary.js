// A summary of the review for the public: what the system does, what the
// review found, what the board decided, and how to challenge a decision, in
// short sentences and everyday words (the tests hold it to a reading age of
// about 12). Built from the review's answers and results; the record step
// writes it as HTML and as plain text.
import { flatten, isFinding } from './metrics-info.js';
import { STEP_QUESTIONS } from './questions.js';
import { state } from './state.js';
import { attributeName, figure, groupName, longDate } from '../ui/format.js';

// Whole per cents read easily; below 10% a whole per cent hides too much (0.4% is not 0%).
const percent = (x) => (x >= 0.1 ? `${Math.round(x * 100)}%` : `${(Math.round(x * 1000) / 10).toLocaleString('en-GB')}%`);

// What each kind of finding means, in everyday words.
const MEANING = {
  adverse_impact_indicated: 'The gap is past the line the board set, and it is not likely to be chance.',
  possible_adverse_impact: 'The gap is past the line the board set, but the figures are not certain enough to be sure.',
  gap_within_threshold: 'The gap is inside the line the board set, but it is not likely to be chance, so the board should look into it.',
};

/**
 * What the publication copy does not show: how many groups it leaves out,
 * and whether the board's full results flag a group that the copy does not
 * (a left-out group, or a shown one whose verdict changed when the others
 * were left out), said without naming it, so nothing published reassures
 * where the data does not.
 * @param {any} copy the publication copy's report
 */
export function unpublished(copy) {
  const key = (x) => `${x.attribute}\u0000${x.group}`;
  const inCopy = new Set(flatten(copy).filter((x) => isFinding(x.verdict)).map(key));
  const left = (copy?.attributes ?? []).reduce((n, a) => n + (a.suppressed_groups?.length ?? 0), 0);
  return { left, hiddenFinding: flatten(state.review.report).some((x) => isFinding(x.verdict) && !inCopy.has(key(x))) };
}

/** The sentences that say so (empty when the copy leaves nothing out and hides no finding). */
export function unpublishedSentences(copy) {
  const { left, hiddenFinding } = unpublished(copy);
  return [
    left ? `${left === 1 ? 'One group is' : `${left} groups are`} left out of these figures, because ${left === 1 ? 'it is' : 'they are'} small or could reveal a small group.` : '',
    hiddenFinding ? 'The board’s full results, which include every group, show a gap for at least one group that is not shown here. The board needs to look into it.' : '',
  ].filter(Boolean);
}

/**
 * The summary, from the publication copy of the results (`report`: small
 * groups, and groups that could be worked out from them, already left out,
 * so nothing here can identify a person), or from no results at all.
 * @param {any} report
 * @returns {{ title: string, sections: { heading: string, paragraphs: string[], list?: string[], after?: string[] }[] }}
 */
export function publicSummary(report = null) {
  const r = state.review;
  const a = r.answers;
  const name = a['system.name'] || 'This system';
  const organisation = a['system.organisation'] || 'the council';
  const sections = [];

  sections.push({
    heading: 'What the system does',
    paragraphs: [
      a['system.description'] || `${name} helps ${organisation} make decisions about people.`,
      `${organisation[0].toUpperCase()}${organisation.slice(1)} uses it. A board checked whether it treats some groups of people worse than others.`,
    ],
  });

  if (!report) {
    sections.push({ heading: 'What the review found', paragraphs: ['The board did not have the system’s decisions to check, so it could not measure how it treats different groups.'] });
  } else {
    const decision = `the decision “${report.config?.decision?.column ?? 'positive'}”`;
    const findings = flatten(report).filter((x) => isFinding(x.verdict));
    const { left } = unpublished(report);
    const found = [`The board looked at ${typeof report.input?.rows_used === 'number' ? report.input.rows_used.toLocaleString('en-GB') : 'the'} decisions the system made.`];
    if (findings.length) found.push(`It found gaps between groups in how often people got ${decision}:`);
    else if (left) found.push(`Among the groups shown here, it found no gap in how often people got ${decision} that the board needs to look into.`);
    else found.push(`It found no gap between groups, in how often people got ${decision}, that the board needs to look into. That does not prove the system is fair.`);
    const list = findings.flatMap((x) => {
      const attribute = report.attributes.find((y) => y.column === x.attribute);
      const rate = figure(x.selection_rate);
      if (!attribute || rate === null) return [];
      const named = x.compared_with != null && attribute.groups.some((g) => g.group === x.compared_with);
      const compared = named ? `people in the group “${groupName(attribute, x.compared_with)}”` : 'everyone else';
      const base = figure(x.comparison_rate);
      const against = base === null ? '' : `, against ${percent(base)} of ${compared}`;
      const combined = (attribute.columns?.length ?? 1) > 1 ? ' This group combines characteristics, so the figure is a first look, not a firm finding.' : '';
      return [`By ${attributeName(attribute)}: ${percent(rate)} of people in the group “${groupName(attribute, x.group)}” got it${against}. ${MEANING[x.verdict] ?? ''}${combined}`.trim()];
    });
    const after = unpublishedSentences(report);
    sections.push({ heading: 'What the review found', paragraphs: found, list, after });
  }

  const outcome = STEP_QUESTIONS.decision.sections[0].fields[0];
  const decided = outcome.options.find((o) => o.value === a['decision.outcome'])?.label;
  const conditions = r.conditions.map((c) => c.text.trim()).filter(Boolean);
  sections.push({
    heading: 'What the board decided',
    paragraphs: [
      decided ? `The board’s decision: ${decided}.` : 'The board has not yet made its decision.',
      ...(/^\d{4}-\d{2}-\d{2}$/.test(a['decision.review_date'] ?? '') ? [`The board will look at the system again by ${longDate(a['decision.review_date'])}.`] : []),
      ...(conditions.length ? ['It set these conditions:'] : []),
    ],
    list: conditions,
  });

  sections.push({
    heading: 'If a decision affects you',
    paragraphs: [
      a['oversight.appeal'] || `Ask ${organisation} how to challenge a decision about you.`,
      'If a decision that matters to you was made by a computer alone, you can ask for a person to look at it again.',
    ],
  });
  return { title: `${name}: a summary of the review for the public`, sections };
}

/** The summary as plain text, for a web page, a letter or a notice board. */
export function publicSummaryText(report = null) {
  const { title, sections } = publicSummary(report);
  const lines = [title, ''];
  for (const s of sections) {
    lines.push(s.heading, '');
    for (const p of s.paragraphs) lines.push(p);
    for (const item of s.list ?? []) lines.push(`- ${item}`);
    for (const p of s.after ?? []) lines.push(p);
    lines.push('');
  }
  return `${lines.join('\n').trim()}\n`;
}
