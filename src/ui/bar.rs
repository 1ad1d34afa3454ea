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
    // The summary's value `of`, as `id`.
    let figure = |of: &str, id: &'static str, label: &'static str| {
        values.iter().find(|v| v.id == of).map_or_else(Html::default, |v| {
            html! { <span class="bar-value" {id}>{ label }{ v.number.clone() }{ v.unit.clone() }</span> }
        })
    };
    html! {
        <aside id="result-bar" class="result-bar" aria-label="Result">
            <p>
                <strong class="fit" data-fit={fit.key()}>{ fit.label() }</strong>
                if stale { <span class="bar-stale">{ "(last valid plan)" }</span> }
                { figure("v-workers", "bar-workers", "") }
                { figure("v-capacity", "bar-capacity", "") }
                { figure("v-p95", "bar-p95", "p95 ") }
                { figure("v-bottleneck", "bar-bottleneck", "") }
            </p>
            <button type="button" id="bar-full" onclick={Callback::from(|_: MouseEvent| show_summary())}>{ "Full result" }</button>
        </aside>
    }
}

/// Moves the focus to the summary, which brings it into view (below the bar: the page's
/// scroll padding).
fn show_summary() {
    let summary = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("summary"));
    if let Some(summary) = summary.and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = summary.focus();
    }
}
