//! The plan as text: a URL query string, version 1 (a public contract).
//!
//! `v=1&tier=large&server=sync&mix=10,70,20` — like nginxconfig.io's share links,
//! only the values that differ from the default plan are written, so a link stays
//! short and keeps its meaning when a later release changes nothing it carries.
//! Every key is a [`Field::key`] and is never renamed; old links keep decoding the
//! same forever (`tests/golden_links.txt` holds them).
//!
//! Reading rules ([`decode`]):
//! - A bare query (`cores=8&server=sync`), one with a leading `?` or `#`, or a full
//!   link (`https://host/path/?x#v=1&cores=8`): the fragment wins when it carries a
//!   plan key (or `v`), else the query is read.
//! - `+` is a space, `%XX` a byte (UTF-8; invalid bytes become U+FFFD); a `%` not
//!   followed by two hex digits is kept as it is.
//! - `tier` is applied first wherever it stands, so `tier=large&cores=12` is 12
//!   cores with the Large tier's 16 GiB. `tier=custom` also keeps the label Custom
//!   when cores and RAM happen to match a benchmark tier.
//! - A duplicate key: the last one wins (even when its value is invalid).
//! - Every value goes through [`Plan::set`], the one validation: an invalid value is
//!   reported and its field keeps its default; an unknown key is reported and skipped.
//! - A missing `v` means 1; another `v` is reported and the link is read as version 1.
//! - Spaces around the text and around keys are ignored (a pasted link, `cores =8`);
//!   empty pairs (`&&`) and pairs with an empty key (`=5`) are skipped.

pub mod percent;
#[cfg(test)]
mod tests;

use std::fmt;

use super::choice::Tier;
use super::field::{Field, FieldError};
use super::plan::Plan;

/// The version this module writes and reads.
pub const VERSION: &str = "1";

/// The key of the pinned plans of "Compare plans" (`crate::share::compare`): not a plan
/// key, skipped without a notice.
pub const COMPARE_KEY: &str = "compare";

/// The longest unknown key reported verbatim; longer ones are cut (a link can be huge).
const MAX_REPORTED_KEY_CHARS: usize = 64;

/// What a link says: the plan, and every problem met while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The plan; fields with invalid values keep their defaults.
    pub plan: Plan,
    /// Invalid values, each naming its key, the value and the valid range.
    pub errors: Vec<FieldError>,
    /// Keys that are not plan keys, in the order met (cut to 64 characters).
    pub unknown: Vec<String>,
    /// The `v` value when it is not [`VERSION`].
    pub bad_version: Option<String>,
}

/// Why a link cannot be read strictly (the CLI's error).
#[derive(Debug, Clone, PartialEq)]
pub enum QueryError {
    /// A value outside its field's type or range.
    Field(FieldError),
    /// A `v` other than 1.
    Version(String),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Field(e) => e.fmt(f),
            QueryError::Version(v) => {
                write!(f, "v: '{v}' is not a known version; this planner reads version {VERSION}")
            }
        }
    }
}

impl std::error::Error for QueryError {}

impl Decoded {
    /// The plan if the link had no invalid value and a known version.
    ///
    /// # Errors
    /// The version problem, else the first invalid value. Unknown keys are not errors.
    pub fn strict(self) -> Result<Plan, QueryError> {
        if let Some(v) = self.bad_version {
            return Err(QueryError::Version(v));
        }
        match self.errors.into_iter().next() {
            Some(e) => Err(QueryError::Field(e)),
            None => Ok(self.plan),
        }
    }
}

/// The plan as a version-1 query string: `v=1`, then the fields that differ from the
/// default plan, in [`Field::ALL`] order. A benchmark tier is written as `tier=…`
/// and cores/RAM only where they differ from the tier's node.
pub fn encode(plan: &Plan) -> String {
    let tier = tier_to_write(plan);
    let mut reference = Plan::default();
    if let Some(t) = tier {
        reference.apply_tier(t);
    }
    let mut out = format!("v={VERSION}");
    let mut value = String::new();
    for &field in Field::ALL {
        // Compared as values, written only when they differ (Value::same).
        let v = plan.value(field);
        let differs = match field {
            Field::Tier => tier.is_some(),
            _ => !v.same(reference.value(field)),
        };
        if differs {
            value.clear();
            v.write(&mut value);
            out.push('&');
            out.push_str(field.key());
            out.push('=');
            out.push_str(&percent::encode(&value));
        }
    }
    out
}

/// The tier a link must carry to reproduce the plan's tier, or None when cores and RAM
/// imply it (Medium is the default; Custom follows from a node no tier has).
fn tier_to_write(plan: &Plan) -> Option<Tier> {
    let implied = node_tier(plan.cores, plan.ram_gib);
    if plan.tier != implied {
        Some(plan.tier)
    } else if implied == Tier::Custom || implied == Plan::default().tier {
        None
    } else {
        Some(implied)
    }
}

/// The benchmark tier whose node is (cores, RAM), or Custom.
fn node_tier(cores: u32, ram_gib: f64) -> Tier {
    Tier::BENCHMARKS
        .into_iter()
        .find(|t| t.node() == Some((cores, ram_gib)))
        .unwrap_or(Tier::Custom)
}

/// Reads a plan from a query string or a full link. Never fails and never panics:
/// problems are collected in the [`Decoded`] (see the module docs for the rules).
pub fn decode(text: &str) -> Decoded {
    let pairs = last_wins(plan_pairs(text.trim()));
    let mut decoded = Decoded { plan: Plan::default(), errors: vec![], unknown: vec![], bad_version: None };
    // The tier first: it sets cores and RAM, which the other keys may override.
    let (tiers, rest): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| k == Field::Tier.key());
    // A value whose check reads another key (spare below replicas, db_cpu_ms within
    // db_hold_ms) is read again once every other key is: a link reads the same in any order.
    let mut again = vec![];
    for (key, value) in tiers.iter().chain(&rest) {
        let errors = decoded.errors.len();
        apply(&mut decoded, key, value);
        if decoded.errors.len() > errors {
            decoded.errors.pop();
            again.push((key, value));
        }
    }
    for (key, value) in again {
        apply(&mut decoded, key, value);
    }
    // Setting cores or RAM relabels the tier by the node; an explicit Custom stays.
    if decoded.plan.tier != Tier::Custom && tiers.iter().any(|(_, v)| v.trim() == Tier::Custom.key()) {
        decoded.plan.apply_tier(Tier::Custom);
    }
    decoded
}

/// Reads a plan strictly: the first problem is an error (the CLI's reading).
///
/// # Errors
/// A [`QueryError`] for a `v` other than 1 or the first invalid value.
pub fn decode_strict(text: &str) -> Result<Plan, QueryError> {
    decode(text).strict()
}

/// Applies one decoded pair to the plan, recording any problem.
fn apply(decoded: &mut Decoded, key: &str, value: &str) {
    if key == COMPARE_KEY {
        return;
    }
    if key == "v" {
        if value.trim() != VERSION {
            decoded.bad_version = Some(value.to_string());
        }
        return;
    }
    match Field::from_key(key) {
        Some(field) => {
            if let Err(e) = decoded.plan.set(field, value) {
                decoded.errors.push(e);
            }
        }
        None => decoded.unknown.push(cut(key, MAX_REPORTED_KEY_CHARS)),
    }
}

/// The first `max` characters of `s`, with "…" when cut.
fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Keeps the last pair of each key, at the place of that last occurrence. Linear, as a
/// link may hold many pairs: the keys kept are found through an open-addressing table of
/// their FNV-1a hashes (a `HashSet` costs the page 1.5 KB of SipHash and table code).
fn last_wins(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let mask = (2 * pairs.len()).next_power_of_two() - 1;
    // Each slot holds an index into `kept`, or `usize::MAX` when empty.
    let mut slots = vec![usize::MAX; mask + 1];
    let mut kept: Vec<(String, String)> = Vec::new();
    for pair in pairs.into_iter().rev() {
        let hash = pair.0.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        let mut slot = hash as usize & mask;
        loop {
            match slots[slot] {
                usize::MAX => {
                    slots[slot] = kept.len();
                    kept.push(pair);
                    break;
                }
                k if kept[k].0 == pair.0 => break,
                _ => slot = (slot + 1) & mask,
            }
        }
    }
    kept.reverse();
    kept
}

/// The decoded pairs of the part of `text` that holds the plan: the fragment when it
/// carries a plan key, else the query.
fn plan_pairs(text: &str) -> Vec<(String, String)> {
    let (before, fragment) = match text.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (text, None),
    };
    if let Some(pairs) = fragment.map(percent::pairs) {
        if pairs.iter().any(|(k, _)| is_plan_key(k)) {
            return pairs;
        }
    }
    percent::pairs(query_part(before))
}

/// The query of the text before the fragment: after the first `?`; empty for a bare
/// location (`https://host/path`, `/path`), whose first word holds `:` or `/`; else
/// the whole text (a bare query).
fn query_part(before: &str) -> &str {
    if let Some((_, query)) = before.split_once('?') {
        return query;
    }
    let first_word = before.split(['&', '=']).next().unwrap_or("");
    if first_word.contains([':', '/']) {
        ""
    } else {
        before
    }
}

/// `v` or a field's key.
fn is_plan_key(key: &str) -> bool {
    key == "v" || Field::from_key(key).is_some()
}
