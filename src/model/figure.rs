//! How the planner writes a rate or a time for a person: a whole number with thousands
//! separators from 1 up ("1,026"), two significant figures below it, so a capacity of
//! 0.15 r/s or a 0.4 ms response never reads "0".

/// `x` as a whole number grouped by thousands when |x| ≥ 1 or x = 0 (1026.4 → "1,026",
/// 999.5 → "1,000"); below 1, to two significant figures without trailing zeros
/// (0.153 → "0.15", 0.1 → "0.1", 0.00417 → "0.0042"). Not finite → "—".
pub fn whole(x: f64) -> String {
    let a = x.abs();
    if !a.is_finite() {
        return "—".to_string();
    }
    if a > 0.0 && a < 1.0 {
        // Two significant figures: one decimal more than the first non-zero digit's
        // place (counted by scaling, not log10, which would bring libm's into the page).
        let (mut decimals, mut scaled) = (1, a);
        while scaled < 1.0 && decimals < 330 {
            scaled *= 10.0;
            decimals += 1;
        }
        return dec(x, decimals);
    }
    let digits = format!("{a:.0}");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if x.round() < 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count and its noun, singular for one: "1 node", "1,000 nodes".
pub fn count(n: impl Into<f64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{} {}", whole(n), if n == 1.0 { one } else { many })
}

/// A number with up to `decimals` decimals, trailing zeros dropped: 2.50 → "2.5".
/// Not finite → "—".
pub fn dec(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::{count, whole};

    #[test]
    fn whole_from_one_two_significant_figures_below() {
        assert_eq!(whole(1026.4), "1,026");
        assert_eq!(whole(999.5), "1,000");
        assert_eq!(whole(12_345_678.0), "12,345,678");
        assert_eq!(whole(-4200.0), "-4,200");
        assert_eq!(whole(-0.4), "-0.4");
        assert_eq!(whole(1.0), "1");
        assert_eq!(whole(0.0), "0");
        assert_eq!(whole(0.153), "0.15");
        assert_eq!(whole(0.1), "0.1");
        assert_eq!(whole(0.00417), "0.0042");
        assert_eq!(whole(0.996), "1");
        assert_eq!(whole(-0.25), "-0.25");
        assert_eq!(whole(5e-300).parse::<f64>(), Ok(5e-300));
        assert_eq!(whole(f64::INFINITY), "—");
        assert_eq!(whole(f64::NAN), "—");
    }

    #[test]
    fn one_is_singular() {
        assert_eq!(count(1, "node", "nodes"), "1 node");
        assert_eq!(count(4096, "process", "processes"), "4,096 processes");
    }
}
