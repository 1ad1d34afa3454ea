//! "Compare plans" as the page shows it, written by the config files' worker: the pinned
//! plans with their buttons, then the table of the inputs and results that differ, the
//! charts overlaid and the files' diffs (every text escaped). The page's part is its
//! title and public/compare.js, which keeps the pinned plans and sends each request.
//!
//! A request is lines: `compare`, the plan on the form (its query), the action (`show`,
//! `pin`, `remove <i>`, `clear`) and the pinned plans as the link holds them
//! ([`crate::share::compare`]); the answer is the pinned plans after the action, as the
//! link holds them, and the panel's markup.

use super::{files, inputs, results, Row, LETTERS, MAX_PLANS};
use crate::export::calibrate::figure_markup;
use crate::model::details::html::put;
use crate::model::query::{decode_strict, encode};
use crate::model::{Field, Plan};
use crate::share::compare;

/// The answer to a request: the pinned plans after its action (the link's value) and
/// the panel's markup. Never fails: a plan that cannot be read is said by its letter.
pub fn answer(request: &str) -> (String, String) {
    let mut lines = request.splitn(4, '\n');
    let (_, current, action, value) = (lines.next(), lines.next().unwrap_or(""), lines.next().unwrap_or(""), lines.next().unwrap_or(""));
    let mut pinned = compare::decode(value);
    let mut said = String::new();
    if pinned.len() > MAX_PLANS {
        said = format!("The link holds {} plans; the first {MAX_PLANS} are compared.", pinned.len());
        pinned.truncate(MAX_PLANS);
    }
    match action.trim() {
        "pin" if pinned.len() < MAX_PLANS => {
            // The form's plan as its link writes it (the page sends a valid one).
            pinned.push(decode_strict(current).map_or_else(|_| current.trim().to_string(), |p| encode(&p)));
            said = format!("The plan on the form is pinned as {}.", LETTERS[pinned.len() - 1]);
        }
        "pin" => said = format!("{MAX_PLANS} plans are pinned: unpin one to pin another."),
        "clear" => {
            pinned.clear();
            said = "Every plan is unpinned.".to_string();
        }
        a => {
            if let Some(i) = a.strip_prefix("remove ").and_then(|i| i.trim().parse::<usize>().ok()).filter(|&i| i < pinned.len()) {
                pinned.remove(i);
                said = format!("Plan {} is unpinned; the plans after it moved up.", LETTERS[i]);
            }
        }
    }
    let value = compare::encode(&pinned);
    let markup = panel(&pinned, &value, &said);
    (value, markup)
}

/// The panel: what it does, the pinned plans, the buttons, then the comparison.
pub fn panel(pinned: &[String], value: &str, said: &str) -> String {
    let mut out = String::from("<p>Pin the plan on the form, change it and pin it again: up to four plans, A to D, each compared with A. The comparison is part of the page's link, and this browser keeps it.</p>");
    // What the action did: public/compare.js says it in the panel's live region, which
    // outlives this markup (a region inserted with its text is seldom announced).
    put(&mut out, &["<p class=\"said\">", said, "</p>"]);
    let mut plans: Vec<(&str, Plan)> = vec![];
    if !pinned.is_empty() {
        out.push_str("<ol class=\"pins\">");
    }
    // A letter each: a fifth plan, which `answer` never keeps, is not shown.
    for (i, (q, letter)) in pinned.iter().zip(LETTERS).enumerate() {
        let shown = q.strip_prefix("v=1&").unwrap_or(if q == "v=1" { "the default plan" } else { q });
        let href = format!("#{q}&compare={value}");
        put(&mut out, &["<li><strong>", letter, "</strong> <code>", shown, "</code> <a href=\"", &href, "\">Open plan ", letter, "</a> <button type=\"button\" data-compare=\"remove ", &i.to_string(), "\">Unpin plan ", letter, "</button>"]);
        match decode_strict(q) {
            Ok(p) => plans.push((letter, p)),
            Err(e) => put(&mut out, &[" <span class=\"error\" role=\"alert\">Plan ", letter, " cannot be read: ", &e.to_string(), "</span>"]),
        }
        out.push_str("</li>");
    }
    if !pinned.is_empty() {
        out.push_str("</ol>");
    }
    out.push_str("<p class=\"actions\">");
    if let Some(next) = LETTERS.get(pinned.len()) {
        put(&mut out, &["<button type=\"button\" data-compare=\"pin\">Pin this plan as ", next, "</button>"]);
    }
    if !pinned.is_empty() {
        out.push_str("<button type=\"button\" data-compare=\"clear\">Unpin every plan</button>");
    }
    out.push_str("</p>");
    if plans.len() < 2 {
        out.push_str("<p>Pin two plans or more to compare them.</p>");
    } else {
        comparison(&mut out, &plans);
    }
    out
}

/// The table, the charts and the diffs of two plans or more (A first).
pub fn comparison(out: &mut String, plans: &[(&str, Plan)]) {
    let just: Vec<Plan> = plans.iter().map(|(_, p)| p.clone()).collect();
    let changed = inputs(&just);
    if changed.is_empty() {
        out.push_str("<p id=\"compare-same\">The plans are the same: no input differs.</p>");
        return;
    }
    table(out, plans, &changed, &results(&just));
    out.push_str("<h3>Charts</h3>");
    out.push_str(&figure_markup("compare-throughput", &super::charts::throughput(plans)));
    out.push_str(&figure_markup("compare-latency", &super::charts::latency(plans)));
    for (letter, p) in &plans[1..] {
        put(out, &["<h3>Files, A → ", letter, "</h3>"]);
        match files(&plans[0].1, p) {
            Ok(diffs) if diffs.is_empty() => out.push_str("<p>No file differs.</p>"),
            Ok(diffs) => {
                for (name, diff) in diffs {
                    let (added, removed) = counts(&diff);
                    let title = format!("{name} (+{added} −{removed} lines)");
                    put(out, &["<details class=\"component diff\"><summary>", &title, "</summary><pre tabindex=\"0\"><code>", &diff, "</code></pre></details>"]);
                }
            }
            Err(e) => put(out, &["<p role=\"alert\">", &e, "</p>"]),
        }
    }
}

/// A diff's added and removed lines (its `+++` and `---` headers left out).
fn counts(diff: &str) -> (usize, usize) {
    let lines = || diff.lines().filter(|l| !l.starts_with("+++") && !l.starts_with("---"));
    (lines().filter(|l| l.starts_with('+')).count(), lines().filter(|l| l.starts_with('-')).count())
}

/// An input's value as the table shows it: "auto" for a computed one, with the field's unit.
fn input_value(key: &str, value: &str) -> String {
    let unit = Field::from_key(key).map_or("", |f| f.unit());
    match (value, unit) {
        ("", _) => "auto".to_string(),
        (v, "") => v.to_string(),
        (v, u) => format!("{v} {u}"),
    }
}

/// The table: the inputs that differ, then the results that do, each plan's cell after
/// A's with its change and which way it goes, in words.
fn table(out: &mut String, plans: &[(&str, Plan)], changed: &[(&'static str, Vec<String>)], rows: &[Row]) {
    let n = plans.len() + 1;
    out.push_str("<div class=\"table-scroll tiers\" tabindex=\"0\" role=\"region\" aria-label=\"Plans compared\"><table id=\"compare-table\"><caption style=\"text-align:left\">Every input and result that differs; each plan against A, its change and whether it is better or worse</caption><thead><tr><th scope=\"col\">Input or result</th>");
    for (letter, _) in plans {
        put(out, &["<th scope=\"col\">Plan ", letter, "</th>"]);
    }
    out.push_str("</tr></thead>");
    let group = |out: &mut String, title: &str| put(out, &["<tbody><tr><th scope=\"rowgroup\" colspan=\"", &n.to_string(), "\">", title, "</th></tr>"]);
    group(out, "Inputs");
    for (key, values) in changed {
        let label = Field::from_key(key).map_or(*key, |f| f.label());
        put(out, &["<tr><th scope=\"row\">", label, " <code>", key, "</code></th>"]);
        for (i, v) in values.iter().enumerate() {
            let mark = match i {
                0 => "",
                _ if *v == values[0] => " <span class=\"way\" data-way=\"same\">(same)</span>",
                _ => " <span class=\"way\" data-way=\"changed\">(changed)</span>",
            };
            put(out, &["<td>", &input_value(key, v)]);
            out.push_str(mark);
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody>");
    group(out, if rows.is_empty() { "Results: none differs" } else { "Results" });
    for row in rows {
        put(out, &["<tr><th scope=\"row\">", &row.name, "</th>"]);
        for (i, cell) in row.cells.iter().enumerate() {
            put(out, &["<td>", &cell.text]);
            if i > 0 {
                let (w, change) = row.change(i);
                let words = if change.is_empty() { format!("({})", w.word()) } else { format!("({change}: {})", w.word()) };
                put(out, &[" <span class=\"way\" data-way=\"", w.word(), "\">", &words, "</span>"]);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
}
