// A summary of the review for the public: what the system does, what the
// review found, what the board decided, and how to challenge a decision, in
// short sentences and everyday words (the tests hold it to a reading age of
// about 12). Built from the review's answers and results; the record step
// writes it as HTML and as plain text.
import { flatten, isFinding } from './metrics-info.js';
import { STEP_QUESTIONS } from './questions.js';
import { state } from './state.js';
import { attributeName, groupName, longDate } from '../ui/format.js';

const percent = (x) => `${Math.round(x * 100)}%`;

// What each kind of finding means, in everyday words.
const MEANING = {
  adverse_impact_indicated: 'The gap is large, and it is not likely to be chance.',
  possible_adverse_impact: 'The gap is large, but there are too few people to be sure.',
  gap_within_threshold: 'The gap is smaller, but the board should look into it.',
};

/** @returns {{ title: string, sections: { heading: string, paragraphs: string[], list?: string[] }[] }} */
export function publicSummary() {
  const r = state.review;
  const a = r.answers;
  const name = a['system.name'] || 'This system';
  const organisation = a['system.organisation'] || 'the council';
  const report = r.report;
  const sections = [];

  sections.push({
    heading: 'What the system does',
    paragraphs: [
      a['system.description'] || `${name} helps ${organisation} make decisions about people.`,
      `${organisation[0].toUpperCase()}${organisation.slice(1)} uses it. A board checked whether it treats some groups of people worse than others.`,
    ],
  });

  const found = [];
  if (!report) {
    found.push('The board did not have the system’s decisions to check, so it could not measure how it treats different groups.');
  } else {
    const rows = flatten(report);
    const findings = rows.filter((x) => isFinding(x.verdict));
    found.push(`The board looked at ${report.input?.rows_used?.toLocaleString('en-GB') ?? 'the'} decisions the system made.`);
    if (findings.length) {
      found.push('Some groups got the decision much more or much less often than others:');
    } else {
      found.push('It found no group that got the decision much more or much less often than others. That does not prove the system is fair.');
    }
    const list = findings.map((x) => {
      const attribute = report.attributes.find((y) => y.column === x.attribute);
      const named = x.compared_with != null && attribute.groups.some((g) => g.group === x.compared_with);
      const compared = named ? `people in the group “${groupName(attribute, x.compared_with)}”` : 'everyone else';
      return `By ${attributeName(attribute)}: ${percent(x.selection_rate)} of people in the group “${groupName(attribute, x.group)}” got it, against ${percent(x.comparison_rate ?? 0)} of ${compared}. ${MEANING[x.verdict] ?? ''}`.trim();
    });
    sections.push({ heading: 'What the review found', paragraphs: found, list });
  }
  if (!report) sections.push({ heading: 'What the review found', paragraphs: found });

  const outcome = STEP_QUESTIONS.decision.sections[0].fields[0];
  const decided = outcome.options.find((o) => o.value === a['decision.outcome'])?.label;
  const conditions = r.conditions.map((c) => c.text.trim()).filter(Boolean);
  sections.push({
    heading: 'What the board decided',
    paragraphs: [
      decided ? `The board’s decision: ${decided}.` : 'The board has not yet made its decision.',
      ...(a['decision.review_date'] ? [`The board will look at the system again by ${longDate(a['decision.review_date'])}.`] : []),
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
export function publicSummaryText() {
  const { title, sections } = publicSummary();
  const lines = [title, ''];
  for (const s of sections) {
    lines.push(s.heading, '');
    for (const p of s.paragraphs) lines.push(p);
    for (const item of s.list ?? []) lines.push(`- ${item}`);
    lines.push('');
  }
  return `${lines.join('\n').trim()}\n`;
}
