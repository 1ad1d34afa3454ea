//! What would meet the target, under the verdict: asked of the files' worker once a plan
//! misses its target (the search evaluates tens of plans, so it runs off the edit's
//! path, and its code is not in the first load); each applied with a click; after one,
//! what it did and undo.

use yew::prelude::*;

use super::worker::{self, Panel};
use crate::export::request;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The plan's share query.
    pub query: AttrValue,
    /// The plan misses its target (and runs): there is something to suggest.
    pub missed: bool,
    /// The why of the suggestion last applied, while it can be undone.
    pub applied: Option<AttrValue>,
    pub on_apply: Callback<(String, String)>,
    pub on_undo: Callback<MouseEvent>,
}

#[component]
pub fn Suggestions(props: &Props) -> Html {
    // The query the list answers and the list, as one text split at a NUL (never in a
    // query): a String state is the files panel's type, one copy of yew's state code less.
    let answer = use_state(String::new);
    {
        let answer = answer.clone();
        use_effect_with((props.missed, props.query.clone()), move |(missed, query)| {
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
    let applied = props.applied.as_ref().map(|why| html! {
        <p class="applied" id="applied" role="status">
            { format!("Applied: {why} ") }
            <button type="button" id="undo-suggestion" onclick={props.on_undo.clone()}>{ "Undo" }</button>
        </p>
    });
    let (query, markup) = answer.split_once('\0').unwrap_or_default();
    let list = match (props.missed, query == props.query.as_str()) {
        (false, _) => html! {},
        (true, false) => html! { <p class="suggestions" role="status">{ "Looking for what would meet the target…" }</p> },
        (true, true) if markup.is_empty() => html! {},
        (true, true) => {
            // The worker's markup (model::suggest::markup): an Apply button per
            // suggestion, its fields and why in data attributes.
            let onclick = props.on_apply.reform(|e: MouseEvent| {
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
