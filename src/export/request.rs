//! What the page asks of the config files' worker, and its answers, as text: the page
//! keeps no exporter in its own wasm (the files are about a tenth of the first load), and
//! loads them in a worker when the person opens the panel. A request is lines: the verb,
//! the plan's share query, then the verb's argument.
//!
//! - `list` / query / file name: every file's name, and the named one written (the first
//!   when the plan has none of that name), as [`super::listing`] gives them;
//! - `zip` / query / Unix seconds: every file in one `.zip`, as "Download all" saves it;
//! - `details` / query / ids: the settings list, component by component, as HTML
//!   ([`crate::model::details::html`]), the components `ids` names (space-separated)
//!   open: the page keeps the list out of its first load too;
//! - `suggest` / query: what would meet the plan's target ([`crate::model::suggest`]),
//!   off the page's edit path: the search evaluates tens of plans;
//! - `calibrate` / query / load-test output: the plan calibrated to the runs
//!   ([`super::calibrate::answer`]): the runs' table, the fit, the chart and "Use these
//!   figures" with the calibrated plan's query, or why not ("Not a load-test output:
//!   line 12: …"), for `#calibrate-result`; `calibrate-form` / query: the panel's form
//!   ([`super::calibrate::form`]), for `#calibrate-body`; `calibrate-file` / query / blob
//!   URL: a picked or dropped file, read by the worker (src/bin/files.rs), then as
//!   `calibrate`, its text first put in `#calibrate-input`;
//! - `compare` / query / action / pinned plans: "Compare plans" (public/compare.js asks;
//!   [`super::compare::markup::answer`], answered by the files' worker before this reader);
//! - `fleet` / query: the cheapest fleets that meet the plan's target
//!   ([`super::fleet::answer`]), for `#fleet-result`, answered by the calibration's
//!   worker too (the search is its own CPU, off the page and the files' worker).

use super::{archive, files_from, listing, Listing};
use crate::model::{query, rules};

/// The build of this code (build.rs): the page loads the worker of the same build.
pub const BUILD_ID: &str = env!("PLANNER_BUILD_ID");

/// A worker's URL, relative to the page, with the build's id: the config files' worker
/// (public/files-worker.js), or with `calibrating` the calibration's
/// (public/calibrate-worker.js). Constants, not formatted: the page's first load has no
/// room for the formatting.
pub fn worker_url(calibrating: bool) -> &'static str {
    const FILES: &str = concat!("./files-worker.js?v=", env!("PLANNER_BUILD_ID"));
    const CALIBRATE: &str = concat!("./calibrate-worker.js?v=", env!("PLANNER_BUILD_ID"));
    if calibrating {
        CALIBRATE
    } else {
        FILES
    }
}

/// The calibration worker's answer (src/bin/calibrate.rs) to a request of
/// [`calibrate`]: the markup and the id of the element it goes into; None for another
/// panel's request. Apart from [`answer`], so that the config files' worker holds none of
/// the readers, the fit or their chart.
pub fn answer_calibrate(request: &str) -> Option<(String, &'static str)> {
    let mut lines = request.splitn(3, '\n');
    let (verb, q, arg) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""), lines.next().unwrap_or(""));
    let id = match verb {
        "calibrate" => "calibrate-result",
        "calibrate-form" => "calibrate-body",
        "fleet" => "fleet-result",
        _ => return None,
    };
    let markup = match query::decode_strict(q) {
        Err(e) => {
            let mut out = String::new();
            crate::model::details::html::put(&mut out, &["<p role=\"alert\">", &e.to_string(), "</p>"]);
            out
        }
        Ok(_) if verb == "calibrate-form" => super::calibrate::form(),
        Ok(plan) if verb == "fleet" => super::fleet::answer(&plan),
        Ok(plan) => super::calibrate::answer(&plan, arg),
    };
    Some((markup, id))
}

/// A worker's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Listing(Listing),
    /// The archive's file name and bytes.
    Zip(String, Vec<u8>),
    /// The settings list's markup ([`crate::model::details::html`]).
    Details(String),
    /// The query asked about and its suggestions' markup ([`crate::model::suggest::markup`]).
    Suggest(String, String),
    /// Why the request could not be answered (an invalid plan, an unknown verb).
    Error(String),
}

/// The request for the panel: the plan's files, `selected` written.
pub fn list(query: &str, selected: &str) -> String {
    format!("list\n{query}\n{selected}")
}

/// The request for "Download all", stamped with `mtime` (Unix seconds).
pub fn zip(query: &str, mtime: u64) -> String {
    format!("zip\n{query}\n{mtime}")
}

/// The files panel's markup for a listing: a tab per file (`#tab-<i>`, its name in
/// `data-file`), the copy and download buttons, and the file's text (`#file-text`), every
/// text escaped. The page shows it as it is and handles the buttons' clicks itself.
pub fn panel(l: &Listing, service: &str) -> String {
    use crate::model::details::html::put;
    let mut out = String::from("<div role=\"tablist\" class=\"tabs\">");
    for (i, name) in l.names.iter().enumerate() {
        let selected = if i == l.index { "true" } else { "false" };
        let attrs = format!("<button type=\"button\" role=\"tab\" id=\"tab-{i}\" aria-controls=\"file-text\" aria-selected=\"{selected}\" data-file=\"");
        put(&mut out, &[&attrs, name, "\">", name, "</button>"]);
    }
    let name = l.names.get(l.index).map_or("", String::as_str);
    let all = archive::names(service).0;
    put(&mut out, &["</div><div class=\"actions\"><button type=\"button\" id=\"copy-file\">Copy ", name, "</button><button type=\"button\" id=\"download-file\">Download ", name, "</button><button type=\"button\" id=\"download-all\">Download all (", &all, ")</button></div>"]);
    let pre = format!("<pre id=\"file-text\" role=\"tabpanel\" tabindex=\"0\" aria-labelledby=\"tab-{}\"><code>", l.index);
    put(&mut out, &[&pre, &l.file.text, "</code></pre>"]);
    out
}

/// The service name of the plan a request carries ("app" when it carries none).
pub fn service(request: &str) -> String {
    let q = request.split('\n').nth(1).unwrap_or("");
    query::decode_strict(q).map_or_else(|_| "app".to_string(), |p| p.name)
}

/// The request for the settings list, the components `open` names open.
pub fn details(query: &str, open: &str) -> String {
    format!("details\n{query}\n{open}")
}

/// The request for the suggestions of a plan.
pub fn suggest(query: &str) -> String {
    format!("suggest\n{query}\n")
}

/// A request of the calibration panel: `verb` `calibrate` with the load test's output,
/// `calibrate-file` with a picked file's blob URL (the worker reads it: the page's first
/// load holds no file reading) or `calibrate-form` with nothing.
pub fn calibrate(verb: &str, query: &str, arg: &str) -> String {
    format!("{verb}\n{query}\n{arg}")
}

/// The verb of a request: the page routes an error back to the panel that asked.
pub fn verb(request: &str) -> &str {
    request.split('\n').next().unwrap_or("")
}

/// The answer to a request. The plan is read strictly: the page sends the query of a
/// plan it validated, so a value the worker's build reads otherwise is an error, not a
/// file for another plan.
pub fn answer(request: &str) -> Reply {
    let mut lines = request.splitn(3, '\n');
    let (verb, q, arg) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""), lines.next().unwrap_or(""));
    let plan = match query::decode_strict(q) {
        Ok(p) => p,
        Err(e) => return Reply::Error(e.to_string()),
    };
    if verb == "suggest" {
        use crate::model::suggest;
        return Reply::Suggest(q.to_string(), suggest::markup(&suggest::for_plan(&plan)));
    }
    let rec = rules::recommend(&plan);
    match verb {
        "list" => listing(&plan, &rec, arg).map_or_else(|e| Reply::Error(e.to_string()), Reply::Listing),
        "zip" => match files_from(&plan, &rec) {
            Ok(files) => {
                let (name, dir) = archive::names(&plan.name);
                Reply::Zip(name, archive::zip(&dir, &files, arg.parse().unwrap_or(0)))
            }
            Err(e) => Reply::Error(e.to_string()),
        },
        "details" => {
            let open: Vec<&str> = arg.split(' ').collect();
            let mut sections = crate::model::details::sections(&rec);
            // The pod's trade-off, with the Kubernetes section (issue 22).
            sections.extend(crate::model::pod_options::pod_options(&plan).as_ref().map(crate::model::pod_options::section));
            Reply::Details(crate::model::details::html::html(&sections, &open))
        }
        _ => Reply::Error(format!("unknown request '{verb}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::files;
    use crate::model::{query::encode, Plan, Server};

    #[test]
    fn a_list_request_is_the_listing_of_the_plan_it_carries() {
        let mut plan = Plan::default();
        plan.server = Server::Sync;
        plan.cores = 6;
        let q = encode(&plan);
        let Reply::Listing(l) = answer(&list(&q, "nginx.conf")) else { panic!("no listing") };
        assert_eq!(l, listing(&plan, &rules::recommend(&plan), "nginx.conf").unwrap());
        assert!(l.file.text.starts_with("# nginx.conf generated"));
        let html = panel(&l, &plan.name);
        assert!(html.contains("id=\"tab-2\" aria-controls=\"file-text\" aria-selected=\"false\" data-file=\""), "{html}");
        assert!(html.contains(">Download all (app-config.zip)</button>") && html.contains("<code># nginx.conf generated"), "{html}");
        assert_eq!(html.matches("role=\"tab\"").count(), l.names.len());
        assert!(!html[html.find("<code>").unwrap()..].contains("<location"), "the text is escaped");
        let Reply::Listing(first) = answer(&list(&q, "")) else { panic!("no listing") };
        assert!(first.file.text.contains("\nworkers = 13  # "), "{}", first.file.text);
    }

    #[test]
    fn a_zip_request_is_download_all() {
        let plan = Plan::default();
        let Reply::Zip(name, bytes) = answer(&zip(&encode(&plan), 1_700_000_000)) else { panic!("no zip") };
        assert_eq!(name, "app-config.zip");
        let (_, dir) = archive::names(&plan.name);
        assert_eq!(bytes, archive::zip(&dir, &files(&plan).unwrap(), 1_700_000_000));
    }

    #[test]
    fn a_details_request_is_the_plans_settings_list() {
        use crate::model::details::{html::html, sections};
        let plan = Plan { cores: 6, ..Plan::default() };
        let request = details(&encode(&plan), "nginx kernel");
        assert_eq!(verb(&request), "details");
        let Reply::Details(text) = answer(&request) else { panic!("no settings") };
        assert_eq!(text, html(&sections(&rules::recommend(&plan)), &["nginx", "kernel"]));
        assert!(text.contains("id=\"d-nginx\" open>") && text.contains("id=\"d-gunicorn\">"));
    }

    #[test]
    fn a_suggest_request_is_the_plans_suggestions_with_its_query() {
        use crate::model::suggest::{for_plan, markup};
        let plan = Plan { target_rps: 2500.0, ..Plan::default() };
        let q = encode(&plan);
        let Reply::Suggest(asked, text) = answer(&suggest(&q)) else { panic!("no suggestions") };
        assert_eq!(asked, q);
        assert_eq!(text, markup(&for_plan(&plan)));
        assert!(text.contains("class=\"apply\""));
    }

    #[test]
    fn a_bad_request_is_an_error_never_a_file() {
        for request in ["list\nv=1&cores=0\n", "list\nv=2\n", "draw\nv=1\n", "", "zip\nname=a+b\n0", "details\nv=1&db=x\n"] {
            assert!(matches!(answer(request), Reply::Error(_)), "{request:?}");
        }
    }
}
