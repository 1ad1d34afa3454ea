//! Every recommended setting, grouped by component, each with its why and source. The
//! list is not in the page's first load: once the person opens the section, the config
//! files' worker writes it ([`crate::export::request::details`], as the markup of
//! [`crate::model::details::html`]) for each new plan, keeping open the components the
//! person has open.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::worker::{self, Panel};
use crate::export::request;
use crate::model::details::html::OPEN_AT_FIRST;

use super::files::Shown;

/// The ids of the components open on the page now, space-separated; the first ones
/// before the list is shown.
fn open_now() -> String {
    let document = web_sys::window().and_then(|w| w.document());
    let Some(list) = document.and_then(|d| d.get_element_by_id("settings-list")) else { return OPEN_AT_FIRST.join(" ") };
    let open = list.query_selector_all("details[open]").ok();
    let ids = open.iter().flat_map(|l| (0..l.length()).filter_map(|i| l.item(i)?.dyn_into::<web_sys::Element>().ok()));
    ids.map(|e| e.id().trim_start_matches("d-").to_string()).collect::<Vec<_>>().join(" ")
}

/// The list's state: a hook of the App, not a component of its own (each component is a
/// copy of yew's component code in the page). Asked again for each new plan (`link`, its
/// query) once opened.
#[hook]
pub fn use_settings(link: &str) -> UseStateHandle<Shown> {
    let shown = use_state(|| Shown::Closed);
    {
        let shown = shown.clone();
        let open = *shown != Shown::Closed;
        use_effect_with((open, link.to_string()), move |(open, link)| {
            if *open {
                let reply = {
                    let shown = shown.clone();
                    Callback::from(move |reply: js_sys::Array| {
                        let text = reply.get(1).as_string().unwrap_or_default();
                        shown.set(match reply.get(0).as_string().as_deref() {
                            Some("details") => Shown::Listing(text.into(), 0),
                            _ => Shown::Error(text),
                        });
                    })
                };
                if let Err(e) = worker::ask(Panel::Settings, &request::details(link, &open_now()), reply) {
                    shown.set(Shown::Error(e));
                }
            }
        });
    }
    shown
}

/// The section: a button until opened, then the list.
pub fn view(shown: &UseStateHandle<Shown>) -> Html {
    let body = match &**shown {
        Shown::Closed => {
            let onclick = {
                let shown = shown.clone();
                Callback::from(move |_: MouseEvent| shown.set(Shown::Loading))
            };
            html! {
                <>
                    <p>{ "Every value, component by component, with its reason and source." }</p>
                    <button type="button" id="show-settings" {onclick}>{ "Show every setting" }</button>
                </>
            }
        }
        Shown::Loading => html! { <p role="status">{ "Listing the settings…" }</p> },
        // The worker's markup: fixed tags, every text escaped (model::details::html).
        Shown::Listing(markup, _) => html! { <div id="settings-list">{ Html::from_html_unchecked(markup.clone()) }</div> },
        Shown::Error(e) => html! { <p class="error" role="alert">{ format!("No settings: {e}") }</p> },
    };
    html! {
        <section class="card details" aria-labelledby="details-title">
            <h2 id="details-title">{ "Settings, component by component" }</h2>
            { body }
        </section>
    }
}
