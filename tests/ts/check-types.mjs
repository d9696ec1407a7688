#!/usr/bin/env node
// Checks that the TypeScript types in pkg/biasaudit.d.ts (generated into
// src/generated/api.d.ts) and the JSON Schemas in docs/schema/ match what the
// engine really produces:
//
//  1. runs the release CLI on the sample files and writes each JSON report
//     into generated/*.ts as `const r: Report = <json>;`;
//  2. loads the built WebAssembly package in Node and does the same with what
//     `Audit.finish()`, `Preview.finish()`, `Audit.finishPart()` and
//     `reportFromTallies()` return;
//  3. runs `tsc --noEmit --strict` on those files and on usage.ts (typical
//     page code, including things that must NOT type-check).
//
// An object literal may not have properties its type does not declare, so a
// field added in Rust but not in the types fails here, as does a missing
// field, a wrong type, or a new enum value.
//
// Needs: the package built into pkg/ (wasm-pack build --target web --release
// --out-dir pkg) and `npm install` (for typescript). Builds the CLI with
// `cargo build --release` if it is not there (honours CARGO_TARGET_DIR).
// Usage: node tests/ts/check-types.mjs

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { schemaErrors } from "../support/schema.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const pkg = join(root, "pkg");
const generated = join(here, "generated");
const started = Date.now();

function fail(message) {
  console.error(`check-types: ${message}`);
  process.exit(1);
}

// --- prerequisites ---------------------------------------------------------

const dts = join(pkg, "biasaudit.d.ts");
if (!existsSync(dts)) {
  fail(`${relative(root, dts)} not found: build it with\n  wasm-pack build --target web --release --out-dir pkg`);
}
if (!/export interface Report\b/.test(readFileSync(dts, "utf8"))) {
  fail(
    `${relative(root, dts)} declares no Report type: it predates src/wasm_types.rs ` +
      `(or lib.rs does not declare that module). Rebuild with\n  wasm-pack build --target web --release --out-dir pkg`,
  );
}
const tsc = join(root, "node_modules", ".bin", process.platform === "win32" ? "tsc.cmd" : "tsc");
if (!existsSync(tsc)) {
  fail("typescript is not installed: run `npm install` at the repository root");
}

// Where cargo puts the CLI (a relative CARGO_TARGET_DIR is relative to the working directory).
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.cwd(), process.env.CARGO_TARGET_DIR) : join(root, "target");
const cliPath = join(targetDir, "release", process.platform === "win32" ? "biasaudit.exe" : "biasaudit");
if (!existsSync(cliPath)) {
  console.log("check-types: building the CLI (cargo build --release)");
  const built = spawnSync("cargo", ["build", "--release", "--quiet"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, CARGO_TARGET_DIR: targetDir },
  });
  if (built.status !== 0 || !existsSync(cliPath)) fail("cargo build --release failed");
}

// --- the cases --------------------------------------------------------------

const data = (name) => join(root, "examples", "data", name);

// A small made-up file for the rarer fields: weights, exclusions, a missing
// group value, a tiny group never selected, a group always selected
// (infinite odds ratios), undefined rates and tests, a named reference that
// falls back, and a group absent from one stratum.
function edgeCsv() {
  const lines = ["site,sex,team,w,decision,label"];
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 240; i++) {
    const sex = i % 2 === 0 ? "F" : "M";
    const label = rand() < 0.4 ? 1 : 0;
    const decision = rand() < (sex === "F" ? 0.5 : 0.2) ? 1 : 0;
    const w = (0.5 + rand()).toFixed(3);
    lines.push(`${i % 3 === 0 ? "north" : "south"},${sex},${i % 4 < 2 ? "A" : "B"},${w},${decision},${label}`);
  }
  lines.push("north,X,A,1,0,0", "north,X,B,1,0,0");
  for (let i = 0; i < 6; i++) lines.push(`south,Y,B,1,1,${i % 2}`);
  lines.push("south,,A,1,1,1", "south,NA,B,2,0,0", "north,F,A,1,,1", "north,M,B,1,1,", "south,F,A,,1,1");
  return lines.join("\n") + "\n";
}

const cliCases = [
  {
    name: "cli-fraud-flags",
    args: [
      data("fraud_flags.csv"),
      "--label", "overpayment_found", "--label-positive", "1",
      "--strata", "region", "--outcome", "harmful",
      "--group", "nationality", "--group", "sex",
      "--decision", "flagged", "--positive", "1",
    ],
  },
  {
    name: "cli-scores-intersections-publication",
    args: [
      data("fraud_flags.csv"),
      "--label", "overpayment_found", "--label-positive", "1", "--outcome", "harmful",
      "--group", "nationality", "--intersect", "nationality,sex,age_band", "--strata", "region",
      "--group", "risk_score", "--bin", "risk_score=q4", "--calibration", "quantile:5",
      "--decision", "flagged", "--positive", "1", "--score", "risk_score", "--publication", "--min-cell", "40",
    ],
  },
  {
    name: "cli-recruitment",
    args: [
      data("recruitment.csv"),
      "--group", "sex", "--group", "ethnicity",
      "--decision", "shortlisted", "--positive", "yes", "--negative", "no",
    ],
  },
  {
    name: "cli-edge-cases",
    args: [
      join(generated, "edge-cases.csv"),
      "--group", "sex", "--group", "team", "--reference", "F",
      "--decision", "decision", "--positive", "1",
      "--label", "label", "--label-positive", "1",
      "--weight", "w", "--strata", "site",
      "--yates", "--adjust", "none", "--interval", "clopper-pearson", "--min-group", "5",
    ],
  },
];

rmSync(generated, { recursive: true, force: true });
mkdirSync(generated, { recursive: true });
writeFileSync(join(generated, "edge-cases.csv"), edgeCsv());

// Every value is also validated against the published JSON Schemas
// (docs/schema/, generated from the same Rust types): a report must match
// report.schema.json, its echoed config config.schema.json, and the other
// API results their definitions in `biasaudit schema api`.
process.env.BIASAUDIT_BIN ??= cliPath; // the API schemas come from this CLI
let validated = 0;

function validate(file, type, value) {
  const checks = [[type, value]];
  if (type === "Report") checks.push(["AuditConfig", value.config]);
  for (const [kind, v] of checks) {
    const errors = schemaErrors(kind, v);
    if (errors.length) fail(`${file}: the ${kind} does not match its JSON Schema:\n  ${errors.join("\n  ")}`);
    validated++;
  }
}

/** Writes `const <name>: <type> = <json>;` to generated/<file>.ts. */
function emit(file, type, value) {
  validate(file, type, value);
  const json = JSON.stringify(value, null, 2);
  if (json === undefined) fail(`${file}: nothing to check`);
  const source =
    `// Generated by tests/ts/check-types.mjs: do not edit.\n` +
    `import type { ${type} } from "../../../pkg/biasaudit.js";\n\n` +
    `const r: ${type} = ${json};\n\n` +
    `export default r;\n`;
  writeFileSync(join(generated, `${file}.ts`), source);
}

const reports = {};
for (const { name, args } of cliCases) {
  let out;
  try {
    out = execFileSync(cliPath, ["audit", ...args], { cwd: root, maxBuffer: 64 << 20, encoding: "utf8" });
  } catch (e) {
    fail(`${name}: the CLI failed: ${e.stderr || e.message}`);
  }
  reports[name] = JSON.parse(out);
  emit(name, "Report", reports[name]);
}

// What the page gets: the same calls through the WebAssembly package.
const wasm = await import(pathToFileURL(join(pkg, "biasaudit.js")).href);
wasm.initSync({ module: readFileSync(join(pkg, "biasaudit_bg.wasm")) });

/** Feeds `bytes` to `sink.push` in chunks, as the page does with a file. */
function feed(sink, bytes, chunk = 64 * 1024) {
  for (let i = 0; i < bytes.length; i += chunk) sink.push(bytes.subarray(i, i + chunk));
}

try {
  const fraud = readFileSync(data("fraud_flags.csv"));
  const recruitment = readFileSync(data("recruitment.csv"));

  const preview = new wasm.Preview(10);
  feed(preview, fraud);
  const previewResult = preview.finish(true);
  emit("wasm-preview", "PreviewResult", previewResult);

  // The echoed config of a report is a valid input config.
  const fraudAudit = new wasm.Audit(reports["cli-fraud-flags"].config);
  feed(fraudAudit, fraud);
  emit("wasm-fraud-flags", "Report", fraudAudit.finish());

  // A minimal hand-written config (defaults filled in by the engine).
  const minimal = {
    groups: ["sex", "ethnicity"],
    decision: { column: "shortlisted", positive: ["yes"], negative: ["no"] },
  };
  const recruitmentAudit = new wasm.Audit(minimal);
  feed(recruitmentAudit, recruitment);
  emit("wasm-recruitment", "Report", recruitmentAudit.finish());

  const edgeAudit = new wasm.Audit(reports["cli-edge-cases"].config);
  feed(edgeAudit, readFileSync(join(generated, "edge-cases.csv")), 100);
  emit("wasm-edge-cases", "Report", edgeAudit.finish());

  // Parallel parts: one part after the header, then the merge.
  const partConfig = { ...reports["cli-fraud-flags"].config, delimiter: previewResult.delimiter };
  const header = fraud.subarray(0, previewResult.header_bytes);
  const part = wasm.Audit.forPart(partConfig, header, previewResult.header_bytes, -1);
  feed(part, fraud.subarray(previewResult.header_bytes));
  const partResult = part.finishPart();
  emit("wasm-part", "PartResult", partResult);
  emit(
    "wasm-merged",
    "Report",
    wasm.reportFromTallies(reports["cli-fraud-flags"].config, [partResult.tallies], "", previewResult.delimiter),
  );
} catch (e) {
  fail(`the WebAssembly package failed: ${e && e.stack ? e.stack : e}`);
}

// --- type-check -------------------------------------------------------------

const result = spawnSync(tsc, ["-p", join(here, "tsconfig.json"), "--noEmit", "--strict", "--pretty", "false"], {
  cwd: root,
  encoding: "utf8",
});
const output = `${result.stdout || ""}${result.stderr || ""}`.trim();
if (result.status !== 0) {
  console.error(output || `tsc exited with status ${result.status}`);
  fail("type errors: the TypeScript types (src/generated/api.d.ts) do not match the engine's output");
}
console.log(`check-types: ok: tsc --strict and ${validated} JSON Schema validations (${Date.now() - started} ms)`);
