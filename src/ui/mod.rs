//! The Yew front end: components only. It formats no config text and computes no
//! rule: everything on screen derives from the plan through `model`, `chart` and `export`.

mod browser;
mod charts;
mod details;
mod files;
mod form;
mod notices;
mod offline;
mod persist;
mod results;
mod saved;
pub mod state;
mod warnings;

use yew::prelude::*;

use crate::model::rules;
use crate::share::Loaded;
use state::{Action, Form};

/// The whole page: the form on one side, what it implies on the other.
#[component]
pub fn App() -> Html {
    // The plan comes from the link, else from the last visit; it goes back to both.
    let start = use_state(persist::start);
    let form = use_reducer(|| Form::new(start.plan.clone()));
    let notices = use_state(|| start.notices.clone());
    use_effect_with(form.plan.clone(), persist::remember);
    let on_load = {
        let (form, notices) = (form.dispatcher(), notices.setter());
        Callback::from(move |loaded: Loaded| {
            notices.set(loaded.notices);
            form.dispatch(Action::Load(loaded.plan));
        })
    };
    persist::use_link_changes(on_load.clone());
    let on_dismiss = {
        let notices = notices.setter();
        Callback::from(move |()| notices.set(vec![]))
    };
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
                <offline::Update />
                <notices::Notices notices={(*notices).clone()} {on_dismiss} />
            </header>
            <main class="layout">
                <div class="inputs-column">
                    <saved::Keep plan={form.plan.clone()} {on_load} />
                    <form::PlanForm form={(*form).clone()} {on_set} {on_reset} />
                </div>
                <section class="output" aria-label="Recommendation">
                    <results::Results plan={form.plan.clone()} />
                    <charts::Charts plan={form.plan.clone()} />
                    <warnings::Warnings warnings={recommendation.warnings.clone()} />
                    <details::Details rules={recommendation.clone()} />
                    <files::Files plan={form.plan.clone()} />
                </section>
            </main>
        </>
    }
}
