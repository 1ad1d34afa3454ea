//! The generated files: a tab per file, the text, copy and download.

use yew::prelude::*;

use super::browser;
use crate::export;
use crate::model::Plan;

#[derive(Properties, PartialEq)]
pub struct FilesProps {
    pub plan: Plan,
}

#[component]
pub fn Files(props: &FilesProps) -> Html {
    let files = use_memo(props.plan.clone(), export::files);
    let selected = use_state(|| 0usize);
    let status = use_state(String::new);
    let index = (*selected).min(files.len().saturating_sub(1));
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
        let (file, status) = (file.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = browser::download(&file.name, "text/plain", file.text.as_bytes()) {
                status.set(e);
            }
        })
    };
    html! {
        <section class="card files" aria-labelledby="files-title">
            <h2 id="files-title">{ "Config files" }</h2>
            <div role="tablist" class="tabs">
                { for files.iter().enumerate().map(|(i, f)| {
                    let selected = selected.clone();
                    html! {
                        <button type="button" role="tab" aria-selected={(i == index).to_string()}
                            onclick={Callback::from(move |_| selected.set(i))}>{ f.name.clone() }</button>
                    }
                }) }
            </div>
            <div class="actions">
                <button type="button" id="copy-file" onclick={copy}>{ format!("Copy {}", file.name) }</button>
                <button type="button" id="download-file" onclick={download}>{ format!("Download {}", file.name) }</button>
                <span class="status" role="status">{ (*status).clone() }</span>
            </div>
            <pre id="file-text" role="tabpanel" tabindex="0"><code>{ file.text.clone() }</code></pre>
        </section>
    }
}
