//! The generated files: a tab per file, the text, copy, download one, download all as a
//! `.zip`. The exporters are not in the page's wasm: the panel asks the config files'
//! worker (src/bin/files.rs, [`worker`]) once the person opens it, and shows what it answers to
//! [`crate::export::request`]s. Every byte still comes from `export`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser;
use super::worker::{self, Panel};
use crate::export::{archive, request};
use crate::model::{query, Plan};

#[derive(Properties, PartialEq)]
pub struct FilesProps {
    pub plan: Plan,
}

/// What the worker last answered.
#[derive(Clone, PartialEq, Default)]
enum Shown {
    /// Opened, no answer yet.
    #[default]
    Loading,
    Listing { names: Rc<[String]>, index: usize, text: Rc<str> },
    Error(String),
}

/// What the panel does with the worker's answers: a listing is shown, an archive is
/// downloaded, a failure is said.
fn on_reply(shown: UseStateHandle<Shown>, status: UseStateHandle<String>) -> Callback<js_sys::Array> {
    Callback::from(move |reply: js_sys::Array| {
        let text = |i: u32| reply.get(i).as_string().unwrap_or_default();
        match text(0).as_str() {
            "list" => shown.set(Shown::Listing {
                names: text(1).split('\n').map(str::to_string).collect(),
                index: reply.get(2).as_f64().unwrap_or(0.0) as usize,
                text: text(3).into(),
            }),
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

#[component]
pub fn Files(props: &FilesProps) -> Html {
    let open = use_state(|| false);
    // The tab is remembered by file name.
    let selected = use_state(String::new);
    let shown = use_state(Shown::default);
    let status = use_state(String::new);
    let link = query::encode(&props.plan);
    let reply = on_reply(shown.clone(), status.clone());
    // Each change of the plan or the tab, once open, asks for the files again.
    {
        let (reply, status) = (reply.clone(), status.clone());
        use_effect_with(((*open), link.clone(), (*selected).clone()), move |(open, link, selected)| {
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
            Shown::Listing { index, .. } => Some(*index),
            _ => None,
        };
        use_effect_with(((*focus), at), move |(wanted, at)| {
            if let (true, Some(i)) = (*wanted, at) {
                let tab = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("tab-{i}")));
                if let Some(tab) = tab.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = tab.focus();
                }
                focus.set(false);
            }
        });
    }
    let title = html! { <h2 id="files-title">{ "Config files" }</h2> };
    if !*open {
        let onclick = {
            let (open, focus) = (open.clone(), focus.clone());
            Callback::from(move |_: MouseEvent| {
                open.set(true);
                focus.set(true);
            })
        };
        return html! {
            <section class="card files" aria-labelledby="files-title">
                { title }
                <p>{ "gunicorn, systemd, nginx, PostgreSQL, PgBouncer, Redis, kernel, Kubernetes and alert files for this plan, each value with its reason." }</p>
                <button type="button" id="show-files" {onclick}>{ "Show the config files" }</button>
            </section>
        };
    }
    let (names, index, text) = match &*shown {
        Shown::Listing { names, index, text } => (names.clone(), *index, text.clone()),
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
    let name = names.get(index).cloned().unwrap_or_default();
    let copy = {
        let (text, status) = (text.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, status) = (text.to_string(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                status.set(match browser::copy(text).await {
                    Ok(()) => "Copied to the clipboard.".to_string(),
                    Err(e) => format!("Not copied: {e}."),
                });
            });
        })
    };
    let download = {
        let (name, text, status) = (name.clone(), text.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = browser::download(&name, "text/plain", text.as_bytes()) {
                status.set(e);
            }
        })
    };
    let download_all = {
        let (link, status) = (link.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = worker::ask(Panel::Files, &request::zip(&link, (js_sys::Date::now() / 1000.0) as u64), reply.clone()) {
                status.set(e);
            }
        })
    };
    let all_name = archive::names(&props.plan.name).0;
    html! {
        <section class="card files" aria-labelledby="files-title">
            { title }
            <div role="tablist" class="tabs">
                { for names.iter().enumerate().map(|(i, name)| {
                    let (selected, key) = (selected.clone(), name.clone());
                    html! {
                        <button type="button" role="tab" id={format!("tab-{i}")} aria-controls="file-text" aria-selected={(i == index).to_string()}
                            onclick={Callback::from(move |_| selected.set(key.clone()))}>{ name.clone() }</button>
                    }
                }) }
            </div>
            <div class="actions">
                <button type="button" id="copy-file" onclick={copy}>{ format!("Copy {name}") }</button>
                <button type="button" id="download-file" onclick={download}>{ format!("Download {name}") }</button>
                <button type="button" id="download-all" onclick={download_all}>{ format!("Download all ({all_name})") }</button>
                <span class="status" role="status">{ (*status).clone() }</span>
            </div>
            <pre id="file-text" role="tabpanel" tabindex="0" aria-labelledby={format!("tab-{index}")}><code>{ text.to_string() }</code></pre>
        </section>
    }
}
