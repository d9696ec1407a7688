// End-to-end: the legal questions of the review (UK GDPR Articles 22A–22D, the
// DPIA gate, the PSED record, disability, human rights, public-law sign-off,
// publication and retention) appear in their steps and reach the record, and
// the duties shown follow the organisation's nation.
//
// Run: node --test --test-concurrency=1 tests/e2e/law.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, assertAccessible, assertNothingClipped, screenshot } from './helpers.mjs';

const NEW_QUESTIONS = {
  system: ['#f-system-jurisdiction', '#f-system-dpia-done', '#f-system-dpo', '#f-system-prior-consultation', '#f-system-third-party-data-access'],
  data: ['#f-data-audit-basis'],
  oversight: ['#f-oversight-significant-decision', '#f-oversight-special-category', '#f-oversight-safeguards', '#f-oversight-adjustments'],
  equality: ['#f-equality-due-regard', '#f-equality-supplier-evidence', '#f-equality-disability', '#f-equality-human-rights'],
  decision: ['#f-decision-legal-power', '#f-decision-reasons-given', '#f-decision-legal-signoff', '#f-decision-atrs', '#f-decision-publication', '#f-decision-retention'],
};

test('the legal questions are in their steps, reach the record, and the duties follow the nation', { timeout: 180_000 }, async () => {
  const b = await openBrowser();
  const { page, log } = b;
  const go = async (step) => {
    await page.goto(`${b.server.url}/www/#/${step}`);
    await page.waitForSelector('#main-heading');
  };
  const duties = async () => {
    await go('equality');
    return page.locator('#equality-duties').textContent();
  };
  try {
    for (const [step, ids] of Object.entries(NEW_QUESTIONS)) {
      await go(step);
      for (const id of ids) assert.equal(await page.locator(id).count(), 1, `${id} on the ${step} step`);
      await assertAccessible(page, `the ${step} step`);
      await screenshot(page, `law-${step}-1280`);
      await page.setViewportSize({ width: 390, height: 844 });
      await assertNothingClipped(page, `the ${step} step at 390 px`);
      await screenshot(page, `law-${step}-390`);
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    // The old Article 22 right is gone from the page.
    await go('oversight');
    assert.doesNotMatch(await page.locator('main').textContent(), /right not to be subject|Article 22(?![A-D])/);
    assert.match(await page.locator('main').textContent(), /Articles 22A to 22D/);

    // Unanswered: Great Britain's duties, and a prompt to say where.
    assert.match(await duties(), /Public Sector Equality Duty .* applies to every function/);
    assert.match(await duties(), /Say where the organisation is/);
    const nations = [
      ['', 'england', /not required by law/, /Welsh|Fairer Scotland|section 75/],
      ['-2', 'wales', /Welsh Language Standards/, /Fairer Scotland|section 75|not required by law/],
      ['-3', 'scotland', /Fairer Scotland Duty/, /Welsh|section 75|not required by law/],
      ['-4', 'northern_ireland', /section 75 of the Northern Ireland Act 1998/, /Welsh|Fairer Scotland|Public Sector Equality Duty \(Equality Act 2010, section 149\) applies/],
    ];
    for (const [suffix, nation, present, absent] of nations) {
      await go('system');
      await page.check(`#f-system-jurisdiction${suffix}`);
      const text = await duties();
      assert.equal(await page.getAttribute('#equality-duties', 'data-jurisdiction'), nation);
      assert.match(text, present, nation);
      assert.doesNotMatch(text, absent, nation);
    }
    await screenshot(page, 'law-equality-northern-ireland');

    // An answer reaches the record; an unanswered legal question is a gap.
    await go('system');
    await page.check('#f-system-jurisdiction-2');
    // The ATRS questions cite version 4.0's fields, with its phases.
    assert.match(await page.locator('main').textContent(), /Source: ATRS v4\.0 2\.1\.4\.5\./);
    assert.doesNotMatch(await page.locator('main').textContent(), /Source: ATRS (2|tier)/);
    await page.check('#f-system-phase-3');
    assert.equal(await page.locator('#f-data-audit-basis').count(), 0, 'the audit file’s basis is asked in the data step, not here');
    await go('data');
    await page.fill('#f-data-audit-basis', 'Article 6(1)(e); Article 9(2)(g) with Schedule 1 paragraph 8.');
    await go('oversight');
    await page.check('#f-oversight-significant-decision');
    await go('record');
    await page.waitForSelector('#record');
    const record = await page.locator('#record').textContent();
    // In the record's data section, beside the file it is about.
    const dataSection = await page.locator('.ba-record__section', { hasText: '4. Data' }).textContent();
    assert.match(dataSection, /lawful basis for using this file in the audit\?\s*Article 6\(1\)\(e\); Article 9\(2\)\(g\) with Schedule 1 paragraph 8\./);
    assert.match(record, /Yes: the Article 22C safeguards are needed/);
    assert.match(record, /Public beta \(a trial open to everyone it applies to\)/);
    assert.match(record, /Welsh Language Standards/, 'the record states the duties of the nation chosen');
    const gaps = await page.locator('#record-gaps').textContent();
    for (const label of ['What legal power does the council rely on', 'How long will this record and the data file be kept?', 'When, and by whom, was due regard had?', 'What is in place for each Article 22C safeguard?']) {
      assert.ok(gaps.includes(label), `gap listed: ${label}`);
    }
    // Nothing is recorded as the board's choice that it did not make.
    assert.doesNotMatch(record, /\(default\)|accepts/);
    await assertAccessible(page, 'the record');
    await screenshot(page, 'law-record-1280');
    assert.deepEqual(log.errors, []);
  } finally {
    await b.close();
  }
});
