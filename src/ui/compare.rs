//! "Compare plans" (issue 23): the page holds only the panel's title, markup yew writes
//! once and never touches again. public/compare-load.js loads public/compare.js when the
//! panel is first opened (or at once, opening it, when the link carries pinned plans);
//! compare.js keeps the pinned plans in the link and this browser and asks the config
//! files' worker for the rest (`crate::export::compare::markup`). The build's id
//! (`data-v`) goes on to the worker's URL, as the page's own requests carry it.

use yew::prelude::*;

/// The panel, closed: its title (compare.js adds its body).
const PANEL: &str = concat!(
    "<details id=\"compare\" class=\"card details\" data-v=\"",
    env!("PLANNER_BUILD_ID"),
    "\"><summary><h2>Compare plans</h2></summary></details>"
);

/// The panel.
pub fn view() -> Html {
    Html::from_html_unchecked(PANEL.into())
}
