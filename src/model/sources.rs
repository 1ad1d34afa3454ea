//! The four tuning guides the rules come from (`../shared/reference/`), named for a
//! person by a short title that tells them apart. Their own titles are nearly the same
//! ("Performance Optimization Recommendations", "Performance Tuning & Optimization
//! Guide", "Performance Optimization", "Performance Tuning Guide") and their file
//! numbers mean nothing to a reader, so every text a person reads names a guide through
//! [`guide!`], defined here once; the source code's comments keep the numbers.

/// The short name of guide 000, 002, 003 or 004, by what it tunes.
macro_rules! title {
    // 000: a Flask/Gunicorn app with PostgreSQL behind nginx: gunicorn.conf.py, nginx,
    // kernel, PostgreSQL and PgBouncer settings.
    (000) => { "Flask + PostgreSQL" };
    // 002: a Nix library that writes Kubernetes manifests: requests and limits, HPA,
    // PDB, probes, Redis sizing, alerts.
    (002) => { "Kubernetes" };
    // 003: Trunk8, a Flask link and file server: the response-time and CPU/memory
    // targets, systemd, nginx with rate limits, kernel and storage.
    (003) => { "link-server" };
    // 004: an async FastAPI service: environment variables, the pool formula, the
    // benchmark tiers.
    (004) => { "FastAPI" };
}

/// A guide (or two or three that agree) by title, as a literal for `concat!` and
/// `format!`: `guide!(003)` is "link-server guide", `guide!(000, 003)` "Flask +
/// PostgreSQL and link-server guides".
macro_rules! guide {
    ($a:tt) => { concat!($crate::model::sources::title!($a), " guide") };
    ($a:tt, $b:tt) => {
        concat!($crate::model::sources::title!($a), " and ", $crate::model::sources::title!($b), " guides")
    };
    ($a:tt, $b:tt, $c:tt) => {
        concat!(
            $crate::model::sources::title!($a), ", ", $crate::model::sources::title!($b), " and ",
            $crate::model::sources::title!($c), " guides"
        )
    };
}

pub(crate) use {guide, title};

/// Every guide: its file number in `../shared/reference/` and its title.
pub const GUIDES: [(&str, &str); 4] = [("000", guide!(000)), ("002", guide!(002)), ("003", guide!(003)), ("004", guide!(004))];

#[cfg(test)]
mod tests {
    use super::GUIDES;

    #[test]
    fn each_guide_has_its_own_short_title_without_a_number() {
        for (i, (number, title)) in GUIDES.iter().enumerate() {
            assert!(title.ends_with(" guide") && title.len() <= 24, "{number}: {title}");
            assert!(!title.contains(|c: char| c.is_ascii_digit()), "{number}: {title}");
            let name = title.trim_end_matches(" guide");
            assert!(GUIDES.iter().skip(i + 1).all(|(_, t)| !t.contains(name) && !name.contains(t.trim_end_matches(" guide"))), "{title}");
        }
        assert_eq!(guide!(000, 003), "Flask + PostgreSQL and link-server guides");
        assert_eq!(guide!(000, 002, 003), "Flask + PostgreSQL, Kubernetes and link-server guides");
    }
}
