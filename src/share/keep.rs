//! The "Share and keep" panel's work, done in the config files' worker (src/bin/files.rs)
//! rather than in the page: reading and writing the saved-plans document, applying a
//! change to it, reading and writing a plan file, and the saved list's markup. The page
//! keeps this code and the JSON it needs out of its first load (`ui::saved` is the
//! panel); the worker is stateless: the page sends the stored text with each request
//! (a worker has no localStorage) and stores what the worker answers.
//!
//! A request is lines (every field but the last is one line; names never hold a
//! newline, as [`super::clean_name`] makes it a space): the verb, the request's id
//! (the answer carries it back), then
//!
//! - `keep` / change / a / b / renaming / typed [/ stored]: the change (`read`, `save`
//!   a name and b a plan's query, `rename` a to b, `delete` a, `restore` a, the token of
//!   a deleted plan) applied to the stored document (absent when nothing is stored),
//!   with the list's markup, the plan `renaming` shown as its rename form holding
//!   `typed`;
//! - `import` / text: a plan file's text read;
//! - `export` / name / query: the plan file of the plan `query` under the name typed.

use super::json::{self, Value};
use super::{clean_name, file_name, plan_file, plan_file_parts, SavedPlan, SavedPlans};
use crate::model::details::html::put;
use crate::model::query;

/// The worker's answer to a request of the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The saved plans after a change.
    Kept {
        /// The document to store; None when nothing changed.
        store: Option<String>,
        /// What to tell the person; empty after a `read` that went well (the message
        /// shown stays).
        said: String,
        /// Whether `said` is a problem.
        bad: bool,
        /// After a delete, the deleted plan as a token for `restore` (one line); else empty.
        undo: String,
        /// The list's markup ([`list`]).
        list: String,
    },
    /// A plan file read: its name (may be empty) and its plan's query as written (the page
    /// reads it as [`super::read_plan_file`] does, with its notices), or why it was not
    /// imported.
    Imported(Result<(String, String), String>),
    /// A plan file to download: its name and text.
    Exported(String, String),
}

/// The request for `change` of the saved plans (see the module docs); `stored` is what
/// localStorage holds, None when it holds nothing.
pub fn keep(id: &str, change: &str, a: &str, b: &str, renaming: &str, typed: &str, stored: Option<&str>) -> String {
    let mut out = ["keep", id, change, a, b, renaming, typed].map(|f| f.replace('\n', " ")).join("\n");
    if let Some(text) = stored {
        out.push('\n');
        out.push_str(text);
    }
    out
}

/// The request to read a plan file's text.
pub fn import(id: &str, text: &str) -> String {
    format!("import\n{id}\n{text}")
}

/// The request for the plan file of the plan `query`, under the name typed.
pub fn export(id: &str, name: &str, query: &str) -> String {
    format!("export\n{id}\n{}\n{query}", name.replace('\n', " "))
}

/// The id a request carries (its second line).
pub fn id(request: &str) -> &str {
    request.split('\n').nth(1).unwrap_or("")
}

/// The answer to a request of the panel; None when the request is another panel's.
pub fn answer(request: &str) -> Option<Reply> {
    let (verb, rest) = request.split_once('\n')?;
    let rest = rest.split_once('\n').map_or("", |(_, r)| r);
    match verb {
        "keep" => {
            let mut f = rest.splitn(6, '\n');
            let mut next = || f.next().unwrap_or("");
            let (change, a, b, renaming, typed) = (next(), next(), next(), next(), next());
            Some(kept(change, a, b, renaming, typed, f.next()))
        }
        "import" => Some(Reply::Imported(plan_file_parts(rest).map_err(|e| e.to_string()))),
        "export" => {
            let (name, q) = rest.split_once('\n').unwrap_or((rest, ""));
            let plan = query::decode(q).plan;
            let label = clean_name(name).unwrap_or_else(|_| plan.name.clone());
            Some(Reply::Exported(file_name(&label), plan_file(&label, &plan)))
        }
        _ => None,
    }
}

/// Reads the stored document, applies the change and writes the document back (as
/// `ui::saved` did in the page): unreadable stored plans are replaced by a change that
/// succeeds, and left as they are otherwise.
fn kept(change: &str, a: &str, b: &str, renaming: &str, typed: &str, stored: Option<&str>) -> Reply {
    let read = stored.map_or_else(|| Ok(SavedPlans::default()), SavedPlans::from_json).map_err(|e| {
        format!("The saved plans in this browser could not be read: {e}. They are left as they are until you save a plan.")
    });
    if change == "read" {
        let said = read.as_ref().err().cloned().unwrap_or_default();
        let list = list(&read.unwrap_or_default(), renaming, typed);
        return Reply::Kept { store: None, bad: !said.is_empty(), said, undo: String::new(), list };
    }
    let mut saved = read.unwrap_or_default();
    match apply(&mut saved, change, a, b) {
        Ok((said, undo)) => Reply::Kept {
            store: Some(saved.to_json()),
            said,
            bad: false,
            undo: undo.map(|e| format!("[{},{}]", json::quote(&e.name), json::quote(&e.plan))).unwrap_or_default(),
            list: list(&saved, renaming, typed),
        },
        Err(said) => {
            let list = list(&stored.and_then(|t| SavedPlans::from_json(t).ok()).unwrap_or_default(), renaming, typed);
            Reply::Kept { store: None, said, bad: true, undo: String::new(), list }
        }
    }
}

/// Applies a change: what to say, and a deleted plan to offer back.
fn apply(s: &mut SavedPlans, change: &str, a: &str, b: &str) -> Result<(String, Option<SavedPlan>), String> {
    match change {
        "save" => {
            let replaced = clean_name(a).is_ok_and(|n| s.contains(&n));
            let kept = s.save_query(a, b.to_string()).map_err(|e| format!("Not saved: {e}."))?;
            Ok((if replaced { format!("Replaced the saved plan '{kept}'.") } else { format!("Saved '{kept}'.") }, None))
        }
        "rename" => {
            let new = s.rename(a, b).map_err(|e| format!("Not renamed: {e}."))?;
            Ok((format!("Renamed '{a}' to '{new}'."), None))
        }
        "delete" => match s.delete(a) {
            Some(entry) => Ok((format!("Deleted '{a}'."), Some(entry))),
            None => Err(format!("No saved plan is named '{a}'.")),
        },
        "restore" => {
            let token = json::parse(a).ok();
            let item = |i: usize| token.as_ref().and_then(Value::as_array).and_then(|t| t.get(i)).and_then(Value::as_str);
            let (Some(name), Some(plan)) = (item(0), item(1)) else { return Err("Nothing to put back.".to_string()) };
            s.restore(SavedPlan { name: name.to_string(), plan: plan.to_string() });
            Ok((format!("Put back '{name}'."), None))
        }
        _ => Err(format!("Unknown change '{change}'.")),
    }
}

/// The saved list's items: a row per plan (`li.saved-plan`, its name in `data-name` and
/// its query in `data-plan`) with Open, Rename and Delete, each labelled with the plan's
/// name; the plan `renaming` as its rename form holding `typed`. Every text escaped;
/// the page handles the buttons with one click handler and the form with one submit
/// handler.
pub fn list(saved: &SavedPlans, renaming: &str, typed: &str) -> String {
    let mut out = String::new();
    for p in saved.iter() {
        let n = p.name.as_str();
        if n == renaming {
            put(&mut out, &["<li class=\"saved-plan renaming\" data-name=\"", n, "\"><form><input class=\"rename-name\" aria-label=\"New name for ", n, "\" value=\"", typed]);
            out.push_str("\" maxlength=\"80\"><button type=\"submit\" class=\"rename-ok\">Rename</button><button type=\"button\" class=\"rename-cancel\">Cancel</button></form></li>");
        } else {
            put(&mut out, &["<li class=\"saved-plan\" data-name=\"", n, "\" data-plan=\"", &p.plan, "\"><span class=\"saved-name\">", n]);
            put(&mut out, &["</span><button type=\"button\" class=\"open\" aria-label=\"Open ", n, "\">Open</button><button type=\"button\" class=\"rename\" aria-label=\"Rename ", n]);
            put(&mut out, &["\">Rename</button><button type=\"button\" class=\"delete\" aria-label=\"Delete ", n, "\">Delete</button></li>"]);
        }
    }
    out
}

#[cfg(test)]
mod tests;
