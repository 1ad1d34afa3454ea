//! Decimal text to `f64`, as `str::parse::<f64>` reads it, without core's float parser:
//! its 10 KB table of powers of five was a twentieth of the page. A number is read
//! exactly as a ratio of big integers and rounded once (to nearest, ties to even), so
//! every result is the one core gives (`tests` compares them on random, halfway and
//! extreme inputs). Slower than core's, which no form field notices.

/// Significant digits kept: a decimal halfway between two `f64`s has at most 767, so
/// the digits beyond 800 only matter as "some are not zero".
const MAX_DIGITS: usize = 800;

/// The finite number `text` spells, as `text.parse::<f64>()` reads it: an optional sign,
/// digits with an optional `.` (at least one digit), an optional exponent (`e` or `E`,
/// an optional sign, digits). None when that parse fails or is not finite (`inf`,
/// `NaN`, `1e999`).
pub fn parse_finite(text: &str) -> Option<f64> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut bytes = text.bytes().peekable();
    // The value is `digits` (as an integer) × 10^exp10.
    let (mut digits, mut exp10, mut sticky) = (Vec::new(), 0i64, false);
    let (mut any_digit, mut fraction) = (false, false);
    while let Some(&b) = bytes.peek() {
        match b {
            b'0'..=b'9' => {
                any_digit = true;
                let d = b - b'0';
                if digits.is_empty() && d == 0 {
                    exp10 -= i64::from(fraction);
                } else if digits.len() < MAX_DIGITS {
                    digits.push(d);
                    exp10 -= i64::from(fraction);
                } else {
                    sticky |= d != 0;
                    exp10 += i64::from(!fraction);
                }
            }
            b'.' if !fraction => fraction = true,
            _ => break,
        }
        bytes.next();
    }
    if !any_digit {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.peek() {
        bytes.next();
        let sign = match bytes.peek() {
            Some(b'-') => -1,
            Some(b'+') => 1,
            _ => 0,
        };
        if sign != 0 {
            bytes.next();
        }
        let (mut exp, mut exp_digits) = (0i64, 0);
        while let Some(&b @ b'0'..=b'9') = bytes.peek() {
            // Saturates where core's parser does, so huge exponents read the same.
            if exp < 0x10000 {
                exp = 10 * exp + i64::from(b - b'0');
            }
            exp_digits += 1;
            bytes.next();
        }
        if exp_digits == 0 {
            return None;
        }
        exp10 += if sign < 0 { -exp } else { exp };
    }
    if bytes.next().is_some() {
        return None;
    }
    if sticky {
        // Above the kept digits and below their next value: rounds as the full number.
        digits.push(1);
        exp10 -= 1;
    }
    let magnitude = digits.len() as i64 + exp10; // 10^(magnitude-1) ≤ value < 10^magnitude
    let value = if digits.is_empty() || magnitude < -324 {
        0.0
    } else if magnitude > 310 {
        return None;
    } else {
        nearest(&digits, exp10 as i32)?
    };
    Some(if negative { -value } else { value })
}

/// The `f64` nearest to `digits` × 10^`exp10` (between 1e-325 and 1e310); None
/// when that rounds to infinity.
fn nearest(digits: &[u8], exp10: i32) -> Option<f64> {
    // value = num / den, both big integers.
    let mut num = vec![0u32];
    for &d in digits {
        mul_add(&mut num, 10, u32::from(d));
    }
    let mut den = vec![1u32];
    for _ in 0..exp10.unsigned_abs() {
        mul_add(if exp10 < 0 { &mut den } else { &mut num }, 10, 0);
    }
    // Scale by a power of two so that 1 ≤ num/den < 2: then value ∈ [2^p, 2^(p+1)).
    let mut p = bits(&num) as i32 - bits(&den) as i32;
    if p > 0 {
        shl(&mut den, p as u32);
    } else {
        shl(&mut num, p.unsigned_abs());
    }
    if !at_least(&num, &den) {
        shl(&mut num, 1);
        p -= 1;
    }
    // The first 64 bits of num/den, and whether more follow.
    let mut q = 0u64;
    for _ in 0..64 {
        q <<= 1;
        if at_least(&num, &den) {
            sub(&mut num, &den);
            q |= 1;
        }
        shl(&mut num, 1);
    }
    let sticky = num.iter().any(|&limb| limb != 0);
    if p > 1023 {
        return None;
    }
    // Keep 53 bits, fewer below 2^-1022 (subnormal); round the dropped ones.
    let drop = (11 + (-1022 - p).max(0)).min(65) as u32;
    let q = u128::from(q);
    let (mantissa, rest, half) = (q >> drop, q & ((1 << drop) - 1), 1u128 << (drop - 1));
    let up = rest > half || (rest == half && (sticky || mantissa & 1 == 1));
    let mantissa = (mantissa + u128::from(up)) as u64;
    // The implicit bit of the mantissa adds one to the exponent field; a mantissa
    // rounded up to 2^53 adds one more, as it should.
    let value = f64::from_bits((((p.max(-1022) + 1022) as u64) << 52) + mantissa);
    value.is_finite().then_some(value)
}

/// n = n × mul + add.
fn mul_add(n: &mut Vec<u32>, mul: u32, add: u32) {
    let mut carry = u64::from(add);
    for limb in n.iter_mut() {
        let x = u64::from(*limb) * u64::from(mul) + carry;
        *limb = x as u32;
        carry = x >> 32;
    }
    if carry > 0 {
        n.push(carry as u32);
    }
}

/// The number of bits of n without its leading zeros.
fn bits(n: &[u32]) -> u32 {
    match n.iter().rposition(|&limb| limb != 0) {
        Some(top) => top as u32 * 32 + (32 - n[top].leading_zeros()),
        None => 0,
    }
}

/// n = n × 2^by.
fn shl(n: &mut Vec<u32>, by: u32) {
    let (limbs, by) = ((by / 32) as usize, by % 32);
    if by > 0 {
        let mut carry = 0;
        for limb in n.iter_mut() {
            let x = *limb;
            *limb = x << by | carry;
            carry = x >> (32 - by);
        }
        if carry > 0 {
            n.push(carry);
        }
    }
    n.splice(0..0, std::iter::repeat_n(0, limbs));
}

/// a ≥ b.
fn at_least(a: &[u32], b: &[u32]) -> bool {
    let len = a.len().max(b.len());
    for i in (0..len).rev() {
        let (x, y) = (a.get(i).copied().unwrap_or(0), b.get(i).copied().unwrap_or(0));
        if x != y {
            return x > y;
        }
    }
    true
}

/// a = a - b, for a ≥ b.
fn sub(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0;
    for (i, limb) in a.iter_mut().enumerate() {
        let (x, o1) = limb.overflowing_sub(b.get(i).copied().unwrap_or(0));
        let (x, o2) = x.overflowing_sub(borrow);
        *limb = x;
        borrow = u32::from(o1 || o2);
    }
}

mod text;
pub use text::{fixed, push_whole, shortest, whole_digits};

#[cfg(test)]
mod tests;
