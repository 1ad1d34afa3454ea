//! How the planner writes a rate or a time for a person: a whole number from 1 up, two
//! significant figures below it, so a capacity of 0.15 r/s or a 0.4 ms response never
//! reads "0".

/// `x` as a whole number when |x| ≥ 1 or x = 0 (1026.4 → "1026"); below 1, to two
/// significant figures without trailing zeros (0.153 → "0.15", 0.1 → "0.1",
/// 0.00417 → "0.0042"). Not finite: as Rust writes it ("inf", "NaN").
pub fn whole(x: f64) -> String {
    let a = x.abs();
    if a >= 1.0 || a == 0.0 || !a.is_finite() {
        return format!("{x:.0}");
    }
    // Two significant figures: one decimal more than the first non-zero digit's place
    // (counted by scaling, not log10, which would bring libm's into the page).
    let (mut decimals, mut scaled) = (1, a);
    while scaled < 1.0 && decimals < 330 {
        scaled *= 10.0;
        decimals += 1;
    }
    let s = format!("{x:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::whole;

    #[test]
    fn whole_from_one_two_significant_figures_below() {
        assert_eq!(whole(1026.4), "1026");
        assert_eq!(whole(1.0), "1");
        assert_eq!(whole(0.0), "0");
        assert_eq!(whole(0.153), "0.15");
        assert_eq!(whole(0.1), "0.1");
        assert_eq!(whole(0.00417), "0.0042");
        assert_eq!(whole(0.996), "1");
        assert_eq!(whole(-0.25), "-0.25");
        assert_eq!(whole(5e-300).parse::<f64>(), Ok(5e-300));
        assert_eq!(whole(f64::INFINITY), "inf");
    }
}
