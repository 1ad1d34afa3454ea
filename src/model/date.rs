//! Calendar dates from days since the Unix epoch: the zip's timestamps and the day a
//! calibration marks its plan with.

/// The (year, month 1–12, day 1–31) `days` after 1970-01-01, proleptic Gregorian.
// Source: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days.
pub fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The day `days` after 1970-01-01 as YYYY-MM-DD.
pub fn day(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}
