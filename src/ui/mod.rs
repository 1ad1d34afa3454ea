//! The Yew front end: components and view functions only. It formats no config text and computes no
//! rule: everything on screen derives from the plan through `model`, `chart` and `export`.

mod bar;
mod browser;
mod calibrate;
mod charts;
mod classes;
mod compare;
mod details;
mod drawing;
mod files;
mod form;
mod notices;
mod offline;
mod persist;
pub mod results;
mod saved;
pub mod state;
mod suggestions;
mod theme;
mod warnings;
mod worker;

use yew::prelude::*;

use crate::chart;
use crate::model::outcome::{outcome, Outcome};
use crate::model::summary;
use crate::model::Plan;
use crate::share::Loaded;
use state::{Action, Form};

/// What the page shows of a plan, computed once per plan; the views are plain functions.
struct Derived {
    outcome: Outcome,
}

impl Derived {
    fn of(plan: &Plan) -> Derived {
        Derived { outcome: outcome(plan) }
    }
}

/// False for the page's first render, true once the browser has painted it and is idle
/// (and always off the browser, where nothing paints): what can wait, the charts, is drawn
/// after the answer is on screen, and after the answer to an edit made meanwhile.
#[hook]
fn use_painted() -> bool {
    let painted = use_state(|| !cfg!(target_arch = "wasm32"));
    let set = painted.setter();
    use_effect_with((), move |_| browser::when_idle(Box::new(move || set.set(true))));
    *painted
}

/// The whole page: the answer first. A wide screen shows the form on one side and what
/// it implies on the other, kept in view while the form scrolls; a narrow one shows the
/// target, then the summary, then the rest of the form, with the result bar on top.
#[component]
pub fn App() -> Html {
    // The plan comes from the link, else from the last visit; it goes back to both.
    let form = use_reducer(|| Form::loaded(persist::start()));
    persist::use_remember(&form.plan);
    // The callbacks are made once (the dispatcher does not change), so a component given
    // one is not rendered again for a new callback.
    let dispatch = form.dispatcher();
    let on_load = use_callback(dispatch.clone(), |loaded: Loaded, form| form.dispatch(Action::Load(Box::new(loaded))));
    persist::use_link_changes(on_load.clone());
    let on_dismiss = use_callback(dispatch.clone(), |(), form| form.dispatch(Action::Dismiss));
    let on_set = use_callback(dispatch.clone(), |(field, text), form| form.dispatch(Action::Set(field, text)));
    let on_reset = use_callback(dispatch.clone(), |_: MouseEvent, form| form.dispatch(Action::Reset));
    let on_apply = use_callback(dispatch.clone(), |(plan, why): (String, String), form| form.dispatch(Action::Apply(plan, why)));
    let on_act = use_callback(dispatch.clone(), |action: Action, form| form.dispatch(action));
    let on_undo = use_callback(dispatch, |_: MouseEvent, form| form.dispatch(Action::Undo));
    let invalid = form.invalid().collect::<Vec<_>>();
    // The plan's query, written once: the suggestions and the worker panels send it.
    let link = crate::model::query::encode(&form.plan);
    let shown = use_memo(form.plan.clone(), Derived::of);
    let answer = suggestions::use_answer(&link, results::missed(&shown.outcome));
    let acts = results::Acts { link: &link, invalid: &invalid, applied: form.applied.as_ref().map(|a| a.0.as_str()), on_apply: &on_apply, on_undo: &on_undo, answer: &answer };
    let painted = use_painted();
    // Like the four charts, the workers chart is drawn again only when an input it reads changes.
    let workers = use_memo(chart::workers::inputs(&form.plan), chart::workers::chart);
    // The charts open on a wide screen; on a phone they wait to be asked for.
    let open = *use_state(browser::wide);
    let update = offline::use_update();
    let settings = details::use_settings(&link);
    // The summary's values, shown by the summary and the result bar.
    let values = summary::values(&form.plan, &shown.outcome);
    html! {
        <>
            { bar::view(shown.outcome.verdict.fit, &values, !invalid.is_empty()) }
            <header class="top">
                <div class="title">
                    <h1>{ "Capacity planner" }</h1>
                    { theme::view() }
                </div>
                <p class="tagline">{ "Workers, pools and settings for a web deployment, computed in your browser. Nothing you type leaves it." }</p>
                { offline::banner(update) }
                { notices::view(&form.notices, &on_dismiss) }
            </header>
            <main class="layout">
                <div class="inputs-column">
                    <saved::Keep plan={form.plan.clone()} on_load={on_load.clone()} />
                    { form::view(&form, &on_set, &on_reset, &on_act) }
                </div>
                <section class="output" aria-label="What the plan implies">
                    { results::view(&form.plan, &shown.outcome, &values, &acts) }
                    { warnings::view(&shown.outcome.warnings) }
                    { charts::workers(&workers, open, painted) }
                    { charts::section(&form.plan, &shown, open, painted) }
                    { results::tier_table(&shown.outcome.tiers, &shown.outcome.plan_row) }
                    { details::view(&settings) }
                    <files::Files plan={form.plan.clone()} />
                    { compare::view() }
                    { calibrate::fleet(&link) }
                    { calibrate::view(&link) }
                </section>
            </main>
        </>
    }
}
