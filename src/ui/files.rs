//! The generated files: a tab per file, the text, copy, download one, download all as a
//! `.zip`. The exporters are not in the page's wasm: the panel asks the config files'
//! worker (src/bin/files.rs, [`worker`]) once the person opens it, and shows the markup
//! it writes ([`crate::export::request::panel`], every text escaped) as it is. One click
//! handler on the panel reads which button was pressed: a tab, copy, download, download
//! all. Every byte still comes from `export`.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser;
use super::worker::{self, Panel};
use crate::export::request;
use crate::model::{query, Plan};

#[derive(Properties, PartialEq)]
pub struct FilesProps {
    pub plan: Plan,
}

/// What the worker last answered, for a panel it fills (this one and the settings list).
/// One type for both: each state type is a copy of yew's state code in the page.
#[derive(Clone, PartialEq)]
pub(super) enum Shown {
    Closed,
    Loading,
    /// The panel's markup and the tab shown (the settings list: 0).
    Listing(AttrValue, usize),
    Error(String),
}

/// What the panel does with the worker's answers: a listing is shown, an archive is
/// downloaded, a failure is said.
fn on_reply(shown: UseStateHandle<Shown>, status: UseStateHandle<String>) -> Callback<js_sys::Array> {
    Callback::from(move |reply: js_sys::Array| {
        let text = |i: u32| reply.get(i).as_string().unwrap_or_default();
        match text(0).as_str() {
            "list" => shown.set(Shown::Listing(text(1).into(), reply.get(2).as_f64().unwrap_or(0.0) as usize)),
            "zip" => {
                let bytes = js_sys::Uint8Array::new(&reply.get(2)).to_vec();
                if let Err(e) = browser::download(&text(1), "application/zip", &bytes) {
                    status.set(e);
                }
            }
            "error" => shown.set(Shown::Error(text(1))),
            "failed" => status.set(text(1)),
            _ => {}
        }
    })
}

/// The element of the page with `id`.
pub(super) fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

#[component]
pub fn Files(props: &FilesProps) -> Html {
    let shown = use_state(|| Shown::Closed);
    // The tab is remembered by file name.
    let selected = use_state(String::new);
    let status = use_state(String::new);
    let link = query::encode(&props.plan);
    let reply = on_reply(shown.clone(), status.clone());
    let open = *shown != Shown::Closed;
    // Each change of the plan or the tab, once open, asks for the files again.
    {
        let (reply, status) = (reply.clone(), status.clone());
        use_effect_with((open, link.clone(), (*selected).clone()), move |(open, link, selected)| {
            if *open {
                if let Err(e) = worker::ask(Panel::Files, &request::list(link, selected), reply) {
                    status.set(e);
                }
            }
        });
    }
    // Opened from its button, the panel takes the focus to its tab once the files come,
    // so a keyboard user goes on from there rather than from the top of the page.
    let focus = use_state(|| false);
    {
        let focus = focus.clone();
        let at = match &*shown {
            Shown::Listing(_, index) => Some(*index),
            _ => None,
        };
        use_effect_with(((*focus), at), move |(wanted, at)| {
            if let (true, Some(i)) = (*wanted, at) {
                if let Some(tab) = element(&format!("tab-{i}")).and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = tab.focus();
                }
                focus.set(false);
            }
        });
    }
    let title = html! { <h2 id="files-title">{ "Config files" }</h2> };
    let markup = match &*shown {
        Shown::Listing(markup, _) => markup.clone(),
        Shown::Closed => {
            let onclick = {
                let (shown, focus) = (shown.clone(), focus.clone());
                Callback::from(move |_: MouseEvent| {
                    shown.set(Shown::Loading);
                    focus.set(true);
                })
            };
            return html! {
                <section class="card files" aria-labelledby="files-title">
                    { title }
                    <p>{ "Every file of this plan, each value with its reason." }</p>
                    <button type="button" id="show-files" {onclick}>{ "Show the config files" }</button>
                </section>
            };
        }
        Shown::Loading => {
            return html! {
                <section class="card files" aria-labelledby="files-title" aria-busy="true">
                    { title }
                    <p role="status">{ "Writing the files…" }</p>
                    <p class="status" role="status">{ (*status).clone() }</p>
                </section>
            };
        }
        Shown::Error(e) => {
            return html! {
                <section class="card files" aria-labelledby="files-title">
                    { title }
                    <p class="error" role="alert">{ format!("No files: {e}") }</p>
                </section>
            };
        }
    };
    // The buttons of the worker's markup: which one, by its id or its file.
    let onclick = {
        let (selected, status) = (selected.clone(), status.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(button) = e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("button").ok().flatten()) else { return };
            let text = || element("file-text").and_then(|t| t.text_content()).unwrap_or_default();
            let name = || element("file-text").and_then(|t| t.get_attribute("aria-labelledby")).and_then(|tab| element(&tab)).and_then(|t| t.get_attribute("data-file")).unwrap_or_default();
            if let Some(file) = button.get_attribute("data-file") {
                selected.set(file);
                return;
            }
            match button.id().as_str() {
                "copy-file" => {
                    let (text, status) = (text(), status.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        status.set(match browser::copy(text).await {
                            Ok(()) => "Copied to the clipboard.".to_string(),
                            Err(e) => format!("Not copied: {e}."),
                        });
                    });
                }
                "download-file" => {
                    if let Err(e) = browser::download(&name(), "text/plain", text().as_bytes()) {
                        status.set(e);
                    }
                }
                "download-all" => {
                    if let Err(e) = worker::ask(Panel::Files, &request::zip(&link, (js_sys::Date::now() / 1000.0) as u64), reply.clone()) {
                        status.set(e);
                    }
                }
                _ => {}
            }
        })
    };
    html! {
        <section class="card files" aria-labelledby="files-title" {onclick}>
            { title }
            <div id="files-panel">{ Html::from_html_unchecked(markup) }</div>
            <p class="status" role="status">{ (*status).clone() }</p>
        </section>
    }
}
