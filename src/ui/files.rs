//! The generated files: a tab per file, the text, copy, download one, download all as a
//! `.zip`. Every byte comes from `export`; this component only shows and offers it.

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use crate::export::{self, archive};
use crate::model::rules::Recommendation;
use crate::model::Plan;

#[derive(Properties)]
pub struct FilesProps {
    pub plan: Plan,
    /// The plan's rules, from the page's outcome (computed once per plan).
    pub rules: Rc<Recommendation>,
}

/// The rules follow from the plan: the same plan with the same shared rules is the same
/// panel (comparing the rules field by field would bring their whole `PartialEq` into the
/// wasm, 1.5 KB gzip).
impl PartialEq for FilesProps {
    fn eq(&self, other: &Self) -> bool {
        self.plan == other.plan && Rc::ptr_eq(&self.rules, &other.rules)
    }
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
    // The tab is remembered by file name.
    let selected = use_state(String::new);
    let status = use_state(String::new);
    // The names of the files and the one file shown: an edit writes that file alone.
    let shown = use_memo((props.plan.clone(), (*selected).clone()), {
        let rules = props.rules.clone();
        move |(plan, selected)| export::listing(plan, &rules, selected)
    });
    let (names, index, file) = match &*shown {
        Ok(l) => (&l.names, l.index, l.file.clone()),
        Err(e) => {
            return html! {
                <section class="card files" aria-labelledby="files-title">
                    <h2 id="files-title">{ "Config files" }</h2>
                    <p class="error" role="alert">{ format!("No files until the plan is valid: {e}") }</p>
                </section>
            };
        }
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
        let (plan, rules) = (props.plan.clone(), props.rules.clone());
        action(&status, move || {
            let files = export::files_from(&plan, &rules).map_err(|e| e.to_string())?;
            let (name, dir) = archive::names(&plan.name);
            let mtime = (js_sys::Date::now() / 1000.0) as u64;
            browser::download(&name, "application/zip", &archive::zip(&dir, &files, mtime))
        })
    };
    let all_name = archive::names(&props.plan.name).0;
    html! {
        <section class="card files" aria-labelledby="files-title">
            <h2 id="files-title">{ "Config files" }</h2>
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
                <button type="button" id="copy-file" onclick={copy}>{ format!("Copy {}", file.name) }</button>
                <button type="button" id="download-file" onclick={download}>{ format!("Download {}", file.name) }</button>
                <button type="button" id="download-all" onclick={download_all}>{ format!("Download all ({all_name})") }</button>
                <span class="status" role="status">{ (*status).clone() }</span>
            </div>
            <pre id="file-text" role="tabpanel" tabindex="0" aria-labelledby={format!("tab-{index}")}><code>{ file.text.clone() }</code></pre>
        </section>
    }
}
