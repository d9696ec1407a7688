//! Cell bytes → small value (a group's slot, how an outcome cell reads): the
//! lookup made for every cell of every counted column, so the hottest path.
//!
//! Most columns have a handful of distinct values, and for those a short list
//! compared by length and first eight bytes beats hashing: no hash to compute
//! and, for values of up to eight bytes, no byte comparison at all. That
//! matters most in WebAssembly, where hashing and `memcmp` have no SIMD help
//! (measured with `scripts/bench-engine.mjs`). Past [`LIST_LIMIT`] values the
//! index moves to a hash map.

use std::collections::HashMap;

/// Values kept in the list before switching to a hash map.
pub const LIST_LIMIT: usize = 16;

/// foldhash rather than SipHash: several times cheaper on short keys. Its
/// seed is predictable in WebAssembly, so a file crafted for collisions could
/// slow lookups, but never beyond a scan of the distinct values, which the
/// audit caps (`max_groups`).
pub type FastHashMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

type Map<V> = FastHashMap<Box<[u8]>, V>;

struct Entry<V> {
    len: usize,
    head: u64,
    key: Box<[u8]>,
    value: V,
}

pub struct CellIndex<V> {
    list: Vec<Entry<V>>,
    map: Option<Map<V>>,
}

impl<V> Default for CellIndex<V> {
    fn default() -> Self {
        CellIndex { list: Vec::new(), map: None }
    }
}

/// The first eight bytes (zero-padded), read as one number with at most two
/// loads: a byte-by-byte copy would cost more than the rest of the lookup.
#[inline]
fn head(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let mut word = [0u8; 8];
    if len >= 8 {
        word.copy_from_slice(&bytes[..8]);
        return u64::from_le_bytes(word);
    }
    if len >= 4 {
        // Two overlapping 4-byte reads cover lengths 4 to 7.
        let mut low = [0u8; 4];
        let mut high = [0u8; 4];
        low.copy_from_slice(&bytes[..4]);
        high.copy_from_slice(&bytes[len - 4..]);
        return u64::from(u32::from_le_bytes(low)) | (u64::from(u32::from_le_bytes(high)) << (8 * (len - 4)));
    }
    bytes.iter().rev().fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

impl<V: Copy> CellIndex<V> {
    #[inline]
    pub fn get(&self, key: &[u8]) -> Option<V> {
        if let Some(map) = &self.map {
            return map.get(key).copied();
        }
        let (len, head) = (key.len(), head(key));
        self.list
            .iter()
            .find(|e| e.len == len && e.head == head && (len <= 8 || e.key[8..] == key[8..]))
            .map(|e| e.value)
    }

    /// Adds a key that is not yet present (a present key keeps its value).
    pub fn insert(&mut self, key: &[u8], value: V) {
        if self.get(key).is_some() {
            return;
        }
        if let Some(map) = &mut self.map {
            map.insert(key.into(), value);
            return;
        }
        if self.list.len() < LIST_LIMIT {
            self.list.push(Entry { len: key.len(), head: head(key), key: key.into(), value });
            return;
        }
        let mut map: Map<V> = self.list.drain(..).map(|e| (e.key, e.value)).collect();
        map.insert(key.into(), value);
        self.map = Some(map);
    }

    pub fn len(&self) -> usize {
        self.map.as_ref().map_or(self.list.len(), HashMap::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tells_apart_keys_that_share_a_head_or_a_length() {
        let mut index = CellIndex::default();
        let keys: [&[u8]; 7] = [b"", b"a", b"a\0", b"Caucasian", b"Caucasians", b"Caucasiax", b"African-American"];
        for (i, k) in keys.iter().enumerate() {
            index.insert(k, i);
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(index.get(k), Some(i), "{k:?}");
        }
        assert_eq!(index.get(b"Caucasia"), None);
        assert_eq!(index.get(b"African-Americaz"), None);
        assert_eq!(index.len(), keys.len());
    }

    #[test]
    fn head_reads_the_first_eight_bytes() {
        for len in 0..=12usize {
            let bytes: Vec<u8> = (1..=len as u8).collect();
            let mut padded = [0u8; 8];
            let n = len.min(8);
            padded[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(head(&bytes), u64::from_le_bytes(padded), "length {len}");
        }
    }

    proptest! {
        /// The list and the map answer alike, before and after the switch.
        #[test]
        fn behaves_like_a_hash_map(keys in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 0..60)) {
            let mut index = CellIndex::default();
            let mut reference = std::collections::HashMap::new();
            for (i, k) in keys.iter().enumerate() {
                index.insert(k, i);
                reference.entry(k.clone()).or_insert(i);
                prop_assert_eq!(index.len(), reference.len());
                for probe in &keys {
                    prop_assert_eq!(index.get(probe), reference.get(probe).copied());
                }
            }
        }
    }
}
