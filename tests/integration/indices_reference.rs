//! The report's inequality and disparity indices on COMPAS, by race and by
//! race × sex (an intersection), against AIF360 (values from
//! tests/fixtures/inequality/make_inequality_fixtures.py). AIF360 treats the
//! positive decision as favourable, which is our "beneficial" outcome; for a
//! harmful decision the favourable outcome is not being selected.

use crate::common;

use biasaudit::{audit_bytes, AuditConfig};
use serde_json::Value as Json;

fn close(what: &str, got: &Json, want: &Json) {
    let (g, w) = (got.as_f64(), want.as_f64());
    let (Some(g), Some(w)) = (g, w) else { panic!("{what}: got {got}, reference {want}") };
    assert!((g - w).abs() <= 1e-9 * w.abs().max(1.0), "{what}: got {g}, reference {w}");
}

#[test]
fn compas_indices_match_aif360() {
    if common::compas_missing() {
        return;
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/compas-scores-two-years.csv");
    let bytes = std::fs::read(path).expect("COMPAS data beside the repository");
    let config: AuditConfig = serde_json::from_str(
        r#"{"groups":["race"],"intersections":[["race","sex"]],
            "decision":{"column":"score_text","positive":["Medium","High"],"negative":["Low"]},
            "label":{"column":"two_year_recid","positive":["1"]},"strata":"age_cat","outcome":"beneficial"}"#,
    )
    .expect("config");
    let report = serde_json::to_value(audit_bytes(config, &bytes).expect("report")).expect("json");
    let fixture: Json = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/inequality/inequality_reference.json"
        ))
        .expect("fixture"),
    )
    .expect("fixture json");
    for (index, name) in [(0, "compas_race"), (1, "compas_race_sex")] {
        let want = fixture["datasets"].as_array().and_then(|d| d.iter().find(|x| x["name"] == name)).expect(name);
        let got = &report["attributes"][index]["indices"];
        assert_eq!(report["attributes"][index]["column"], if index == 0 { "race" } else { "race|sex" });
        close(&format!("{name} theil"), &got["theil_index"], &want["theil"]);
        close(&format!("{name} cov"), &got["coefficient_of_variation"], &want["cov"]);
        let ge2 = want["ge"].as_array().and_then(|g| g.iter().find(|x| x["alpha"] == 2.0)).expect("alpha 2");
        close(&format!("{name} GE(2)"), &got["generalized_entropy"]["total"], &ge2["total"]);
        close(&format!("{name} GE(2) between"), &got["generalized_entropy"]["between_groups"], &ge2["between_all"]);
        let edf = want["sedf"].as_array().and_then(|s| s.iter().find(|x| x["concentration"] == 1.0)).expect("c = 1");
        close(&format!("{name} EDF"), &got["differential_fairness"]["epsilon"], &edf["epsilon"]);
        for (group, value) in want["dd"]["per_group"].as_object().expect("dd") {
            let row =
                got["demographic_disparity"]["groups"].as_array().and_then(|g| g.iter().find(|x| x["name"] == *group));
            close(&format!("{name} DD {group}"), &row.expect("group")["demographic_disparity"], value);
        }
        for (group, value) in want["cdd"]["by_group"].as_object().expect("cdd") {
            let row = got["conditional_demographic_disparity"]["groups"]
                .as_array()
                .and_then(|g| g.iter().find(|x| x["group"] == *group))
                .expect("group");
            close(&format!("{name} CDD {group}"), &row["conditional_demographic_disparity"], value);
        }
    }
}

/// A harmful decision is scored as if its complement were the beneficial one.
#[test]
fn harmful_indices_equal_beneficial_indices_on_the_complement() {
    let rows = [
        ("A", 1, 1),
        ("A", 1, 0),
        ("A", 0, 0),
        ("A", 0, 1),
        ("A", 1, 1),
        ("B", 0, 0),
        ("B", 0, 0),
        ("B", 1, 0),
        ("B", 0, 1),
    ];
    let csv = |flip: bool| {
        let mut s = String::from("g,d,y,s\n");
        for (i, (g, d, y)) in rows.iter().enumerate() {
            let (d, y) = if flip { (1 - d, 1 - y) } else { (*d, *y) };
            s.push_str(&format!("{g},{d},{y},{}\n", if i % 2 == 0 { "p" } else { "q" }));
        }
        s
    };
    let run = |outcome: &str, flip: bool| {
        let config: AuditConfig = serde_json::from_str(&format!(
            r#"{{"groups":["g"],"decision":{{"column":"d","positive":["1"]}},"label":{{"column":"y","positive":["1"]}},"strata":"s","outcome":"{outcome}"}}"#
        ))
        .expect("config");
        serde_json::to_value(audit_bytes(config, csv(flip).as_bytes()).expect("report")).expect("json")["attributes"][0]
            ["indices"]
            .clone()
    };
    assert_eq!(run("harmful", false), run("beneficial", true));
    assert_ne!(run("harmful", false), run("beneficial", false));
}
