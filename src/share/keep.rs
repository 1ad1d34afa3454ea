//! The "Share and keep" panel's work, done in the config files' worker (src/bin/files.rs)
//! rather than in the page: reading and writing the saved-plans document, applying a
//! change to it, reading and writing a plan file, and the saved list's markup. The page
//! keeps this code and the JSON it needs out of its first load (`ui::saved` is the
//! panel); the worker is stateless: the page sends the stored text with each request
//! (a worker has no localStorage) and stores what the worker answers.
//!
//! A request is lines, every field one line but the last (names never hold a newline,
//! as [`super::clean_name`] makes it a space; the page replaces one in a file's name):
//! `keep` / id / change / a / b / renaming / typed [/ text]. The id comes back with the
//! answer; `renaming` is the plan shown as its rename form, holding `typed`; `text` is
//! what localStorage holds (absent when it holds nothing), or the file imported. The
//! changes:
//!
//! - `read`: the list as stored;
//! - `save` a name, b a plan's query; `rename` a to b; `delete` a; `restore` a, the
//!   token of a deleted plan: the change made to the stored document;
//! - `import` a file named a: the plan it holds, to open;
//! - `export` b, a plan's query, under a, the name typed: its plan file, to download.

use super::json::{self, Value};
use super::{clean_name, file_name, plan_file, plan_file_parts, SavedPlan, SavedPlans};
use crate::model::details::html::put;
use crate::model::query;

/// The worker's answer to a request of the panel: every part the page acts on, in this
/// order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// The document to store; None when nothing changed.
    pub store: Option<String>,
    /// What to tell the person; empty when the message shown stays (a `read` that went
    /// well).
    pub said: String,
    /// Whether `said` is a problem.
    pub bad: bool,
    /// After a delete, the deleted plan as a token for `restore` (one line); else empty.
    pub undo: String,
    /// The list's markup ([`list`]); None when it stays as shown.
    pub list: Option<String>,
    /// An imported file's name for its plan, for the name box (may be empty).
    pub name: String,
    /// An imported plan's query as the file writes it: the page reads it as
    /// [`super::read_plan_file`] does, with its notices ("The file: …").
    pub open: Option<String>,
    /// A plan file to download: its name and text.
    pub download: Option<(String, String)>,
}

/// The request for `change` (see the module docs).
pub fn request(id: &str, change: &str, a: &str, b: &str, renaming: &str, typed: &str, text: Option<&str>) -> String {
    let mut out = ["keep", id, change, a, b, renaming, typed].map(|f| f.replace('\n', " ")).join("\n");
    if let Some(text) = text {
        out.push('\n');
        out.push_str(text);
    }
    out
}

/// The id a request carries (its second line).
pub fn id(request: &str) -> &str {
    request.split('\n').nth(1).unwrap_or("")
}

/// The answer to a request of the panel; None when the request is another panel's.
pub fn answer(request: &str) -> Option<Reply> {
    let mut f = request.strip_prefix("keep\n")?.splitn(7, '\n').skip(1);
    let mut next = || f.next().unwrap_or("");
    let (change, a, b, renaming, typed) = (next(), next(), next(), next(), next());
    let text = f.next();
    Some(match change {
        "import" => match plan_file_parts(text.unwrap_or("")) {
            Ok((name, plan)) => Reply { said: format!("Opened the plan in {a}."), name, open: Some(plan), ..Reply::default() },
            Err(e) => Reply { said: format!("{a} was not imported: {e}. The plan on screen is unchanged."), bad: true, ..Reply::default() },
        },
        "export" => {
            let plan = query::decode(b).plan;
            let label = clean_name(a).unwrap_or_else(|_| plan.name.clone());
            let file = file_name(&label);
            Reply { said: format!("Exported {file}."), download: Some((file, plan_file(&label, &plan))), ..Reply::default() }
        }
        _ => kept(change, a, b, renaming, typed, text),
    })
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
        return Reply { bad: !said.is_empty(), said, list: Some(list), ..Reply::default() };
    }
    let mut saved = read.unwrap_or_default();
    match apply(&mut saved, change, a, b) {
        Ok((said, undo)) => Reply {
            store: Some(saved.to_json()),
            said,
            undo: undo.map(|e| format!("[{},{}]", json::quote(&e.name), json::quote(&e.plan))).unwrap_or_default(),
            list: Some(list(&saved, renaming, typed)),
            ..Reply::default()
        },
        Err(said) => {
            let list = list(&stored.and_then(|t| SavedPlans::from_json(t).ok()).unwrap_or_default(), renaming, typed);
            Reply { said, bad: true, list: Some(list), ..Reply::default() }
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
