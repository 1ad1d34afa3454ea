//! The plan's warnings, each with what to change.

use yew::prelude::*;

use crate::model::rules::{Severity, Warning};

/// The warnings section. A plain function, not a component: it re-renders with the App,
/// which renders again for a new plan, and so new warnings, or new notices.
pub fn view(warnings: &[Warning]) -> Html {
    html! {
        <section class="card warnings" aria-labelledby="warnings-title" id="warnings">
            <h2 id="warnings-title">{ format!("Warnings ({})", warnings.len()) }</h2>
            if warnings.is_empty() {
                <p class="ok">{ "None: the plan is consistent." }</p>
            } else {
                <ul>
                    { for warnings.iter().map(|w| {
                        let body = html! { <><code class="code">{ w.code }</code>{ " " }{ w.message.clone() }</> };
                        match w.severity {
                            Severity::Info => html! { <li class="warning info" data-code={w.code} data-severity="info">{ body }</li> },
                            Severity::Caution => html! { <li class="warning" data-code={w.code} data-severity="caution">{ body }</li> },
                            Severity::Error => html! { <li class="warning error" data-code={w.code} data-severity="error"><strong>{ "Fails: " }</strong>{ body }</li> },
                        }
                    }) }
                </ul>
            }
        </section>
    }
}
