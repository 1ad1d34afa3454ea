//! The value type every rule returns: the value, its unit, why it is what it is, and
//! the guide or tool the rule comes from, so the UI can show an "explain" line for each.

use std::borrow::Cow;

use serde::Serialize;

use crate::model::sources::guide;

/// Guide 000: Flask/Gunicorn + nginx + PostgreSQL/PgBouncer + sysctl.
pub const G000: &str = guide!(000);
/// Guide 002: Kubernetes/Nix manifests.
pub const G002: &str = guide!(002);
/// Guide 003: gunicorn + nginx + kernel.
pub const G003: &str = guide!(003);
/// Guide 004: async FastAPI (pool formula, tiers).
pub const G004: &str = guide!(004);
/// Guides 000 and 003 agree.
pub const G000_003: &str = guide!(000, 003);
/// Guides 002 and 004 agree.
pub const G002_004: &str = guide!(002, 004);
/// le0pard/pgtune, `src/features/configuration/configurationSlice.js`, DB type "web".
pub const PGTUNE: &str = "PGTune";
/// A rule derived here from the other values (the why says how).
pub const DERIVED: &str = "derived";
/// The program's own documentation (its default or a documented limit).
pub const DOCS: &str = "upstream docs";

/// A recommended value with its unit, the reason and the source of the rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained<T> {
    pub value: T,
    /// "s", "kB", "MiB", "connections", … ("" for flags and names).
    pub unit: &'static str,
    /// One or two sentences: the rule and, where guides disagree, the choice taken.
    /// Borrowed when it is fixed text (most are): the rules are solved on every change.
    pub why: Cow<'static, str>,
    /// Where the rule comes from: one of the constants of this module.
    pub source: &'static str,
}

impl<T> Explained<T> {
    pub fn new(value: T, unit: &'static str, source: &'static str, why: impl Into<Cow<'static, str>>) -> Self {
        Explained { value, unit, why: why.into(), source }
    }
}

/// Shorthand for [`Explained::new`].
pub fn ex<T>(value: T, unit: &'static str, source: &'static str, why: impl Into<Cow<'static, str>>) -> Explained<T> {
    Explained::new(value, unit, source, why)
}
