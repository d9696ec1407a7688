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
