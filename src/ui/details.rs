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
/// only the sections whose values changed (most edits change two or three of ten), and
/// in those only the settings that changed ([`Setting`]).
#[component]
pub fn SettingsSection(props: &SectionProps) -> Html {
    let s = &*props.section;
    html! {
        <details class="component" id={format!("d-{}", s.id)} open={s.id == "gunicorn" || s.id == "postgres"}>
            <summary>{ s.title }<span class="count">{ format!(" · {} values", s.lines.len()) }</span></summary>
            <dl class="settings">
                { for (0..s.lines.len()).map(|index| html! { <Setting key={index} section={props.section.clone()} {index} /> }) }
            </dl>
        </details>
    }
}

#[derive(Properties)]
pub struct SettingProps {
    pub section: Rc<Section>,
    pub index: usize,
}

impl PartialEq for SettingProps {
    /// The line itself, compared by value: a setting that reads the same is not rendered
    /// again (rendering every line of a changed section cost about 0.2 ms an edit).
    fn eq(&self, other: &Self) -> bool {
        self.section.id == other.section.id && self.section.lines.get(self.index) == other.section.lines.get(other.index)
    }
}

/// One setting: its name, value with unit, and why with source. It takes the section
/// and an index, not a copy of its line, so an edit clones no text to compare it.
#[component]
fn Setting(props: &SettingProps) -> Html {
    let s = &*props.section;
    let Some(l) = s.lines.get(props.index) else { return Html::default() };
    html! {
        <div class="setting" id={format!("s-{}-{}", s.id, l.name.replace('.', "-"))}>
            <dt><code>{ l.name.clone() }</code></dt>
            <dd class="v">{ l.value.clone() }
                if !l.unit.is_empty() { <span class="unit">{ format!(" {}", l.unit) }</span> }
            </dd>
            <dd class="why">{ l.why.clone() }<span class="source">{ format!(" — {}", l.source) }</span></dd>
        </div>
    }
}
