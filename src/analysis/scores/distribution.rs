//! How each group's scores are spread, split by the true label: the same
//! bands for every group, so their shapes can be set side by side.

use super::ScoreHistogram;
use serde::Serialize;

/// Bands are at most this many: one per distinct score when there are no
/// more, else this many of equal width.
pub const MAX_SCORE_BANDS: usize = 20;

/// One band of scores. With one band per distinct score, `lower == upper`;
/// otherwise the band holds `lower ≤ score < upper`, and the last band also
/// its `upper`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ScoreBand {
    /// The lowest score in the band.
    pub lower: f64,
    /// The band's upper edge (excluded, but for the last band).
    pub upper: f64,
}

/// One group's rows in one band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct BandCount {
    /// Rows with a score in the band.
    pub rows: u64,
    /// Of them, those with a positive true label (0 without a label column).
    pub positives: u64,
    /// Of them, those with a negative true label (0 without a label column).
    pub negatives: u64,
}

/// The bands for these histograms: every distinct score when there are at
/// most [`MAX_SCORE_BANDS`], else [`MAX_SCORE_BANDS`] bands of equal width
/// from the lowest score to the highest. Empty when there are no scores.
pub fn score_bands(histograms: &[&ScoreHistogram]) -> Vec<ScoreBand> {
    let mut distinct: Vec<f64> = histograms.iter().flat_map(|h| h.iter().map(|(s, _)| s)).collect();
    distinct.sort_unstable_by(f64::total_cmp);
    distinct.dedup();
    let (Some(&low), Some(&high)) = (distinct.first(), distinct.last()) else { return Vec::new() };
    if distinct.len() <= MAX_SCORE_BANDS {
        return distinct.iter().map(|&s| ScoreBand { lower: s, upper: s }).collect();
    }
    let k = MAX_SCORE_BANDS as f64;
    let edge = |i: usize| if i == MAX_SCORE_BANDS { high } else { low + (high - low) * (i as f64 / k) };
    (0..MAX_SCORE_BANDS).map(|i| ScoreBand { lower: edge(i), upper: edge(i + 1) }).collect()
}

/// A histogram's rows per band (`bands` from [`score_bands`]); a score
/// outside every band (not one of the histograms the bands were made from)
/// is not counted.
pub fn band_counts(h: &ScoreHistogram, bands: &[ScoreBand]) -> Vec<BandCount> {
    let mut out = vec![BandCount::default(); bands.len()];
    let points = bands.iter().all(|b| b.lower == b.upper);
    for (score, cell) in h.iter() {
        // The band whose lower edge is the last at or below the score.
        let at = bands.partition_point(|b| b.lower <= score);
        let Some(i) = at.checked_sub(1) else { continue };
        let Some(band) = bands.get(i) else { continue };
        let inside = if points {
            score == band.lower
        } else {
            score < band.upper || i + 1 == bands.len() && score <= band.upper
        };
        if let (true, Some(slot)) = (inside, out.get_mut(i)) {
            slot.rows += cell.n;
            slot.positives += cell.positives;
        }
    }
    let unlabelled = h.unlabelled_rows() > 0;
    for slot in &mut out {
        slot.negatives = if unlabelled { 0 } else { slot.rows - slot.positives };
        if unlabelled {
            slot.positives = 0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn histogram(rows: &[(f64, bool)]) -> ScoreHistogram {
        let mut h = ScoreHistogram::new();
        for &(s, y) in rows {
            h.add(s, Some(y)).expect("a finite score");
        }
        h
    }

    #[test]
    fn few_distinct_scores_get_a_band_each() {
        let a = histogram(&[(1.0, true), (3.0, false), (3.0, true)]);
        let b = histogram(&[(2.0, false), (3.0, false)]);
        let bands = score_bands(&[&a, &b]);
        assert_eq!(bands.iter().map(|b| b.lower).collect::<Vec<_>>(), vec![1.0, 2.0, 3.0]);
        let counts = band_counts(&a, &bands);
        assert_eq!(counts[0], BandCount { rows: 1, positives: 1, negatives: 0 });
        assert_eq!(counts[1], BandCount::default());
        assert_eq!(counts[2], BandCount { rows: 2, positives: 1, negatives: 1 });
    }

    #[test]
    fn many_scores_get_twenty_equal_bands_the_highest_in_the_last() {
        let rows: Vec<(f64, bool)> = (0..=100).map(|i| (f64::from(i), i % 3 == 0)).collect();
        let h = histogram(&rows);
        let bands = score_bands(&[&h]);
        assert_eq!(bands.len(), 20);
        assert_eq!((bands[0].lower, bands[0].upper), (0.0, 5.0));
        assert_eq!((bands[19].lower, bands[19].upper), (95.0, 100.0));
        let counts = band_counts(&h, &bands);
        // 0..4 in the first band; 95..100 (six scores) in the last.
        assert_eq!(counts[0].rows, 5);
        assert_eq!(counts[19].rows, 6);
        assert_eq!(counts.iter().map(|c| c.rows).sum::<u64>(), 101);
        // Multiples of 3 in 95..=100: 96 and 99.
        assert_eq!((counts[19].positives, counts[19].negatives), (2, 4));
    }
}
