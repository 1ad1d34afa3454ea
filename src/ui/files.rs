//! The generated files: a tab per file, the text, copy, download one, download all as a
//! `.zip`. Every byte comes from `export`; this component only shows and offers it.

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use crate::export::{self, archive, File};
use crate::model::Plan;

#[derive(Properties, PartialEq)]
pub struct FilesProps {
    pub plan: Plan,
}

/// A click handler that reports its failure in the status line.
fn action(status: &UseStateHandle<String>, run: impl Fn() -> Result<(), String> + 'static) -> Callback<MouseEvent> {
    let status = status.clone();
    Callback::from(move |_: MouseEvent| {
        if let Err(e) = run() {
            status.set(e);
        }
    })
}

#[component]
pub fn Files(props: &FilesProps) -> Html {
    let files = use_memo(props.plan.clone(), |plan| export::files(plan).map(Rc::new));
    // The tab is remembered by file name: the list changes with the plan.
    let selected = use_state(String::new);
    let status = use_state(String::new);
    let files: Rc<Vec<File>> = match &*files {
        Ok(files) => files.clone(),
        Err(e) => {
            return html! {
                <section class="card files" aria-labelledby="files-title">
                    <h2 id="files-title">{ "Config files" }</h2>
                    <p class="error" role="alert">{ format!("No files until the plan is valid: {e}") }</p>
                </section>
            };
        }
    };
    let index = files.iter().position(|f| f.name == *selected).unwrap_or(0);
    let Some(file) = files.get(index).cloned() else {
        return html! {};
    };
    let copy = {
        let (text, status) = (file.text.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, status) = (text.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                status.set(match browser::copy(text).await {
                    Ok(()) => "Copied to the clipboard.".to_string(),
                    Err(e) => format!("Not copied: {e}."),
                });
            });
        })
    };
    let download = {
        let file = file.clone();
        action(&status, move || browser::download(&file.name, "text/plain", file.text.as_bytes()))
    };
    let download_all = {
        let (files, service) = (files.clone(), props.plan.name.clone());
        action(&status, move || {
            let (name, dir) = archive::names(&service);
            let mtime = (js_sys::Date::now() / 1000.0) as u64;
            browser::download(&name, "application/zip", &archive::zip(&dir, &files, mtime))
        })
    };
    let all_name = archive::names(&props.plan.name).0;
    html! {
        <section class="card files" aria-labelledby="files-title">
            <h2 id="files-title">{ "Config files" }</h2>
            <div role="tablist" class="tabs">
                { for files.iter().enumerate().map(|(i, f)| {
                    let (selected, name) = (selected.clone(), f.name.clone());
                    html! {
                        <button type="button" role="tab" id={format!("tab-{i}")} aria-controls="file-text" aria-selected={(i == index).to_string()}
                            onclick={Callback::from(move |_| selected.set(name.clone()))}>{ f.name.clone() }</button>
                    }
                }) }
            </div>
            <div class="actions">
                <button type="button" id="copy-file" onclick={copy}>{ format!("Copy {}", file.name) }</button>
                <button type="button" id="download-file" onclick={download}>{ format!("Download {}", file.name) }</button>
                <button type="button" id="download-all" onclick={download_all}>{ format!("Download all ({all_name})") }</button>
                <span class="status" role="status">{ (*status).clone() }</span>
            </div>
            <pre id="file-text" role="tabpanel" tabindex="0" aria-labelledby={format!("tab-{index}")}><code>{ file.text.clone() }</code></pre>
        </section>
    }
}
