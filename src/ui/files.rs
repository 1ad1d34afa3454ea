//! The generated files: a tab per file, the text, copy, download one, download all as a
//! `.zip`. The exporters are not in the page's wasm: the panel starts the config files'
//! worker (src/bin/files.rs) when the person opens it, and shows what it answers to
//! [`crate::export::request`]s. Every byte still comes from `export`.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser;
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

/// The worker and the handler of its messages (kept alive as long as the panel).
struct Worker {
    worker: web_sys::Worker,
    /// The last request sent: sent again when the worker says it is ready (a message that
    /// arrives while its wasm loads has no handler yet and is lost).
    last: Rc<RefCell<String>>,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::ErrorEvent)>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Starts the worker; its answers go to `shown`, its archives to a download, `status`
/// says what failed.
fn start(shown: UseStateHandle<Shown>, status: UseStateHandle<String>) -> Result<Worker, String> {
    let worker = web_sys::Worker::new(&request::worker_url()).map_err(|_| "the browser refused to start the files' worker".to_string())?;
    let last = Rc::new(RefCell::new(String::new()));
    let (again, resend) = (worker.clone(), last.clone());
    let on_error = Closure::<dyn Fn(web_sys::ErrorEvent)>::new({
        let status = status.clone();
        move |e: web_sys::ErrorEvent| status.set(format!("The files' worker failed: {}", e.message()))
    });
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let reply: js_sys::Array = e.data().unchecked_into();
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
            "ready" => {
                let _ = again.post_message(&JsValue::from_str(&resend.borrow()));
            }
            _ => {}
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Worker { worker, last, _on_message: on_message, _on_error: on_error })
}

/// Sends a request to the worker, if it runs.
fn send(worker: &RefCell<Option<Worker>>, request: &str) {
    if let Some(w) = worker.borrow().as_ref() {
        *w.last.borrow_mut() = request.to_string();
        let _ = w.worker.post_message(&JsValue::from_str(request));
    }
}

#[component]
pub fn Files(props: &FilesProps) -> Html {
    let open = use_state(|| false);
    // The tab is remembered by file name.
    let selected = use_state(String::new);
    let shown = use_state(Shown::default);
    let status = use_state(String::new);
    let worker = use_mut_ref(|| None::<Worker>);
    let link = query::encode(&props.plan);
    // Each change of the plan or the tab, once open, asks for the files again.
    {
        let (worker, shown, status) = (worker.clone(), shown.clone(), status.clone());
        use_effect_with(((*open), link.clone(), (*selected).clone()), move |(open, link, selected)| {
            if *open {
                if worker.borrow().is_none() {
                    match start(shown, status.clone()) {
                        Ok(w) => *worker.borrow_mut() = Some(w),
                        Err(e) => status.set(e),
                    }
                }
                send(&worker, &request::list(link, selected));
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
        let (worker, link) = (worker.clone(), link.clone());
        Callback::from(move |_: MouseEvent| send(&worker, &request::zip(&link, (js_sys::Date::now() / 1000.0) as u64)))
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
