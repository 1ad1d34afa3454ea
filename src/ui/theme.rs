//! The colour theme: System (follows `prefers-color-scheme`), Light or Dark. The choice
//! is `data-theme` on `<html>` (none for System) and is kept in localStorage
//! (`planner.theme`). `theme.js` (public/) does both: it applies the kept one before the
//! page paints, so it never flashes, and handles the select's changes, so the page's wasm
//! holds only the select.

use yew::prelude::*;

/// The themes a person can pick: the spelling kept and in `data-theme`, and the label.
const THEMES: [(&str, &str); 3] = [("system", "System"), ("light", "Light"), ("dark", "Dark")];

/// The labelled theme select of the header, the theme on `<html>` selected (System off
/// the browser). A plain function: it renders with the App.
pub fn view() -> Html {
    let window = if cfg!(target_arch = "wasm32") { web_sys::window() } else { None };
    let root = window.and_then(|w| w.document()).and_then(|d| d.document_element());
    let shown = root.and_then(|r| r.get_attribute("data-theme")).unwrap_or_default();
    html! {
        <div class="theme">
            <label for="theme">{ "Theme" }</label>
            <select id="theme">
                { for THEMES.into_iter().map(|(key, label)| html! {
                    <option value={key} selected={key == shown || (key == "system" && shown.is_empty())}>{ label }</option>
                }) }
            </select>
        </div>
    }
}
