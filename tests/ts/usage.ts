// Typical page code against the npm package's types. Only type-checked (by
// check-types.mjs), never run. The `@ts-expect-error` lines must stay errors:
// they fail the check if the API falls back to `any`.

import init, { Audit, Preview, reportFromTallies } from "../../pkg/biasaudit.js";
import type {
    AdverseImpact,
    AuditConfig,
    ColumnSummary,
    GroupReport,
    PartResult,
    PreviewResult,
    RatioInterval,
    Reference,
    Report,
    Value,
    Verdict,
} from "../../pkg/biasaudit.js";

const config: AuditConfig = {
    groups: ["sex", "ethnicity"],
    decision: { column: "shortlisted", positive: ["yes"], negative: ["no"] },
    label: null,
    outcome: "beneficial",
    reference: { group: "White" },
    evidence: { confidence: 0.9, adjust: "bh", interval: "clopper_pearson" },
};

const minimal: AuditConfig = { groups: ["race"], decision: { column: "score", threshold: 5 } };

async function* chunks(file: Blob): AsyncGenerator<Uint8Array> {
    const reader = file.stream().getReader();
    for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
    }
}

export async function preview(file: Blob): Promise<ColumnSummary[]> {
    await init();
    const p = new Preview(20);
    for await (const chunk of chunks(file)) p.push(chunk);
    const result: PreviewResult = p.finish(true);
    const headerBytes: number = result.header_bytes;
    const firstRow: string[] | undefined = result.rows[0];
    void headerBytes;
    void firstRow;
    return result.columns.filter((c) => c.values !== null && c.values.length <= 10 && c.name_count === 1);
}

export async function audit(file: Blob): Promise<Report> {
    await init();
    const a = new Audit(config);
    for await (const chunk of chunks(file)) a.push(chunk);
    const progress: number = a.rowsRead;
    void progress;
    const report = a.finish();

    const verdict: Verdict | undefined = report.attributes[0].groups[0].evidence?.adverse_impact?.verdict;
    if (verdict === "adverse_impact_indicated" || verdict === "possible_adverse_impact") {
        console.log(report.attributes[0].groups[0].evidence?.adverse_impact?.reason);
    }
    // The echoed config can start the next audit.
    new Audit(report.config).free();
    return report;
}

/** The impact ratio with its interval, or why there is none. */
export function impactRatio(ai: AdverseImpact): string {
    const r = ai.impact_ratio;
    if ("undefined" in r) return r.undefined;
    const interval: RatioInterval = r;
    const upper = interval.upper === null ? "∞" : interval.upper.toFixed(2);
    const ratio =
        interval.ratio === "infinite" ? "∞" : typeof interval.ratio === "number" ? interval.ratio.toFixed(2) : interval.ratio.undefined;
    return `${ratio} (${interval.lower.toFixed(2)}–${upper})`;
}

export function rows(report: Report): string[] {
    const out: string[] = [];
    for (const attribute of report.attributes) {
        const reference: string = attribute.reference.group ?? "the whole population";
        for (const g of attribute.groups) {
            const value: Value = g.metrics.selection_rate;
            const rate: number | null = typeof value === "number" ? value : null;
            const n: number = g.metrics.n;
            const compared = g.disparity?.ratio.selection_rate;
            const ratio: number | null = typeof compared === "number" ? compared : null;
            const why: string | undefined = typeof value === "number" ? undefined : value.undefined;
            const tp: number | undefined = g.counts.tp;
            const p = g.evidence?.vs_reference?.selection_rate?.p_value?.adjusted;
            const ff = attribute.four_fifths.groups.find((f) => f.group === g.group);
            out.push(`${g.group} vs ${reference}: ${rate ?? why} of ${n}, ratio ${ratio}, tp ${tp}, p ${p}, ${ff?.below_threshold}`);
        }
        const chi = attribute.chi_squared.selection_rate;
        if (chi && !("undefined" in chi)) out.push(`chi² ${chi.statistic} (${chi.dof} df), p ${chi.p_value}`);
        for (const [group, s] of Object.entries(attribute.stratified ?? {})) {
            const or = s.common_odds_ratio;
            if (!("undefined" in or) && or.ci) out.push(`${group}: common OR ${or.odds_ratio} [${or.ci[0]}, ${or.ci[1]}]`);
        }
    }
    for (const family of report.evidence.families) out.push(`${family.name}: ${family.tests} tests, ${family.method}`);
    return out;
}

export function describe(reference: Reference): string {
    if (typeof reference === "string") {
        switch (reference) {
            case "largest":
                return "the largest group";
            case "most_favoured":
                return "the most favoured group";
            case "overall":
                return "the whole population";
        }
    }
    return reference.group;
}

export function merge(parts: PartResult[], sha256: string, delimiter: string): Report | null {
    if (!parts.every((p) => p.endedAtBoundary)) return null;
    const last: number = parts[parts.length - 1].lastRecordEnd;
    void last;
    const byPart = Audit.forPart({ ...minimal, delimiter }, new Uint8Array(), 0, -1);
    const one: PartResult = byPart.finishPart();
    return reportFromTallies(minimal, [...parts.map((p) => p.tallies), one.tallies], sha256, delimiter);
}

// Things that must not type-check.
export function mistakes(report: Report, group: GroupReport): void {
    // @ts-expect-error unknown config field
    new Audit({ groups: ["a"], decision: { column: "d", positive: ["1"] }, colour: "red" });
    // @ts-expect-error the CLI spelling, not the JSON one
    new Audit({ groups: ["a"], decision: { column: "d", positive: ["1"] }, reference: "most-favoured" });
    // @ts-expect-error positive values are strings
    new Audit({ groups: ["a"], decision: { column: "d", positive: [1] } });
    // @ts-expect-error `decision` is required
    new Audit({ groups: ["a"] });
    // @ts-expect-error not a field of the report
    report.attributes[0].verdict;
    // @ts-expect-error a metric may be undefined, with its reason
    const rate: number = group.metrics.tpr;
    // @ts-expect-error an Outcome must be narrowed before use
    group.evidence?.adverse_impact?.fisher.p_value;
    // @ts-expect-error not a verdict
    const v: Verdict = "adverse_impact";
    void rate;
    void v;
}
