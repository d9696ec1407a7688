//! Metrics → disparities: each group against a reference, the between-group
//! summaries Fairlearn and AIF360 report, and the four-fifths check.

use crate::config::{Direction, Reference};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::metrics::{Rate, Value, ValueMap, NO_LABEL};
use crate::tally::names::{is_missing_group, MISSING_GROUP};
use crate::tally::Counts;
use serde::Serialize;

/// What one group looks like to the disparity stage.
#[derive(Debug, Clone)]
pub struct GroupRates {
    /// The group's name; `(overall)` for the whole population, and
    /// `(everyone else)` for the groups one is compared with when there is no
    /// reference group.
    pub name: String,
    /// Row counts, whatever the basis: a group's size for judging.
    pub rows: Counts<u64>,
    /// Counts on the report's basis: sums of weights when weighted, otherwise
    /// rows.
    pub counts: Counts<f64>,
    /// With weights: the sums of weights in fixed point (units of 10⁻⁹), so
    /// that ratios are judged against their lines exactly.
    pub fixed: Option<Counts<u128>>,
    /// The population the group belongs to (for share and ppr).
    pub population: Counts<f64>,
    /// `n`, `selected` and every rate, on the report's basis.
    pub rates: ValueMap,
}

impl GroupRates {
    /// One rate's value (undefined, with an empty reason, if the map lacks it).
    pub fn rate(&self, rate: Rate) -> &Value {
        self.rates.get(rate.key()).unwrap_or(&UNDEFINED_KEY)
    }

    /// Whether the group can be a reference or enter between-group summaries:
    /// "(missing)" shares no characteristic, so it is shown but not compared.
    pub fn comparable(&self) -> bool {
        !is_missing_group(&self.name)
    }
}

static UNDEFINED_KEY: Value = Value::Undefined(String::new());

/// The resolved reference for one attribute.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct ResolvedReference {
    /// `group`, `largest`, `most_favoured` or `overall`.
    pub rule: &'static str,
    /// The reference group, or `null` for the overall population.
    pub group: Option<String>,
    /// Why this reference was used, when it differs from what was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Picks the comparison group. `Ok(None)` group means everyone else. The
/// most favoured group has the highest rate on the report's basis (weighted,
/// with weights, as the evidence tests it) among groups of at least
/// `min_group` rows.
pub fn resolve_reference(
    asked: &Reference,
    column: &str,
    groups: &[GroupRates],
    direction: Direction,
    min_group: u64,
    named_exists_elsewhere: bool,
) -> Result<ResolvedReference> {
    let comparable = || groups.iter().filter(|g| g.comparable());
    let largest = || {
        comparable()
            .max_by(|a, b| a.counts.n.total_cmp(&b.counts.n).then_with(|| b.name.cmp(&a.name)))
            .map(|g| g.name.clone())
    };
    let none_comparable = || {
        Error::new(
            ErrorCode::DataNothingToCompare,
            format!("column {}: no group other than {MISSING_GROUP} to compare against", quoted(column)),
        )
    };
    match asked {
        Reference::Overall => Ok(ResolvedReference { rule: "overall", group: None, note: None }),
        Reference::Largest => {
            Ok(ResolvedReference { rule: "largest", group: Some(largest().ok_or_else(none_comparable)?), note: None })
        }
        Reference::MostFavoured => {
            let pick = |min: u64| {
                // With weights the basis counts differ from the rows; all weights 1 ranks the same either way.
                let items =
                    groups.iter().map(|g| (&g.name, &g.rows, (g.counts != g.rows.to_f64()).then_some(&g.counts)));
                crate::evidence::most_favoured(items, direction, min)
            };
            if let Some(best) = pick(min_group) {
                return Ok(ResolvedReference { rule: "most_favoured", group: Some(best.clone()), note: None });
            }
            // Every group is too small to judge, so every verdict says so; the
            // table still needs a comparison.
            let best = pick(0).ok_or_else(none_comparable)?;
            Ok(ResolvedReference {
                rule: "most_favoured",
                group: Some(best.clone()),
                note: Some(format!(
                    "no group has the {min_group} people needed to be judged, so the most favoured of all the groups is shown"
                )),
            })
        }
        Reference::Group(name) => {
            if is_missing_group(name) {
                return Err(Error::new(ErrorCode::ConfigUnknownReference, format!(
                    "{MISSING_GROUP} cannot be the reference: rows with no value share no characteristic to compare against"
                )));
            }
            if groups.iter().any(|g| &g.name == name) {
                return Ok(ResolvedReference { rule: "group", group: Some(name.clone()), note: None });
            }
            if named_exists_elsewhere {
                return Ok(ResolvedReference {
                    rule: "largest",
                    group: Some(largest().ok_or_else(none_comparable)?),
                    note: Some(format!(
                        "the reference group {} is not a value of this column, so the largest group is used",
                        quoted(name)
                    )),
                });
            }
            let listed: Vec<String> = groups.iter().take(30).map(|g| quoted(&g.name)).collect();
            Err(Error::new(
                ErrorCode::ConfigUnknownReference,
                format!(
                    "the reference group {} is not a value of column {}; its groups are: {}",
                    quoted(name),
                    quoted(column),
                    listed.join(", ")
                ),
            ))
        }
    }
}

/// A group's rates against the reference's.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Disparity {
    /// group ÷ reference, per rate.
    #[schemars(schema_with = "compared_rates_schema")]
    pub ratio: ValueMap,
    /// group − reference, per rate.
    #[schemars(schema_with = "compared_rates_schema")]
    pub difference: ValueMap,
    /// AIF360: ½[(FPR_g − FPR_ref) + (TPR_g − TPR_ref)].
    pub average_odds_difference: Value,
    /// AIF360: ½[|FPR_g − FPR_ref| + |TPR_g − TPR_ref|].
    pub average_abs_odds_difference: Value,
}

/// Rates compared with the reference: all but `share`, which is a size, not an outcome.
pub fn compared_rates() -> impl Iterator<Item = Rate> {
    Rate::ALL.into_iter().filter(|&r| r != Rate::Share)
}

fn compared_rates_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    if !generator.definitions().contains_key("ComparedRates") {
        let schema = crate::metrics::keyed_values_schema(generator, false, compared_rates());
        generator.definitions_mut().insert("ComparedRates".into(), schema.to_value());
    }
    schemars::json_schema!({ "$ref": "#/$defs/ComparedRates" })
}

/// `group` against `reference`: the ratio and difference of every compared rate
/// (ratios from the counts), and AIF360's average odds differences.
pub fn disparity(group: &GroupRates, reference: &GroupRates) -> Disparity {
    let mut ratio = Vec::new();
    let mut difference = Vec::new();
    for rate in compared_rates() {
        let (g, r) = (group.rate(rate), reference.rate(rate));
        let (d, q) = match (g, r) {
            (Value::Defined(g), Value::Defined(r)) => {
                // From the counts, so that 3/4 ÷ 1/2 is exactly 1.5.
                let (gn, gd, _) = rate.fraction(&group.counts, &group.population);
                let (rn, rd, _) = rate.fraction(&reference.counts, &reference.population);
                (
                    Value::Defined(g - r),
                    Value::ratio(gn * rd, gd * rn, || format!("the reference's {} is 0", rate.title())),
                )
            }
            (Value::Undefined(why), _) => (Value::Undefined(why.clone()), Value::Undefined(why.clone())),
            (_, Value::Undefined(why)) => {
                let why = format!("undefined for the reference: {why}");
                (Value::Undefined(why.clone()), Value::Undefined(why))
            }
        };
        difference.push((rate.key(), d));
        ratio.push((rate.key(), q));
    }
    let difference = ValueMap(difference);
    let ratio = ValueMap(ratio);
    let odds = |combine: fn(f64, f64) -> f64| match (
        difference.get("fpr").unwrap_or(&UNDEFINED_KEY),
        difference.get("tpr").unwrap_or(&UNDEFINED_KEY),
    ) {
        (Value::Defined(f), Value::Defined(t)) => Value::Defined(0.5 * combine(*f, *t)),
        (Value::Undefined(why), _) | (_, Value::Undefined(why)) => Value::Undefined(why.clone()),
    };
    let average_odds_difference = odds(|f, t| f + t);
    let average_abs_odds_difference = odds(|f, t| f.abs() + t.abs());
    Disparity { ratio, difference, average_odds_difference, average_abs_odds_difference }
}

/// One between-group criterion, with the groups that produce it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Criterion {
    /// The figure, or why it is undefined.
    pub value: Value,
    /// For differences and ratios between groups: the groups with the lowest
    /// and highest rate (for the to-overall forms: the group furthest away).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

impl Criterion {
    fn from(value: Value, groups: Vec<String>) -> Self {
        Criterion { value, groups }
    }
}

/// Fairlearn's summary criteria (method "between_groups" unless named "_to_overall").
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// Highest minus lowest selection rate among the comparable groups.
    pub demographic_parity_difference: Criterion,
    /// Lowest selection rate divided by the highest.
    pub demographic_parity_ratio: Criterion,
    /// The largest distance between a group's selection rate and the overall
    /// selection rate.
    pub demographic_parity_difference_to_overall: Criterion,
    /// The smallest ratio between a group's selection rate and the overall one,
    /// the lower of the two over the higher.
    pub demographic_parity_ratio_to_overall: Criterion,
    /// The larger of the true positive and false positive rate differences
    /// (highest minus lowest).
    pub equalized_odds_difference: Criterion,
    /// The smaller of the true positive and false positive rate ratios (lowest
    /// over highest).
    pub equalized_odds_ratio: Criterion,
    /// Highest minus lowest true positive rate.
    pub equal_opportunity_difference: Criterion,
    /// Lowest true positive rate divided by the highest.
    pub equal_opportunity_ratio: Criterion,
    /// Groups not counted in the criteria, and why.
    pub groups_left_out: Vec<LeftOut>,
}

/// A group not counted in a summary criterion, and why.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LeftOut {
    /// The group's raw name.
    pub group: String,
    /// The rate it is left out of: `selection_rate`, `tpr` or `fpr`; `all` for
    /// a missing group, which is never compared.
    pub rate: &'static str,
    /// Why, in plain English (for example, too few people in the rate's
    /// denominator).
    pub reason: String,
}

struct Spread {
    difference: Criterion,
    ratio: Criterion,
}

fn spread(rate: Rate, groups: &[GroupRates], min_group: u64, left_out: &mut Vec<LeftOut>) -> Spread {
    let mut defined: Vec<(f64, &str)> = Vec::new();
    for g in groups {
        if !g.comparable() {
            continue;
        }
        // Selection, TPR and FPR do not use the population, so the group's own rows stand in.
        let (_, denominator, _) = rate.fraction(&g.rows, &g.rows);
        if denominator < min_group && g.rate(rate).get().is_some() {
            left_out.push(LeftOut {
                group: g.name.clone(),
                rate: rate.key(),
                reason: format!(
                    "too few to judge: its {} rests on {denominator} {}, fewer than {min_group}",
                    rate.title(),
                    if denominator == 1 { "person" } else { "people" }
                ),
            });
            continue;
        }
        match g.rate(rate) {
            Value::Defined(v) => defined.push((*v, &g.name)),
            Value::Undefined(why) if why == NO_LABEL => {}
            Value::Undefined(why) => {
                left_out.push(LeftOut { group: g.name.clone(), rate: rate.key(), reason: why.clone() })
            }
        }
    }
    let lowest = defined.iter().min_by(|a, b| a.0.total_cmp(&b.0));
    let highest = defined.iter().max_by(|a, b| a.0.total_cmp(&b.0));
    let (Some(&(lo, lo_name)), Some(&(hi, hi_name))) = (lowest, highest) else {
        let why = format!("no group has a defined {}", rate.title());
        return Spread {
            difference: Criterion::from(Value::Undefined(why.clone()), vec![]),
            ratio: Criterion::from(Value::Undefined(why), vec![]),
        };
    };
    let names = vec![lo_name.to_string(), hi_name.to_string()];
    Spread {
        difference: Criterion::from(Value::Defined(hi - lo), names.clone()),
        ratio: Criterion::from(Value::ratio(lo, hi, || format!("every group's {} is 0", rate.title())), names),
    }
}

fn to_overall(rate: Rate, groups: &[GroupRates], overall: &GroupRates, min_group: u64) -> Spread {
    let undefined = |why: String| Spread {
        difference: Criterion::from(Value::Undefined(why.clone()), vec![]),
        ratio: Criterion::from(Value::Undefined(why), vec![]),
    };
    let Some(o) = overall.rate(rate).get() else {
        return undefined(format!("the population's {} is undefined", rate.title()));
    };
    let mut worst_diff: Option<(f64, &str)> = None;
    let mut worst_ratio: Option<(Value, &str)> = None;
    for g in groups.iter().filter(|g| g.comparable() && rate.fraction(&g.rows, &g.rows).1 >= min_group) {
        let Some(v) = g.rate(rate).get() else { continue };
        let d = (v - o).abs();
        if worst_diff.is_none_or(|(w, _)| d > w) {
            worst_diff = Some((d, &g.name));
        }
        let (lo, hi) = if v < o { (v, o) } else { (o, v) };
        // Both 0 gives 0/0, which Fairlearn reports as NaN: undefined here too.
        if hi == 0.0 {
            worst_ratio = Some((Value::Undefined(format!("the population's {} is 0", rate.title())), &g.name));
            continue;
        }
        let r = lo / hi;
        if worst_ratio.as_ref().is_none_or(|(w, _)| w.get().is_some_and(|w| r < w)) {
            worst_ratio = Some((Value::Defined(r), &g.name));
        }
    }
    match (worst_diff, worst_ratio) {
        (Some((d, dn)), Some((r, rn))) => Spread {
            difference: Criterion::from(Value::Defined(d), vec![dn.to_string()]),
            ratio: Criterion::from(r, vec![rn.to_string()]),
        },
        _ => undefined(format!("no group has a defined {}", rate.title())),
    }
}

/// `min_group`: a rate whose denominator has fewer rows is too few to judge,
/// and left out of the between-group criteria (and named in `groups_left_out`).
pub fn summary(groups: &[GroupRates], overall: &GroupRates, min_group: u64) -> Summary {
    let mut left_out = Vec::new();
    let dp = spread(Rate::SelectionRate, groups, min_group, &mut left_out);
    let tpr = spread(Rate::Tpr, groups, min_group, &mut left_out);
    let fpr = spread(Rate::Fpr, groups, min_group, &mut left_out);
    let dp_overall = to_overall(Rate::SelectionRate, groups, overall, min_group);
    let worse = |a: &Criterion, b: &Criterion, pick_larger: bool| -> Criterion {
        match (a.value.get(), b.value.get()) {
            (Some(x), Some(y)) => {
                if (x >= y) == pick_larger {
                    a.clone()
                } else {
                    b.clone()
                }
            }
            _ => {
                let why = a.value.reason().or(b.value.reason()).unwrap_or_default().to_string();
                Criterion::from(Value::Undefined(why), vec![])
            }
        }
    };
    for g in groups.iter().filter(|g| !g.comparable()) {
        left_out.push(LeftOut {
            group: g.name.clone(),
            rate: "all",
            reason: "rows with no value for this attribute share no characteristic, so they are shown but not compared"
                .into(),
        });
    }
    Summary {
        demographic_parity_difference: dp.difference,
        demographic_parity_ratio: dp.ratio,
        demographic_parity_difference_to_overall: dp_overall.difference,
        demographic_parity_ratio_to_overall: dp_overall.ratio,
        equalized_odds_difference: worse(&tpr.difference, &fpr.difference, true),
        equalized_odds_ratio: worse(&tpr.ratio, &fpr.ratio, false),
        equal_opportunity_difference: tpr.difference,
        equal_opportunity_ratio: tpr.ratio,
        groups_left_out: left_out,
    }
}

/// The four-fifths check for one attribute, and for a harmful decision the
/// harm ratio, against the attribute's comparison group (on the report's
/// basis: weighted when a weight column is used).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FourFifths {
    /// The four-fifths line: impact ratios below it are flagged
    /// (`config.four_fifths_threshold`).
    pub threshold: f64,
    /// For a harmful decision: harm ratios above this are flagged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub harm_threshold: Option<f64>,
    /// What counts as the beneficial outcome: `selected` or `not_selected`.
    pub beneficial_outcome: &'static str,
    /// The comparison group, or `null` for everyone else.
    pub comparison_group: Option<String>,
    /// One per group, `(missing)` included, in group order.
    pub groups: Vec<FourFifthsGroup>,
}

/// One group in the four-fifths check, against the comparison group (everyone
/// else when there is none). Figures are on the report's basis.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FourFifthsGroup {
    /// The group's raw name.
    pub group: String,
    /// The share of the group with the beneficial outcome: the selection rate,
    /// or its complement for a harmful decision; undefined without rows.
    pub beneficial_rate: Value,
    /// The share of the group with the harmful outcome (`1 − beneficial_rate`);
    /// undefined without rows.
    pub harmful_rate: Value,
    /// beneficial_rate ÷ the comparison group's.
    pub impact_ratio: Value,
    /// harmful_rate ÷ the comparison group's ("flagged N times as often").
    pub harm_ratio: Value,
    /// impact_ratio < threshold; null when the ratio is undefined, for the
    /// comparison group itself, and for "(missing)", which is not judged.
    pub below_threshold: Option<bool>,
    /// For a harmful decision: harm_ratio > harm_threshold. Absent (never
    /// null) when `harm_ratio` is undefined, for the comparison group and for
    /// "(missing)", and for a beneficial decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub above_harm_threshold: Option<bool>,
}

/// `comparator` names the comparison group (`None`: everyone else, from `population`).
pub fn four_fifths(
    groups: &[GroupRates],
    comparator: Option<&str>,
    population: &Counts<f64>,
    direction: Direction,
    threshold: f64,
    harm_threshold: f64,
) -> FourFifths {
    // Counts of the beneficial and harmful outcome, so that ratios come from counts.
    let outcome_counts = |c: &Counts<f64>| {
        let (beneficial, harmful) = if direction == Direction::Beneficial {
            (c.selected, c.n - c.selected)
        } else {
            (c.n - c.selected, c.selected)
        };
        (beneficial, harmful, c.n)
    };
    let named = comparator.and_then(|name| groups.iter().find(|g| g.name == name));
    let who = comparator.map_or_else(|| "everyone else".to_string(), quoted);
    // With weights, the comparable groups' fixed-point sums, for exact judgements.
    let comparable_fixed =
        groups.iter().filter(|g| g.comparable()).try_fold(Counts::<u128>::default(), |sum, g| Some(sum + g.fixed?));
    let harmful_decision = direction == Direction::Harmful;
    let rows = groups
        .iter()
        .map(|g| {
            let (b, h, n) = outcome_counts(&g.counts);
            // "(missing)" is not among the comparable groups `population` adds up.
            let everyone_else = || if g.comparable() { population.without(&g.counts) } else { *population };
            let other = named.map_or_else(everyone_else, |c| c.counts);
            let (top_b, top_h, top_n) = outcome_counts(&other);
            let empty = || Value::Undefined("the group has no rows".into());
            let (beneficial_rate, harmful_rate) =
                if n > 0.0 { (Value::Defined(b / n), Value::Defined(h / n)) } else { (empty(), empty()) };
            let (impact_ratio, harm_ratio) = if n == 0.0 {
                (empty(), empty())
            } else if top_n == 0.0 {
                let why = format!("{who} has no rows");
                (Value::Undefined(why.clone()), Value::Undefined(why))
            } else {
                (
                    Value::ratio(b * top_n, n * top_b, || format!("no one in {who} received the beneficial outcome")),
                    Value::ratio(h * top_n, n * top_h, || {
                        format!("no one in {who} had the harmful outcome, so a multiple of its rate is undefined")
                    }),
                )
            };
            let judged = g.comparable() && comparator != Some(g.name.as_str());
            // Weighted: judged exactly from the fixed-point sums where the ratio is defined.
            let other_fixed = match named {
                Some(c) => c.fixed,
                None if g.comparable() => comparable_fixed.zip(g.fixed).map(|(all, own)| all.without(&own)),
                None => comparable_fixed,
            };
            let (exact_below, exact_above) = match (g.fixed, other_fixed) {
                (Some(own), Some(other)) => crate::exact::crossings(&own, &other, direction, threshold, harm_threshold),
                _ => (None, None),
            };
            FourFifthsGroup {
                group: g.name.clone(),
                below_threshold: impact_ratio.get().filter(|_| judged).map(|r| exact_below.unwrap_or(r < threshold)),
                above_harm_threshold: harmful_decision
                    .then(|| harm_ratio.get().filter(|_| judged).map(|r| exact_above.unwrap_or(r > harm_threshold)))
                    .flatten(),
                beneficial_rate,
                harmful_rate,
                impact_ratio,
                harm_ratio,
            }
        })
        .collect();
    FourFifths {
        threshold,
        harm_threshold: harmful_decision.then_some(harm_threshold),
        beneficial_outcome: if direction == Direction::Beneficial { "selected" } else { "not_selected" },
        comparison_group: comparator.map(str::to_string),
        groups: rows,
    }
}
