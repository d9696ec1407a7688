//! The source tree shows the pipeline, and every dependency points down it:
//! error → input → config → tally → analysis → report → audit (then the
//! surfaces: the CLI and the wasm API). A module may use its own stage and
//! the ones before it, never a later one. See docs/architecture.md.

use std::path::{Path, PathBuf};

const STAGES: [&str; 7] = ["error", "input", "config", "tally", "analysis", "report", "audit"];

/// Top-level re-exports (`lib.rs`) and the stage they belong to.
fn stage_of(name: &str) -> Option<usize> {
    let stage = match name {
        "disparity" | "evidence" | "inequality" | "metrics" | "scores" | "stats" => "analysis",
        "ingest" | "preview" => "input",
        "markdown" | "publication" | "schema" | "Report" => "report",
        "binning" | "rows" | "TallySet" => "tally",
        "Audit" | "audit_bytes" => "audit",
        "AuditConfig" | "Direction" | "OutcomeColumn" | "Reference" => "config",
        "Error" | "ErrorCode" => "error",
        other => other,
    };
    STAGES.iter().position(|s| *s == stage)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments and its unit tests.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_dependency_points_down_the_pipeline() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upward = Vec::new();
    let mut checked = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let top = relative.components().next().and_then(|c| c.as_os_str().to_str()).unwrap_or_default();
        let Some(own) = stage_of(top.trim_end_matches(".rs")) else { continue };
        checked += 1;
        let code = code(&std::fs::read_to_string(file).expect("read"));
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if let Some(used) = stage_of(&name) {
                if used > own {
                    upward.push(format!(
                        "{} ({}) uses crate::{name} ({})",
                        relative.display(),
                        STAGES[own],
                        STAGES[used]
                    ));
                }
            }
        }
    }
    assert!(checked >= 30, "only {checked} files were checked: has src/ moved?");
    assert!(upward.is_empty(), "dependencies that point up the pipeline:\n{}", upward.join("\n"));
}

#[test]
fn the_stages_are_folders() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    for stage in ["input", "config", "tally", "analysis", "report"] {
        assert!(src.join(stage).join("mod.rs").exists(), "src/{stage}/mod.rs");
    }
}
