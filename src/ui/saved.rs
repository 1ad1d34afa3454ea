//! Sharing and keeping: copy the plan's link, the plans saved in this browser (save,
//! open, rename, delete), and a plan as a file (export, import). What a saved plan or a
//! file holds is `crate::share`'s; anything unreadable gives a message and leaves the
//! plan on screen as it is.

use std::rc::Rc;

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

/// A change to the saved plans, each read-modify-write on the stored document.
enum Change {
    Save { name: String, plan: Plan },
    Rename { from: String, to: String },
    Delete(String),
    Restore(SavedPlan),
}

impl Change {
    /// Applies the change: what to say, and a deleted plan to offer back.
    fn apply(self, s: &mut SavedPlans) -> Result<(String, Option<SavedPlan>), String> {
        match self {
            Change::Save { name, plan } => {
                let replaced = share::clean_name(&name).is_ok_and(|n| s.contains(&n));
                let kept = s.save(&name, &plan).map_err(|e| format!("Not saved: {e}."))?;
                Ok((if replaced { format!("Replaced the saved plan '{kept}'.") } else { format!("Saved '{kept}'.") }, None))
            }
            Change::Rename { from, to } => {
                let new = s.rename(&from, &to).map_err(|e| format!("Not renamed: {e}."))?;
                Ok((format!("Renamed '{from}' to '{new}'."), None))
            }
            Change::Delete(name) => match s.delete(&name) {
                Some(entry) => Ok((format!("Deleted '{name}'."), Some(entry))),
                None => Err(format!("No saved plan is named '{name}'.")),
            },
            Change::Restore(entry) => {
                let said = format!("Put back '{}'.", entry.name);
                s.restore(entry);
                Ok((said, None))
            }
        }
    }
}

/// Reads the stored plans, applies `change` and stores the result (read-modify-write, so
/// another tab's changes are kept; unreadable stored plans are replaced); what the panel
/// then shows.
fn update(change: Change) -> Act {
    let mut saved = stored().unwrap_or_default();
    let outcome = change.apply(&mut saved).and_then(|said| {
        persist::write(share::SAVED_KEY, &saved.to_json()).map_err(|e| format!("Not kept: {e}."))?;
        Ok(said)
    });
    match outcome {
        Ok((text, undo)) => Act::Kept(saved, Status { text, bad: false, undo }),
        Err(text) => Act::Say(Status::bad(text)),
    }
}

/// A message under the panel; `bad` ones are shown as problems. After a delete it
/// holds the deleted plan, offered back until the next message.
#[derive(Clone, Default)]
struct Status {
    text: String,
    bad: bool,
    undo: Option<SavedPlan>,
}

impl Status {
    fn good(text: impl Into<String>) -> Status {
        Status { text: text.into(), ..Status::default() }
    }

    fn bad(text: String) -> Status {
        Status { text, bad: true, undo: None }
    }

    fn from(result: Result<String, String>) -> Status {
        result.map_or_else(Status::bad, Status::good)
    }
}

/// What the panel shows: the saved plans, the message, the name typed, and the plan
/// being renamed with the new name typed so far.
#[derive(Clone)]
struct Panel {
    saved: SavedPlans,
    status: Status,
    name: String,
    renaming: Option<(String, String)>,
}

/// What changes the panel.
enum Act {
    Name(String),
    Renaming(Option<(String, String)>),
    Say(Status),
    Kept(SavedPlans, Status),
}

impl Reducible for Panel {
    type Action = Act;
    fn reduce(self: Rc<Self>, act: Act) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        match act {
            Act::Name(name) => next.name = name,
            Act::Renaming(renaming) => next.renaming = renaming,
            Act::Say(status) => next.status = status,
            Act::Kept(saved, status) => (next.saved, next.status) = (saved, status),
        }
        Rc::new(next)
    }
}

#[derive(Properties, PartialEq)]
pub struct KeepProps {
    pub plan: Plan,
    pub on_load: Callback<Loaded>,
}

/// The value of the input an event came from.
fn input_value(e: InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

#[component]
pub fn Keep(props: &KeepProps) -> Html {
    let panel = use_reducer(|| {
        let first = stored();
        let status = first.as_ref().err().map_or_else(Status::default, |e| Status::bad(e.clone()));
        Panel { saved: first.unwrap_or_default(), status, name: props.plan.name.clone(), renaming: None }
    });
    let act = panel.dispatcher();

    let copy_link = {
        let (plan, act) = (props.plan.clone(), act.clone());
        Callback::from(move |_: MouseEvent| {
            let (link, act) = (persist::share_link(&plan), act.clone());
            wasm_bindgen_futures::spawn_local(async move {
                act.dispatch(Act::Say(match browser::copy(link).await {
                    Ok(()) => Status::good("Link copied: it opens this plan."),
                    Err(e) => Status::bad(format!("Not copied: {e}. The address bar holds the same link.")),
                }));
            });
        })
    };
    let on_name = {
        let act = act.clone();
        Callback::from(move |e: InputEvent| act.dispatch(Act::Name(input_value(e))))
    };
    let save = {
        let (act, plan, name) = (act.clone(), props.plan.clone(), panel.name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            act.dispatch(update(Change::Save { name: name.clone(), plan: plan.clone() }));
        })
    };
    let export = {
        let (act, plan, name) = (act.clone(), props.plan.clone(), panel.name.clone());
        Callback::from(move |_: MouseEvent| {
            let label = share::clean_name(&name).unwrap_or_else(|_| plan.name.clone());
            let file = share::file_name(&label);
            let text = share::plan_file(&label, &plan);
            let result = browser::download(&file, "application/json", text.as_bytes());
            act.dispatch(Act::Say(Status::from(result.map(|()| format!("Exported {file}.")))));
        })
    };
    let import = {
        let (act, on_load) = (act.clone(), props.on_load.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let file = input.files().and_then(|files| files.get(0));
            input.set_value("");
            if let Some(file) = file {
                let (act, on_load) = (act.clone(), on_load.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let file_name = file.name();
                    match read_file(&file).await.and_then(|text| share::read_plan_file(&text).map_err(|e| e.to_string())) {
                        Ok(imported) => {
                            if !imported.name.is_empty() {
                                act.dispatch(Act::Name(imported.name));
                            }
                            act.dispatch(Act::Say(Status::good(format!("Opened the plan in {file_name}."))));
                            on_load.emit(imported.loaded);
                        }
                        Err(e) => act.dispatch(Act::Say(Status::bad(format!(
                            "{file_name} was not imported: {e}. The plan on screen is unchanged."
                        )))),
                    }
                });
            }
        })
    };
    let undo = {
        let (act, entry) = (act.clone(), panel.status.undo.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(entry) = entry.clone() {
                act.dispatch(update(Change::Restore(entry)));
            }
        })
    };
    // One handler for every button of the list: the button's class says what to do, its
    // row's data-name to which plan.
    let on_list = {
        let (act, panel, on_load) = (act.clone(), panel.clone(), props.on_load.clone());
        Callback::from(move |e: MouseEvent| {
            let button: web_sys::Element = e.target_unchecked_into();
            let row = button.closest("li").ok().flatten();
            let name = row.and_then(|li| li.get_attribute("data-name")).unwrap_or_default();
            match button.class_name().as_str() {
                "open" => match panel.saved.open(&name) {
                    Some(loaded) => {
                        act.dispatch(Act::Say(Status::good(format!("Opened '{name}'."))));
                        on_load.emit(loaded);
                    }
                    None => act.dispatch(Act::Say(Status::bad(format!("No saved plan is named '{name}'.")))),
                },
                "rename" => act.dispatch(Act::Renaming(Some((name.clone(), name)))),
                "delete" => act.dispatch(update(Change::Delete(name))),
                "rename-cancel" => act.dispatch(Act::Renaming(None)),
                _ => {}
            }
        })
    };

    let rows = panel.saved.iter().map(|entry| {
        let entry_name = &entry.name;
        if let Some((old, typed)) = panel.renaming.as_ref().filter(|(old, _)| old == entry_name) {
            let on_input = {
                let (act, old) = (act.clone(), old.clone());
                Callback::from(move |e: InputEvent| act.dispatch(Act::Renaming(Some((old.clone(), input_value(e))))))
            };
            let submit = {
                let (act, from, to) = (act.clone(), old.clone(), typed.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    act.dispatch(Act::Renaming(None));
                    act.dispatch(update(Change::Rename { from: from.clone(), to: to.clone() }));
                })
            };
            return html! {
                <li class="saved-plan renaming">
                    <form onsubmit={submit}>
                        <input class="rename-name" aria-label={format!("New name for {entry_name}")}
                            value={typed.clone()} oninput={on_input} maxlength="80" />
                        <button type="submit" class="rename-ok">{ "Rename" }</button>
                        <button type="button" class="rename-cancel">{ "Cancel" }</button>
                    </form>
                </li>
            };
        }
        html! {
            <li class="saved-plan" data-name={entry_name.clone()}>
                <span class="saved-name">{ entry_name.clone() }</span>
                <button type="button" class="open" aria-label={format!("Open {entry_name}")}>{ "Open" }</button>
                <button type="button" class="rename" aria-label={format!("Rename {entry_name}")}>{ "Rename" }</button>
                <button type="button" class="delete" aria-label={format!("Delete {entry_name}")}>{ "Delete" }</button>
            </li>
        }
    });
    let status = &panel.status;
    let said = html! {
        <>
            { status.text.clone() }
            if status.undo.is_some() {
                { " " }<button type="button" id="undo-delete" onclick={undo}>{ "Undo" }</button>
            }
        </>
    };
    // Literal classes: a computed one goes through yew's `Classes`, an IndexSet.
    let status_line = match status.bad {
        true => html! { <p id="keep-status" class="status bad" role="status">{ said }</p> },
        false => html! { <p id="keep-status" class="status" role="status">{ said }</p> },
    };

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
                <input id="save-name" type="text" autocomplete="off" maxlength="80" value={panel.name.clone()} oninput={on_name} />
                <button type="submit" id="save-plan">{ "Save in this browser" }</button>
            </form>
            if !panel.saved.is_empty() {
                <ul id="saved-list" class="saved-list" aria-label="Saved plans" onclick={on_list}>{ for rows }</ul>
            }
            { status_line }
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
