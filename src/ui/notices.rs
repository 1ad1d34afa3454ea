//! What reading a plan did not take as it was (an unknown key, an invalid value), shown
//! above the page until the person dismisses it.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<String>,
    pub on_dismiss: Callback<()>,
}

/// The notices; an empty live region when there are none, so screen readers hear new ones.
#[component]
pub fn Notices(props: &NoticesProps) -> Html {
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <section id="notices" class="notices" role="status" aria-label="Notices">
            if !props.notices.is_empty() {
                <ul>{ for props.notices.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                <button type="button" id="dismiss-notices" onclick={dismiss}>{ "Dismiss" }</button>
            }
        </section>
    }
}
