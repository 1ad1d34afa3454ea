//! Sharing and keeping: copy the plan's link, the plans saved in this browser (save,
//! open, rename, delete), and a plan as a file (export, import). What a saved plan or a
//! file holds, and the saved list's markup, are the config files' worker's
//! ([`crate::share::keep`], src/bin/files.rs): the JSON reader and writer are not in the
//! page's first load. The page reads and writes localStorage (a worker cannot): each
//! request carries the stored text and the worker answers with the document to store.
//! Requests go one at a time, each reading what is stored when it is sent, so a change
//! is never made to a document an earlier one replaced. Anything unreadable gives a
//! message and leaves the plan on screen as it is.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use yew::prelude::*;

use super::worker::{self, Panel as Worker};
use super::{browser, persist};
use crate::model::{query, Plan};
use crate::share::{self, keep, Loaded};

/// A message under the panel; `bad` ones are shown as problems. After a delete it
/// holds the deleted plan (the worker's token), offered back until the next message.
#[derive(Clone, Default, PartialEq)]
struct Status {
    text: String,
    bad: bool,
    undo: Option<String>,
}

impl Status {
    fn good(text: String) -> Status {
        Status { text, ..Status::default() }
    }

    fn bad(text: String) -> Status {
        Status { text, bad: true, undo: None }
    }
}

/// What the panel shows: the saved list's markup, the message and the name typed.
#[derive(Clone, Default)]
struct Shown {
    list: AttrValue,
    status: Status,
    name: String,
}

/// What changes the panel.
enum Act {
    Name(String),
    Say(Status),
    /// A new list, and the message when there is one to say.
    List(AttrValue, Option<Status>),
}

impl Reducible for Shown {
    type Action = Act;
    fn reduce(self: Rc<Self>, act: Act) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        match act {
            Act::Name(name) => next.name = name,
            Act::Say(status) => next.status = status,
            Act::List(list, status) => {
                next.list = list;
                next.status = status.unwrap_or(next.status);
            }
        }
        Rc::new(next)
    }
}

/// What the panel asks the worker: a change ([`keep::request`]), its two arguments, and
/// the file imported (else the stored text is sent).
struct Ask(&'static str, String, String, Option<String>);

impl Ask {
    fn new(change: &'static str, a: String, b: String) -> Ask {
        Ask(change, a, b, None)
    }
}

/// The panel's requests: those waiting, and the one sent (its id, what it asked and the
/// stored text it carried), answered before the next is sent.
struct Keeper {
    waiting: VecDeque<Ask>,
    sent: Option<(String, Ask, Option<String>)>,
    count: u32,
    /// The plan being renamed, with the new name typed so far.
    renaming: Option<(String, String)>,
    act: UseReducerDispatcher<Shown>,
    on_load: Callback<Loaded>,
}

type Shared = Rc<RefCell<Keeper>>;

/// Queues `ask` and sends it when the worker has answered the requests before it.
fn ask(keeper: &Shared, ask: Ask) {
    keeper.borrow_mut().waiting.push_back(ask);
    send_next(keeper);
}

fn send_next(keeper: &Shared) {
    let mut k = keeper.borrow_mut();
    if k.sent.is_some() {
        return;
    }
    let Some(next) = k.waiting.pop_front() else { return };
    k.count += 1;
    let id = k.count.to_string();
    let stored = persist::read(share::SAVED_KEY);
    let (renaming, typed) = k.renaming.clone().unwrap_or_default();
    let Ask(change, a, b, file) = &next;
    let request = keep::request(&id, change, a, b, &renaming, &typed, file.as_deref().or(stored.as_deref()));
    k.sent = Some((id, next, stored));
    let act = k.act.clone();
    drop(k);
    let on_reply = {
        let keeper = keeper.clone();
        Callback::from(move |reply| answered(&keeper, reply))
    };
    if let Err(e) = worker::ask(Worker::Keep, &request, on_reply) {
        keeper.borrow_mut().sent = None;
        act.dispatch(Act::Say(Status::bad(format!("Not done: {e}."))));
    }
}

/// What the panel does with the worker's answer (src/bin/files.rs, the parts of
/// [`keep::Reply`]): stores the document, shows the list and the message, opens an
/// imported plan, downloads an exported one; then sends the next request.
fn answered(keeper: &Shared, reply: js_sys::Array) {
    let part = |i: u32| reply.get(i).as_string();
    let text = |i: u32| part(i).unwrap_or_default();
    let (act, on_load) = {
        let k = keeper.borrow();
        (k.act.clone(), k.on_load.clone())
    };
    if text(0) != "keep" {
        // The worker failed: what waits would fail too (the next request starts another).
        let mut k = keeper.borrow_mut();
        let asking = k.sent.take().is_some() || !k.waiting.is_empty();
        k.waiting.clear();
        drop(k);
        if asking {
            act.dispatch(Act::Say(Status::bad(text(1))));
        }
        return;
    }
    {
        let mut k = keeper.borrow_mut();
        // An answer to a request sent twice (while the worker started) comes twice.
        let Some((_, asked, stored)) = k.sent.take_if(|(id, ..)| *id == text(1)) else { return };
        // Another tab changed the saved plans meanwhile: ask again on what it stored.
        if persist::read(share::SAVED_KEY) != stored {
            k.waiting.push_front(asked);
            drop(k);
            return send_next(keeper);
        }
    }
    let said = text(3);
    let status = (!said.is_empty()).then(|| Status { text: said, bad: reply.get(4).is_truthy(), undo: part(5).filter(|u| !u.is_empty()) });
    let kept = part(2).map_or(Ok(()), |document| persist::write(share::SAVED_KEY, &document));
    match (kept, part(6)) {
        (Err(e), _) => act.dispatch(Act::Say(Status::bad(format!("Not kept: {e}.")))),
        (Ok(()), Some(list)) => act.dispatch(Act::List(list.into(), status)),
        (Ok(()), None) => status.into_iter().for_each(|s| act.dispatch(Act::Say(s))),
    }
    let name = text(7);
    if !name.is_empty() {
        act.dispatch(Act::Name(name));
    }
    if let Some(plan) = part(8) {
        on_load.emit(Loaded::read(&plan, "The file"));
    }
    if let Some(file) = part(9) {
        if let Err(e) = browser::download(&file, "application/json", text(10).as_bytes()) {
            act.dispatch(Act::Say(Status::bad(e)));
        }
    }
    send_next(keeper);
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
    let shown = use_reducer(|| Shown { name: props.plan.name.clone(), ..Shown::default() });
    let act = shown.dispatcher();
    let keeper = {
        let (act, on_load) = (act.clone(), props.on_load.clone());
        use_mut_ref(move || Keeper { waiting: VecDeque::new(), sent: None, count: 0, renaming: None, act, on_load })
    };
    // The saved plans, once the page is painted (none stored: nothing to list).
    {
        let keeper = keeper.clone();
        use_effect_with((), move |_| {
            if persist::read(share::SAVED_KEY).is_some() {
                browser::when_idle(Box::new(move || ask(&keeper, Ask::new("read", String::new(), String::new()))));
            }
        });
    }

    let copy_link = {
        let (plan, act) = (props.plan.clone(), act.clone());
        Callback::from(move |_: MouseEvent| {
            let (link, act) = (persist::share_link(&plan), act.clone());
            wasm_bindgen_futures::spawn_local(async move {
                act.dispatch(Act::Say(match browser::copy(link).await {
                    Ok(()) => Status::good("Link copied: it opens this plan.".to_string()),
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
        let (keeper, plan, name) = (keeper.clone(), props.plan.clone(), shown.name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            ask(&keeper, Ask::new("save", name.clone(), query::encode(&plan)));
        })
    };
    let export = {
        let (keeper, plan, name) = (keeper.clone(), props.plan.clone(), shown.name.clone());
        Callback::from(move |_: MouseEvent| ask(&keeper, Ask::new("export", name.clone(), query::encode(&plan))))
    };
    let import = {
        let (keeper, act) = (keeper.clone(), act.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let file = input.files().and_then(|files| files.get(0));
            input.set_value("");
            if let Some(file) = file {
                let (keeper, act) = (keeper.clone(), act.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let name = file.name();
                    match read_file(&file).await {
                        Ok(text) => ask(&keeper, Ask("import", name, String::new(), Some(text))),
                        Err(e) => act.dispatch(Act::Say(Status::bad(format!("{name} was not imported: {e}. The plan on screen is unchanged.")))),
                    }
                });
            }
        })
    };
    let undo = {
        let (keeper, token) = (keeper.clone(), shown.status.undo.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(token) = token.clone() {
                ask(&keeper, Ask::new("restore", token, String::new()));
            }
        })
    };
    // One handler for every button of the list: the button's class says what to do, its
    // row's data-name to which plan (and data-plan what it holds).
    let on_list = {
        let (keeper, act, on_load) = (keeper.clone(), act.clone(), props.on_load.clone());
        Callback::from(move |e: MouseEvent| {
            let button: web_sys::Element = e.target_unchecked_into();
            let row = button.closest("li").ok().flatten();
            let data = |key| row.as_ref().and_then(|li| li.get_attribute(key)).unwrap_or_default();
            let name = data("data-name");
            let read = Ask::new("read", String::new(), String::new());
            match button.class_name().as_str() {
                "open" => {
                    act.dispatch(Act::Say(Status::good(format!("Opened '{name}'."))));
                    on_load.emit(Loaded::read(&data("data-plan"), &format!("The saved plan '{name}'")));
                }
                "rename" => {
                    keeper.borrow_mut().renaming = Some((name.clone(), name));
                    ask(&keeper, read);
                }
                "delete" => ask(&keeper, Ask::new("delete", name, String::new())),
                "rename-cancel" => {
                    keeper.borrow_mut().renaming = None;
                    ask(&keeper, read);
                }
                _ => {}
            }
        })
    };
    // The rename form: what is typed, and its submission.
    let on_typed = {
        let keeper = keeper.clone();
        Callback::from(move |e: InputEvent| {
            if let Some((_, typed)) = keeper.borrow_mut().renaming.as_mut() {
                *typed = input_value(e);
            }
        })
    };
    let on_rename = {
        let keeper = keeper.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let renaming = keeper.borrow_mut().renaming.take();
            if let Some((from, to)) = renaming {
                ask(&keeper, Ask::new("rename", from, to));
            }
        })
    };

    let status = &shown.status;
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
                <input id="save-name" type="text" autocomplete="off" maxlength="80" value={shown.name.clone()} oninput={on_name} />
                <button type="submit" id="save-plan">{ "Save in this browser" }</button>
            </form>
            if !shown.list.is_empty() {
                // The worker's markup (share::keep::list): a row per plan, every text escaped.
                <ul id="saved-list" class="saved-list" aria-label="Saved plans" onclick={on_list} oninput={on_typed} onsubmit={on_rename}>
                    { Html::from_html_unchecked(shown.list.clone()) }
                </ul>
            }
            { status_line }
        </section>
    }
}

/// A picked file's text, unless it is too big to be a plan file.
async fn read_file(file: &web_sys::File) -> Result<String, String> {
    let size = file.size();
    if size > share::MAX_FILE_BYTES as f64 {
        return Err(format!("it is {} bytes, more than a plan file's {}", size as u64, share::MAX_FILE_BYTES));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(|_| "the browser could not read it")?;
    text.as_string().ok_or_else(|| "the browser could not read it".to_string())
}
