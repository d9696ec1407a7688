// The words of the results, each explained once in plain English; the
// results link each table heading to its entry.
export const GLOSSARY = {
  impact_ratio: {
    term: 'Impact ratio',
    text: 'A group’s rate of the decision that helps (being shortlisted; for a harmful decision, not being flagged) divided by the comparison group’s. 1 is equal; below the line (0.8, the four-fifths rule of thumb from US employment guidance, unless the board set another) the group is flagged. UK law sets no number.',
  },
  harm_ratio: {
    term: 'Harm ratio (times as often)',
    text: 'For a harmful decision: how many times as often a group was given it as the comparison group. 2 means twice as often; above the line (1.25 unless set otherwise) the group is flagged.',
  },
  wilson: {
    term: 'Range (Wilson interval)',
    text: 'The range of rates the data is consistent with, at the confidence shown (95% unless set otherwise): the Wilson score interval. A small group has a wide range. Ranges beside a test are widened for the number of comparisons, so they agree with the adjusted p-values.',
  },
  holm: {
    term: 'p (adjusted, Holm)',
    text: 'How surprising a gap this large would be if the group were in truth treated like the comparison group (Fisher’s exact test), adjusted by Holm’s method for making several comparisons at once (the smallest p-value is multiplied by the number of comparisons, the next by one fewer, and so on), so that looking at many groups does not find gaps by chance. Below 0.05 is called significant.',
  },
  shortfall: {
    term: 'Shortfall',
    text: 'How many more people in the group would have to be given the better outcome for its rate to reach the line: a count of people, to set the size of a gap beside its ratio.',
  },
  auc: {
    term: 'AUC (DeLong range)',
    text: 'The chance that a person whose true outcome was positive scores higher than one whose outcome was negative: 1 ranks perfectly, 0.5 no better than chance. The range is DeLong’s method.',
  },
  calibration: {
    term: 'Calibration',
    text: 'Whether a score means the same in every group: among people scored 0.3, about 30% should have a positive outcome, whatever their group.',
  },
  base_rate: {
    term: 'Base rate',
    text: 'How often the true outcome was positive in a group. When base rates differ, equal selection rates, equal error rates and equal precision cannot all hold at once (see “Which fairness question?”).',
  },
};
