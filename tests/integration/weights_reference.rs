//! Inference with survey weights: rates and ratios are weighted, and their
//! intervals and tests use Kish's effective sizes. Against statsmodels and
//! scipy called on the same effective counts
//! (tests/fixtures/weights/make_weights_fixture.py), plus a hand-computed case.

use biasaudit::evidence::{AdverseImpact, Verdict};
use biasaudit::{audit_bytes, AuditConfig, Report};
use serde_json::Value as Json;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/weights");

fn close(what: &str, got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{what}: got {got}, reference {want}");
}

fn run(csv: &str, interval: &str) -> Report {
    let config: AuditConfig = serde_json::from_str(&format!(
        r#"{{"groups":["g"],"decision":{{"column":"d","positive":["1"]}},"weight":"w",
            "reference":{{"group":"B"}},"evidence":{{"interval":"{interval}"}}}}"#
    ))
    .expect("config");
    audit_bytes(config, csv.as_bytes()).expect("report")
}

fn group<'a>(r: &'a Report, name: &str) -> &'a biasaudit::report::GroupReport {
    r.attributes[0].groups.iter().find(|g| g.group == name).expect("group")
}

fn impact<'a>(r: &'a Report, name: &str) -> &'a AdverseImpact {
    group(r, name).evidence.as_ref().and_then(|e| e.adverse_impact.as_ref()).expect("adverse impact")
}

#[test]
fn weighted_intervals_and_tests_match_statsmodels_at_the_effective_counts() {
    let csv = std::fs::read_to_string(format!("{DIR}/weighted.csv")).expect("csv");
    let want: Json =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/weights_reference.json")).expect("json"))
            .expect("fixture");
    let wilson = run(&csv, "wilson");
    let kg = run(&csv, "clopper_pearson");
    assert!(wilson.notes.iter().any(|n| n.contains("effective size (Σw)²/Σw² (Kish)")), "{:?}", wilson.notes);
    let families = &wilson.evidence.families;
    let level = |name: &str| families.iter().find(|f| f.name == name).expect("family").interval_confidence;
    for (name, w) in want["groups"].as_object().expect("groups") {
        let f = |k: &str| w[k].as_f64().expect(k);
        let pair = |v: &Json| (v[0].as_f64().expect("lower"), v[1].as_f64().expect("upper"));
        let g = group(&wilson, name);
        close(
            &format!("{name} weighted rate"),
            g.metrics.get("selection_rate").and_then(|v| v.get()).expect("rate"),
            f("weighted_rate"),
        );
        let ev = g.evidence.as_ref().expect("evidence");
        let i = &ev.intervals["selection_rate"];
        let (lo, hi) = pair(&w["wilson"]);
        close(&format!("{name} Wilson lower"), i.lower, lo);
        close(&format!("{name} Wilson upper"), i.upper, hi);
        let k = &group(&kg, name).evidence.as_ref().expect("evidence").intervals["selection_rate"];
        let (lo, hi) = pair(&w["korn_graubard"]);
        close(&format!("{name} Korn–Graubard lower"), k.lower, lo);
        close(&format!("{name} Korn–Graubard upper"), k.upper, hi);
        let ai = impact(&wilson, name);
        close(
            &format!("{name} effective size"),
            ai.group_decisions.effective_size.expect("effective size"),
            f("n_eff"),
        );
        close(&format!("{name} decision rate"), ai.group_decisions.rate.get().expect("rate"), f("weighted_rate"));
        if name == "B" {
            assert_eq!(ai.verdict, Verdict::ComparisonGroup);
            continue;
        }
        // The rate comparison, at the rate family's level.
        let c = &ev.vs_reference["selection_rate"];
        let rates = format!("{:?}", level("rates: g"));
        let at = &w["intervals"][rates.as_str()];
        assert!(at.is_object(), "no reference values at the level {rates}");
        let ratio = c.ratio.value().expect("ratio");
        close(&format!("{name} ratio"), ratio.ratio.finite().expect("finite"), f("ratio"));
        close(&format!("{name} ratio lower"), ratio.lower, pair(&at["ratio"]).0);
        close(&format!("{name} ratio upper"), ratio.upper.expect("upper"), pair(&at["ratio"]).1);
        let d = c.difference.value().expect("difference");
        close(&format!("{name} difference lower"), d.lower, pair(&at["difference"]).0);
        close(&format!("{name} difference upper"), d.upper, pair(&at["difference"]).1);
        let z = c.z_test.value().expect("z");
        close(&format!("{name} z"), z.z, f("z"));
        close(&format!("{name} z p"), z.p_value, f("z_p"));
        // The verdict's impact ratio is the four-fifths block's, with the interval at the verdict family's level.
        let row = wilson.attributes[0].four_fifths.groups.iter().find(|r| r.group == *name).expect("row");
        let verdict_ratio = ai.impact_ratio.value().expect("impact ratio");
        close(
            &format!("{name} verdict ratio = four-fifths ratio"),
            verdict_ratio.ratio.finite().expect("finite"),
            row.impact_ratio.get().expect("ratio"),
        );
        let verdicts = format!("{:?}", level("verdicts: g"));
        let at = &w["intervals"][verdicts.as_str()];
        close(&format!("{name} verdict ratio lower"), verdict_ratio.lower, pair(&at["ratio"]).0);
        close(&format!("{name} verdict ratio upper"), verdict_ratio.upper.expect("upper"), pair(&at["ratio"]).1);
        // A weighted case is not one person: no shortfalls or one-person changes.
        assert_eq!(
            (ai.shortfall_to_reference, ai.shortfall_to_threshold, ai.threshold_changes_with),
            (None, None, None)
        );
    }
    // A: weighted 19.8% against B's 52.5% (ratio 0.378, range 0.22 to 0.64): indicated.
    assert_eq!(impact(&wilson, "A").verdict, Verdict::AdverseImpactIndicated);
}

#[test]
fn with_weights_the_verdict_and_the_four_fifths_block_give_the_same_ratio() {
    // A: 50 selected rows of weight 1 and 50 not selected of weight 4: weighted
    // rate 50/250 = 0.2, though half its rows are selected. B: 50 of 100, weight 1.
    let mut csv = String::from("g,d,w\n");
    for i in 0..100 {
        csv.push_str(&format!("A,{},{}\n", u8::from(i < 50), if i < 50 { 1 } else { 4 }));
        csv.push_str(&format!("B,{},1\n", u8::from(i < 50)));
    }
    let r = run(&csv, "wilson");
    let row = r.attributes[0].four_fifths.groups.iter().find(|g| g.group == "A").expect("A");
    assert_eq!(row.impact_ratio.get(), Some(0.4));
    let a = impact(&r, "A");
    let ratio = a.impact_ratio.value().expect("ratio");
    close("verdict impact ratio", ratio.ratio.finite().expect("finite"), 0.4);
    // Kish: (Σw)² / Σw² = 250² / (50·1 + 50·16) = 62500 / 850.
    let n_eff = 62500.0 / 850.0;
    close("effective size", a.group_decisions.effective_size.expect("n_eff"), n_eff);
    assert_eq!((a.group_decisions.count, a.group_decisions.of), (50, 100));
    close("weighted rate", a.group_decisions.rate.get().expect("rate"), 0.2);
    // Katz at effective counts 0.2·n_eff of n_eff against 50 of 100, one test at 95%.
    let var = 1.0 / (0.2 * n_eff) - 1.0 / n_eff + 1.0 / 50.0 - 1.0 / 100.0;
    let z = 1.959_963_984_540_054_f64;
    close("lower", ratio.lower, (0.4f64.ln() - z * var.sqrt()).exp());
    close("upper", ratio.upper.expect("upper"), (0.4f64.ln() + z * var.sqrt()).exp());
    // Upper limit 0.66 < 0.8, significant: indicated, as the weighted figures say.
    assert_eq!(a.verdict, Verdict::AdverseImpactIndicated, "{}", a.reason);
    assert!(a.crossed.contains(&"impact_ratio"));
    // The reason does not claim a one-person check that was not made.
    assert!(a.reason.ends_with("with weights, a change in one person's outcome is not checked."), "{}", a.reason);
    let md = biasaudit::markdown::render(&r);
    assert!(md.contains("| Rows |") && md.contains("Weighted selection rate"), "the Markdown names rows as rows");
    assert!(md.contains("not checked with weights"));
}

#[test]
fn a_weighted_ratio_of_exactly_four_fifths_is_on_the_line_not_below_it() {
    // A: 0.00011448 of 0.00017205 selected; B: 0.000001908 of 0.000002294.
    // (114480/172050) / (1908/2294) = 0.8 exactly, but in floating point the
    // sums give 0.7999999999999999: the line is judged from the fixed-point sums.
    let csv = "g,d,w\nA,1,0.00011448\nA,0,0.00005757\nB,1,0.000001908\nB,0,0.000000386\n";
    let audit = |csv: &str| {
        let config: biasaudit::AuditConfig = serde_json::from_str(
            r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"weight":"w","reference":{"group":"B"},
                "evidence":{"min_group":0}}"#,
        )
        .expect("config");
        biasaudit::audit_bytes(config, csv.as_bytes()).expect("report")
    };
    let r = audit(csv);
    let row = r.attributes[0].four_fifths.groups.iter().find(|g| g.group == "A").expect("A");
    let float = (0.00011448f64 * 0.000002294) / (0.00017205 * 0.000001908);
    assert!(float < 0.8, "the floating-point ratio is {float}");
    assert_eq!(row.below_threshold, Some(false), "{row:?}");
    let a = r.attributes[0].groups.iter().find(|g| g.group == "A").expect("A");
    let impact = a.evidence.as_ref().and_then(|e| e.adverse_impact.as_ref()).expect("adverse impact");
    assert!(!impact.crossed.contains(&"impact_ratio"), "{:?}", impact.crossed);
    // One unit of weight less selected in A, and it is below.
    let csv = csv.replace("A,1,0.00011448", "A,1,0.000114479").replace("A,0,0.00005757", "A,0,0.000057571");
    let r = audit(&csv);
    let row = r.attributes[0].four_fifths.groups.iter().find(|g| g.group == "A").expect("A");
    assert_eq!(row.below_threshold, Some(true), "{row:?}");
}
