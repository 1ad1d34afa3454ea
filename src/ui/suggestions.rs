//! What would meet the target, under the verdict: asked of the files' worker once a plan
//! misses its target (the search evaluates tens of plans, so it runs off the edit's
//! path, and its code is not in the first load); each applied with a click; after one,
//! what it did and undo. A hook of the App ([`use_answer`]) and a view function, not a
//! component: a component is a copy of yew's generic code (about 0.7 KB of the first load).

use yew::prelude::*;

use super::worker::{self, Panel};
use crate::export::request;

/// The worker's answer for the plan `query` once it misses its target (`missed`): the
/// query it answers and the list, as one text split at a NUL (never in a query); a String
/// state is the files panel's type, one copy of yew's state code less.
#[hook]
pub fn use_answer(query: &str, missed: bool) -> UseStateHandle<String> {
    let answer = use_state(String::new);
    {
        let answer = answer.clone();
        use_effect_with((missed, query.to_string()), move |(missed, query)| {
            if *missed {
                let reply = Callback::from(move |reply: js_sys::Array| {
                    let text = |i: u32| reply.get(i).as_string().unwrap_or_default();
                    if text(0) == "suggest" {
                        answer.set(format!("{}\0{}", text(1), text(2)));
                    }
                });
                let _ = worker::ask(Panel::Suggest, &request::suggest(query), reply);
            }
        });
    }
    answer
}

/// The suggestions for the plan `query` (the worker's `answer`, [`use_answer`]) while it
/// misses its target, and the why of the one last applied (`applied`) with its undo.
pub fn view(answer: &str, query: &str, missed: bool, applied: Option<&str>, on_apply: &Callback<(String, String)>, on_undo: &Callback<MouseEvent>) -> Html {
    let applied = applied.map(|why| html! {
        <p class="applied" id="applied" role="status">
            { format!("Applied: {why} ") }
            <button type="button" id="undo-suggestion" onclick={on_undo.clone()}>{ "Undo" }</button>
        </p>
    });
    let (answered, markup) = answer.split_once('\0').unwrap_or_default();
    let list = match (missed, answered == query) {
        (false, _) => html! {},
        (true, false) => html! { <p class="suggestions" role="status">{ "Looking for what would meet the target…" }</p> },
        (true, true) if markup.is_empty() => html! {},
        (true, true) => {
            // The worker's markup (model::suggest::markup): an Apply button per
            // suggestion, its fields and why in data attributes.
            let onclick = on_apply.reform(|e: MouseEvent| {
                let button = e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("button").ok().flatten());
                let data = |k| button.as_ref().and_then(|b| b.get_attribute(k)).unwrap_or_default();
                (data("data-plan"), data("data-why"))
            });
            html! {
                <div class="suggestions" id="suggestions">
                    <h3>{ "What would meet the target" }</h3>
                    <ul {onclick}>{ Html::from_html_unchecked(AttrValue::from(markup.to_string())) }</ul>
                </div>
            }
        }
    };
    html! { <>{ applied }{ list }</> }
}
