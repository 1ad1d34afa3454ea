//! "Calibrate from a load test": the output of wrk, oha, hey, k6… pasted, or its file
//! picked (or dropped on the file input, which takes drops itself), sent to the
//! calibration's own worker (src/bin/calibrate.rs; the config files' worker holds none of
//! it) with the plan's query ([`crate::export::request::calibrate`]), which
//! reads it (a file by its blob URL), fits the plan's demands to it and answers the runs'
//! table, the fit, the chart, and "Use these figures" and "Undo" as markup (every text
//! escaped): links to the calibrated plan and to the plan it was calibrated from, which
//! the page opens as it opens any link.
//!
//! The page's first load has no room for a component here (one cost 4 KB of gzipped
//! wasm): the panel is its title ([`PANEL`]), markup yew writes once and never touches
//! again (equal raw markup is not redrawn); the worker writes the form into it when it is
//! first opened, then each answer; one click handler on the `<details>` serves every
//! control.

use yew::prelude::*;

use super::files::element;
use super::worker::{self, Panel};
use crate::export::request;

/// The panel's markup in the first load: its title, and the place of its form (sent by
/// the worker when the panel is first opened, [`crate::export::calibrate::form`]).
const PANEL: &str = "<summary><h2>Calibrate from a load test</h2></summary><div id=\"calibrate-body\"></div>";

/// Sends `request` to the worker; each answer goes into the element it names. (A worker
/// that fails to load, `["failed", message]`, names none: the panel then stays as it is.)
fn send(request: &str) {
    // Only answers name an element: an error's third element is the verb, and no element
    // of the page has a verb's id.
    let reply = Callback::from(|r: js_sys::Array| {
        if let Some(e) = element(&r.get(2).as_string().unwrap_or_default()) {
            e.set_inner_html(&r.get(1).as_string().unwrap_or_default());
        }
    });
    let _ = worker::ask(Panel::Calibrate, request, reply);
}

/// Asks about the picked (or dropped) file, read by the worker by its blob URL, else
/// about the text area's text, with the plan's query `link`. (The worker's answer for a
/// file writes the text area and an empty file input anew.)
fn ask(link: &str) {
    use wasm_bindgen::JsCast;
    // A text area's `value` as an input's: the same property, no binding of its own.
    let input = |id| element(id).map(|e| e.unchecked_into::<web_sys::HtmlInputElement>());
    let url = input("calibrate-file").and_then(|i| i.files()?.get(0)).and_then(|f| web_sys::Url::create_object_url_with_blob(&f).ok());
    let (verb, arg) = match url {
        Some(url) => ("calibrate-file", url),
        None => ("calibrate", input("calibrate-text").map(|a| a.value()).unwrap_or_default()),
    };
    send(&request::calibrate(verb, link, &arg));
}

/// "Find the cheapest fleet": its title, what it searches and its button; the worker's
/// answer goes into `#fleet-result` ([`crate::export::fleet::answer`]).
const FLEET: &str = "<summary><h2>Find the cheapest fleet</h2></summary><p>Every node of 1–64 cores at 2, 4 or 8 GiB per core, with the fewest nodes that carry the target at its peak within 70 % CPU, every class's p95 within its objective and the spare nodes lost, at the prices under Platform.</p><p class=\"actions\"><button type=\"button\" id=\"fleet-run\">Find the cheapest fleet</button></p><div id=\"fleet-result\"></div>";

/// The cheapest-fleet panel, closed at first; its button asks the calibration's worker
/// (the same protocol: the answer names the element it fills).
pub fn fleet(link: &str) -> Html {
    let link = link.to_string();
    let onclick = Callback::from(move |e: MouseEvent| {
        if e.target_unchecked_into::<web_sys::Element>().id() == "fleet-run" {
            if let Some(r) = element("fleet-result") {
                r.set_inner_html("<p>Searching 192 node shapes…</p>");
            }
            send(&request::calibrate("fleet", &link, ""));
        }
    });
    html! {
        <details class="card details" {onclick}>
            { Html::from_html_unchecked(FLEET.into()) }
        </details>
    }
}

/// The panel, closed at first.
pub fn view(link: &str) -> Html {
    let link = link.to_string();
    let dropped = link.clone();
    let onclick = {
        Callback::from(move |e: MouseEvent| {
            let el: web_sys::Element = e.target_unchecked_into();
            match el.id().as_str() {
                // Opened the first time (only the title shows): the form comes from the worker.
                _ if element("calibrate-text").is_none() => send(&request::calibrate("calibrate-form", &link, "")),
                "calibrate-run" => ask(&link),
                // Figures fitted to a plan since edited: fitted again to this one first, so
                // using them never undoes the edit.
                "calibrate-use" if el.get_attribute("data-asked").as_deref() != Some(&*link) => {
                    e.prevent_default();
                    ask(&link)
                }
                _ => {}
            }
        })
    };
    // A file dropped anywhere on the open panel (the text area too, not only the file
    // input) is read by the worker as a picked one.
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = Callback::from(move |e: DragEvent| {
        let file = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0));
        if let Some(url) = file.filter(|_| element("calibrate-text").is_some()).and_then(|f| web_sys::Url::create_object_url_with_blob(&f).ok()) {
            e.prevent_default();
            send(&request::calibrate("calibrate-file", &dropped, &url));
        }
    });
    // `details`: left out of the printed report, as the settings list is.
    html! {
        <details class="card details" {onclick} {ondragover} {ondrop}>
            { Html::from_html_unchecked(PANEL.into()) }
        </details>
    }
}
