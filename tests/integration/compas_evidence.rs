//! The statistical evidence in the COMPAS report against scipy/statsmodels.
//!
//! Expected values: tests/fixtures/compas/compas_race_evidence.json, made by
//! tests/fixtures/compas/make_compas_evidence.py. Checked through the JSON the
//! CLI and the page see, so the field layout is tested too.

use crate::common;
use biasaudit::config::EvidenceOptions;
use biasaudit::AuditConfig;
use serde_json::Value as Json;

use crate::common::{compas_bytes, compas_config};

fn report() -> Json {
    let mut c = compas_config();
    c.strata = Some("sex".into());
    c.evidence = EvidenceOptions::default();
    let report = biasaudit::audit_bytes(c, &compas_bytes()).expect("report");
    serde_json::to_value(report).expect("json")
}

fn fixture() -> Json {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/compas/compas_race_evidence.json"
    ))
    .expect("fixture");
    serde_json::from_str(&text).expect("fixture json")
}

fn num(v: &Json, what: &str) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{what}: not a number: {v}"))
}

/// Statistics and interval limits: 1e-9 relative (or absolute near 0).
fn stat(what: &str, got: &Json, want: &Json) {
    let (g, w) = (num(got, what), num(want, what));
    assert!((g - w).abs() <= 1e-9 * w.abs().max(1.0), "{what}: got {g}, reference {w}");
}

/// p-values: 1e-12 absolute or 1e-9 relative.
fn p(what: &str, got: &Json, want: &Json) {
    let (g, w) = (num(got, what), num(want, what));
    assert!((g - w).abs() <= 1e-12 || (g - w).abs() <= 1e-9 * w.abs(), "{what}: got {g:e}, reference {w:e}");
}

fn group<'a>(report: &'a Json, name: &str) -> &'a Json {
    report["attributes"][0]["groups"]
        .as_array()
        .and_then(|gs| gs.iter().find(|g| g["group"] == name))
        .unwrap_or_else(|| panic!("group {name}"))
}

const RATES: [&str; 5] = ["selection_rate", "tpr", "fpr", "ppv", "npv"];

#[test]
fn intervals_and_reference_tests_match_statsmodels() {
    if common::compas_missing() {
        return;
    }
    let (report, want) = (report(), fixture());
    let names: Vec<String> = want["groups"].as_object().expect("groups").keys().cloned().collect();
    assert_eq!(names.len(), 6);
    for name in &names {
        let (got, exp) = (&group(&report, name)["evidence"], &want["groups"][name]);
        for rate in RATES {
            let what = format!("{name} {rate}");
            stat(&format!("{what} wilson lower"), &got["intervals"][rate]["lower"], &exp["intervals"][rate][0]);
            stat(&format!("{what} wilson upper"), &got["intervals"][rate]["upper"], &exp["intervals"][rate][1]);
            if name == "Caucasian" {
                assert!(got["vs_reference"].get(rate).is_none(), "the reference is not compared with itself");
                continue;
            }
            let (c, e) = (&got["vs_reference"][rate], &exp["vs_reference"][rate]);
            stat(&format!("{what} katz lower"), &c["ratio"]["lower"], &e["ratio_ci"][0]);
            stat(&format!("{what} katz upper"), &c["ratio"]["upper"], &e["ratio_ci"][1]);
            stat(&format!("{what} newcombe lower"), &c["difference"]["lower"], &e["difference_ci"][0]);
            stat(&format!("{what} newcombe upper"), &c["difference"]["upper"], &e["difference_ci"][1]);
            stat(&format!("{what} z"), &c["z_test"]["z"], &e["z"]);
            p(&format!("{what} z p"), &c["z_test"]["p_value"], &e["z_p"]);
            p(&format!("{what} fisher p"), &c["fisher"]["p_value"], &e["fisher_p"]);
            stat(&format!("{what} odds ratio"), &c["fisher"]["odds_ratio"], &e["odds_ratio"]);
            match e.get("fisher_p_holm") {
                Some(holm) => {
                    p(&format!("{what} holm"), &c["p_value"]["adjusted"], holm);
                    assert_eq!(c["p_value"]["raw"], c["fisher"]["p_value"]);
                }
                // Too few in the denominator, or no outcome could be significant.
                None => assert!(c.get("p_value").is_none(), "{what} is left out of the family"),
            }
        }
    }
    let families = report["evidence"]["families"].as_array().expect("families");
    let family = |name: &str| families.iter().find(|f| f["name"] == name).unwrap_or_else(|| panic!("family {name}"));
    let rates = family("rates: race");
    assert_eq!(rates["tests"], want["families"]["rates"]["tests"]);
    stat("rate family level", &rates["interval_confidence"], &want["families"]["rates"]["interval_confidence"]);
    let verdicts = family("verdicts: race");
    assert_eq!(verdicts["tests"], want["families"]["verdicts"]["tests"]);
    stat(
        "verdict family level",
        &verdicts["interval_confidence"],
        &want["families"]["verdicts"]["interval_confidence"],
    );
    assert_eq!(verdicts["exploratory"], false);
}

#[test]
fn adverse_impact_evidence_and_verdicts() {
    if common::compas_missing() {
        return;
    }
    let (report, want) = (report(), fixture());
    for (name, exp) in want["groups"].as_object().expect("groups") {
        let ai = &group(&report, name)["evidence"]["adverse_impact"];
        let e = &exp["adverse_impact"];
        assert_eq!(ai["compared_with"], "Caucasian", "{name}");
        if name == "Caucasian" {
            assert_eq!(ai["verdict"], "comparison_group");
            assert!(ai["impact_ratio"].get("undefined").is_some() && ai.get("detectable").is_none());
            continue;
        }
        stat(&format!("{name} impact lower"), &ai["impact_ratio"]["lower"], &e["impact_ratio_ci"][0]);
        stat(&format!("{name} impact upper"), &ai["impact_ratio"]["upper"], &e["impact_ratio_ci"][1]);
        stat(&format!("{name} harm lower"), &ai["harm_ratio"]["lower"], &e["harm_ratio_ci"][0]);
        stat(&format!("{name} harm upper"), &ai["harm_ratio"]["upper"], &e["harm_ratio_ci"][1]);
        assert_eq!(ai["shortfall_to_reference"], e["shortfall_to_reference"], "{name}");
        assert_eq!(ai["shortfall_to_threshold"], e["shortfall_to_threshold"], "{name}");
        match e.get("fisher_p") {
            Some(fp) => {
                p(&format!("{name} fisher"), &ai["p_value"]["raw"], fp);
                p(&format!("{name} holm"), &ai["p_value"]["adjusted"], &e["fisher_p_holm"]);
                let d = &ai["detectable"];
                assert_eq!(d["method"], "fisher_exact", "{name}");
                stat(&format!("{name} level"), &d["alpha"], &want["families"]["verdicts"]["test_level"]);
                let got = num(&d["decrease"], name);
                match e.get("detectable_decrease_exact") {
                    // Brute force over every outcome pair: the search stops within 1e-6.
                    Some(exact) => assert!((got - num(exact, name)).abs() < 1e-6, "{name}: {got} vs {exact}"),
                    // Too many pairs for the brute force: large groups, where Fisher's
                    // test and the normal approximation agree closely.
                    None => {
                        let normal = num(&e["detectable_decrease_normal"], name);
                        assert!(
                            (got - normal).abs() < 2e-3 && got >= normal - 1e-4,
                            "{name}: {got} vs normal {normal}"
                        );
                    }
                }
            }
            None => assert!(ai.get("p_value").is_none(), "{name} is left out of the family"),
        }
    }
    let verdict = |name: &str| group(&report, name)["evidence"]["adverse_impact"]["verdict"].clone();
    // Against Caucasian (flagged 34.8%): African-American 58.8% (1.69 times as
    // often); Native American 12 of 18, too few; the others are flagged less often.
    assert_eq!(verdict("African-American"), "adverse_impact_indicated");
    assert_eq!(verdict("Native American"), "insufficient_data");
    for name in ["Asian", "Hispanic", "Other"] {
        assert_eq!(verdict(name), "no_adverse_impact_indicated", "{name}");
    }
    let reason =
        group(&report, "African-American")["evidence"]["adverse_impact"]["reason"].as_str().unwrap_or("").to_string();
    assert!(reason.contains("58.8% given the decision against 34.8% for Caucasian: 1.69 times as often"), "{reason}");
}

#[test]
fn chi_squared_and_stratified_match_scipy_and_statsmodels() {
    if common::compas_missing() {
        return;
    }
    let (report, want) = (report(), fixture());
    let attribute = &report["attributes"][0];
    for rate in ["selection_rate", "tpr", "fpr"] {
        let (c, e) = (&attribute["chi_squared"][rate], &want["chi_squared"][rate]);
        stat(&format!("chi2 {rate}"), &c["statistic"], &e["statistic"]);
        assert_eq!(c["dof"], e["dof"]);
        p(&format!("chi2 {rate} p"), &c["p_value"], &e["p_value"]);
    }
    for (name, e) in want["stratified"].as_object().expect("stratified") {
        let s = &attribute["stratified"][name];
        stat(&format!("{name} cmh"), &s["cmh"]["statistic"], &e["cmh_statistic"]);
        // statsmodels computes 1 − cdf, which underflows to 0 for tiny p; the absolute tolerance covers it.
        p(&format!("{name} cmh p"), &s["cmh"]["p_value"], &e["cmh_p"]);
        stat(&format!("{name} MH odds ratio"), &s["common_odds_ratio"]["odds_ratio"], &e["odds_ratio"]);
        stat(&format!("{name} MH lower"), &s["common_odds_ratio"]["ci"][0], &e["odds_ratio_ci"][0]);
        stat(&format!("{name} MH upper"), &s["common_odds_ratio"]["ci"][1], &e["odds_ratio_ci"][1]);
        stat(&format!("{name} breslow-day"), &s["breslow_day"]["statistic"], &e["breslow_day_statistic"]);
        p(&format!("{name} breslow-day p"), &s["breslow_day"]["p_value"], &e["breslow_day_p"]);
    }
}

#[test]
fn score_analyses_match_scikit_learn_and_numpy() {
    if common::compas_missing() {
        return;
    }
    let bytes = compas_bytes();
    let config: AuditConfig = serde_json::from_str(
        r#"{"groups":["race"],"decision":{"column":"score_text","positive":["Medium","High"],"negative":["Low"]},
            "label":{"column":"two_year_recid","positive":["1"]},"score":"v_decile_score","outcome":"harmful"}"#,
    )
    .expect("config");
    let report = serde_json::to_value(biasaudit::audit_bytes(config, &bytes).expect("report")).expect("json");
    let want = &fixture()["scores"];
    let scores = &report["attributes"][0]["scores"];
    let rates = &scores["scoring_rate"];
    stat("LL144 median", &rates["median"], &want["median"]);
    for (name, w) in want["groups"].as_object().expect("groups") {
        let g = scores["groups"].as_array().and_then(|gs| gs.iter().find(|g| g["group"] == *name)).expect("group");
        stat(&format!("{name} AUC"), &g["auc"], &w["auc"]);
        stat(&format!("{name} mean score"), &g["mean_score"], &w["mean_score"]);
        let r = rates["groups"].as_array().and_then(|gs| gs.iter().find(|g| g["group"] == *name)).expect("rate");
        stat(&format!("{name} scoring rate"), &r["scoring_rate"], &w["scoring_rate"]);
    }
    // Scores of 1 to 10 are not probabilities: calibration and Brier say so instead of guessing.
    assert!(scores["groups"][0]["brier_score"]["undefined"].as_str().is_some_and(|s| s.contains("[0, 1]")));
}
