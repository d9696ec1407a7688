// Validates engine output against the JSON Schemas generated from the Rust
// types: docs/schema/report.schema.json, config.schema.json, and the other
// API results in `biasaudit schema api` (TallySet, PartResult, …).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { ROOT } from './static-server.mjs';

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const read = (name) => JSON.parse(readFileSync(join(ROOT, 'docs', 'schema', name), 'utf8'));
const compiled = new Map();

function validator(kind) {
  if (!compiled.has(kind)) {
    if (kind === 'Report') compiled.set(kind, ajv.compile(read('report.schema.json')));
    else if (kind === 'AuditConfig') compiled.set(kind, ajv.compile(read('config.schema.json')));
    else {
      if (!ajv.getSchema('api')) {
        const cli = process.env.BIASAUDIT_BIN || join(ROOT, 'target', 'release', 'biasaudit');
        ajv.addSchema(JSON.parse(execFileSync(cli, ['schema', 'api'], { maxBuffer: 64 << 20 }).toString()), 'api');
      }
      compiled.set(kind, ajv.getSchema(`api#/$defs/${kind}`));
    }
  }
  const check = compiled.get(kind);
  assert.ok(check, `no JSON Schema for ${kind}`);
  return check;
}

/** Where `value` fails the schema of `kind` (Report, AuditConfig, TallySet, PartResult, …): [] when it matches. */
export function schemaErrors(kind, value) {
  const check = validator(kind);
  return check(value) ? [] : check.errors.slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Fails unless `value` matches the schema of `kind`. */
export function assertMatchesSchema(kind, value, where = kind) {
  assert.deepEqual(schemaErrors(kind, value), [], `${where} does not match its JSON Schema`);
}
