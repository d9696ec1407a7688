//! Multiple-comparison adjustments of p-values.

use super::StatsError;

fn check_p_values(p: &[f64]) -> Result<Vec<usize>, StatsError> {
    if let Some((i, v)) = p.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v >= 0.0 && **v <= 1.0)) {
        return Err(StatsError::InvalidInput(format!("p-value #{i} is {v}, expected a number in [0, 1]")));
    }
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
    Ok(order)
}

/// Holm step-down adjusted p-values, in input order; matches statsmodels
/// `multipletests(p, method="holm")[1]`.
pub fn holm_adjust(p: &[f64]) -> Result<Vec<f64>, StatsError> {
    let order = check_p_values(p)?;
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running = 0.0_f64;
    for (rank, &i) in order.iter().enumerate() {
        let raw = p[i] * (m - rank) as f64;
        running = running.max(raw);
        out[i] = running.min(1.0);
    }
    Ok(out)
}

/// Benjamini–Hochberg (FDR) adjusted p-values, in input order; matches statsmodels
/// `multipletests(p, method="fdr_bh")[1]`.
pub fn benjamini_hochberg_adjust(p: &[f64]) -> Result<Vec<f64>, StatsError> {
    let order = check_p_values(p)?;
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running = f64::INFINITY;
    for (rank, &i) in order.iter().enumerate().rev() {
        // statsmodels divides by the ecdf factor (rank + 1) / m.
        let raw = p[i] / ((rank + 1) as f64 / m as f64);
        running = running.min(raw);
        out[i] = running.min(1.0);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed() {
        let p = [0.01, 0.04, 0.03, 0.5];
        // Holm: sorted 0.01*4=0.04, 0.03*3=0.09, 0.04*2=0.08->0.09, 0.5*1=0.5
        let h = holm_adjust(&p).unwrap();
        let want = [0.04, 0.09, 0.09, 0.5];
        for (a, b) in h.iter().zip(want) {
            assert!((a - b).abs() < 1e-15);
        }
        // BH: sorted 0.01*4/1=0.04, 0.03*4/2=0.06, 0.04*4/3=0.0533, 0.5 -> min from end
        let bh = benjamini_hochberg_adjust(&p).unwrap();
        let want = [0.04, 0.04 * 4.0 / 3.0, 0.04 * 4.0 / 3.0, 0.5];
        for (a, b) in bh.iter().zip(want) {
            assert!((a - b).abs() < 1e-15);
        }
        assert!(holm_adjust(&[0.5, f64::NAN]).is_err());
        assert_eq!(holm_adjust(&[]).unwrap(), Vec::<f64>::new());
    }
}
