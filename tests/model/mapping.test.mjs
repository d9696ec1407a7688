// The page's model, without a browser: the data step's mapping → the
// engine's config, where an engine problem belongs on the page, and the
// coverage summary. Run: node --test tests/model/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/static-server.mjs';
import {
  SETTINGS, buildConfig, chosenIntersections, coverage, defaultSetting, emptyMapping, pageFieldFor, parseEdges, settingChoices,
  possibleIntersections, sentence, setDefaults, withDefaults,
} from '../../www/js/model/mapping.js';

const configSchema = JSON.parse(readFileSync(join(ROOT, 'docs', 'schema', 'config.schema.json'), 'utf8'));

function mapped(overrides = {}) {
  const m = emptyMapping();
  m.attributes = [{ column: 'sex', characteristic: 'sex' }, { column: 'race', characteristic: 'race' }];
  m.decision = { column: 'flagged', mode: 'values', positive: ['1'], negative: ['0'], rest_negative: false, threshold: '' };
  m.outcome = 'harmful';
  return Object.assign(m, overrides);
}

test('an empty mapping says what is missing, each at its field', () => {
  const { errors } = buildConfig(emptyMapping());
  assert.deepEqual(errors.map((e) => e.field), ['attributes', 'decision.column', 'outcome']);
});

test('settings left alone are not sent: the engine applies its own defaults', () => {
  const { config, errors } = buildConfig(mapped());
  assert.deepEqual(errors, []);
  assert.deepEqual(config, {
    groups: ['sex', 'race'],
    decision: { column: 'flagged', positive: ['1'], negative: ['0'], rest_negative: false },
    outcome: 'harmful',
    reference: 'largest',
  });
});

test('a score column is sent to the engine, so the results can analyse it; it cannot also be a characteristic', () => {
  assert.equal(buildConfig(mapped({ score: 'risk' })).config.score, 'risk');
  assert.equal(buildConfig(mapped()).config.score, undefined);
  assert.deepEqual(buildConfig(mapped({ score: 'race' })).errors.map((e) => e.field), ['score']);
  assert.equal(pageFieldFor('score'), 'score');
});

test('settings the user changed are sent as numbers; only the text is checked here', () => {
  const { config, errors } = buildConfig(mapped({ settings: { confidence: ' 0.9 ', min_group: '50', adjust: 'bh', four_fifths: '' } }));
  assert.deepEqual(errors, []);
  assert.deepEqual(config.evidence, { confidence: 0.9, min_group: 50, adjust: 'bh' });
  assert.equal(config.four_fifths_threshold, undefined, 'a cleared field falls back to the default');
  // Whether 0.5 is allowed is the engine's rule (validateConfig), not the page's.
  assert.deepEqual(buildConfig(mapped({ settings: { confidence: '0.5' } })).errors, []);
  const bad = buildConfig(mapped({ settings: { confidence: 'high', min_group: '2.5' } })).errors;
  assert.deepEqual(bad.map((e) => [e.field, e.text]), [
    ['settings.confidence', 'The confidence level must be a number'],
    ['settings.min_group', 'The smallest group to judge must be a whole number, 0 or more'],
  ]);
});

test('every setting the page offers is a real field of the engine config (from its schema)', () => {
  for (const [key, spec] of Object.entries(SETTINGS)) {
    let node = configSchema;
    for (const part of spec.path) {
      const props = node.properties || configSchema.$defs[node.$ref?.split('/').pop()]?.properties
        || configSchema.$defs[node.allOf?.[0]?.$ref?.split('/').pop()]?.properties;
      assert.ok(props && props[part], `${key}: ${spec.path.join('.')} is in config.schema.json`);
      node = props[part];
    }
  }
});

test('the defaults shown are the engine\'s', () => {
  setDefaults({ four_fifths_threshold: 0.8, evidence: { confidence: 0.95, interval: 'wilson', min_group: 30, adjust: 'holm' } });
  assert.deepEqual(Object.keys(SETTINGS).map(defaultSetting), ['0.8', '0.95', '30', 'wilson', 'holm']);
  setDefaults(null);
  assert.equal(defaultSetting('confidence'), '', 'nothing is made up before the engine answers');
});

test('an engine problem is shown at the page field that fixes it', () => {
  const cases = {
    'evidence.confidence': 'settings.confidence',
    four_fifths_threshold: 'settings.four_fifths',
    'evidence.min_group': 'settings.min_group',
    groups: 'attributes',
    'groups[1]': 'attributes',
    'intersections[0][1]': 'attributes',
    'bins.age band.edges': 'bins.age band.edges',
    'bins.age.quantiles': 'bins.age.quantiles',
    'decision.column': 'decision.column',
    'decision.positive[0]': 'decision.positive',
    'decision.negative': 'decision.positive',
    decision: 'decision.positive',
    'label.threshold': 'label.threshold',
    weight: 'weight',
    strata: 'strata',
    max_groups: null,
    undefined: null,
  };
  for (const [engine, page] of Object.entries(cases)) {
    assert.equal(pageFieldFor(engine === 'undefined' ? undefined : engine), page, engine);
  }
  assert.equal(sentence('the confidence level must be between 0.5 and 1 (e.g. 0.95), got 0.5'),
    'The confidence level must be between 0.5 and 1 (e.g. 0.95), got 0.5.');
  assert.equal(sentence('done.'), 'Done.');
});

test('bands and combinations', () => {
  assert.deepEqual(parseEdges('25, 35,50'), [25, 35, 50]);
  assert.deepEqual(parseEdges('18; 65'), [18, 65]);
  assert.equal(parseEdges('35, 25'), null);
  assert.equal(parseEdges('a, 3'), null);
  assert.equal(parseEdges(''), null);
  const m = mapped({ intersections: [['sex', 'race'], ['race', 'sex', 'sex'], ['sex', 'race'], ['sex', 'gone'], 'junk'] });
  assert.deepEqual(chosenIntersections(m), [['sex', 'race']]);
  assert.deepEqual(possibleIntersections(['a', 'b', 'c']), [['a', 'b'], ['a', 'c'], ['b', 'c'], ['a', 'b', 'c']]);
  const { config } = buildConfig(mapped({ bins: { sex: { mode: 'edges', edges: '1, 2' }, other: { mode: 'quantiles', quantiles: '4' } } }));
  assert.deepEqual(config.bins, { sex: { edges: [1, 2] } }, 'bands only for chosen characteristics');
});

test('coverage: small groups, missing values and the characteristics the data says nothing about', () => {
  const report = {
    attributes: [
      { column: 'sex', columns: ['sex'], groups: [
        { group: 'F', counts: { n: 980 }, metrics: { share: 0.98 } },
        { group: 'X', counts: { n: 15 }, metrics: { share: 0.015 } },
        { group: '(missing)', is_missing: true, counts: { n: 5 }, metrics: { share: 0.005 } },
      ] },
      { column: 'sex|race', columns: ['sex', 'race'], groups: [{ group: 'X|A', counts: { n: 1 }, metrics: { share: 0.001 } }] },
    ],
  };
  const cov = coverage(report, mapped());
  assert.deepEqual(cov.small, [{ column: 'sex', group: 'X', n: 15, share: 0.015 }]);
  assert.deepEqual(cov.missing, [{ column: 'sex', n: 5, share: 0.005 }]);
  assert.equal(cov.gap.length, 7, '9 characteristics, 2 mapped');
  assert.ok(!cov.gap.some((c) => c.value === 'sex' || c.value === 'race'));
});

test('the choices offered are the engine\'s values, in the page\'s words', () => {
  setDefaults({}, { interval: ['wilson', 'clopper_pearson'], adjust: ['holm', 'bh', 'none', 'newer_method'], outcome: ['beneficial', 'harmful'] });
  assert.deepEqual(settingChoices('interval').map((o) => o.value), ['wilson', 'clopper_pearson']);
  assert.deepEqual(settingChoices('adjust').at(-1), { value: 'newer_method', label: 'newer_method' }, 'a value the page has no words for still shows');
  assert.equal(settingChoices('adjust')[0].label, 'Holm adjustment (recommended)');
  setDefaults(null, null);
});

test('a config read before the data is checked states the engine\'s defaults', () => {
  const { config } = buildConfig(mapped({ settings: { confidence: '0.9' } }));
  assert.equal(withDefaults(config), config, 'no defaults yet: nothing is made up');
  setDefaults({ four_fifths_threshold: 0.8, min_cell: 10, evidence: { confidence: 0.95, interval: 'wilson', min_group: 30, adjust: 'holm', yates: false, power: 0.8 } });
  const full = withDefaults(config);
  assert.equal(full.four_fifths_threshold, 0.8);
  assert.deepEqual(full.evidence, { confidence: 0.9, interval: 'wilson', min_group: 30, adjust: 'holm', yates: false, power: 0.8 });
  assert.deepEqual(full.groups, ['sex', 'race']);
  setDefaults(null, null);
});
