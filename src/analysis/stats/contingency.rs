//! Pearson chi-squared test of independence on a k x 2 table.

use serde::Serialize;

use super::special::chi2_sf;
use super::StatsError;

/// Result of a chi-squared test of independence.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChiSquaredTest {
    /// Pearson statistic `sum (O - E)^2 / E` (after Yates' adjustment if applied).
    pub statistic: f64,
    /// Degrees of freedom `(rows used - 1)`.
    pub dof: u64,
    /// Upper-tail p-value `P(chi2_dof > statistic)`.
    pub p_value: f64,
    /// Whether Yates' continuity correction was applied (only when requested and dof == 1).
    pub yates_applied: bool,
    /// Number of rows (groups) used; rows with no observations are dropped.
    pub rows_used: usize,
    /// Explanation when rows were dropped.
    pub note: Option<String>,
    /// The smallest expected cell count.
    pub min_expected: f64,
    /// Cochran's rule: a warning when an expected count is below 1 or more
    /// than a fifth of them are below 5, where the chi-squared p-value is
    /// unreliable; the exact per-group tests (Fisher) are then the ones to read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Chi-squared test of independence for a k x 2 table of `[selected, not selected]`
/// rows; matches scipy `chi2_contingency(table, correction=yates)` on the table
/// with empty rows removed. As in scipy, Yates' correction (each |O - E| reduced by
/// `min(0.5, |O - E|)`) is applied only when `yates` is true and dof == 1.
///
/// Rows with no observations carry no information and are dropped (scipy would
/// raise on their zero expected counts). Undefined (with a reason) when fewer than
/// two non-empty rows remain or a column total is zero.
pub fn chi_squared_independence(table: &[[u64; 2]], yates: bool) -> Result<ChiSquaredTest, StatsError> {
    let rows: Vec<[f64; 2]> =
        table.iter().filter(|r| r[0] > 0 || r[1] > 0).map(|r| [r[0] as f64, r[1] as f64]).collect();
    let dropped = table.len() - rows.len();
    if rows.len() < 2 {
        return Err(StatsError::Undefined(format!("need at least two groups with observations, found {}", rows.len())));
    }
    let col0: f64 = rows.iter().map(|r| r[0]).sum();
    let col1: f64 = rows.iter().map(|r| r[1]).sum();
    if col0 == 0.0 {
        return Err(StatsError::Undefined(
            "no group has any selections (the 'selected' column total is zero)".to_string(),
        ));
    }
    if col1 == 0.0 {
        return Err(StatsError::Undefined(
            "every member of every group was selected (the 'not selected' column total is zero)".to_string(),
        ));
    }
    let total = col0 + col1;
    let dof = (rows.len() - 1) as u64;
    let yates_applied = yates && dof == 1;
    let mut statistic = 0.0;
    let (mut min_expected, mut below_five) = (f64::INFINITY, 0usize);
    for r in &rows {
        let row_total = r[0] + r[1];
        for (j, col) in [col0, col1].into_iter().enumerate() {
            let expected = row_total * col / total;
            min_expected = min_expected.min(expected);
            below_five += usize::from(expected < 5.0);
            let mut diff = (r[j] - expected).abs();
            if yates_applied {
                diff -= diff.min(0.5);
            }
            statistic += diff * diff / expected;
        }
    }
    let p_value = chi2_sf(statistic, dof)
        .ok_or_else(|| StatsError::Undefined("chi-squared tail probability could not be evaluated".to_string()))?;
    let note = if dropped > 0 { Some(format!("{dropped} group(s) with no observations were left out")) } else { None };
    let cells = 2 * rows.len();
    let warning = (min_expected < 1.0 || below_five * 5 > cells).then(|| {
        format!(
            "{below_five} of {cells} expected counts are below 5 (the smallest is {min_expected:.2}): the chi-squared \
             p-value is unreliable here (Cochran's rule); read each group's exact (Fisher) test instead"
        )
    });
    Ok(ChiSquaredTest { statistic, dof, p_value, yates_applied, rows_used: rows.len(), note, min_expected, warning })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_expected_counts_are_warned_of() {
        // [[1, 9], [0, 10], [9, 1]]: column totals 10 and 20 of 30; expected
        // counts 3.33 and 6.67 in every row: 3 of 6 below 5, more than a fifth.
        let t = chi_squared_independence(&[[1, 9], [0, 10], [9, 1]], false).unwrap();
        assert!((t.min_expected - 10.0 / 3.0).abs() < 1e-12);
        assert!(t.warning.as_deref().is_some_and(|w| w.starts_with("3 of 6 expected counts are below 5")));
        // Every expected count 50: no warning.
        assert!(chi_squared_independence(&[[40, 60], [60, 40]], false).unwrap().warning.is_none());
    }

    #[test]
    fn hand_computed() {
        // [[10, 10], [20, 0]]: totals 30/10 of 40; expected row1 (15, 5), row2 (15, 5)
        // chi2 = 25/15 + 25/5 + 25/15 + 25/5 = 40/3
        let t = chi_squared_independence(&[[10, 10], [20, 0]], false).unwrap();
        assert!((t.statistic - 40.0 / 3.0).abs() < 1e-12);
        assert_eq!(t.dof, 1);
        // Yates: |O-E| = 5 -> 4.5: 20.25 * (2/15 + 2/5)
        let t = chi_squared_independence(&[[10, 10], [20, 0]], true).unwrap();
        assert!((t.statistic - 20.25 * (2.0 / 15.0 + 2.0 / 5.0)).abs() < 1e-12);
        assert!(chi_squared_independence(&[[0, 0], [3, 4]], false).is_err());
    }
}
