//! What would meet the target, under the verdict: asked of the files' worker once a plan
//! misses its target (the search evaluates tens of plans, so it runs off the edit's
//! path, and its code is not in the first load); each applied with a click; after one,
//! what it did and undo.

use std::rc::Rc;

use yew::prelude::*;

use super::worker::{self, Panel};
use crate::export::request;
use crate::model::suggest::{decode, Suggestion};

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
    // The query the list answers, and the list.
    let answer = use_state(|| (AttrValue::default(), Rc::<[Suggestion]>::from(vec![])));
    {
        let answer = answer.clone();
        use_effect_with((props.missed, props.query.clone()), move |(missed, query)| {
            if *missed {
                let reply = Callback::from(move |reply: js_sys::Array| {
                    let text = |i: u32| reply.get(i).as_string().unwrap_or_default();
                    if text(0) == "suggest" {
                        answer.set((text(1).into(), decode(&text(2)).into()));
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
    let list = match (props.missed, answer.0 == props.query) {
        (false, _) => html! {},
        (true, false) => html! { <p class="suggestions" role="status">{ "Looking for what would meet the target…" }</p> },
        (true, true) if answer.1.is_empty() => html! {},
        (true, true) => html! {
            <div class="suggestions" id="suggestions">
                <h3>{ "What would meet the target" }</h3>
                <ul>
                    { for answer.1.iter().enumerate().map(|(i, s)| {
                        let onclick = props.on_apply.reform({
                            let (plan, why) = (s.plan.clone(), s.why.clone());
                            move |_: MouseEvent| (plan.clone(), why.clone())
                        });
                        html! {
                            <li>
                                <button type="button" class="apply" aria-describedby={format!("sg-{i}")} {onclick}>{ "Apply" }</button>
                                <span id={format!("sg-{i}")}>{ s.why.clone() }</span>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        },
    };
    html! { <>{ applied }{ list }</> }
}
