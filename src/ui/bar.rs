//! The result bar of a narrow screen: the verdict's fit and the summary's processes,
//! capacity, p95 and bottleneck in a line or two, kept at the top of the screen while the
//! form scrolls under it, with a button to the full recommendation. A wide screen keeps
//! the summary itself in view and hides the bar (styles/main.css), as print does.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::model::outcome::Fit;
use crate::model::summary::Value;

/// The bar of the summary's `values`. `stale`: a field does not read, so the figures are
/// the last valid plan's.
pub fn view(fit: Fit, values: &[Value], stale: bool) -> Html {
    // The summary's value `of`, as `id`: numbers and units the model writes, no text of
    // the person's, laid out as markup (one string, not a node per part).
    let mut line = format!("<strong class=\"fit\" data-fit=\"{}\">{}</strong>", fit.key(), fit.label());
    if stale {
        line.push_str("<span class=\"bar-stale\">(last valid plan)</span>");
    }
    for (of, id, label) in [("v-workers", "bar-workers", ""), ("v-capacity", "bar-capacity", ""), ("v-p95", "bar-p95", "p95 "), ("v-bottleneck", "bar-bottleneck", "")] {
        if let Some(v) = values.iter().find(|v| v.id == of) {
            line.push_str(&format!("<span class=\"bar-value\" id=\"{id}\">{label}{}{}</span>", v.number, v.unit));
        }
    }
    html! {
        <aside id="result-bar" class="result-bar" aria-label="Result">
            <p>{ Html::from_html_unchecked(line.into()) }</p>
            <button type="button" id="bar-full" onclick={Callback::from(|_: MouseEvent| show_summary())}>{ "Full result" }</button>
        </aside>
    }
}

/// Moves the focus to the summary and brings its top into view (below the bar: the page's
/// scroll padding), as focus alone centres a summary taller than the screen.
fn show_summary() {
    let summary = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("summary"));
    if let Some(summary) = summary.and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = summary.focus();
        summary.scroll_into_view();
    }
}
