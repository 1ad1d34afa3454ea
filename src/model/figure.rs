//! How the planner writes a rate or a time for a person: a whole number with thousands
//! separators from 1 up ("1,026"), two significant figures below it, so a capacity of
//! 0.15 r/s or a 0.4 ms response never reads "0"; counts with their noun, singular for
//! one.

use super::choice::Platform;
use super::plan::Plan;

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
    // Grouped in the digits' own string (a `format!` of the grouped digits, then a second
    // string, took most of a whole's time): a comma before every three from the right.
    let mut out = super::decimal::fixed(a, 0);
    let mut i = out.len();
    while i > 3 {
        i -= 3;
        out.insert(i, ',');
    }
    if x.round() < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// `x` with up to `decimals` decimals ([`dec`]) and its whole part grouped by thousands
/// as [`whole`] groups it: 16384.5 → "16,384.5", 0.5 → "0.5". Not finite → "—".
pub fn grouped(x: f64, decimals: usize) -> String {
    group_text(&dec(x, decimals))
}

/// Text with the whole part of every number in it grouped by thousands ("16384.5" →
/// "16,384.5", "-4200" → "-4,200", "4096 87380" → "4,096 87,380"); digits after a '.'
/// or inside a word ("10.0.0.0/8", "k8s", "1y") as they are.
pub fn group_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    group_into(&mut out, s);
    out
}

/// [`group_text`] appended to `out`.
fn group_into(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut start = 0;
    for i in 1..=b.len() {
        // A run of digits ends at i: push it, grouped when it starts a number.
        if i < b.len() && b[i].is_ascii_digit() == b[start].is_ascii_digit() {
            continue;
        }
        let run = &s[start..i];
        let number = b[start].is_ascii_digit() && (start == 0 || !(b[start - 1] == b'.' || b[start - 1].is_ascii_alphanumeric()));
        for (k, c) in run.char_indices() {
            if number && k > 0 && (run.len() - k) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        start = i;
    }
}

/// A count and its noun, singular for one: "1 node", "1,000 nodes".
pub fn count(n: impl Into<f64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{} {}", whole(n), noun(n, one, many))
}

/// The noun of a count of `n`: `one` for 1, else `many`.
pub fn noun<'a>(n: impl Into<f64>, one: &'a str, many: &'a str) -> &'a str {
    if n.into() == 1.0 { one } else { many }
}

/// What one app replica is called, singular and plural: "pod" on Kubernetes, where the
/// replicas are the Deployment's pods, else "node".
pub fn replica_noun(plan: &Plan) -> (&'static str, &'static str) {
    match plan.platform {
        Platform::K8s => ("pod", "pods"),
        Platform::Hosts => ("node", "nodes"),
    }
}

/// `n` app replicas in words: "1 node", "3 pods" ([`replica_noun`]).
pub fn replicas(plan: &Plan, n: u32) -> String {
    let (one, many) = replica_noun(plan);
    count(n, one, many)
}

/// A number with up to `decimals` decimals, trailing zeros dropped: 2.50 → "2.5".
/// Not finite → "—".
pub fn dec(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    // Trimmed in place: one string, not a second copy of it.
    let mut s = super::decimal::fixed(x, decimals);
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    if s == "-0" {
        s.remove(0);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{count, group_text, grouped, replicas, whole};
    use crate::model::{Plan, Platform};

    /// Whole numbers from 1 are the digits `fixed(|x|, 0)` writes (its exact rounding, a
    /// half to even), grouped as `group_text` groups them: on both sides of halves, of 2^50
    /// and over sixteen orders of magnitude and past them.
    #[test]
    fn whole_numbers_are_fixed_digits_grouped() {
        let mut r = crate::model::rng::Rng(0xf1_9e5);
        let mut xs = vec![1.0, 1.5, 2.5, 999.5, 1000.5, 4_503_599_627_370_495.5, 1_125_899_906_842_623.75, 1_125_899_906_842_624.0, 9.9e17, 1.8e19, 3e19, 1e300];
        for _ in 0..20_000 {
            let x = 10f64.powf(16.0 * r.unit()).max(1.0);
            xs.extend([x, x.floor() + 0.5, -x]);
        }
        for x in xs {
            let sign = if x.round() < 0.0 { "-" } else { "" };
            assert_eq!(whole(x), format!("{sign}{}", group_text(&crate::model::decimal::fixed(x.abs(), 0))), "{x}");
        }
    }

    /// `dec` drops the trailing zeros of `fixed`'s decimals and never writes "-0".
    #[test]
    fn decimals_without_trailing_zeros() {
        use super::dec;
        for (x, d, want) in [(2.5, 2, "2.5"), (3.0, 2, "3"), (-3.0, 0, "-3"), (-0.004, 2, "0"), (-0.0, 1, "0"), (10.0, 0, "10"), (1.05, 1, "1.1"), (0.125, 2, "0.12"), (f64::NAN, 2, "—")] {
            assert_eq!(dec(x, d), want, "{x} to {d}");
        }
    }

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
    fn grouped_keeps_the_decimals_and_groups_the_whole_part() {
        assert_eq!(grouped(16384.5, 1), "16,384.5");
        assert_eq!(grouped(0.5, 1), "0.5");
        assert_eq!(grouped(2048.0, 1), "2,048");
        assert_eq!(grouped(-1234.25, 2), "-1,234.25");
        assert_eq!(grouped(f64::NAN, 1), "—");
        assert_eq!(group_text("134217728"), "134,217,728");
        assert_eq!(group_text("4096 87380 -4200 0.00012345"), "4,096 87,380 -4,200 0.00012345");
        for text in ["auto", "1y", "10.0.0.0/8", "1.2.3", "", "-", "k8s1234", "p95"] {
            assert_eq!(group_text(text), text);
        }
    }

    #[test]
    fn one_is_singular() {
        assert_eq!(count(1, "node", "nodes"), "1 node");
        assert_eq!(count(4096, "process", "processes"), "4,096 processes");
    }

    #[test]
    fn replicas_are_pods_on_kubernetes_and_nodes_on_hosts() {
        let k8s = Plan { platform: Platform::K8s, ..Plan::default() };
        assert_eq!((replicas(&k8s, 1), replicas(&k8s, 3)), ("1 pod".to_string(), "3 pods".to_string()));
        assert_eq!((replicas(&Plan::default(), 1), replicas(&Plan::default(), 1000)), ("1 node".to_string(), "1,000 nodes".to_string()));
    }
}
