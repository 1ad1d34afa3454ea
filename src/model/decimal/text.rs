//! `f64` to decimal text, as `format!("{x}")` and `format!("{x:.d$}")` write it, without
//! core's float formatter (Grisu with a Dragon4 fallback and its tables, about 13 KB of
//! the page's wasm). A number's exact decimal expansion is found with big integers and
//! rounded once, half to even, as core rounds; the shortest text is the first number of
//! significant digits whose nearest decimal reads back as the same `f64` ([`parse_finite`]).
//! `tests` compares both with core on random, halfway and extreme inputs.

use super::{mul_add, parse_finite, shl};

/// The exact decimal digits of |x| (finite, not zero) and the place of the point:
/// |x| = 0.d₁d₂… × 10^point, d₁ ≠ 0.
fn exact(x: f64) -> (Vec<u8>, i64) {
    let bits = x.abs().to_bits();
    let (biased, fraction) = ((bits >> 52) as i64, bits & ((1 << 52) - 1));
    let (m, e) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    let mut n = vec![m as u32, (m >> 32) as u32];
    let mut shift = 0;
    if e >= 0 {
        shl(&mut n, e as u32);
    } else {
        // m / 2^k = m·5^k / 10^k.
        let mut k = -e;
        while k > 0 {
            let step = k.min(13);
            mul_add(&mut n, 5u32.pow(step as u32), 0);
            k -= step;
        }
        shift = e;
    }
    let digits = to_digits(n);
    let point = digits.len() as i64 + shift;
    (digits, point)
}

/// The decimal digits of n, most significant first, without leading zeros.
fn to_digits(mut n: Vec<u32>) -> Vec<u8> {
    let mut chunks = Vec::new();
    while n.iter().any(|&l| l != 0) {
        let mut rem = 0u64;
        for limb in n.iter_mut().rev() {
            let cur = rem << 32 | u64::from(*limb);
            *limb = (cur / 1_000_000_000) as u32;
            rem = cur % 1_000_000_000;
        }
        chunks.push(rem as u32);
        while n.last() == Some(&0) {
            n.pop();
        }
    }
    let mut out = Vec::with_capacity(chunks.len() * 9);
    for c in chunks.iter().rev() {
        for p in (0..9).rev() {
            out.push((c / 10u32.pow(p) % 10) as u8);
        }
    }
    let first = out.iter().position(|&d| d != 0).unwrap_or(out.len());
    out.drain(..first);
    out
}

/// The first `keep` digits rounded by the rest, a half to even or up (a carry may add a
/// digit in front: the point moves by one).
fn round(digits: &[u8], point: i64, keep: i64, even: bool) -> (Vec<u8>, i64) {
    if keep >= digits.len() as i64 {
        return (digits.to_vec(), point);
    }
    if keep < 0 {
        return (Vec::new(), point);
    }
    let k = keep as usize;
    let mut out = digits[..k].to_vec();
    let next = digits[k];
    let rest = digits[k + 1..].iter().any(|&d| d != 0);
    let odd = !even || out.last().is_some_and(|d| d % 2 == 1);
    if next > 5 || next == 5 && (rest || odd) {
        let mut i = k;
        loop {
            if i == 0 {
                out.insert(0, 1);
                return (out, point + 1);
            }
            i -= 1;
            if out[i] == 9 {
                out[i] = 0;
            } else {
                out[i] += 1;
                break;
            }
        }
    }
    (out, point)
}

fn sign(x: f64) -> &'static str {
    if x.is_sign_negative() { "-" } else { "" }
}

/// A whole number's digits appended to `out`: not `write!`'s machinery, which the share
/// link's fields and the charts' coordinates (thousands per change) went through.
pub fn push_whole(out: &mut String, n: u64) {
    let (digits, start) = whole_digits(n);
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// A whole number's decimal digits as ASCII, in `digits[start..]`: the one digit loop of
/// [`push_whole`] and [`crate::model::text::digits`].
pub fn whole_digits(mut n: u64) -> ([u8; 20], usize) {
    let (mut digits, mut start) = ([b'0'; 20], 20);
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    (digits, start)
}

/// `format!("{x:.decimals$}")`.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return shortest(x);
    }
    if let Some(s) = fixed_small(x, decimals) {
        return s;
    }
    let (digits, point) = if x == 0.0 { (Vec::new(), 0) } else { exact(x) };
    let (digits, point) = round(&digits, point, point + decimals as i64, true);
    let mut s = sign(x).to_string();
    if point <= 0 {
        s.push('0');
    }
    s += &text(&digits, 0..point);
    if decimals > 0 {
        s.push('.');
        s += &text(&digits, point..point + decimals as i64);
    }
    s
}

/// The digits at places `r` (0 the first), '0' outside them.
fn text(digits: &[u8], r: std::ops::Range<i64>) -> String {
    r.map(|i| usize::try_from(i).ok().and_then(|i| digits.get(i)).map_or('0', |&d| char::from(b'0' + d))).collect()
}

/// [`fixed`] without big integers where `|x|·10^d < 2^50` and `d ≤ 9`: the product is
/// found exactly as a sum `p + e` of two floats (Dekker's product), so the nearest integer
/// to it, a half to even, is decided exactly. None elsewhere.
// Source: T. J. Dekker, "A floating-point technique for extending the available
// precision", Numer. Math. 18 (1971) (the exact product by Veltkamp's split).
fn fixed_small(x: f64, decimals: usize) -> Option<String> {
    const LIMIT: f64 = 1_125_899_906_842_624.0; // 2^50
    if decimals > 9 {
        return None;
    }
    let a = x.abs();
    let scale = 10f64.powi(decimals as i32);
    let p = a * scale;
    if p.is_nan() || p >= LIMIT {
        return None;
    }
    let split = |v: f64| {
        let c = 134_217_729.0 * v; // 2^27 + 1
        let hi = c - (c - v);
        (hi, v - hi)
    };
    let ((ah, al), (bh, bl)) = (split(a), split(scale));
    let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    // p + e is a·10^d exactly; |e| ≤ ulp(p)/2 ≤ 1/16 below 2^50.
    let k0 = p.floor();
    let t = p - k0;
    let up = if t < 0.25 {
        false
    } else if t > 0.75 {
        true
    } else {
        let d = t - 0.5; // exact (Sterbenz)
        d > -e || d == -e && k0 % 2.0 == 1.0
    };
    let mut k = (k0 + f64::from(u8::from(up))) as u64;
    // k's digits, at least `decimals + 1` of them (k < 2^50: 16 digits at most), written
    // from the last; then the point before the last `decimals`. Not `format!`, whose
    // padding and two allocations took most of a number's time.
    let mut buf = [b'0'; 20];
    let mut start = buf.len();
    while k > 0 || buf.len() - start <= decimals {
        start -= 1;
        buf[start] = b'0' + (k % 10) as u8;
        k /= 10;
    }
    let digits = &buf[start..];
    let mut s = String::with_capacity(digits.len() + 2);
    s.push_str(sign(x));
    for (i, &d) in digits.iter().enumerate() {
        if i + decimals == digits.len() {
            s.push('.');
        }
        s.push(char::from(d));
    }
    Some(s)
}

/// `format!("{x}")`: the fewest significant digits that read back as `x`
/// (the nearest such, a tie rounded up, as core's shortest mode does), never in
/// exponent form.
pub fn shortest(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return format!("{}inf", sign(x));
    }
    if x == 0.0 {
        return format!("{}0", sign(x));
    }
    if let Some(s) = few_decimals(x) {
        return s;
    }
    let (digits, point) = exact(x);
    let reads_back = |d: &[u8], p: i64| {
        let text: String = d.iter().map(|&c| char::from(b'0' + c)).collect();
        parse_finite(&format!("0.{text}e{p}")) == Some(x.abs())
    };
    // The p digits nearest x, or a neighbour of them, that read back as x. The nearest
    // may fall outside where x reads back and a neighbour inside (where the gap below x
    // is half the gap above it, at a power of two).
    let with = |keep: i64| {
        let (near, p) = round(&digits, point, keep, false);
        if reads_back(&near, p) {
            return Some((near, p));
        }
        step(&near, p, true).filter(|n| reads_back(&n.0, n.1)).or_else(|| step(&near, p, false).filter(|n| reads_back(&n.0, n.1)))
    };
    // More digits never read back worse (the nearest p + 1 digits are at least as near):
    // the fewest are found by bisection; 17 always read back.
    let (mut lo, mut hi) = (1, 17);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if with(mid).is_some() {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let (mut d, mut p) = with(lo).unwrap_or((digits, point));
    while d.first() == Some(&0) {
        d.remove(0);
        p -= 1;
    }
    while d.last() == Some(&0) {
        d.pop();
    }
    let len = d.len() as i64;
    let body = if p <= 0 {
        format!("0.{}", text(&d, p..len))
    } else if p >= len {
        text(&d, 0..p)
    } else {
        format!("{}.{}", text(&d, 0..p), text(&d, p..len))
    };
    format!("{}{body}", sign(x))
}

/// [`shortest`] of a number that is an integer or has a few decimals below 2^53, without
/// big integers: the first `d` ≤ 9 for which `k = round(x·10^d)` gives back `x` as
/// `k / 10^d` (both exact below 2^53 and 10^22, so that division rounds as the parse
/// does). Only where one `d`-decimal number at most lies within half an ulp of `x`
/// (ulp·10^d < 0.25): then it is the nearest, as core picks. None otherwise.
fn few_decimals(x: f64) -> Option<String> {
    let a = x.abs();
    // NaN and numbers from 2^53 on take the exact path.
    if a.is_nan() || a >= 9_007_199_254_740_992.0 {
        return None;
    }
    let ulp = f64::from_bits(a.to_bits() + 1) - a;
    let mut scale = 1.0;
    for d in 0..=9usize {
        if ulp * scale >= 0.25 || a * scale >= 9_007_199_254_740_992.0 {
            return None;
        }
        if (a * scale).round() / scale == a {
            // That nearest integer is the one [`fixed_small`] rounds to (it is within an
            // eighth of the product, far from a half); its last digit is not 0, or d − 1
            // decimals would have read back.
            return fixed_small(x, d);
        }
        scale *= 10.0;
    }
    None
}

/// The digits one unit in their last place up or down (None below the smallest).
fn step(d: &[u8], p: i64, up: bool) -> Option<(Vec<u8>, i64)> {
    let mut out = d.to_vec();
    let mut i = out.len();
    loop {
        if i == 0 {
            if !up {
                return None;
            }
            out.insert(0, 1);
            return Some((out, p + 1));
        }
        i -= 1;
        match (up, out[i]) {
            (true, 9) => out[i] = 0,
            (false, 0) => out[i] = 9,
            (true, _) => return Some({ out[i] += 1; (out, p) }),
            (false, _) => return Some({ out[i] -= 1; (out, p) }),
        }
    }
}
