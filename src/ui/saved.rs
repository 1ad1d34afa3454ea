//! Sharing and keeping: copy the plan's link, the plans saved in this browser (save,
//! open, rename, delete), and a plan as a file (export, import). What a saved plan or a
//! file holds is `crate::share`'s; anything unreadable gives a message and leaves the
//! plan on screen as it is.

use yew::prelude::*;

use super::{browser, persist};
use crate::model::Plan;
use crate::share::{self, Loaded, SavedPlan, SavedPlans};

/// The saved plans as stored; a message when what is stored cannot be read.
fn stored() -> Result<SavedPlans, String> {
    match persist::read(share::SAVED_KEY) {
        None => Ok(SavedPlans::default()),
        Some(text) => SavedPlans::from_json(&text).map_err(|e| {
            format!("The saved plans in this browser could not be read: {e}. They are left as they are until you save a plan.")
        }),
    }
}

/// Reads the stored plans, applies `change` and stores the result (read-modify-write, so
/// another tab's changes are kept). Unreadable stored plans are replaced.
fn update<T>(change: impl FnOnce(&mut SavedPlans) -> Result<T, String>) -> Result<(SavedPlans, T), String> {
    let mut saved = stored().unwrap_or_default();
    let said = change(&mut saved)?;
    persist::write(share::SAVED_KEY, &saved.to_json()).map_err(|e| format!("Not kept: {e}."))?;
    Ok((saved, said))
}

/// A message under the panel; `bad` ones are shown as problems. After a delete it
/// holds the deleted plan, offered back until the next message.
#[derive(Clone, PartialEq, Default)]
struct Status {
    text: String,
    bad: bool,
    undo: Option<SavedPlan>,
}

impl Status {
    fn from(result: Result<String, String>) -> Status {
        match result {
            Ok(text) => Status { text, bad: false, undo: None },
            Err(text) => Status { text, bad: true, undo: None },
        }
    }
}

/// What a change to the saved plans says: a message, and a deleted plan to offer back.
type Change = Box<dyn FnOnce(&mut SavedPlans) -> Result<(String, Option<SavedPlan>), String>>;

#[derive(Properties, PartialEq)]
pub struct KeepProps {
    pub plan: Plan,
    pub on_load: Callback<Loaded>,
}

#[component]
pub fn Keep(props: &KeepProps) -> Html {
    let first = use_memo((), |_| stored());
    let saved = use_state(|| (*first).clone().unwrap_or_default());
    let status = use_state(|| Status::from((*first).clone().map(|_| String::new())));
    let name = use_state(|| props.plan.name.clone());
    let renaming = use_state(|| None::<(String, String)>);

    // Runs a change to the stored plans and shows its outcome.
    let apply = {
        let (saved, status) = (saved.clone(), status.clone());
        move |change: Change| {
            status.set(match update(change) {
                Ok((list, (text, undo))) => {
                    saved.set(list);
                    Status { text, bad: false, undo }
                }
                Err(text) => Status { text, bad: true, undo: None },
            });
        }
    };

    let copy_link = {
        let (plan, status) = (props.plan.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (link, status) = (persist::share_link(&plan), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                status.set(Status::from(match browser::copy(link).await {
                    Ok(()) => Ok("Link copied: it opens this plan.".to_string()),
                    Err(e) => Err(format!("Not copied: {e}. The address bar holds the same link.")),
                }));
            });
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let save = {
        let (apply, plan, name) = (apply.clone(), props.plan.clone(), name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (plan, typed) = (plan.clone(), (*name).clone());
            apply(Box::new(move |s| {
                let replaced = share::clean_name(&typed).is_ok_and(|n| s.contains(&n));
                let kept = s.save(&typed, &plan).map_err(|e| format!("Not saved: {e}."))?;
                Ok((if replaced { format!("Replaced the saved plan '{kept}'.") } else { format!("Saved '{kept}'.") }, None))
            }));
        })
    };
    let export = {
        let (plan, name, status) = (props.plan.clone(), name.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let label = share::clean_name(&name).unwrap_or_else(|_| plan.name.clone());
            let file = share::file_name(&label);
            let text = share::plan_file(&label, &plan);
            status.set(Status::from(
                browser::download(&file, "application/json", text.as_bytes()).map(|()| format!("Exported {file}.")),
            ));
        })
    };
    let import = {
        let (on_load, name, status) = (props.on_load.clone(), name.clone(), status.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let file = input.files().and_then(|files| files.get(0));
            input.set_value("");
            if let Some(file) = file {
                let (on_load, name, status) = (on_load.clone(), name.clone(), status.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let file_name = file.name();
                    match read_file(&file).await.and_then(|text| share::read_plan_file(&text).map_err(|e| e.to_string())) {
                        Ok(imported) => {
                            if !imported.name.is_empty() {
                                name.set(imported.name);
                            }
                            status.set(Status::from(Ok(format!("Opened the plan in {file_name}."))));
                            on_load.emit(imported.loaded);
                        }
                        Err(e) => status.set(Status::from(Err(format!(
                            "{file_name} was not imported: {e}. The plan on screen is unchanged."
                        )))),
                    }
                });
            }
        })
    };
    let undo = {
        let (apply, status) = (apply.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(entry) = status.undo.clone() {
                apply(Box::new(move |s| {
                    let said = format!("Put back '{}'.", entry.name);
                    s.restore(entry);
                    Ok((said, None))
                }));
            }
        })
    };

    let rows = saved.iter().map(|entry| {
        let entry_name = entry.name.clone();
        if let Some((old, typed)) = (*renaming).clone().filter(|(old, _)| *old == entry_name) {
            let on_input = {
                let (renaming, old) = (renaming.clone(), old.clone());
                Callback::from(move |e: InputEvent| {
                    let value = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                    renaming.set(Some((old.clone(), value)));
                })
            };
            let submit = {
                let (apply, renaming, typed) = (apply.clone(), renaming.clone(), typed.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let (old, typed) = (old.clone(), typed.clone());
                    renaming.set(None);
                    apply(Box::new(move |s| {
                        let new = s.rename(&old, &typed).map_err(|e| format!("Not renamed: {e}."))?;
                        Ok((format!("Renamed '{old}' to '{new}'."), None))
                    }));
                })
            };
            let cancel = {
                let renaming = renaming.clone();
                Callback::from(move |_: MouseEvent| renaming.set(None))
            };
            return html! {
                <li class="saved-plan renaming">
                    <form onsubmit={submit}>
                        <input class="rename-name" aria-label={format!("New name for {entry_name}")}
                            value={typed} oninput={on_input} maxlength="80" />
                        <button type="submit" class="rename-ok">{ "Rename" }</button>
                        <button type="button" class="rename-cancel" onclick={cancel}>{ "Cancel" }</button>
                    </form>
                </li>
            };
        }
        let open = {
            let (saved, on_load, status, n) = (saved.clone(), props.on_load.clone(), status.clone(), entry_name.clone());
            Callback::from(move |_: MouseEvent| match saved.open(&n) {
                Some(loaded) => {
                    status.set(Status::from(Ok(format!("Opened '{n}'."))));
                    on_load.emit(loaded);
                }
                None => status.set(Status::from(Err(format!("No saved plan is named '{n}'.")))),
            })
        };
        let rename = {
            let (renaming, n) = (renaming.clone(), entry_name.clone());
            Callback::from(move |_: MouseEvent| renaming.set(Some((n.clone(), n.clone()))))
        };
        let delete = {
            let (apply, n) = (apply.clone(), entry_name.clone());
            Callback::from(move |_: MouseEvent| {
                let n = n.clone();
                apply(Box::new(move |s| match s.delete(&n) {
                    Some(entry) => Ok((format!("Deleted '{n}'."), Some(entry))),
                    None => Err(format!("No saved plan is named '{n}'.")),
                }));
            })
        };
        html! {
            <li class="saved-plan" data-name={entry_name.clone()}>
                <span class="saved-name">{ entry_name.clone() }</span>
                <button type="button" class="open" aria-label={format!("Open {entry_name}")} onclick={open}>{ "Open" }</button>
                <button type="button" class="rename" aria-label={format!("Rename {entry_name}")} onclick={rename}>{ "Rename" }</button>
                <button type="button" class="delete" aria-label={format!("Delete {entry_name}")} onclick={delete}>{ "Delete" }</button>
            </li>
        }
    });

    html! {
        <section class="card keep" aria-labelledby="keep-title">
            <div class="keep-bar">
                <h2 id="keep-title">{ "Share and keep" }</h2>
                <button type="button" id="copy-link" onclick={copy_link}>{ "Copy link" }</button>
                <button type="button" id="export-plan" onclick={export}>{ "Export file" }</button>
                <input type="file" id="import-plan" class="visually-hidden" accept=".json,application/json" onchange={import} />
                <label class="button" for="import-plan">{ "Import file" }</label>
            </div>
            <form class="save" onsubmit={save}>
                <label for="save-name">{ "Name" }</label>
                <input id="save-name" type="text" autocomplete="off" maxlength="80" value={(*name).clone()} oninput={on_name} />
                <button type="submit" id="save-plan">{ "Save in this browser" }</button>
            </form>
            if !saved.is_empty() {
                <ul id="saved-list" class="saved-list" aria-label="Saved plans">{ for rows }</ul>
            }
            <p id="keep-status" class={classes!("status", status.bad.then_some("bad"))} role="status">
                { status.text.clone() }
                if status.undo.is_some() {
                    { " " }<button type="button" id="undo-delete" onclick={undo}>{ "Undo" }</button>
                }
            </p>
        </section>
    }
}

/// A picked file's text, unless it is too big to be a plan file.
async fn read_file(file: &web_sys::File) -> Result<String, String> {
    let size = file.size();
    if size > share::MAX_FILE_BYTES as f64 {
        return Err(format!("it is {size} bytes, more than a plan file's {}", share::MAX_FILE_BYTES));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(|_| "the browser could not read it")?;
    text.as_string().ok_or_else(|| "the browser could not read it".to_string())
}
