//! Sharing and keeping a plan, as text: the page's URL, the plans kept in this browser
//! and the plan file. Pure Rust; the browser glue is `ui::persist` and `ui::saved`, and
//! the saved plans and plan files are read and written by the config files' worker
//! ([`keep`]), so the page's first load holds no JSON.
//!
//! Everything here carries the plan as its version-1 query string ([`query`]), so a
//! link, a saved plan and a file are read by the same decoder and stay readable for
//! as long as old links do (`tests/golden_links.txt`).
//!
//! - The share link holds the plan in its fragment (`…/#v=1&cores=8`): a fragment is
//!   never sent to the server.
//! - localStorage `planner.plan`: the last plan's query string, written on every change.
//! - localStorage `planner.saved`: the saved plans,
//!   `{"format":"capacity-planner-saved-plans","version":1,"plans":[{"name":"…","plan":"v=1&…"}]}`.
//! - A plan file: `{"format":"capacity-planner-plan","version":1,"name":"…","plan":"v=1&…"}`.

pub mod compare;
pub mod json;
pub mod keep;

use std::fmt;

use crate::model::query::{self, Decoded};
use crate::model::{Field, Plan};
use json::Value;

/// localStorage key of the last plan shown (its query string).
pub const AUTOSAVE_KEY: &str = "planner.plan";
/// localStorage key of the saved plans (a JSON document, see the module docs).
pub const SAVED_KEY: &str = "planner.saved";
/// The `format` of a plan file.
pub const FILE_FORMAT: &str = "capacity-planner-plan";
/// The `format` of the saved-plans document.
pub const SAVED_FORMAT: &str = "capacity-planner-saved-plans";
/// The version of both JSON formats this module writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// The largest plan file read: a real one is a few hundred bytes.
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// The longest name of a saved plan, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Unknown keys listed by name in a notice; the rest are counted.
const MAX_LISTED_KEYS: usize = 8;
/// The longest value or message quoted in a notice, in characters.
const MAX_QUOTED_CHARS: usize = 120;

/// A plan read from a link, the browser or a file, with what the person should be told.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub plan: Plan,
    /// One sentence per problem met while reading; empty when it read cleanly.
    pub notices: Vec<String>,
}

impl Loaded {
    /// Reads a query string or link leniently; `source` names it in the notices
    /// ("The link"). Invalid values keep their defaults; unknown keys are skipped.
    pub fn read(text: &str, source: &str) -> Loaded {
        let decoded = query::decode(text);
        let notices = notices(&decoded, source);
        Loaded { plan: decoded.plan, notices }
    }
}

/// The sentences telling what reading a plan from `source` did not take as it was.
fn notices(d: &Decoded, source: &str) -> Vec<String> {
    let mut out = vec![];
    if let Some(v) = &d.bad_version {
        out.push(format!(
            "{source} says it is version '{}'; this planner knows version {} and read it as that.",
            cut(v, 16),
            query::VERSION
        ));
    }
    let defaults = Plan::default();
    for e in &d.errors {
        let default = match defaults.get(e.field) {
            d if d.is_empty() => "automatic".to_string(),
            d => d,
        };
        out.push(format!(
            "{source}: {} — {}; the default ({}) is used.",
            e.field.key(),
            cut(&e.message, MAX_QUOTED_CHARS),
            default
        ));
    }
    if !d.unknown.is_empty() {
        let mut keys: Vec<String> = d.unknown.iter().take(MAX_LISTED_KEYS).map(|k| format!("'{}'", cut(k, 32))).collect();
        if d.unknown.len() > MAX_LISTED_KEYS {
            keys.push(format!("and {} more", d.unknown.len() - MAX_LISTED_KEYS));
        }
        out.push(format!("{source} has keys this planner does not know; they were ignored: {}.", keys.join(", ")));
    }
    out
}

/// The first `max` characters of `s`, with "…" when cut.
fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The fragment that shares `plan`, without its `#`: the version-1 query string, which
/// holds only the values that differ from the defaults (`v=1` for the default plan).
pub fn fragment(plan: &Plan) -> String {
    query::encode(plan)
}

/// Whether a query or fragment (with or without its `?`/`#`) carries a plan: a `v` or a
/// field key. `#results` or `?utm_source=x` do not.
pub fn carries_plan(part: &str) -> bool {
    part.trim().trim_start_matches(['?', '#']).split('&').any(|pair| {
        let key = pair.split('=').next().unwrap_or("").trim();
        key == "v" || Field::from_key(key).is_some()
    })
}

/// The page's URL (relative to its origin) once it shows `plan`: the path, the query
/// unless it carries a plan (an old link, whose plan now lives in the fragment), and
/// the plan's fragment, with the pinned plans of the current fragment `hash` kept after
/// it ([`compare::pair`]).
pub fn page_url(path: &str, search: &str, hash: &str, plan: &Plan) -> String {
    let search = if carries_plan(search) { "" } else { search };
    let kept = compare::pair(hash);
    let and = if kept.is_empty() { "" } else { "&" };
    format!("{path}{search}#{}{and}{kept}", fragment(plan))
}

/// The plan a link opens, or None when the link carries no plan in its fragment or
/// query (then the page shows the plan kept in the browser).
pub fn from_link(href: &str) -> Option<Loaded> {
    let (before, fragment) = href.split_once('#').unwrap_or((href, ""));
    let query = before.split_once('?').map_or("", |(_, q)| q);
    (carries_plan(fragment) || carries_plan(query)).then(|| Loaded::read(href, "The link"))
}

/// The plan a page opened at `href` starts with: the link's when it carries one (a link
/// wins), else the last plan kept in the browser, else the default plan.
pub fn start(href: &str, autosaved: Option<&str>) -> Loaded {
    if let Some(loaded) = from_link(href) {
        return loaded;
    }
    let source = "The plan kept in this browser";
    match autosaved {
        // What this module writes always starts with `v=1`.
        Some(text) if carries_plan(text) => Loaded::read(text, source),
        Some(_) => Loaded {
            plan: Plan::default(),
            notices: vec![format!("{source} is not a plan this planner can read; the default plan is shown.")],
        },
        None => Loaded { plan: Plan::default(), notices: vec![] },
    }
}

/// Why a name, a saved-plans document or a plan file was not taken. Its text reads
/// after "Not saved:" or "<file> was not imported:".
#[derive(Debug, Clone, PartialEq)]
pub struct ShareError(Problem);

#[derive(Debug, Clone, PartialEq)]
enum Problem {
    EmptyName,
    LongName,
    NameTaken(String),
    NoSuchPlan(String),
    TooBig(usize),
    NotJson(String),
    Foreign,
    Newer(String),
    NoPlan,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Problem::EmptyName => write!(f, "a plan needs a name"),
            Problem::LongName => write!(f, "a name has at most {MAX_NAME_CHARS} characters"),
            Problem::NameTaken(n) => write!(f, "a saved plan is already named '{n}'"),
            Problem::NoSuchPlan(n) => write!(f, "no saved plan is named '{n}'"),
            Problem::TooBig(n) => write!(f, "it is {n} bytes, more than a plan file's {MAX_FILE_BYTES}"),
            Problem::NotJson(e) => write!(f, "it is not JSON ({e})"),
            Problem::Foreign => write!(f, "it is not a capacity planner file"),
            Problem::Newer(v) => {
                write!(f, "it has format version {v}, newer than this planner's {FORMAT_VERSION}; use a newer planner")
            }
            Problem::NoPlan => write!(f, "it holds no plan"),
        }
    }
}

impl std::error::Error for ShareError {}

/// A plan's name as it is kept: trimmed, one line, not empty, at most [`MAX_NAME_CHARS`].
///
/// # Errors
/// When the name is empty or too long.
pub fn clean_name(name: &str) -> Result<String, ShareError> {
    let name: String = name.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if name.is_empty() {
        Err(ShareError(Problem::EmptyName))
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(ShareError(Problem::LongName))
    } else {
        Ok(name)
    }
}

/// Reads a JSON document of the given `format`: its object, once the format and version
/// are ones this module reads.
fn read_document(text: &str, format: &str) -> Result<Value, ShareError> {
    let object = json::parse(text).map_err(|e| ShareError(Problem::NotJson(e.to_string())))?;
    if object.get("format").and_then(Value::as_str) != Some(format) {
        return Err(ShareError(Problem::Foreign));
    }
    match object.get("version") {
        Some(v) if v.as_u64() == Some(FORMAT_VERSION) => Ok(object),
        Some(v) => Err(ShareError(Problem::Newer(cut(&v.to_string(), 16)))),
        None => Err(ShareError(Problem::Foreign)),
    }
}

/// One saved plan: its name and its query string.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedPlan {
    pub name: String,
    pub plan: String,
}

/// The plans saved in this browser, sorted by name (ignoring ASCII case), names unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SavedPlans {
    plans: Vec<SavedPlan>,
}

impl SavedPlans {
    /// Reads the stored document. Entries that are not a name and a plan are skipped.
    ///
    /// # Errors
    /// When the text is not JSON, not this format, or a newer version of it.
    pub fn from_json(text: &str) -> Result<SavedPlans, ShareError> {
        let object = read_document(text, SAVED_FORMAT)?;
        let mut saved = SavedPlans::default();
        let entries = object.get("plans").and_then(Value::as_array).unwrap_or_default();
        for entry in entries {
            let name = entry.get("name").and_then(Value::as_str).and_then(|n| clean_name(n).ok());
            let plan = entry.get("plan").and_then(Value::as_str);
            if let (Some(name), Some(plan)) = (name, plan) {
                saved.put(SavedPlan { name, plan: plan.to_string() });
            }
        }
        Ok(saved)
    }

    /// The document to store (compact JSON).
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\"format\":\"{SAVED_FORMAT}\",\"version\":{FORMAT_VERSION},\"plans\":[");
        for (i, p) in self.plans.iter().enumerate() {
            let comma = if i == 0 { "" } else { "," };
            out.push_str(&format!("{comma}{{\"name\":{},\"plan\":{}}}", json::quote(&p.name), json::quote(&p.plan)));
        }
        out + "]}"
    }

    pub fn iter(&self) -> impl Iterator<Item = &SavedPlan> {
        self.plans.iter()
    }

    pub fn len(&self) -> usize {
        self.plans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.plans.iter().position(|p| p.name == name)
    }

    /// Adds or replaces by name, keeping the order.
    fn put(&mut self, entry: SavedPlan) {
        if let Some(i) = self.position(&entry.name) {
            self.plans.remove(i);
        }
        // ASCII case folding: sorting needs no Unicode tables in the page.
        let key = entry.name.to_ascii_lowercase();
        let at = self.plans.partition_point(|p| p.name.to_ascii_lowercase() <= key);
        self.plans.insert(at, entry);
    }

    /// Saves `plan` under `name`, replacing a plan of that name; returns the kept name.
    ///
    /// # Errors
    /// When the name is empty or too long.
    pub fn save(&mut self, name: &str, plan: &Plan) -> Result<String, ShareError> {
        self.save_query(name, query::encode(plan))
    }

    /// Saves a plan's query string, as the page sends it ([`keep`]), under `name`: as
    /// [`SavedPlans::save`].
    ///
    /// # Errors
    /// When the name is empty or too long.
    pub fn save_query(&mut self, name: &str, plan: String) -> Result<String, ShareError> {
        let name = clean_name(name)?;
        self.put(SavedPlan { name: name.clone(), plan });
        Ok(name)
    }

    /// Whether a plan is saved under `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// The saved plan called `name`, read with notices naming it.
    pub fn open(&self, name: &str) -> Option<Loaded> {
        let entry = self.plans.iter().find(|p| p.name == name)?;
        Some(Loaded::read(&entry.plan, &format!("The saved plan '{}'", entry.name)))
    }

    /// Renames a saved plan; returns the kept new name.
    ///
    /// # Errors
    /// When no plan has the old name, or the new name is invalid or taken by another plan.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<String, ShareError> {
        let to = clean_name(to)?;
        let i = self.position(from).ok_or_else(|| ShareError(Problem::NoSuchPlan(from.to_string())))?;
        if to != from && self.contains(&to) {
            return Err(ShareError(Problem::NameTaken(to)));
        }
        let entry = self.plans.remove(i);
        self.put(SavedPlan { name: to.clone(), plan: entry.plan });
        Ok(to)
    }

    /// Deletes a saved plan; returns it, or None when none had that name.
    pub fn delete(&mut self, name: &str) -> Option<SavedPlan> {
        let i = self.position(name)?;
        Some(self.plans.remove(i))
    }

    /// Puts back a deleted plan (undo), unless its name was taken since.
    pub fn restore(&mut self, entry: SavedPlan) {
        if !self.contains(&entry.name) {
            self.put(entry);
        }
    }
}

/// A plan file's text: pretty JSON carrying the name and the plan's query string.
pub fn plan_file(name: &str, plan: &Plan) -> String {
    format!(
        "{{\n  \"format\": \"{FILE_FORMAT}\",\n  \"version\": {FORMAT_VERSION},\n  \"name\": {},\n  \"plan\": {}\n}}\n",
        json::quote(name),
        json::quote(&query::encode(plan))
    )
}

/// The name to offer a plan file under: the plan's name in ASCII letters, digits, `-`
/// and `_`, then `.plan.json`.
pub fn file_name(name: &str) -> String {
    let mut stem: String = name
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(MAX_NAME_CHARS)
        .collect();
    stem = stem.trim_matches('-').to_string();
    if stem.is_empty() {
        stem = "plan".to_string();
    }
    format!("{stem}.plan.json")
}

/// A plan read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The file's name for the plan (may be empty).
    pub name: String,
    pub loaded: Loaded,
}

/// Reads a plan file. Its plan is read like a link: invalid values keep their defaults
/// and unknown keys are skipped, each with a notice.
///
/// # Errors
/// When the file is too big, not JSON, not a plan file, a newer version, or holds no plan.
pub fn read_plan_file(text: &str) -> Result<Imported, ShareError> {
    let (name, plan) = plan_file_parts(text)?;
    Ok(Imported { name, loaded: Loaded::read(&plan, "The file") })
}

/// A plan file's name for the plan (may be empty) and its plan's query as written: what
/// [`read_plan_file`] reads.
fn plan_file_parts(text: &str) -> Result<(String, String), ShareError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ShareError(Problem::TooBig(text.len())));
    }
    let object = read_document(text.trim_start_matches('\u{feff}'), FILE_FORMAT)?;
    let plan = object.get("plan").and_then(Value::as_str).ok_or(ShareError(Problem::NoPlan))?;
    let name = object.get("name").and_then(Value::as_str).and_then(|n| clean_name(n).ok()).unwrap_or_default();
    Ok((name, plan.to_string()))
}

#[cfg(test)]
mod tests;
