//! The colour theme: System (follows `prefers-color-scheme`), Light or Dark. The choice
//! is `data-theme` on `<html>` (none for System) and is kept in localStorage; `theme.js`
//! (public/) applies the kept one before the page paints, so it never flashes.

use yew::prelude::*;

use super::persist;

/// Where the choice is kept (`theme.js` reads the same key).
const KEY: &str = "planner.theme";

/// The themes a person can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The spelling kept in storage and in `data-theme`.
    fn key(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// The theme spelled `key`; System for anything else.
    fn read(key: &str) -> Theme {
        Theme::ALL.into_iter().find(|t| t.key() == key).unwrap_or(Theme::System)
    }
}

/// Sets or removes `data-theme` on `<html>`.
fn apply(theme: Theme) {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            _ => root.set_attribute("data-theme", theme.key()),
        };
    }
}

/// The labelled theme select of the header.
#[component]
pub fn ThemeSwitch() -> Html {
    let theme = use_state(|| persist::read(KEY).map_or(Theme::System, |k| Theme::read(&k)));
    let onchange = {
        let theme = theme.setter();
        Callback::from(move |e: Event| {
            let picked = Theme::read(&e.target_unchecked_into::<web_sys::HtmlSelectElement>().value());
            apply(picked);
            let _ = persist::write(KEY, picked.key());
            theme.set(picked);
        })
    };
    html! {
        <div class="theme">
            <label for="theme">{ "Theme" }</label>
            <select id="theme" {onchange}>
                { for Theme::ALL.into_iter().map(|t| html! {
                    <option value={t.key()} selected={t == *theme}>{ t.label() }</option>
                }) }
            </select>
        </div>
    }
}
