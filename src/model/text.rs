//! Text joined from pieces without `format!`'s machinery: the rules' reasons and the
//! exported files write thousands of short pieces on every change, and `core::fmt` (its
//! `Arguments`, a call per piece, a string grown as it goes) took a sixth of the native
//! `full/<tier>`. Here the pieces are `&str`s (whole numbers through [`digits`]), and the
//! string is allocated once at their total length.

/// The pieces joined, in one allocation of their total length.
pub fn cat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    push_all(&mut out, pieces);
    out
}

/// The pieces appended to `out`.
pub fn push_all(out: &mut String, pieces: &[&str]) {
    out.reserve(pieces.iter().map(|p| p.len()).sum());
    for p in pieces {
        out.push_str(p);
    }
}

/// A whole number's decimal digits, on the stack: `&digits(n)` is a piece, as `{n}` writes it.
#[derive(Clone, Copy)]
pub struct Digits {
    bytes: [u8; 20],
    start: usize,
}

/// The decimal digits of `n` (`n.to_string()`, without the allocation).
pub fn digits(n: impl Into<u64>) -> Digits {
    let (bytes, start) = crate::model::decimal::whole_digits(n.into());
    Digits { bytes, start }
}

impl Digits {
    /// The digits as ASCII bytes.
    pub fn ascii(&self) -> &[u8] {
        &self.bytes[self.start..]
    }
}

impl std::ops::Deref for Digits {
    type Target = str;
    fn deref(&self) -> &str {
        // Only ASCII digits are ever written.
        std::str::from_utf8(self.ascii()).unwrap_or("0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces join as `format!` joins them; digits are `to_string`'s, from 0 to `u64::MAX`.
    #[test]
    fn pieces_join_and_digits_are_to_strings() {
        let n = 1234u32;
        assert_eq!(cat(&["a ", &digits(n), " b", "", &String::from("é")]), format!("a {n} b{}", "é"));
        let mut out = String::from("x");
        push_all(&mut out, &["=", &digits(0u8), "\n"]);
        assert_eq!(out, "x=0\n");
        let mut r = crate::model::rng::Rng(0xd161_7500);
        for k in 0..2000u64 {
            let x = match k {
                0 => 0,
                1 => u64::MAX,
                2..=30 => 10u64.pow((k - 2) as u32 % 20) - u64::from(k % 2 == 0),
                _ => (r.unit() * 2f64.powi((k % 64) as i32)) as u64,
            };
            assert_eq!(&*digits(x), x.to_string(), "{x}");
        }
    }
}
