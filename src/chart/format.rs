//! Numbers as the charts write them: tick labels short ("2.5k"), the text alternatives
//! in full words and digits ("1,026 r/s").

/// `whole`: rates, times and counts, whole and grouped from 1 up, two figures below
/// ("1,026", "0.15"); `dec`: up to so many decimals; `count`: a count and its noun. The
/// model's formatters.
pub use crate::model::figure::{count, dec, whole};

/// A quantity to about three significant figures, grouped: 0.42, 12.5, 1,026.
pub fn num(x: f64) -> String {
    let a = x.abs();
    if a >= 100.0 || !x.is_finite() {
        whole(x)
    } else if a >= 10.0 {
        dec(x, 1)
    } else {
        dec(x, 2)
    }
}

/// A tick label, short as the axis has little room, in one style for the whole axis
/// (`axis_max` its largest value, `decimals` what its step needs): 2,500 → "2,500", and
/// on an axis beyond 10,000, 15,000 → "15k"; beyond a million, 2,000,000 → "2M".
pub fn tick(x: f64, decimals: usize, axis_max: f64) -> String {
    let a = axis_max.abs();
    if x == 0.0 {
        "0".to_string()
    } else if a >= 1e6 {
        format!("{}M", dec(x / 1e6, decimals.saturating_sub(6).max(2)))
    } else if a >= 1e4 {
        format!("{}k", dec(x / 1e3, decimals.saturating_sub(3).max(1)))
    } else {
        crate::model::figure::grouped(x, decimals)
    }
}

/// MiB as GiB for a person: 6553.6 → "6.4 GiB".
pub fn gib(mib: f64) -> String {
    format!("{} GiB", num(mib / 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_keep_about_three_figures() {
        assert_eq!(num(0.4213), "0.42");
        assert_eq!(num(12.46), "12.5");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(1980.2), "1,980");
    }

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(2500.0, 0, 5000.0), "2,500");
        assert_eq!(tick(2500.0, 0, 15_000.0), "2.5k");
        assert_eq!(tick(15_000.0, 0, 15_000.0), "15k");
        assert_eq!(tick(2_000_000.0, 0, 3e6), "2M");
        assert_eq!(tick(0.30000000000000004, 1, 1.0), "0.3");
        assert_eq!(tick(0.25, 2, 1.0), "0.25");
        assert_eq!(tick(-0.0, 0, 1.0), "0");
        assert_eq!(tick(0.0, 0, 1e7), "0");
    }

    #[test]
    fn mib_read_as_gib() {
        assert_eq!(gib(6553.6), "6.4 GiB");
    }
}
