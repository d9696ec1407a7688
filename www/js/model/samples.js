// Learning mode: the synthetic sample datasets made by
// examples/data/make_samples.py, with the column mapping filled in. They are
// fetched from this same site (connect-src 'self'), or carried inside the
// offline file.
import { carried } from './offline.js';

const settings = { four_fifths: '0.8', confidence: '0.95', interval: 'wilson', min_group: '30', adjust: 'holm' };

export const SAMPLES = [
  {
    id: 'fraud_flags',
    file: 'fraud_flags.csv',
    title: 'Benefit fraud flags',
    description: 'A risk model flags benefit claims for a fraud investigation (5,000 invented claims). Being flagged harms the person. A random audit found which claims really had an overpayment.',
    mapping: {
      attributes: [
        { column: 'nationality', characteristic: 'race' },
        { column: 'sex', characteristic: 'sex' },
        { column: 'age_band', characteristic: 'age' },
        { column: 'single_parent', characteristic: 'proxy' },
      ],
      decision: { column: 'flagged', mode: 'values', positive: ['1'], negative: ['0'], rest_negative: false, threshold: '' },
      label: { column: 'overpayment_found', mode: 'values', positive: ['1'], negative: ['0'], rest_negative: false, threshold: '' },
      score: 'risk_score',
      outcome: 'harmful',
      reference: 'largest',
      reference_group: '',
      weight: '',
      strata: 'region',
      settings,
    },
    // What make_samples.py builds in, revealed after the exercises.
    builtIn: 'The true risk of an overpayment is the same for every nationality and for single parents as for anyone else: it depends only on age (claimants aged 16 to 24 are a little more likely to be overpaid). But the model adds 0.18 to the risk score of every claim by a non-British national and 0.12 to every claim by a single parent, whatever the facts: the pattern of the Dutch childcare-benefits scandal. Claims scoring 0.45 or more are flagged.',
    exercises: [
      'Under “nationality”, look at the calibration chart. Among claims scored about 0.55, how often was an overpayment really found for British claimants, and how often for EU claimants? What does a score of 0.55 mean for each?',
      'Open the threshold explorer under “nationality” and raise the threshold until no nationality is flagged. How many claims are flagged then, and how many real overpayments does the model now miss?',
      'Under “sex”, women are flagged more often than men. Is sex itself built in, or something that goes with it? (Look at “single parent”.)',
    ],
    system: {
      'system.name': 'Claim risk scoring (sample)',
      'system.description': 'Scores benefit claims for the risk of an overpayment; claims above a cut-off are flagged for a fraud investigation.',
    },
  },
  {
    id: 'recruitment',
    file: 'recruitment.csv',
    title: 'Recruitment screen',
    description: 'A CV screen shortlists job applicants (2,400 invented applications). Being shortlisted helps the person. An assessor later judged who was suitable.',
    mapping: {
      attributes: [
        { column: 'sex', characteristic: 'sex' },
        { column: 'ethnicity', characteristic: 'race' },
        { column: 'age_band', characteristic: 'age' },
        { column: 'disability', characteristic: 'disability' },
      ],
      decision: { column: 'shortlisted', mode: 'values', positive: ['yes'], negative: ['no'], rest_negative: false, threshold: '' },
      label: { column: 'suitable', mode: 'values', positive: ['1'], negative: ['0'], rest_negative: false, threshold: '' },
      score: 'score',
      outcome: 'beneficial',
      reference: 'largest',
      reference_group: '',
      weight: '',
      strata: '',
      settings,
    },
    builtIn: 'Suitability was made the same way for everyone: no group is in truth more or less suitable. The screen’s score takes 8 points off every disabled applicant, 6 off every applicant aged 50 or over and 5 off every Black or Asian applicant, whatever their merit (it penalises gaps in employment history and some name patterns). Sex is not built in. Applicants scoring 65 or more are shortlisted.',
    exercises: [
      'Under “disability”, open the threshold explorer and choose “A different threshold for each group”. Find thresholds at which disabled and non-disabled applicants have about the same true positive rate (the share of suitable applicants shortlisted). How far apart are the two thresholds? What happens to the selection rates?',
      'Under “age band”, compare the AUC of applicants aged 50 or over with the others’. Does the score rank older applicants worse, or only lower? (Look at the spread of scores too.)',
      'Under “sex”, is any group flagged? Move the threshold from 50 to 80: does the verdict change? What does that say about a verdict at one threshold?',
    ],
    system: {
      'system.name': 'CV screening tool (sample)',
      'system.description': 'Rates job applications from 0 to 100; applications rated 65 or more are shortlisted for interview.',
    },
  },
];

export async function fetchSample(sample) {
  // The offline file carries the samples inside it (scripts/build-offline.mjs).
  const text = carried()?.samples?.[sample.file];
  if (typeof text === 'string') return new File([text], sample.file, { type: 'text/csv' });
  const url = new URL(`../../../examples/data/${sample.file}`, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The sample dataset could not be opened (${response.status}). Serve the whole repository, not only www/.`);
  const blob = await response.blob();
  return new File([blob], sample.file, { type: 'text/csv' });
}
