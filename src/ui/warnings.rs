//! The plan's warnings, each with what to change.

use yew::prelude::*;

use crate::model::rules::{Severity, Warning};

#[derive(Properties, PartialEq)]
pub struct WarningsProps {
    pub warnings: Vec<Warning>,
}

#[component]
pub fn Warnings(props: &WarningsProps) -> Html {
    html! {
        <section class="card warnings" aria-labelledby="warnings-title" id="warnings">
            <h2 id="warnings-title">{ format!("Warnings ({})", props.warnings.len()) }</h2>
            if props.warnings.is_empty() {
                <p class="ok">{ "None: the plan is consistent." }</p>
            } else {
                <ul>
                    { for props.warnings.iter().map(|w| html! {
                        <li class={classes!("warning", matches!(w.severity, Severity::Info).then_some("info"))} data-code={w.code}>
                            <code class="code">{ w.code }</code>{ " " }{ w.message.clone() }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
