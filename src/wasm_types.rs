//! TypeScript types for the WebAssembly API, written into `pkg/biasaudit.d.ts`.
//!
//! They describe the plain objects that [`crate::wasm`] takes and returns
//! (the same shapes as the CLI's JSON; see `docs/report.md`). The Rust types
//! are the source of truth: `tests/ts/check-types.mjs` type-checks real
//! reports against these declarations, so keep the two in step.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS: &str = r#"
// ---------------------------------------------------------------------------
// Configuration (input to `new Audit`, `Audit.forPart`, `reportFromTallies`)
// ---------------------------------------------------------------------------

/** Whether a positive decision helps or harms the person. */
export type Direction = "beneficial" | "harmful";

/**
 * What each group is compared with: the group with the most rows, the group
 * with the most favourable selection rate, the whole population, or a named
 * group.
 */
export type Reference = "largest" | "most_favoured" | "overall" | { group: string };

/** Interval for a single rate. */
export type IntervalMethod = "wilson" | "clopper_pearson";

/** Multiple-comparison adjustment: Holm, Benjamini–Hochberg, or none. */
export type Adjustment = "holm" | "bh" | "none";

/** Equal-width or equal-count bins, as scikit-learn's calibration_curve strategies. */
export type CalibrationBins = { uniform: number } | { quantile: number };

/** Cut points in increasing order (bins "< e1", "[e1, e2)", …, "≥ ek"), or k about equal-sized bins. */
export type Binning = { edges: number[] } | { quantiles: number };

/**
 * A column read as a binary outcome. Give either `positive` (non-empty) or
 * `threshold`, not both.
 */
export interface OutcomeColumn {
    /** Column name, exactly as written in the header. */
    column: string;
    /** Values that count as positive (numbers also compare numerically: "1" = "1.0"). */
    positive?: string[];
    /** Instead of `positive`: a numeric cell is positive when `value >= threshold`. */
    threshold?: number | null;
    /** Extra negative values, besides zero, false, no, n, f, negative, neg. */
    negative?: string[];
    /** Treat every non-missing value that is not positive as negative. */
    rest_negative?: boolean;
}

/** Settings for intervals, tests and verdicts. Every field has a default. */
export interface EvidenceOptions {
    /** Two-sided confidence level of every interval (default 0.95); 1 − confidence is the significance level. */
    confidence?: number;
    /** Default "wilson". */
    interval?: IntervalMethod;
    /** Groups with fewer rows get the verdict "insufficient_data" (default 30). */
    min_group?: number;
    /** Default "holm". */
    adjust?: Adjustment;
    /** Yates's continuity correction in 2-group chi-squared tests (default false). */
    yates?: boolean;
    /** Power for the smallest detectable difference (default 0.8). */
    power?: number;
}

/**
 * The audit settings, read exactly as JSON: fields left out (or set to
 * `undefined`) take their defaults, and unknown fields are an error.
 */
export interface AuditConfig {
    /** Protected-attribute columns; each is audited on its own. */
    groups: string[];
    /** The decision (or prediction) column. */
    decision: OutcomeColumn;
    /** The true outcome, when known: enables the error-rate metrics. */
    label?: OutcomeColumn | null;
    /** A column of non-negative case weights. */
    weight?: string | null;
    /** Default "beneficial". */
    outcome?: Direction;
    /** Default "largest". */
    reference?: Reference;
    /** Impact ratios strictly below this are flagged (default 0.8, must be in (0, 1]). */
    four_fifths_threshold?: number;
    /** One-character field delimiter; detected when absent or null. */
    delimiter?: string | null;
    /** A column of strata (site, month, region) for Cochran–Mantel–Haenszel tests. */
    strata?: string | null;
    evidence?: EvidenceOptions;
    /** Combinations of 2 or 3 columns audited as one attribute (groups named "A|B"). */
    intersections?: string[][];
    /** Numeric group columns shown as labelled bins, by column name. */
    bins?: Record<string, Binning>;
    /** Groups with fewer rows are marked `below_min_cell` (default 10). */
    min_cell?: number;
    /** A numeric score column: ROC/AUC, calibration, Brier, what-if thresholds, LL144 rate. */
    score?: string | null;
    /** Cost of a false positive relative to a false negative, for the what-if thresholds (default 1). */
    cost_ratio?: number;
    /** Calibration bins for the score (default `{ uniform: 10 }`). */
    calibration?: CalibrationBins;
    /** α of the generalized entropy index (default 2). */
    entropy_alpha?: number;
    /** Smoothing of empirical differential fairness (default 1). */
    edf_concentration?: number;
    /** Refuse a group column with more distinct values than this (default 10000). */
    max_groups?: number;
}

/** An {@link OutcomeColumn} as echoed in a report, with defaults filled in. */
export interface ResolvedOutcomeColumn {
    column: string;
    positive: string[];
    threshold: number | null;
    negative: string[];
    rest_negative: boolean;
}

/** {@link EvidenceOptions} with defaults filled in. */
export interface ResolvedEvidenceOptions {
    confidence: number;
    interval: IntervalMethod;
    min_group: number;
    adjust: Adjustment;
    yates: boolean;
    power: number;
}

/**
 * The {@link AuditConfig} an audit ran with, echoed in its report with
 * defaults filled in. It can be passed back as an `AuditConfig`.
 */
export interface ResolvedConfig {
    groups: string[];
    decision: ResolvedOutcomeColumn;
    label: ResolvedOutcomeColumn | null;
    weight: string | null;
    outcome: Direction;
    reference: Reference;
    four_fifths_threshold: number;
    /** As configured: `null` means detected (the one used is `input.delimiter`). */
    delimiter: string | null;
    strata: string | null;
    evidence: ResolvedEvidenceOptions;
    intersections: string[][];
    bins: Record<string, Binning>;
    min_cell: number;
    score: string | null;
    cost_ratio: number;
    calibration: CalibrationBins;
    entropy_alpha: number;
    edf_concentration: number;
    max_groups: number;
}

// ---------------------------------------------------------------------------
// Shared value types
// ---------------------------------------------------------------------------

/** A figure, or `null` when it cannot be computed (the reason is in a nearby `undefined` map). */
export type Value = number | null;

/** A point estimate: a number, `"infinite"`, or `null` when undefined (e.g. 0/0). */
export type Estimate = number | "infinite" | null;

/** A statistical result, or `{ undefined: reason }` when there is none. */
export type Outcome<T> = T | { undefined: string };

/** The rates, as keys of `metrics`, `intervals`, `ratio` and `difference`. */
export type RateKey =
    | "share"
    | "selection_rate"
    | "base_rate"
    | "tpr"
    | "fpr"
    | "fnr"
    | "tnr"
    | "ppv"
    | "npv"
    | "fdr"
    | "for"
    | "accuracy"
    | "ppr";

/** Rates compared with the reference: every rate except `share`. */
export type ComparedRate = Exclude<RateKey, "share">;

/** Rates tested against the reference (the complements would repeat the p-values). */
export type TestedRate = "selection_rate" | "tpr" | "fpr" | "ppv" | "npv";

/** Rates with a chi-squared test of independence across groups. */
export type ChiSquaredRate = "selection_rate" | "tpr" | "fpr";

/** `metrics` keys: the counts `n` and `selected`, then every rate. */
export type MetricKey = "n" | "selected" | RateKey;

/** Named values: a number, or `null` when undefined. */
export type ValueMap<K extends string = string> = { [key in K]: Value };

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

/** The report: the same object as the CLI's JSON (docs/report.md). */
export interface Report {
    /** 1 for this format; increased when a field changes meaning or is removed. */
    schema_version: number;
    engine: Engine;
    config: ResolvedConfig;
    input: InputSummary;
    /** Assumptions and caveats a reader must see. */
    notes: string[];
    /** Settings and multiple-comparison families of the statistical evidence. */
    evidence: EvidenceSummary;
    /** Present in the publication view (small groups suppressed). */
    publication?: { min_cell: number };
    /** One per group column, in `config.groups` order, then one per intersection. */
    attributes: AttributeReport[];
}

export interface Engine {
    name: string;
    version: string;
}

export interface InputSummary {
    /** Data rows read after the header, used or not. */
    rows_read: number;
    rows_used: number;
    rows_excluded: number;
    /** One entry per reason that excluded at least one row. */
    exclusions: ExclusionCount[];
    /** The delimiter actually used. */
    delimiter?: string;
    labelled: boolean;
    /** SHA-256 of the file's bytes (lower-case hex), when known. */
    sha256?: string;
    /** `"weighted"`: every rate, disparity and check uses sums of weights. */
    basis: "unweighted" | "weighted";
}

export interface ExclusionCount {
    reason: "decision_missing" | "label_missing" | "weight_missing";
    /** The reason in plain English. */
    description: string;
    rows: number;
}

export interface EvidenceSummary {
    options: ResolvedEvidenceOptions;
    /** Which p-values were adjusted together, by which method. */
    families: Family[];
}

/** A set of p-values adjusted together. */
export interface Family {
    name: "reference_comparisons" | "adverse_impact";
    description: string;
    method: Adjustment;
    /** Number of tests in the family. */
    tests: number;
}

/** One protected-attribute column. */
export interface AttributeReport {
    /** The column, or an intersection's columns joined with "|". */
    column: string;
    /** The columns combined (one for a plain attribute). */
    columns: string[];
    /** Groups left out by the publication view. */
    suppressed_groups?: string[];
    /** For an intersection: combinations of observed values with no rows. */
    empty_cells?: { count: number; cells: string[] };
    reference: ResolvedReference;
    /** The whole population (group "(overall)"); never has `disparity` or `evidence`. */
    overall: GroupReport;
    /** One per distinct value in byte order of the names, including "(missing)". */
    groups: GroupReport[];
    summary: Summary;
    four_fifths: FourFifths;
    /** Chi-squared test of independence across the groups, per rate (error rates only with a label). */
    chi_squared: Partial<Record<ChiSquaredRate, Outcome<ChiSquaredTest>>>;
    /** With a strata column: each group (by name) against the reference, stratified. Absent otherwise. */
    stratified?: Record<string, Stratified>;
    /** With a strata column: every group's counts and metrics within each stratum (by stratum name). */
    by_stratum?: Record<string, StratumGroup[]>;
    indices: Indices;
    /** With a score column. */
    scores?: ScoreReport;
}

/** One group within one stratum. */
export interface StratumGroup {
    group: string;
    counts: CountsView;
    metrics: { n: number; selected: number } & ValueMap<RateKey>;
    undefined: Partial<Record<MetricKey, string>>;
}

/** `{defined: x}` or `{undefined: reason}`. */
export type Figure = { defined: number } | { undefined: string };

/** AIF360's inequality and disparity indices. */
export interface Indices {
    /** With a label: generalized entropy of b = ŷ − y + 1, with its between/within split. */
    generalized_entropy?: Outcome<GeDecomposition>;
    theil_index?: Outcome<number>;
    coefficient_of_variation?: Outcome<number>;
    differential_fairness: Outcome<DifferentialFairness>;
    demographic_disparity: Outcome<DemographicDisparity>;
    /** With a strata column. */
    conditional_demographic_disparity?: Outcome<ConditionalDemographicDisparity>;
}

export interface GeDecomposition {
    alpha: number;
    n: number;
    mean_benefit: Figure;
    total: Figure;
    between_groups: Figure;
    within_groups: Figure;
    groups: { name: string; n: number; mean_benefit: Figure; within_group_index: Figure }[];
}

export interface DifferentialFairness {
    epsilon: number;
    concentration: number;
    most_disparate: {
        outcome: "selected" | "not_selected";
        higher: string;
        lower: string;
        higher_probability: number;
        lower_probability: number;
    };
    rates: { name: string; selected: number; n: number; rate: number }[];
    skipped_empty_groups: string[];
}

export interface DemographicDisparity {
    n: number;
    selected: number;
    rejected: number;
    groups: {
        name: string;
        selected: number;
        n: number;
        share_of_rejected: number;
        share_of_selected: number;
        demographic_disparity: number;
    }[];
    aif360_conditional_demographic_disparity: number;
}

export interface ConditionalDemographicDisparity {
    n: number;
    strata: { stratum: string; n: number; selected: number; rejected: number }[];
    groups: {
        group: string;
        n: number;
        selected: number;
        conditional_demographic_disparity: Figure;
        strata: {
            stratum: string;
            selected: number;
            n: number;
            share_of_rejected: Figure;
            share_of_selected: Figure;
            demographic_disparity: Figure;
        }[];
    }[];
}

/** Confusion counts at a threshold. */
export interface ScoreConfusion {
    tp: number;
    fp: number;
    tn: number;
    fn: number;
    selected: number;
}

/** What `ThresholdExplorer.at()` returns for each group. */
export interface GroupAtThreshold extends ScoreConfusion {
    group: string;
}

export interface ScoreReport {
    groups: GroupScores[];
    single_threshold: Outcome<SingleThreshold>;
    group_thresholds: Partial<Record<"demographic_parity" | "equal_opportunity" | "equal_accuracy", Outcome<GroupThresholds>>>;
    scoring_rate: Outcome<ScoringRates>;
}

export interface GroupScores {
    group: string;
    rows: number;
    mean_score: Outcome<number>;
    auc: Outcome<number>;
    brier_score: Outcome<number>;
    calibration: Outcome<{ lower: number; upper: number; n: number; positives: number; mean_score: number; observed_rate: number }[]>;
    /** Thinned to at most 201 points; `roc_points` is the full count. */
    roc: Outcome<{ threshold: number | null; fpr: number; tpr: number; fp: number; tp: number }[]>;
    roc_points: number;
}

export interface GroupOutcome {
    group: string;
    /** `null`: above every score (nobody selected). */
    threshold: number | null;
    confusion: ScoreConfusion;
    selection_rate: number | null;
    tpr: number | null;
    fpr: number | null;
    accuracy: number | null;
    cost: number;
}

export interface SingleThreshold {
    note: string;
    cost_ratio: number;
    threshold: number | null;
    total_cost: number;
    total: ScoreConfusion;
    groups: GroupOutcome[];
}

export interface GroupThresholds {
    note: string;
    criterion: "demographic_parity" | "equal_opportunity" | "equal_accuracy";
    cost_ratio: number;
    groups: GroupOutcome[];
    rates: number[];
    gap: number;
    total_cost: number;
    total: ScoreConfusion;
}

export interface ScoringRates {
    note: string;
    median: number;
    rows: number;
    highest_group: string | null;
    groups: {
        group: string;
        rows: number;
        above_median: number;
        scoring_rate: number | null;
        impact_ratio: number | null;
        undefined: string | null;
    }[];
}

/** The reference actually used for an attribute. */
export interface ResolvedReference {
    /** Also "largest" when a named group was asked for but is not in this column. */
    rule: "group" | "largest" | "most_favoured" | "overall";
    /** `null` when the whole population is the reference. */
    group: string | null;
    /** Why the reference differs from what was asked; absent otherwise. */
    note?: string;
}

/** Counts of rows (integers) or sums of weights. `tp`, `fp`, `tn`, `fn` only with a label. */
export interface CountsView {
    n: number;
    selected: number;
    tp?: number;
    fp?: number;
    tn?: number;
    fn?: number;
}

/** One group (or the overall row). */
export interface GroupReport {
    /** The value as trimmed from the file; "(missing)" or "(overall)". */
    group: string;
    /** Fewer rows than `config.min_cell`. */
    below_min_cell: boolean;
    is_reference: boolean;
    /** True for the "(missing)" group of rows with no value. */
    is_missing: boolean;
    /** Row counts, whatever the basis. */
    counts: CountsView;
    /** Sums of weights; present only with a weight column. */
    weighted_counts?: CountsView;
    /** `n`, `selected` and every rate, on the report's basis. */
    metrics: { n: number; selected: number } & ValueMap<RateKey>;
    /** Why a metric is null (except for the missing label, said once in `notes`). */
    undefined: Partial<Record<MetricKey, string>>;
    /** Against the reference; absent for the reference itself and the overall row. */
    disparity?: Disparity;
    /** Intervals, tests and the verdict; absent for the overall row. */
    evidence?: GroupEvidence;
}

/** A group's rates against the reference's. */
export interface Disparity {
    /** group ÷ reference, per rate. */
    ratio: ValueMap<ComparedRate>;
    /** group − reference, per rate. */
    difference: ValueMap<ComparedRate>;
    /** AIF360: ½[(FPR_g − FPR_ref) + (TPR_g − TPR_ref)]. */
    average_odds_difference: Value;
    /** AIF360: ½[|FPR_g − FPR_ref| + |TPR_g − TPR_ref|]. */
    average_abs_odds_difference: Value;
    /** Why any of the above is null, keyed like "ratio.tpr". */
    undefined: Partial<
        Record<
            | `ratio.${ComparedRate}`
            | `difference.${ComparedRate}`
            | "average_odds_difference"
            | "average_abs_odds_difference",
            string
        >
    >;
}

/** Fairlearn's summary criteria ("between groups" unless named "_to_overall"). */
export interface Summary {
    demographic_parity_difference: Criterion;
    demographic_parity_ratio: Criterion;
    demographic_parity_difference_to_overall: Criterion;
    demographic_parity_ratio_to_overall: Criterion;
    equalized_odds_difference: Criterion;
    equalized_odds_ratio: Criterion;
    equal_opportunity_difference: Criterion;
    equal_opportunity_ratio: Criterion;
    /** Groups not counted in the criteria, and why. */
    groups_left_out: LeftOut[];
}

export interface Criterion {
    value: Value;
    /** Why `value` is null; absent when it is a number. */
    reason?: string;
    /**
     * The groups that produce the value: [lowest, highest] for between-group
     * criteria, [furthest from overall] for the to-overall ones. Absent when
     * `value` is null.
     */
    groups?: string[];
}

export interface LeftOut {
    group: string;
    /** The rate the group is missing from; "all" for "(missing)", never compared. */
    rate: "selection_rate" | "tpr" | "fpr" | "all";
    reason: string;
}

/** The four-fifths (adverse impact) check for one attribute. */
export interface FourFifths {
    threshold: number;
    /** What counts as the beneficial outcome. */
    beneficial_outcome: "selected" | "not_selected";
    /** The group with the highest beneficial-outcome rate; every ratio is relative to it. */
    most_favoured_group: string | null;
    /** One per group, in the order of `groups`. */
    groups: FourFifthsGroup[];
}

export interface FourFifthsGroup {
    group: string;
    beneficial_rate: Value;
    harmful_rate: Value;
    /** beneficial_rate ÷ the most favoured group's beneficial_rate. */
    impact_ratio: Value;
    /** harmful_rate ÷ the most favoured group's harmful_rate ("N times as often"). */
    harm_ratio: Value;
    /** impact_ratio < threshold; null when the ratio is null, and for "(missing)". */
    below_threshold: boolean | null;
    /** Why any of the four figures is null; absent when none is. */
    undefined?: Partial<Record<"beneficial_rate" | "harmful_rate" | "impact_ratio" | "harm_ratio", string>>;
}

// ---------------------------------------------------------------------------
// Evidence
// ---------------------------------------------------------------------------

/** Intervals, tests and the verdict for one group. */
export interface GroupEvidence {
    /** Interval for each defined rate, by the chosen method. */
    intervals: Partial<Record<RateKey, RateInterval>>;
    /** Against the reference, per tested rate; absent for the reference group. */
    vs_reference?: Partial<Record<TestedRate, Comparison>>;
    /** Against the most favoured group; absent for "(missing)", which is not judged. */
    adverse_impact?: AdverseImpact;
}

export interface RateInterval {
    lower: number;
    upper: number;
}

/** One group against the reference on one rate. */
export interface Comparison {
    /** Group rate ÷ reference rate, Katz log interval. */
    ratio: Outcome<RatioInterval>;
    /** Group rate − reference rate, Newcombe hybrid score interval. */
    difference: Outcome<Interval>;
    /** Pooled two-proportion z-test. */
    z_test: Outcome<ZTest>;
    /** Fisher's exact test (two-sided) with the sample odds ratio. */
    fisher: Outcome<FisherExact>;
    /** Fisher's p-value, raw and adjusted within the reference family; absent when Fisher's test is undefined. */
    p_value?: PValue;
    /** The smallest gap from the reference rate this data could detect; selection rate only. */
    detectable?: Outcome<DetectableDifference>;
}

/** What the verdict rests on: the group against the most favoured group. */
export interface AdverseImpact {
    verdict: Verdict;
    /** One plain-English sentence. */
    reason: string;
    /** The most favoured group the group is compared with. */
    compared_with: string;
    /** Beneficial-outcome rate ratio with its Katz interval. */
    impact_ratio: Outcome<RatioInterval>;
    /** Fisher's exact test on the beneficial outcome. */
    fisher: Outcome<FisherExact>;
    /** Absent for the most favoured group itself and when the test is undefined. */
    p_value?: PValue;
    /** People in the group who would need the beneficial outcome to match the reference's rate. */
    shortfall_to_reference: number | null;
    /** … to reach the four-fifths line against the most favoured group. */
    shortfall_to_threshold: number | null;
    /** Fewest people (1 or 2) whose switched outcome would change the four-fifths finding; null if neither. */
    four_fifths_changes_with: number | null;
    /** Likewise for the significance finding. */
    significance_changes_with: number | null;
    /** The smallest gap from the most favoured group's rate this data could detect. */
    detectable: Outcome<DetectableDifference>;
}

export type Verdict =
    | "adverse_impact_indicated"
    | "possible_adverse_impact"
    | "no_adverse_impact_indicated"
    | "insufficient_data";

/** A p-value with its adjusted counterpart. */
export interface PValue {
    raw: number;
    /** After the family's adjustment (equal to `raw` with adjustment "none"). */
    adjusted: number;
    /** `adjusted < 1 − confidence`. */
    significant: boolean;
}

/** Cochran–Mantel–Haenszel analysis of the selection rate across strata. */
export interface Stratified {
    cmh: Outcome<CmhTest>;
    common_odds_ratio: Outcome<PooledOddsRatio>;
    breslow_day: Outcome<BreslowDayTest>;
}

// Statistics results.

/** A proportion or a difference of proportions with its interval. */
export interface Interval {
    estimate: number;
    lower: number;
    upper: number;
}

/** A ratio of proportions with its interval. */
export interface RatioInterval {
    ratio: Estimate;
    /** Always finite, >= 0. */
    lower: number;
    /** `null`: unbounded. */
    upper: number | null;
    /** True when a bound comes from the 0.5-adjusted interval (zero counts). */
    adjusted: boolean;
    note: string | null;
}

export interface ZTest {
    z: number;
    /** Two-sided. */
    p_value: number;
}

export interface FisherExact {
    /** Sample odds ratio a·d / (b·c). */
    odds_ratio: Estimate;
    /** Two-sided. */
    p_value: number;
    note: string | null;
}

export interface ChiSquaredTest {
    statistic: number;
    /** Degrees of freedom: rows used − 1. */
    dof: number;
    p_value: number;
    yates_applied: boolean;
    /** Groups used; groups with no observations are dropped. */
    rows_used: number;
    note: string | null;
}

/** The smallest detectable difference, at the configured power. */
export interface DetectableDifference {
    /** Cohen's h detectable with the requested power. */
    effect_size_h: number;
    reference_rate: number;
    /** Largest detectable group rate below the reference rate; null if even 0 is not. */
    lower_rate: number | null;
    /** Smallest detectable group rate above it; null if even 1 is not. */
    upper_rate: number | null;
    /** reference_rate − lower_rate. */
    decrease: number | null;
    /** upper_rate − reference_rate. */
    increase: number | null;
    note: string | null;
}

export interface CmhTest {
    /** Chi-squared, 1 degree of freedom. */
    statistic: number;
    p_value: number;
    continuity_correction: boolean;
    strata_used: number;
    /** Strata with a zero row or column total. */
    strata_skipped: number;
    note: string | null;
}

/** Mantel–Haenszel common odds ratio. */
export interface PooledOddsRatio {
    odds_ratio: Estimate;
    /** Standard error of the log odds ratio (Robins–Breslow–Greenland). */
    log_se: number | null;
    /** [lower, upper] confidence limits; null when `log_se` is null. */
    ci: [number, number] | null;
    strata_used: number;
    strata_skipped: number;
    note: string | null;
}

/** Breslow–Day test of homogeneity of the odds ratios. */
export interface BreslowDayTest {
    statistic: number;
    /** Strata used − 1. */
    dof: number;
    p_value: number;
    tarone: boolean;
    strata_used: number;
    strata_skipped: number;
    note: string | null;
}

// ---------------------------------------------------------------------------
// Preview and parallel parts
// ---------------------------------------------------------------------------

/**
 * What `Preview.finish()` returns: enough to configure an audit. (Not named
 * `Preview`: that is the class.)
 */
export interface PreviewResult {
    /** The detected delimiter. */
    delimiter: string;
    columns: ColumnSummary[];
    /** The first rows, as text. */
    rows: string[][];
    /** Data rows seen. */
    rows_scanned: number;
    /** Bytes seen. */
    bytes_scanned: number;
    /** Length in bytes of the header record from the start of the file (BOM included). */
    header_bytes: number;
}

export interface ColumnSummary {
    name: string;
    /** Every non-missing value parses as a number. */
    numeric: boolean;
    /** Missing cells. */
    missing: number;
    /** Distinct values, most frequent first; null when there are more than 50. */
    values: ValueCount[] | null;
    /** At least this many distinct values (exact when `values` is present). */
    distinct: number;
    /** Smallest number, for numeric columns. */
    min?: number;
    /** Largest number, for numeric columns. */
    max?: number;
    /** How many times the name appears in the header (more than 1: ambiguous). */
    name_count: number;
}

export interface ValueCount {
    value: string;
    count: number;
}

/** What `Audit.finishPart()` returns. */
export interface PartResult {
    /** The part's tallies as a JSON string, for `reportFromTallies`. */
    tallies: string;
    /**
     * Whether the last record ended where the next part starts. If false (a
     * cut fell inside a quoted field), count the file in one pass instead.
     */
    endedAtBoundary: boolean;
    /** File offset just past the last record counted. */
    lastRecordEnd: number;
}
"#;
