//! Every recommended setting, grouped by component, each with its why and source.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::details::Section;

/// The settings' sections, from the App's memo.
pub fn view(sections: &[Rc<Section>]) -> Html {
    html! {
        <section class="card details" aria-labelledby="details-title">
            <h2 id="details-title">{ "Settings, component by component" }</h2>
            { for sections.iter().map(|s| html! { <SettingsSection key={s.id} section={s.clone()} /> }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SectionProps {
    pub section: Rc<Section>,
}

/// One component's settings. A component compared by value, so an edit renders again
/// only the sections whose values changed (most edits change two or three of ten).
#[component]
pub fn SettingsSection(props: &SectionProps) -> Html {
    let s = &*props.section;
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
