//! TypeScript types for the WebAssembly API, written into `pkg/biasaudit.d.ts`.
//!
//! They are generated from the Rust types (`schemars` JSON Schemas, then
//! json-schema-to-typescript) by `scripts/generate-types.mjs`, which the test
//! command runs with `--check`; `tests/ts/check-types.mjs` type-checks real
//! reports against them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS: &str = include_str!("generated/api.d.ts");
