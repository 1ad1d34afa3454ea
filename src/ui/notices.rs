//! What reading a plan did not take as it was (an unknown key, an invalid value), shown
//! above the page until the person dismisses it.

use yew::prelude::*;

/// The notices; an empty live region when there are none, so screen readers hear new ones.
/// A plain function, not a component: it re-renders with the App.
pub fn view(notices: &[String], on_dismiss: &Callback<()>) -> Html {
    let dismiss = on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <section id="notices" class="notices" role="status" aria-label="Notices">
            if !notices.is_empty() {
                <ul>{ for notices.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                <button type="button" id="dismiss-notices" onclick={dismiss}>{ "Dismiss" }</button>
            }
        </section>
    }
}
