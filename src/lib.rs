//! Capacity planner for web deployments. `model` is the pure core; `chart` and
//! `export` turn a plan into SVG and config text; `ui` is the Yew front end.

pub mod chart;
pub mod export;
pub mod model;
pub mod ui;
