// The questions of the review, as data. Each step that is only questions is
// rendered from here (steps.js renders the rest), and the record lists every
// unanswered question from here too. Every answer is optional.
//
// Field: { id, type: text|textarea|radios|checkboxes|select|date|number,
//          label, hint?, help?: [paragraph…], options?: [{value, label, hint?}],
//          source?: where the question comes from (shown to the reader) }

export const EQUALITY_CHARACTERISTICS = [
  { value: 'age', label: 'Age' },
  { value: 'disability', label: 'Disability' },
  { value: 'gender_reassignment', label: 'Gender reassignment' },
  { value: 'marriage_civil_partnership', label: 'Marriage and civil partnership' },
  { value: 'pregnancy_maternity', label: 'Pregnancy and maternity' },
  { value: 'race', label: 'Race (includes colour, nationality, ethnic or national origin)' },
  { value: 'religion_belief', label: 'Religion or belief' },
  { value: 'sex', label: 'Sex' },
  { value: 'sexual_orientation', label: 'Sexual orientation' },
];

/** Other attributes a board may audit that are not protected characteristics. */
export const OTHER_ATTRIBUTES = [
  { value: 'socio_economic', label: 'Not protected: socio-economic disadvantage' },
  { value: 'carer', label: 'Not protected: carers or care leavers' },
  { value: 'proxy', label: 'Not protected: a possible proxy (for example postcode, or single parent)' },
  { value: 'other', label: 'Not protected: something else' },
];

export function characteristicLabel(value) {
  const c = [...EQUALITY_CHARACTERISTICS, ...OTHER_ATTRIBUTES].find((x) => x.value === value);
  return c ? c.label.replace(/ \(.*\)$/, '') : 'Not labelled';
}

export const REVIEW_TYPES = [
  { value: 'pre_deployment', label: 'Pre-deployment review', hint: 'The system is proposed or being piloted. You have test or pilot decisions.' },
  { value: 'supplier', label: 'Testing a supplier’s outputs', hint: 'You are buying, or thinking of buying, a system and have its decisions on your own cases.' },
  { value: 'monitoring', label: 'Monitoring a live system', hint: 'The system is in use. You have a recent file of its decisions.' },
  { value: 'learning', label: 'Learning', hint: 'You want to see how a review works, with a sample dataset.' },
];

export const STEP_QUESTIONS = {
  system: {
    intro: 'Describe the system in words a member of the public would understand. These questions follow the UK Algorithmic Transparency Recording Standard (ATRS) and the “why” part of the Dutch Fundamental Rights and Algorithms Impact Assessment (FRAIA), so the answers can be reused in a transparency record.',
    sections: [
      {
        heading: 'What it is',
        fields: [
          { id: 'system.name', type: 'text', label: 'Name of the system', source: 'ATRS tier 1' },
          { id: 'system.description', type: 'textarea', label: 'What does it do?', hint: 'One or two sentences. For example: “Scores new housing benefit claims for the risk of overpayment, so that officers can choose which claims to check first.”', source: 'ATRS tier 1' },
          { id: 'system.purpose', type: 'textarea', label: 'What problem is it meant to solve, and what public benefit is expected?', source: 'ATRS 2.2, FRAIA part 1' },
          { id: 'system.public_values', type: 'textarea', label: 'Which public values are at stake?', hint: 'For example fairness, efficiency, privacy, trust in the council.', source: 'FRAIA part 1' },
        ],
      },
      {
        heading: 'Who is responsible',
        fields: [
          { id: 'system.organisation', type: 'text', label: 'Organisation and team that uses it', source: 'ATRS 2.1' },
          { id: 'system.sro', type: 'text', label: 'Senior responsible owner (role, not name)', hint: 'For example “Director of Revenues and Benefits”.', source: 'ATRS 2.1' },
          { id: 'system.supplier', type: 'text', label: 'Supplier, if any', hint: 'Company name and, for UK companies, the Companies House number.', source: 'ATRS 2.1' },
          {
            id: 'system.procurement', type: 'radios', label: 'How was it (or will it be) obtained?', source: 'ATRS 2.1',
            options: [
              { value: 'in_house', label: 'Built in-house' },
              { value: 'framework', label: 'Bought through a framework agreement' },
              { value: 'tender', label: 'Bought through an open or restricted tender' },
              { value: 'direct', label: 'Direct award' },
              { value: 'not_decided', label: 'Not decided yet' },
            ],
          },
          {
            id: 'system.data_access', type: 'textarea', label: 'Can you get the system’s decisions and the data needed to audit them?',
            hint: 'For a supplier: does the contract give you access to outputs, documentation and audit rights?', source: 'ATRS 2.1',
          },
        ],
      },
      {
        heading: 'Where it is and why it is lawful',
        fields: [
          {
            id: 'system.phase', type: 'radios', label: 'Phase', source: 'ATRS tier 1',
            options: [
              { value: 'idea', label: 'Idea or design' },
              { value: 'pilot', label: 'Pilot or trial' },
              { value: 'production', label: 'In use (production)' },
              { value: 'retired', label: 'Retired' },
            ],
          },
          { id: 'system.legal_basis', type: 'textarea', label: 'Legal basis', hint: 'The power or duty the council relies on, and the lawful basis for processing personal data (UK GDPR Article 6, and Article 9 or 10 for special category or criminal offence data).', source: 'FRAIA part 1' },
          { id: 'system.replaces', type: 'textarea', label: 'What process does it replace or support?', hint: 'How was the decision made before, and by whom?', source: 'ATRS 2.2' },
          { id: 'system.alternatives', type: 'textarea', label: 'What alternatives were considered, including not using an algorithm?', source: 'ATRS 2.2, FRAIA part 1' },
          { id: 'system.dpia', type: 'text', label: 'Related assessments', hint: 'For example the Data Protection Impact Assessment (DPIA) and Equality Impact Assessment references.', source: 'ATRS 2.5' },
        ],
      },
    ],
  },

  oversight: {
    intro: 'How people use the system’s outputs decides how much harm a biased output can do. These questions follow the ATRS deployment section, Article 27(e) of the EU AI Act and part 3 of FRAIA.',
    sections: [
      {
        heading: 'How the output is used',
        fields: [
          {
            id: 'oversight.use', type: 'radios', label: 'What happens to an output?', source: 'ATRS 2.3',
            options: [
              { value: 'information', label: 'It is one piece of information a person weighs with others' },
              { value: 'prioritise', label: 'It sets the order in which people’s cases are looked at' },
              { value: 'recommend', label: 'It recommends a decision that a person confirms or changes' },
              { value: 'decide', label: 'It decides, and a person only looks if someone complains' },
            ],
          },
          { id: 'oversight.process', type: 'textarea', label: 'Describe where the output fits in the wider process', source: 'ATRS 2.3' },
          { id: 'oversight.override', type: 'textarea', label: 'Who can override the output, and how often do they?', hint: 'Give the role, what they see, and any figures on how often outputs are changed.', source: 'EU AI Act art. 27(e)' },
          { id: 'oversight.training', type: 'textarea', label: 'What training do the people using it get?', hint: 'Including training about automation bias: trusting the output too much.', source: 'ATRS 2.3' },
        ],
      },
      {
        heading: 'The person affected',
        fields: [
          {
            id: 'oversight.notice', type: 'radios', label: 'Is the person told that an algorithm was used?',
            options: [
              { value: 'yes', label: 'Yes, before or when the decision is made' },
              { value: 'on_request', label: 'Only if they ask' },
              { value: 'no', label: 'No' },
            ],
          },
          { id: 'oversight.explanation', type: 'textarea', label: 'What explanation does the person get?', hint: 'Could they understand why the decision was made about them, and what they could do about it?' },
          { id: 'oversight.appeal', type: 'textarea', label: 'How can the person challenge the decision?', hint: 'The appeal or review route, who handles it, and how long it takes.', source: 'ATRS 2.3, EU AI Act art. 27(f)' },
          {
            id: 'oversight.article22', type: 'radios', label: 'Is this a decision based solely on automated processing with legal or similarly significant effects (UK GDPR Article 22)?',
            help: [
              'Article 22 of the UK GDPR gives people the right not to be subject to a decision based solely on automated processing, including profiling, which produces legal effects or similarly significantly affects them, unless an exception applies — and then safeguards are needed, including the right to obtain human intervention and to contest the decision.',
              '“Solely” means no meaningful human involvement. A person who routinely accepts the output without weighing it does not count as meaningful involvement.',
            ],
            options: [
              { value: 'yes', label: 'Yes — an exception and safeguards are needed' },
              { value: 'no', label: 'No — a person makes a meaningful decision' },
              { value: 'unsure', label: 'Not sure — take legal advice' },
            ],
          },
        ],
      },
    ],
  },

  decision: {
    intro: 'Record what the board decided, the conditions it set, and how the system will be watched from now on.',
    sections: [
      {
        heading: 'The decision',
        fields: [
          {
            id: 'decision.outcome', type: 'radios', label: 'What did the board decide?',
            options: [
              { value: 'approve', label: 'Approve' },
              { value: 'approve_conditions', label: 'Approve with conditions' },
              { value: 'approve_justified', label: 'Approve despite an adverse impact, which the board judges justified', hint: 'Record the legitimate aim and why the means are proportionate in “Equality and rights”.' },
              { value: 'reject', label: 'Reject' },
              { value: 'defer', label: 'Defer: more evidence needed' },
            ],
          },
          { id: 'decision.reasons', type: 'textarea', label: 'Reasons for the decision' },
          { id: 'decision.conditions', type: 'textarea', label: 'Conditions', hint: 'One per line. For example “Human review of every flag for claimants of non-UK nationality until the model is retrained”.' },
        ],
      },
      {
        heading: 'Monitoring',
        fields: [
          { id: 'decision.monitoring', type: 'textarea', label: 'Which figures will be monitored, and at what threshold will the board be told?', hint: 'For example “Impact ratio of flags by nationality; report to the board if any group falls below 0.8”.' },
          {
            id: 'decision.frequency', type: 'radios', label: 'How often?',
            options: [
              { value: 'monthly', label: 'Monthly' },
              { value: 'quarterly', label: 'Quarterly' },
              { value: 'six_monthly', label: 'Every six months' },
              { value: 'yearly', label: 'Yearly' },
            ],
          },
          { id: 'decision.review_date', type: 'date', label: 'Date of the next full review', hint: 'For example, 27 3 2027' },
        ],
      },
      {
        heading: 'Who decided',
        fields: [
          { id: 'decision.members', type: 'textarea', label: 'Board members present', hint: 'One per line, with their role.' },
          { id: 'decision.chair', type: 'text', label: 'Chair' },
          { id: 'decision.date', type: 'date', label: 'Date of the decision', hint: 'For example, 22 11 2026' },
          { id: 'decision.dissent', type: 'textarea', label: 'Dissent', hint: 'Any member who disagreed, and why. Leave empty if the decision was unanimous.' },
        ],
      },
    ],
  },
};

/** Public consultation questions shown on the equality step. */
export const EQUALITY_FIELDS = {
  psed: [
    { id: 'equality.psed_discrimination', type: 'textarea', label: 'Eliminate discrimination, harassment and victimisation', hint: 'How does the system, as it will be used, avoid discriminating? What do the results say?' },
    { id: 'equality.psed_opportunity', type: 'textarea', label: 'Advance equality of opportunity', hint: 'Does it remove or add barriers for people who share a protected characteristic?' },
    { id: 'equality.psed_relations', type: 'textarea', label: 'Foster good relations', hint: 'Could its use affect trust between communities and the council?' },
  ],
  justification: [
    {
      id: 'equality.adverse', type: 'radios', label: 'Does the system put people who share a protected characteristic at a particular disadvantage?',
      options: [
        { value: 'yes', label: 'Yes' },
        { value: 'possibly', label: 'Possibly' },
        { value: 'no', label: 'No' },
        { value: 'unknown', label: 'We cannot tell from the evidence we have' },
      ],
    },
    { id: 'equality.aim', type: 'textarea', label: 'What is the legitimate aim?', hint: 'A real, objective need of the council — not only saving money.' },
    { id: 'equality.proportionate', type: 'textarea', label: 'Why is this a proportionate means of achieving it?', hint: 'Is it appropriate and reasonably necessary? Could a less discriminatory approach achieve the aim?' },
    { id: 'equality.consultation', type: 'textarea', label: 'Who was consulted, and what changed as a result?', hint: 'People affected, community groups, staff, trade unions.' },
  ],
};

export const MITIGATIONS = [
  { id: 'human_review', label: 'A person reviews every adverse output before it takes effect' },
  { id: 'override_log', label: 'Overrides are recorded and the reasons reviewed' },
  { id: 'notice', label: 'People are told an algorithm was used, and how to challenge it' },
  { id: 'appeal_tested', label: 'The appeal route has been tested with real cases' },
  { id: 'group_monitoring', label: 'Outcomes are monitored by group on a schedule' },
  { id: 'threshold_review', label: 'The decision threshold has been reviewed for its effect on each group' },
  { id: 'proxy_check', label: 'Inputs were checked for proxies of protected characteristics' },
  { id: 'data_quality', label: 'The quality and completeness of the data were checked, including missing values' },
  { id: 'consultation', label: 'People affected, or groups representing them, were consulted' },
  { id: 'supplier_audit', label: 'The contract gives the council audit access to the supplier’s system' },
  { id: 'training', label: 'Staff are trained in the system’s limits, including automation bias' },
];

export const LIKELIHOOD = [
  { value: '1', label: 'Rare' }, { value: '2', label: 'Unlikely' }, { value: '3', label: 'Possible' },
  { value: '4', label: 'Likely' }, { value: '5', label: 'Almost certain' },
];
export const SEVERITY = [
  { value: '1', label: 'Negligible' }, { value: '2', label: 'Minor' }, { value: '3', label: 'Moderate' },
  { value: '4', label: 'Major' }, { value: '5', label: 'Severe' },
];
