//! Capacity planner for web deployments. `model` is the pure core; `chart` and
//! `export` turn a plan into drawings (and SVG files) and config text; `share`
//! carries it in links, storage and files; `ui` is the Yew front end.

pub mod calibrate;
pub mod chart;
pub mod export;
pub mod model;
pub mod share;
pub mod ui;
