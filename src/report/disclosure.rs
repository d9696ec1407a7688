//! Binned tallies → the groups the publication view must leave out.
//!
//! Every published count is a sum of *base cells*: the combinations of all
//! the group columns together (the joint tally). A group is left out when it
//! is small (fewer than `min_cell` rows), when all or none of a group of
//! fewer than `2 × min_cell` got the decision (or the label), and then, round
//! by round, whenever a left-out group is still a linear combination of the
//! published groups and the total (so it could be worked out from them), or
//! the left-out groups of one total together are themselves small or all
//! alike. Membership of the span is decided by exact elimination modulo the
//! prime 2⁶¹ − 1. A combination over the rationals is one modulo the prime
//! too unless the prime divides a minor of the table's 0/1 matrix (a chance
//! of the order of 1 in 10¹⁸); the check may also, as rarely, leave out one
//! group more than needed.

use crate::error::{Error, ErrorCode, Result};
use crate::tally::names::{join_parts, split_parts};
use crate::tally::{AttributeTally, Counts};
use std::collections::{BTreeMap, BTreeSet};

/// Most work (entries touched in elimination) spent on the joint check.
pub const WORK_LIMIT: u64 = 200_000_000;

/// Most entries held in the elimination's rows at once (16 bytes each).
pub const STORE_LIMIT: u64 = 16_000_000;

const PRIME: u64 = (1 << 61) - 1;

fn mul(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(PRIME)) as u64
}

fn inverse(a: u64) -> u64 {
    let (mut base, mut exp, mut out) = (a, PRIME - 2, 1);
    while exp > 0 {
        if exp & 1 == 1 {
            out = mul(out, base);
        }
        base = mul(base, base);
        exp >>= 1;
    }
    out
}

/// A sparse vector modulo [`PRIME`]: sorted (index, nonzero value) pairs.
type Sparse = Vec<(u32, u64)>;

/// `a − f·b`, counting the entries touched in `work`.
fn sub_scaled(a: &Sparse, f: u64, b: &Sparse, work: &mut u64) -> Sparse {
    *work += (a.len() + b.len()) as u64;
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next_a = a.get(i).map_or(u32::MAX, |e| e.0);
        let next_b = b.get(j).map_or(u32::MAX, |e| e.0);
        if next_a < next_b {
            out.push(a[i]);
            i += 1;
        } else {
            let minus = PRIME - mul(f, b[j].1);
            let v = if next_a == next_b {
                let v = (a[i].1 + minus) % PRIME;
                i += 1;
                v
            } else {
                minus % PRIME
            };
            if v != 0 {
                out.push((next_b, v));
            }
            j += 1;
        }
    }
    out
}

/// Rows in echelon form: each row's first entry is 1 at its pivot, and
/// `how` says which published groups it is made of.
#[derive(Default)]
struct Basis {
    rows: BTreeMap<u32, (Sparse, Sparse)>,
    work: u64,
    stored: u64,
}

impl Basis {
    /// Reduces `v` (made of `how`) by the rows; `None` when past the work limit.
    fn reduce(&mut self, mut v: Sparse, mut how: Sparse) -> Option<(Sparse, Sparse)> {
        while let Some(&(pivot, f)) = v.first() {
            let Some((row, row_how)) = self.rows.get(&pivot) else { break };
            v = sub_scaled(&v, f, row, &mut self.work);
            how = sub_scaled(&how, f, row_how, &mut self.work);
            if self.work > WORK_LIMIT {
                return None;
            }
        }
        Some((v, how))
    }

    fn insert(&mut self, v: Sparse, how: Sparse) -> Option<()> {
        let (v, how) = self.reduce(v, how)?;
        if let Some(&(pivot, f)) = v.first() {
            self.stored += (v.len() + how.len()) as u64;
            if self.stored > STORE_LIMIT {
                return None;
            }
            let scale = inverse(f);
            let norm = |s: Sparse| s.into_iter().map(|(i, x)| (i, mul(x, scale))).collect();
            self.rows.insert(pivot, (norm(v), norm(how)));
        }
        Some(())
    }
}

/// One published group: which attribute, its name, its base cells, its counts.
struct Cell {
    attribute: usize,
    /// Columns in its attribute: finer tables give up cells first.
    columns: usize,
    name: String,
    base: Sparse,
    counts: Counts<u64>,
}

/// Why the check could not be made; the publication view is then refused.
fn too_large(what: String) -> Error {
    Error::new(
        ErrorCode::DataTooManyGroups,
        format!("the publication view cannot be made safely: {what}, too many to check jointly for disclosure; publish fewer or coarser group columns (bins), or fewer intersections"),
    )
}

/// Whether a group's own figures disclose something about each member: it is
/// small, or all or none of a smallish group got the decision (or label).
fn sensitive(c: &Counts<u64>, min_cell: u64, labelled: bool) -> bool {
    let all_or_none = |x: u64| x == 0 || x == c.n;
    c.n < min_cell
        || (c.n < min_cell.saturating_mul(2) && (all_or_none(c.selected) || (labelled && all_or_none(c.tp + c.fn_))))
}

/// The groups to leave out of each attribute (same order as `attributes`).
/// `joint` holds the combinations of every group column (needed when there
/// is more than one attribute); `protected` names comparison groups spared
/// when another choice exists.
pub fn suppressed<A: std::ops::Deref<Target = AttributeTally>>(
    attributes: &[A],
    joint: Option<&AttributeTally>,
    joint_overflow: bool,
    min_cell: u64,
    labelled: bool,
    protected: &BTreeSet<String>,
) -> Result<Vec<BTreeSet<String>>> {
    let base = match (attributes, joint) {
        ([one], _) => &**one,
        (_, Some(joint)) => joint,
        (_, None) if joint_overflow => {
            return Err(too_large(format!(
                "the group columns together form more than {} combinations",
                crate::tally::rows::JOINT_LIMIT
            )))
        }
        (_, None) => {
            return Err(Error::new(
                ErrorCode::EngineMisuse,
                "these tallies were counted without the publication setting, so they lack the combinations of the group columns that the publication view checks; count the file again with it",
            ))
        }
    };
    let base_columns = if base.columns.is_empty() { vec![base.column.clone()] } else { base.columns.clone() };
    let parts_of = |columns: usize, name: &str| if columns == 1 { vec![name.to_string()] } else { split_parts(name) };
    let base_cells: Vec<Vec<String>> = base
        .groups
        .iter()
        .filter(|(_, t)| t.counts.n > 0)
        .map(|(name, _)| parts_of(base_columns.len(), name))
        .collect();
    let total: Sparse = (0..base_cells.len() as u32).map(|i| (i, 1)).collect();

    // Each attribute's groups as sets of base cells, and its lines: the whole
    // attribute, and in an intersection the cells that differ in one part.
    let mut cells: Vec<Cell> = Vec::new();
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for (k, a) in attributes.iter().enumerate() {
        let columns = if a.columns.is_empty() { vec![a.column.clone()] } else { a.columns.clone() };
        let positions: Vec<usize> = columns
            .iter()
            .map(|c| base_columns.iter().position(|b| b == c))
            .collect::<Option<_>>()
            .ok_or_else(|| Error::new(ErrorCode::EngineInternal, "the joint tally lacks a group column"))?;
        let mut members: BTreeMap<String, Sparse> = BTreeMap::new();
        for (i, parts) in base_cells.iter().enumerate() {
            let projected: Vec<&str> = positions.iter().map(|&p| parts.get(p).map_or("", String::as_str)).collect();
            let name = if projected.len() == 1 { projected[0].to_string() } else { join_parts(projected) };
            members.entry(name).or_default().push((i as u32, 1));
        }
        let first = cells.len();
        for (name, tally) in a.groups.iter().filter(|(_, t)| t.counts.n > 0) {
            let base = members.remove(name).ok_or_else(|| {
                Error::new(ErrorCode::EngineInternal, format!("the joint tally lacks the group {name}"))
            })?;
            cells.push(Cell { attribute: k, columns: columns.len(), name: name.clone(), base, counts: tally.counts });
        }
        let mut attribute_lines = vec![(first..cells.len()).collect::<Vec<_>>()];
        if columns.len() > 1 {
            for part in 0..columns.len() {
                let mut by_rest: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
                for (c, cell) in cells.iter().enumerate().skip(first) {
                    let mut parts = split_parts(&cell.name);
                    if part < parts.len() {
                        parts.remove(part);
                    }
                    by_rest.entry(parts).or_default().push(c);
                }
                attribute_lines.extend(by_rest.into_values().filter(|l| l.len() > 1));
            }
        }
        lines.extend(attribute_lines);
    }

    let mut hidden: BTreeSet<usize> =
        (0..cells.len()).filter(|&c| sensitive(&cells[c].counts, min_cell, labelled)).collect();
    // The cell to leave out next among `candidates`: sparing comparison
    // groups and then the coarser tables (a characteristic's own groups
    // before its intersections), the smallest.
    let pick = |candidates: &mut dyn Iterator<Item = usize>, hidden: &BTreeSet<usize>| {
        candidates.filter(|c| !hidden.contains(c)).min_by_key(|&c| {
            let cell = &cells[c];
            (protected.contains(&cell.name), std::cmp::Reverse(cell.columns), cell.counts.n, cell.attribute, c)
        })
    };
    let too_much =
        || too_large(format!("{} groups over {} combinations of the group columns", cells.len(), base_cells.len()));
    let mut work = 0u64;
    loop {
        let mut more: BTreeSet<usize> = BTreeSet::new();
        // Left-out groups of one total that are together small, or all alike.
        for line in &lines {
            let out: Vec<usize> = line.iter().copied().filter(|c| hidden.contains(c)).collect();
            if out.is_empty() || out.len() == line.len() {
                continue;
            }
            let mut union = Counts::<u64>::default();
            for &c in &out {
                union += cells[c].counts;
            }
            if sensitive(&union, min_cell, labelled) {
                if let Some(c) = pick(&mut line.iter().copied(), &hidden) {
                    more.insert(c);
                }
            }
        }
        // Left-out groups that the published ones and the total determine.
        if more.is_empty() && !hidden.is_empty() {
            let mut basis = Basis { work, ..Basis::default() };
            // Fewest cells first, so that long rows are reduced by short ones.
            let mut published: Vec<usize> = (0..cells.len()).filter(|c| !hidden.contains(c)).collect();
            published.sort_by_key(|&c| cells[c].base.len());
            // Index 0 of `how` is the total; published cell c is c + 1.
            for &c in &published {
                basis.insert(cells[c].base.clone(), vec![(c as u32 + 1, 1)]).ok_or_else(too_much)?;
            }
            basis.insert(total.clone(), vec![(0, 1)]).ok_or_else(too_much)?;
            for &h in &hidden {
                let (rest, how) = basis.reduce(cells[h].base.clone(), Vec::new()).ok_or_else(too_much)?;
                if !rest.is_empty() {
                    continue;
                }
                let mut used = how.iter().filter(|e| e.0 > 0).map(|e| e.0 as usize - 1);
                match pick(&mut used, &hidden) {
                    Some(c) => {
                        more.insert(c);
                    }
                    // Made of the total alone: it holds every row, so the file's own totals give it away.
                    None => {
                        return Err(Error::new(
                            ErrorCode::DataTooManyGroups,
                            format!(
                                "the publication view cannot be made safely: the group {} must be suppressed (fewer than {min_cell} {}, or all or none of a small group got the decision), but it holds every row, so the file's totals would give it away; there is nothing safe to publish",
                                crate::error::quoted(&cells[h].name),
                                if min_cell == 1 { "row" } else { "rows" }
                            ),
                        ))
                    }
                }
            }
            work = basis.work;
        }
        if more.is_empty() {
            break;
        }
        hidden.extend(more);
    }
    let mut out = vec![BTreeSet::new(); attributes.len()];
    for c in hidden {
        out[cells[c].attribute].insert(cells[c].name.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elimination_finds_exact_combinations() {
        // Cells {0,1}, {1,2}, {0,1,2}: {0} = total − {1,2}; {1} = {0,1} + {1,2} − total.
        let mut b = Basis::default();
        b.insert(vec![(0, 1), (1, 1), (2, 1)], vec![(0, 1)]);
        b.insert(vec![(0, 1), (1, 1)], vec![(1, 1)]);
        b.insert(vec![(1, 1), (2, 1)], vec![(2, 1)]);
        for cell in 0..3 {
            let (rest, _) = b.reduce(vec![(cell, 1)], Vec::new()).unwrap_or_default();
            assert!(rest.is_empty(), "cell {cell} is determined");
        }
        let mut b = Basis::default();
        b.insert(vec![(0, 1), (1, 1), (2, 1)], vec![(0, 1)]);
        let (rest, _) = b.reduce(vec![(0, 1)], Vec::new()).unwrap_or_default();
        assert!(!rest.is_empty(), "one total of three cells determines none");
        assert_eq!(mul(inverse(12345), 12345), 1);
    }

    #[test]
    fn without_the_joint_tally_two_attributes_are_refused_not_guessed() {
        let a = AttributeTally { column: "a".into(), ..Default::default() };
        let b = AttributeTally { column: "b".into(), ..Default::default() };
        let run = |overflow| suppressed(&[&a, &b], None, overflow, 10, false, &BTreeSet::new()).err();
        let e = run(true).map(|e| e.to_string()).unwrap_or_default();
        assert!(
            e.starts_with(
                "the publication view cannot be made safely: the group columns together form more than 20000"
            ),
            "{e}"
        );
        assert_eq!(run(false).map(|e| e.code), Some(ErrorCode::EngineMisuse));
    }

    #[test]
    fn a_suppressed_group_of_every_row_is_refused() {
        // One group of 15 rows, all selected: all-or-none and smallish, but it is the whole file.
        let mut a = AttributeTally { column: "a".into(), ..Default::default() };
        let counts = Counts { n: 15, selected: 15, ..Default::default() };
        a.groups.insert("X".into(), crate::tally::GroupTally { counts, ..Default::default() });
        let e = suppressed(&[&a], None, false, 10, false, &BTreeSet::new())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("the group \"X\" must be suppressed") && e.contains("holds every row"), "{e}");
    }
}
