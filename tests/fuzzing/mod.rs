//! What the fuzz tests share (tests/fuzz_links.rs, tests/fuzz_loadtest.rs): a seeded
//! generator, random bytes, and text with a few characters changed.

pub use planner::model::rng::Rng;

/// Up to `n` random bytes, read as UTF-8 with replacement characters.
pub fn random_bytes(rng: &mut Rng, n: usize) -> String {
    let bytes: Vec<u8> = (0..rng.below(n + 1)).map(|_| rng.next() as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A few characters changed to one of `junk`, removed, inserted, or the text cut.
pub fn mutate_chars(rng: &mut Rng, text: &str, junk: &[char]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(5) {
        let at = rng.below(chars.len() + 1);
        let c = *rng.pick(junk);
        match rng.below(4) {
            0 if at < chars.len() => chars[at] = c,
            1 if at < chars.len() => drop(chars.remove(at)),
            2 if at < chars.len() => chars.truncate(at),
            _ => chars.insert(at, c),
        }
    }
    chars.into_iter().collect()
}
