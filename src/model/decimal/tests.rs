//! `parse_finite` against core's `str::parse::<f64>`: the same number, bit for bit, or
//! None where core fails or gives a number that is not finite.

use super::*;
use crate::model::rng::Rng;

/// What core says `text` is, as `parse_finite` should say it.
fn core(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

#[track_caller]
fn same_as_core(text: &str) {
    let (ours, theirs) = (parse_finite(text), core(text));
    assert_eq!(ours.map(f64::to_bits), theirs.map(f64::to_bits), "{text:?}: ours {ours:?}, core {theirs:?}");
}

#[test]
fn reads_what_core_reads_and_refuses_what_it_refuses() {
    let cases = [
        "0", "-0", "+0", "8", "12.5", "-3.75", "+1", ".5", "5.", "1.e5", "0.1", "0.3", "1e3", "1E3", "1e+3", "1e-3",
        "2.5e-3", "007", "0.000001", "100000000000000000000000", "1e22", "1e23", "9007199254740993",
        "", "+", "-", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-", "1.5.5", "1..5", "+-1", "--1", " 1", "1 ", "1_000",
        "0x10", "1,5", "١", "inf", "-inf", "infinity", "INF", "NaN", "nan", "1e999", "-1e999", "1e-999", "-1e-999",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999",
        "4.9e-324", "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
        "2.2250738585072014e-308", "1e-400", "0e999999", "0.0000e-99999999999", "1e-99999999999", "1e99999999999",
    ];
    for text in cases {
        same_as_core(text);
    }
    assert_eq!(parse_finite("12.5"), Some(12.5));
    assert_eq!(parse_finite("-0").map(f64::is_sign_negative), Some(true));
    assert_eq!(parse_finite("NaN"), None);
}

#[test]
fn long_inputs_read_as_core_reads_them() {
    same_as_core(&"9".repeat(10_000));
    same_as_core(&"9".repeat(300));
    same_as_core(&format!("0.{}1", "0".repeat(5_000)));
    same_as_core(&format!("0.{}1e5000", "0".repeat(4_990)));
    same_as_core(&format!("1{}e-10000", "0".repeat(10_000)));
    same_as_core(&format!("{}e-70000", "1".repeat(70_000)));
    // Saturated exponents: core reads these as 0 and as infinity, not as 0.1 and 10.
    same_as_core(&format!("0.{}1e100000", "0".repeat(100_000)));
    same_as_core(&format!("1{}e-100000", "0".repeat(100_000)));
}

/// The exact decimal expansion of m × 2^e.
fn exact(m: u128, e: i32) -> String {
    // Decimal digits, least significant first.
    let mut digits: Vec<u8> = m.to_string().bytes().rev().map(|b| b - b'0').collect();
    let times = |digits: &mut Vec<u8>, k: u8| {
        let mut carry = 0;
        for d in digits.iter_mut() {
            let x = *d * k + carry;
            *d = x % 10;
            carry = x / 10;
        }
        while carry > 0 {
            digits.push(carry % 10);
            carry /= 10;
        }
    };
    for _ in 0..e.unsigned_abs() {
        times(&mut digits, if e < 0 { 5 } else { 2 });
    }
    let text: String = digits.iter().rev().map(|d| char::from(b'0' + d)).collect();
    if e < 0 {
        format!("{text}e-{}", e.unsigned_abs())
    } else {
        text
    }
}

#[test]
fn halfway_cases_round_to_even_and_their_neighbours_away_from_it() {
    let mut rng = Rng(0x0DEC_13A1);
    for i in 0..200 {
        // Normal and subnormal doubles, small ones and everything in between.
        let x = match i % 3 {
            0 => f64::from_bits(rng.next() % 0x7FEF_FFFF_FFFF_FFFF),
            1 => f64::from_bits(rng.next() % 0x0020_0000_0000_0000),
            _ => (rng.next() % (1 << 53)) as f64 / (1u64 << rng.below(60)) as f64,
        };
        let bits = x.to_bits();
        let (field, fraction) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
        let (m, e) = if field == 0 { (fraction, -1074) } else { (fraction | 1 << 52, field - 1075) };
        // Halfway between x and the next double up: (2m + 1) × 2^(e-1).
        let half = exact(2 * u128::from(m) + 1, e - 1);
        same_as_core(&half);
        let (mantissa, exponent) = half.split_once('e').unwrap_or((&half, ""));
        let exponent = if exponent.is_empty() { String::new() } else { format!("e{exponent}") };
        same_as_core(&format!("{mantissa}.0000000000000000000001{exponent}"));
        let (rest, last) = mantissa.split_at(mantissa.len() - 1);
        if last != "0" {
            let down = char::from(last.as_bytes()[0] - 1);
            same_as_core(&format!("{rest}{down}.99999999999999999999{exponent}"));
        }
        same_as_core(&exact(u128::from(m), e));
    }
}

#[test]
fn random_numbers_read_as_core_reads_them() {
    let mut rng = Rng(0x05EE_DDEC);
    for i in 0..6_000 {
        let text = match i % 4 {
            0 => format!("{}", f64::from_bits(rng.next())),
            1 => format!("{:e}", f64::from_bits(rng.next())),
            2 => {
                let digits: String = (0..=rng.below(30)).map(|_| char::from(b'0' + rng.below(10) as u8)).collect();
                let point = rng.below(digits.len() + 1);
                format!("{}.{}e{}", &digits[..point], &digits[point..], rng.below(700) as i64 - 350)
            }
            _ => (0..rng.below(8))
                .map(|_| *rng.pick(&['0', '1', '5', '9', '.', 'e', 'E', '-', '+', 'n', 'i']))
                .collect(),
        };
        same_as_core(&text);
    }
}

/// [`super::fixed`] and [`super::shortest`] write what core's formatter writes.
mod text {
    use super::super::{fixed, shortest};
    use crate::model::rng::Rng;

    fn check(x: f64) {
        assert_eq!(shortest(x), format!("{x}"), "{x:e}");
        for d in [0, 1, 2, 3, 4, 6, 9, 10, 17, 25] {
            assert_eq!(fixed(x, d), format!("{x:.d$}"), "{x:e} to {d}");
        }
    }

    #[test]
    fn special_values_read_as_core_writes_them() {
        for x in [
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1.0, -1.0, 0.5, 0.25, 0.35, 1.5, 2.5, 9.5, 99.5, 999.95, 0.05, 0.15, 1e21, 1e-7, 2.75, 8.0, 1024.0,
            0.1, 0.2, 0.3, 1.0 / 3.0, 123_456.789, 5e-324, f64::MIN_POSITIVE, f64::MAX, -f64::MAX, 9_007_199_254_740_993.0,
            4_503_599_627_370_496.5, 1e15, 1e16, 1e17, 1e22, 1e23, 0.000_123_4, 2f64.powi(-1022), 2f64.powi(60), 2f64.powi(-60),
        ] {
            check(x);
        }
        assert_eq!(fixed(1e-300, 330).len(), 332);
        assert_eq!(fixed(1e-300, 330), format!("{:.330}", 1e-300));
    }

    #[test]
    fn random_numbers_read_as_core_writes_them() {
        let mut r = Rng(0x0F10_A70F_7E47);
        for i in 0..6_000 {
            let x = match i % 4 {
                // Any finite f64.
                0 => loop {
                    let v = f64::from_bits(r.next());
                    if v.is_finite() {
                        break v;
                    }
                },
                // What a form holds: a few decimals.
                1 => (r.next() % 10_000_000) as f64 / 10f64.powi((r.next() % 6) as i32),
                // Halfway between decimals, and results of arithmetic.
                2 => ((r.next() % 100_000) as f64 + 0.5) / 10f64.powi((r.next() % 4) as i32),
                _ => r.unit() * 10f64.powi((r.next() % 20) as i32 - 8),
            };
            check(x);
        }
    }
}

/// `push_whole` writes what `to_string` writes, from 0 to `u64::MAX`.
#[test]
fn whole_numbers_are_their_digits() {
    let mut rng = crate::model::rng::Rng(0xd1_917);
    let mut ns = vec![0, 1, 9, 10, 99, 100, u64::from(u32::MAX), u64::MAX];
    ns.extend((0..2000).map(|_| rng.next() >> (rng.next() % 64)));
    for n in ns {
        let mut s = String::from("x");
        super::push_whole(&mut s, n);
        assert_eq!(s, format!("x{n}"));
    }
}
