//! xorshift64* (Vigna 2016): a tiny deterministic generator for the randomised tests, so
//! they need no dependency and every run sees the same cases.

use crate::model::Within;

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// A pick by value, for `Copy` choices.
    pub fn choose<T: Copy>(&mut self, xs: &[T]) -> T {
        *self.pick(xs)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in lo..=hi.
    pub fn int(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % (u64::from(hi) - u64::from(lo) + 1)) as u32
    }

    /// Log-uniform in [lo, hi], so every order of magnitude of a range shows up.
    pub fn log(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp().within(lo, hi)
    }
}
