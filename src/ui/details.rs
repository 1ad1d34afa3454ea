//! Every recommended setting, grouped by component, each with its why and source.

use yew::prelude::*;

use crate::model::details::Section;

/// The settings' sections, from the App's memo.
pub fn view(sections: &[Section]) -> Html {
    html! {
        <section class="card details" aria-labelledby="details-title">
            <h2 id="details-title">{ "Settings, component by component" }</h2>
            { for sections.iter().map(section) }
        </section>
    }
}

fn section(s: &Section) -> Html {
    html! {
        <details class="component" id={format!("d-{}", s.id)} open={s.id == "gunicorn" || s.id == "postgres"}>
            <summary>{ s.title }<span class="count">{ format!(" · {} values", s.lines.len()) }</span></summary>
            <dl class="settings">
                { for s.lines.iter().map(|l| html! {
                    <div class="setting" id={format!("s-{}-{}", s.id, l.name.replace('.', "-"))}>
                        <dt><code>{ l.name.clone() }</code></dt>
                        <dd class="v">{ l.value.clone() }
                            if !l.unit.is_empty() { <span class="unit">{ format!(" {}", l.unit) }</span> }
                        </dd>
                        <dd class="why">{ l.why.clone() }<span class="source">{ format!(" — {}", l.source) }</span></dd>
                    </div>
                }) }
            </dl>
        </details>
    }
}
