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
  { value: 'carer', label: 'Not protected: carers or care leavers (a carer of a disabled person is protected from direct discrimination by association)' },
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

/** Asked in the data step, beside the file it is about. */
export const DATA_QUESTIONS = [
  {
    id: 'data.audit_basis', type: 'textarea', label: 'What is the lawful basis for using this file in the audit?', source: 'UK GDPR Articles 6 and 9; DPA 2018 Schedule 1 paragraph 8',
    hint: 'The Article 6 basis for processing this file and, because it holds characteristics such as ethnicity or health, the Article 9 and Schedule 1 conditions.',
    help: [
      'A file with ethnicity, health or other special category data needs an Article 9 condition and a Schedule 1 condition, with an appropriate policy document in place (Schedule 1, Part 4).',
      'Schedule 1 paragraph 8 (equality of opportunity or treatment) covers monitoring of racial or ethnic origin, religious or philosophical beliefs, health and sexual orientation only, within its limits: not for measures or decisions about one person, not where it would cause substantial damage or distress, and not for a person who has objected in writing. Sex and age are not special category data; they still need an Article 6 basis.',
      'Answer this before opening a file of real people’s data. With a sample dataset, which is invented, there is nothing to answer.',
    ],
  },
];

export const STEP_QUESTIONS = {
  system: {
    intro: 'Describe the system in words a member of the public would understand. These questions follow the UK Algorithmic Transparency Recording Standard (ATRS v4.0) and the “why” part of the Dutch Fundamental Rights and Algorithms Impact Assessment (FRAIA), so the answers can be reused in a transparency record.',
    sections: [
      {
        heading: 'What it is',
        fields: [
          { id: 'system.name', type: 'text', label: 'Name of the system', source: 'ATRS v4.0 1.1 (name)' },
          { id: 'system.description', type: 'textarea', label: 'What does it do?', hint: 'One or two sentences. For example: “Scores new housing benefit claims for the risk of overpayment, so that officers can choose which claims to check first.”', source: 'ATRS v4.0 1.2 (description)' },
          { id: 'system.purpose', type: 'textarea', label: 'What problem is it meant to solve, and what public benefit is expected?', source: 'ATRS v4.0 2.2 (benefits), FRAIA part 1' },
          { id: 'system.public_values', type: 'textarea', label: 'Which public values are at stake?', hint: 'For example fairness, efficiency, privacy, trust in the council.', source: 'FRAIA part 1' },
        ],
      },
      {
        heading: 'Who is responsible',
        fields: [
          { id: 'system.organisation', type: 'text', label: 'Organisation and team that uses it', source: 'ATRS v4.0 2.1.1 and 2.1.2' },
          {
            id: 'system.jurisdiction', type: 'radios', label: 'Where is the organisation?',
            hint: 'The equality duties differ: the review shows the ones that apply there.',
            options: [
              { value: 'england', label: 'England' },
              { value: 'wales', label: 'Wales' },
              { value: 'scotland', label: 'Scotland' },
              { value: 'northern_ireland', label: 'Northern Ireland', hint: 'Most of the Equality Act 2010 does not apply: the duties are in section 75 of the Northern Ireland Act 1998 and Northern Ireland’s own equality laws.' },
            ],
          },
          { id: 'system.sro', type: 'text', label: 'Senior responsible owner (role, not name)', hint: 'For example “Director of Revenues and Benefits”.', source: 'ATRS v4.0 2.1.3' },
          { id: 'system.supplier', type: 'text', label: 'Third party, if any', hint: 'A supplier, or another public body whose tool you use.', source: 'ATRS v4.0 2.1.4.1 (third party)' },
          { id: 'system.companies_house', type: 'text', label: 'The third party’s Companies House number, if it is a UK company', source: 'ATRS v4.0 2.1.4.2' },
          { id: 'system.supplier_role', type: 'textarea', label: 'What did the third party do, or what does it do?', hint: 'For example “built the model and runs it for us”. Where several organisations are involved, say which did which part.', source: 'ATRS v4.0 2.1.4.3 (third party role)' },
          {
            id: 'system.procurement', type: 'radios', label: 'How was it (or will it be) obtained?', source: 'ATRS v4.0 2.1.4.4',
            options: [
              { value: 'in_house', label: 'Built in-house' },
              { value: 'framework', label: 'Bought through a framework agreement' },
              { value: 'open', label: 'Open procedure (Procurement Act 2023: England, Wales and Northern Ireland)' },
              { value: 'competitive_flexible', label: 'Competitive flexible procedure (Procurement Act 2023)' },
              { value: 'direct', label: 'Direct award' },
              { value: 'pcr2015', label: 'Under the Public Contracts Regulations 2015 (a procurement begun before 24 February 2025, or a call-off from a framework awarded under them)' },
              { value: 'scotland', label: 'Under the Public Contracts (Scotland) Regulations 2015 (Scottish councils)' },
              { value: 'not_decided', label: 'Not decided yet' },
            ],
          },
          {
            id: 'system.third_party_data_access', type: 'textarea', label: 'What access does the third party have to the council’s data?', source: 'ATRS v4.0 2.1.4.5',
            hint: 'Which data, on what terms (read-only, for how long), under which data processing or sharing agreement, and with what vetting of its staff.',
          },
          {
            id: 'system.data_access', type: 'textarea', label: 'Can you get the system’s decisions and the data needed to audit them?',
            hint: 'For a supplier: does the contract give you access to outputs, documentation and audit rights?',
          },
        ],
      },
      {
        heading: 'Where it is and why it is lawful',
        fields: [
          {
            id: 'system.phase', type: 'radios', label: 'Phase', source: 'ATRS v4.0 summary information (phase)',
            options: [
              { value: 'idea', label: 'Pre-deployment (an idea, in design or in development)' },
              { value: 'private_beta', label: 'Private beta (a trial with selected users or cases)' },
              { value: 'public_beta', label: 'Public beta (a trial open to everyone it applies to)' },
              { value: 'production', label: 'In use (production)' },
              { value: 'retired', label: 'Retired' },
            ],
            // Answers given before ATRS v4.0 split its beta phase in two.
            legacy: { pilot: 'Pilot or trial (answered before ATRS v4.0 asked for private or public beta)' },
          },
          { id: 'system.legal_basis', type: 'textarea', label: 'Legal basis', hint: 'The power or duty the council relies on, and the lawful basis for processing personal data: UK GDPR Article 6 and, for special category or criminal offence data (Articles 9 and 10), a condition in Schedule 1 to the Data Protection Act 2018 and, for most conditions, an appropriate policy document (Schedule 1, Part 4).', source: 'FRAIA part 1' },
          { id: 'system.replaces', type: 'textarea', label: 'What process does it replace or support?', hint: 'How was the decision made before, and by whom?', source: 'ATRS v4.0 2.2 (previous process)' },
          { id: 'system.alternatives', type: 'textarea', label: 'What alternatives were considered, including not using an algorithm?', source: 'ATRS v4.0 2.2 (alternatives considered), FRAIA part 1' },
          { id: 'system.dpia', type: 'text', label: 'Related assessments', hint: 'For example the Data Protection Impact Assessment (DPIA) and Equality Impact Assessment: a publicly accessible link where there is one, as ATRS v4.0 asks.', source: 'ATRS v4.0 2.5 (impact assessments)' },
        ],
      },
      {
        heading: 'Data protection',
        fields: [
          {
            id: 'system.dpia_done', type: 'radios', label: 'Was a Data Protection Impact Assessment done before the processing began?', source: 'UK GDPR Article 35',
            hint: 'Needed before processing likely to result in a high risk to people, which an automated decision about benefits, housing or jobs usually is.',
            options: [
              { value: 'yes', label: 'Yes' },
              { value: 'in_progress', label: 'In progress' },
              { value: 'no', label: 'No' },
            ],
          },
          {
            id: 'system.dpo', type: 'radios', label: 'Was the data protection officer’s advice sought?', source: 'UK GDPR Article 35(2)',
            options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }],
          },
          {
            id: 'system.prior_consultation', type: 'radios', label: 'Does the DPIA show a high risk that cannot be reduced, so that the ICO must be consulted first?', source: 'UK GDPR Article 36',
            options: [
              { value: 'no', label: 'No' },
              { value: 'yes_done', label: 'Yes, and the ICO has been consulted' },
              { value: 'yes_not_done', label: 'Yes, not yet consulted' },
            ],
          },
        ],
      },
      {
        heading: 'For the transparency record',
        fields: [
          { id: 'system.how_it_works', type: 'textarea', label: 'How does it work?', hint: 'A paragraph or two for a reader who is not technical: what it looks at, what it works out, and where it does not apply.', source: 'ATRS v4.0 2.2.1 (detailed description)' },
          { id: 'system.scale', type: 'text', label: 'How often is it used, and for how many people?', hint: 'For example “About 4,000 new claims a month”.', source: 'ATRS v4.0 2.3.2 (frequency and scale of usage)' },
          { id: 'system.input', type: 'textarea', label: 'What information goes into it?', hint: 'The kinds of data, not the data itself: for example “the claim form, payment history and household details”.', source: 'ATRS v4.0 2.4.1.2 (system-level input)' },
          { id: 'system.output', type: 'textarea', label: 'What comes out of it?', hint: 'For example “a risk score from 0 to 100, and a flag when it is 70 or more”.', source: 'ATRS v4.0 2.4.1.3 (system-level output)' },
          { id: 'system.model_type', type: 'text', label: 'What kind of model or rules is it?', hint: 'For example “logistic regression”, “a set of weighted rules”, or “a large language model from a named provider”.', source: 'ATRS v4.0 2.4.1.5 (models) and 2.4.2.6 (model architecture)' },
          { id: 'system.website', type: 'text', label: 'Public web page about the system, if there is one', hint: 'It must be open to the public. Leave empty if there is none.', source: 'ATRS v4.0 1.3 (website URL)' },
          { id: 'system.contact_email', type: 'text', label: 'Email address for questions about it', hint: 'A team’s address, not a person’s, so it still works when people move on.', source: 'ATRS v4.0 1.4 (contact email)' },
        ],
      },
    ],
  },

  oversight: {
    intro: 'How people use the system’s outputs decides how much harm a biased output can do. These questions follow the ATRS deployment section, part 3 of FRAIA and Article 27 of the EU AI Act (which does not bind UK councils; it is used here as good practice).',
    sections: [
      {
        heading: 'How the output is used',
        fields: [
          {
            id: 'oversight.use', type: 'radios', label: 'What happens to an output?', source: 'ATRS v4.0 2.3.1 (integration into the broader operational process)',
            options: [
              { value: 'information', label: 'It is one piece of information a person weighs with others' },
              { value: 'prioritise', label: 'It sets the order in which people’s cases are looked at' },
              { value: 'recommend', label: 'It recommends a decision that a person confirms or changes' },
              { value: 'decide', label: 'It decides, and a person only looks if someone complains' },
            ],
          },
          { id: 'oversight.process', type: 'textarea', label: 'Describe where the output fits in the wider process', source: 'ATRS v4.0 2.3.1 (integration into the broader operational process)' },
          { id: 'oversight.override', type: 'textarea', label: 'Who can override the output, and how often do they?', hint: 'Give the role, what they see, and any figures on how often outputs are changed.', source: 'EU AI Act art. 27(e)' },
          { id: 'oversight.training', type: 'textarea', label: 'What training do the people using it get?', hint: 'Including training about automation bias: trusting the output too much.', source: 'ATRS v4.0 2.3 (required training)' },
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
          { id: 'oversight.appeal', type: 'textarea', label: 'How can the person challenge the decision?', hint: 'The appeal or review route, who handles it, and how long it takes.', source: 'ATRS v4.0 2.3 (appeals and review), EU AI Act art. 27(f)' },
          {
            id: 'oversight.significant_decision', type: 'radios', label: 'Is it a significant decision taken solely by automated processing?', source: 'UK GDPR Article 22A',
            help: [
              'Since 5 February 2026, Articles 22A to 22D of the UK GDPR (inserted by the Data (Use and Access) Act 2025, section 80) govern automated decisions. A decision is based solely on automated processing if there is no meaningful human involvement in it, and it is significant if it has a legal or similarly significant effect on the person, such as a refused benefit (a flag that starts an investigation may be one). In judging whether human involvement is meaningful, the extent of profiling must be considered.',
              'A person who routinely accepts the output without weighing it is not meaningful involvement. Such decisions need the safeguards of Article 22C; they are restricted when they rest on special category data, and barred when the processing relies on recognised legitimate interests (Article 22B).',
            ],
            options: [
              { value: 'yes', label: 'Yes: the Article 22C safeguards are needed' },
              { value: 'no', label: 'No: a person takes a meaningful part in each decision' },
              { value: 'unsure', label: 'Not sure: take legal advice' },
            ],
          },
          {
            id: 'oversight.special_category', type: 'radios', label: 'Does the decision rest, entirely or partly, on special category data?', source: 'UK GDPR Article 22B',
            hint: 'For example health, ethnicity, religion or sexual orientation, including an inference made with reasonable certainty or used on purpose to treat people differently. (An input that merely correlates, such as a postcode, is not special category data, but is a risk of indirect discrimination.) A significant decision like that may be taken solely by automated processing only if it rests entirely on data the person explicitly consented to, or if it is necessary for a contract with them or required or authorised by law and the substantial public interest condition (Article 9(2)(g), with a Schedule 1 Part 2 condition) applies.',
            options: [
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
              { value: 'unsure', label: 'Not sure' },
            ],
          },
          {
            id: 'oversight.safeguards', type: 'textarea', label: 'What is in place for each Article 22C safeguard?', source: 'UK GDPR Article 22C',
            hint: 'How the person is told about the decision; how they can make representations; how they get a person to intervene; how they can contest it. Give the evidence: the notice, the process and who runs it.',
          },
          {
            id: 'oversight.adjustments', type: 'textarea', label: 'What reasonable adjustments are there for disabled people?', source: 'Equality Act 2010 ss15, 20, 29(7)',
            hint: 'For example an accessible way to find out about and challenge a decision, or another route for people the system cannot assess fairly. The duty to make reasonable adjustments applies to public functions.',
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
              { value: 'approve_justified', label: 'Approve despite an adverse impact, which the board, on legal advice, considers can be justified', hint: 'Only a court decides. Record the legitimate aim and why the means are proportionate in “Equality and rights”. This answers indirect discrimination (Equality Act 2010 s19); it does not answer a failure to make reasonable adjustments (ss20–21), and direct discrimination (s13) can be justified only for age.' },
              { value: 'reject', label: 'Do not approve' },
              { value: 'defer', label: 'More information needed' },
            ],
          },
          { id: 'decision.reasons', type: 'textarea', label: 'Reasons for the decision' },
          { id: 'decision.conditions', type: 'conditions', label: 'Conditions', hint: 'Each with the role that owns it and the date it is due. For example “A person reviews every flag before it takes effect, until the model is retrained”. A condition that treats one group differently (for example extra review only for one nationality) risks direct discrimination (s13), which usually cannot be justified: the exceptions are narrow (age, more favourable treatment of disabled people, positive action under s158, and the exceptions in Schedules 3 and 22). Take advice first.' },
        ],
      },
      {
        heading: 'Monitoring',
        fields: [
          { id: 'decision.monitoring_rules', type: 'monitoring-rules', label: 'Which figures will be monitored, and when will the board be told?', hint: 'Each line is checked when a new file of the system’s decisions is compared with this review (step 12, Monitoring, or biasaudit monitor). A line fires only when the figure’s whole range is beyond it, so noise from a handful of people does not raise an alert. With no lines, the check’s own verdicts are the rule. The US four-fifths figure is a signal, not a UK legal test.' },
          { id: 'decision.monitoring', type: 'textarea', label: 'Anything else the board will watch (optional)', hint: 'For example complaints and appeals by group, or the share of flags a person overturns.' },
          {
            id: 'decision.frequency', type: 'radios', label: 'How often?',
            options: [
              { value: 'monthly', label: 'Monthly' },
              { value: 'quarterly', label: 'Quarterly' },
              { value: 'six_monthly', label: 'Every six months' },
              { value: 'yearly', label: 'Yearly' },
            ],
          },
          { id: 'decision.review_date', type: 'date', future: true, label: 'Date of the next full review', hint: 'A date in the future. For example, 27 3 2027' },
        ],
      },
      {
        heading: 'Lawfulness, publication and records',
        fields: [
          { id: 'decision.legal_power', type: 'textarea', label: 'What legal power does the council rely on to use the system, and how does it keep its discretion?', source: 'Public law', hint: 'The statute or power for the function; and how officers can depart from the output in a case that needs it, so the council does not fetter its discretion.' },
          { id: 'decision.reasons_given', type: 'textarea', label: 'How are reasons given to the person affected?', source: 'Public law; UK GDPR Article 22C' },
          { id: 'decision.legal_signoff', type: 'text', label: 'Who in legal services or the monitoring officer’s team signed off the decision?', source: 'Good practice', hint: 'Role and date. (The monitoring officer must report a proposal that would be unlawful: Local Government and Housing Act 1989 s5.)' },
          {
            id: 'decision.atrs', type: 'radios', label: 'Will an Algorithmic Transparency Recording Standard record be published?', source: 'ATRS v4.0 guidance, scope and exemptions policy',
            hint: 'Mandatory for central government departments and in-scope arm’s-length bodies; recommended for councils and the wider public sector.',
            options: [
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
              { value: 'not_decided', label: 'Not decided' },
            ],
          },
          { id: 'decision.publication', type: 'textarea', label: 'What will be published, and what may be withheld?', source: 'FOIA 2000 / FOISA 2002', hint: 'The record may be requested under the Freedom of Information Act 2000 (the Freedom of Information (Scotland) Act 2002 in Scotland). Exemptions that may apply include personal data (FOIA s40; FOISA s38), commercial interests (s43; s33) and law enforcement (s31; s35). Small groups can identify people: publish the publication copy made in the last step (Record and export), which leaves out small groups and any group that could be worked out from the totals.' },
          { id: 'decision.retention', type: 'textarea', label: 'How long will this record and the data file be kept?', source: 'UK GDPR Article 5(1)(e)', hint: 'No longer than needed; set the period with legal services. It should cover a judicial review (3 months: CPR 54.5 in England and Wales, Court of Session Act 1988 s27A in Scotland), an Equality Act claim (6 months, which a court can extend, counted for a live system from when the conduct ends), a Human Rights Act claim (1 year) and data protection claims.' },
        ],
      },
      {
        heading: 'Who decided',
        fields: [
          { id: 'decision.members', type: 'textarea', label: 'Board members present', hint: 'One per line, by role (for example “Chair, independent member”, “Data protection officer”).' },
          {
            id: 'decision.quorate', type: 'radios', label: 'Was the meeting quorate?', hint: 'Whether enough members were present to decide, under the board’s terms of reference.',
            options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }],
          },
          { id: 'decision.interests', type: 'textarea', label: 'Declarations of interest', hint: 'Any member with a link to the supplier, the service or the people affected, and what they did (for example left the room for the item, or did not vote). Write “None” if there were none.' },
          { id: 'decision.public_voice', type: 'textarea', label: 'What did the people affected, or those who speak for them, tell the board, and how did the board respond?', hint: 'For example a residents’ panel, a claimants’ advice service or a union. Say what was raised and what the board did about it, not only who was consulted.' },
          { id: 'decision.chair', type: 'text', label: 'Chair' },
          { id: 'decision.date', type: 'date', label: 'Date of the decision', hint: 'For example, 22 11 2026' },
          { id: 'decision.dissent', type: 'textarea', label: 'Dissent, with its reasons', hint: 'Any member who disagreed, by role, and why. Write “None: unanimous” if no one did.' },
        ],
      },
    ],
  },
};

/** Public consultation questions shown on the equality step. */
export const EQUALITY_FIELDS = {
  psed: [
    { id: 'equality.psed_discrimination', type: 'textarea', label: 'The need to eliminate discrimination, harassment, victimisation and other conduct the Act prohibits', hint: 'How does the system, as it will be used, avoid discriminating? What do the results say? This is the only aim for which marriage and civil partnership count.' },
    { id: 'equality.psed_opportunity', type: 'textarea', label: 'The need to advance equality of opportunity', hint: 'Does it remove or add barriers for people who share a protected characteristic, or fail to meet their different needs?' },
    { id: 'equality.psed_relations', type: 'textarea', label: 'The need to foster good relations', hint: 'Between people who share a protected characteristic and people who do not: could its use fuel prejudice, or help understanding? (section 149(5))' },
    { id: 'equality.due_regard', type: 'textarea', label: 'When, and by whom, was due regard had?', source: 'R (Bracking) v SSWP [2013] EWCA Civ 1345', hint: 'Before the decision, by the people who take it, with rigour and an open mind, and kept under review. If the board only advises, make sure the person who decides reads this record before deciding. Say what the decision-makers saw and when.' },
    { id: 'equality.supplier_evidence', type: 'textarea', label: 'What did the council itself find out about bias in the system and its training data?', source: 'R (Bridges) v CC South Wales Police [2020] EWCA Civ 1058', hint: 'The council must take reasonable steps itself, directly or through independent testing, and cannot rely on the supplier’s assurance or its commercial confidentiality. A contractor who delivers a public function for the council has the duty too (section 149(2)), but the council’s own duty stays with it.' },
  ],
  rights: [
    { id: 'equality.human_rights', type: 'textarea', label: 'Is the use of the system compatible with the Convention rights?', source: 'Human Rights Act 1998 s6', hint: 'A public authority must not act incompatibly with them. Usually Article 8 (private and family life: an interference must be in accordance with the law and proportionate), Article 14 (discrimination in the enjoyment of the rights), Article 1 of Protocol 1 for benefits (property), and Article 6 (a fair hearing, which needs a fair process, not a balance).' },
  ],
  disability: [
    { id: 'equality.disability', type: 'textarea', label: 'Could the system treat disabled people unfavourably because of something arising from their disability, and what adjustments are made?', source: 'Equality Act 2010 ss15, 20, 29(7)', hint: 'For example a gap in work history or a missed appointment caused by illness. Unfavourable treatment must be justified; reasonable adjustments are a duty, not a choice.' },
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
  { id: 'threshold_review', label: 'The decision threshold has been reviewed for its effect on each group (one threshold for everyone: a different threshold for one group risks direct discrimination, s13, which usually cannot be justified; take advice first)' },
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

/**
 * The equality duties that apply where the organisation is
 * (`system.jurisdiction`), for the equality step and the record. Unanswered:
 * Great Britain's, with a note that the nation changes them. See LEGAL.md.
 * @param {string | undefined} jurisdiction
 * @returns {string[]}
 */
export function dutiesFor(jurisdiction) {
  const psed = 'The Public Sector Equality Duty (Equality Act 2010, section 149) applies to every function: due regard to the need to eliminate discrimination, advance equality of opportunity and foster good relations. It is a duty of process, not of result.';
  switch (jurisdiction) {
    case 'england':
      return [psed, 'In England an Equality Impact Assessment is not required by law, but it is the usual way to show due regard, and a court will look for the evidence of it.'];
    case 'wales':
      return [psed,
        'In Wales the specific duties (Equality Act 2010 (Statutory Duties) (Wales) Regulations 2011) require the council to assess the likely impact of a policy or practice, with engagement, and to publish reports of assessments that show a substantial impact.',
        'The socio-economic duty (Equality Act 2010, section 1) applies: when making strategic decisions, have due regard to reducing the inequalities of outcome that result from socio-economic disadvantage.',
        'The Welsh Language Standards (Welsh Language (Wales) Measure 2011) apply: the notices, explanations and routes to challenge a decision must meet the council’s standards for Welsh.'];
    case 'scotland':
      return [psed,
        'In Scotland the specific duties (Equality Act 2010 (Specific Duties) (Scotland) Regulations 2012) require the council to assess the impact of a new or revised policy or practice against the needs of the duty, and to publish the results.',
        'The Fairer Scotland Duty (Equality Act 2010, section 1) applies to strategic decisions: due regard to reducing inequalities of outcome caused by socio-economic disadvantage.',
        'Requests for the record come under the Freedom of Information (Scotland) Act 2002.'];
    case 'northern_ireland':
      return ['Most of the Equality Act 2010, including the Public Sector Equality Duty, does not apply in Northern Ireland. Public authorities have the duties in section 75 of the Northern Ireland Act 1998 (equality of opportunity and good relations) and their equality schemes, and discrimination law is in Northern Ireland’s own legislation. The review’s Equality Act questions still help organise the evidence, but take local legal advice on the tests.'];
    default:
      return [psed, 'The duties differ in Wales and Scotland (impact assessments are required there) and Northern Ireland has its own equality law. Say where the organisation is in “The system” to see the duties that apply.'];
  }
}
