//! The Yew front end: components only. It formats no config text and computes no
//! rule: everything on screen derives from the plan through `model`, `chart` and `export`.

mod browser;
mod details;
mod files;
mod form;
mod results;
pub mod state;
mod warnings;

use yew::prelude::*;

use crate::model::rules;
use state::{Action, Form};

/// The whole page: the form on one side, what it implies on the other.
#[component]
pub fn App() -> Html {
    let form = use_reducer(Form::default);
    let on_set = {
        let form = form.dispatcher();
        Callback::from(move |(field, text)| form.dispatch(Action::Set(field, text)))
    };
    let on_reset = {
        let form = form.dispatcher();
        Callback::from(move |_| form.dispatch(Action::Reset))
    };
    let recommendation = use_memo(form.plan.clone(), rules::recommend);
    html! {
        <>
            <header class="top">
                <h1>{ "Capacity planner" }</h1>
                <p class="tagline">{ "Workers, pools and settings for a web deployment, computed in your browser. Nothing you type leaves it." }</p>
            </header>
            <main class="layout">
                <form::PlanForm form={(*form).clone()} {on_set} {on_reset} />
                <section class="output" aria-label="Recommendation">
                    <results::Results plan={form.plan.clone()} />
                    <warnings::Warnings warnings={recommendation.warnings.clone()} />
                    <details::Details rules={recommendation.clone()} />
                    <files::Files plan={form.plan.clone()} />
                </section>
            </main>
        </>
    }
}
