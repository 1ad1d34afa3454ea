//! The workers chart and the four charts of issue 6: throughput against cores, latency
//! against the rate, the node's memory budget and the connection budget. Each is memoised
//! on exactly the inputs it reads (`chart::…::inputs`), so an unrelated input does not
//! redraw it, and comes with its numbers in words and a "Download SVG" button. Each is
//! drawn as SVG elements by `drawing::Drawing`, a component: a chart that did not change
//! is skipped, and a redraw patches only what changed. The figure around it is a plain
//! function (a few elements; a component of its own costs 0.7 KB of wasm for no
//! measurable time).
//!
//! Each section is a `<details>`, open on a wide screen and closed on a phone. Its charts
//! are drawn once the page's first frame is painted (`painted`, [`super::use_painted`]):
//! the answer shows first; until then each chart is a blank of its size. The workers
//! chart is the App's memo, so the sections are plain functions.

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::Derived;
use super::drawing::{self, Drawing};
use crate::chart::{self, Chart};
use crate::model::{curves, Plan};

/// The workers chart's section, from the App's memo: open (`open`, its first state) or
/// closed, the chart drawn once the page is painted.
pub fn workers(chart: &Rc<Chart>, open: bool, painted: bool) -> Html {
    html! {
        <details class="card chart" {open}>
            <summary><h2 id="chart-workers-title">{ "Workers against cores" }</h2></summary>
            if painted {
                <figure id="chart-workers" role="img" aria-label={chart.summary.clone()}>
                    <Drawing chart={chart.clone()} />
                </figure>
            } else {
                { drawing::blank() }
            }
        </details>
    }
}

/// The four charts' section, like the workers chart's.
pub fn section(plan: &Plan, shown: &Rc<Derived>, open: bool, painted: bool) -> Html {
    html! {
        <details class="card charts" {open}>
            <summary><h2 id="charts-title">{ "Throughput, latency, memory and connections" }</h2></summary>
            if painted {
                <Charts plan={plan.clone()} shown={shown.clone()} />
            } else {
                { for (0..4).map(|_| drawing::blank()) }
            }
        </details>
    }
}

#[derive(Properties)]
pub struct ChartsProps {
    pub plan: Plan,
    /// What the App solved for this plan: the plan's point, its tier rows and its latency
    /// curve's node are read from it, not solved again.
    pub shown: Rc<Derived>,
}

impl PartialEq for ChartsProps {
    /// `shown` follows from the plan: compared by pointer.
    fn eq(&self, other: &Self) -> bool {
        self.plan == other.plan && Rc::ptr_eq(&self.shown, &other.shown)
    }
}

/// The four charts, each memoised on its inputs.
#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let plan = &props.plan;
    // A chart is drawn again only when its inputs change (its memo key); it is then
    // drawn for this plan, from this plan's outcome.
    let o = &props.shown.outcome;
    // The curve is the same for every core count up to 64: typing cores moves the point.
    let curve = use_memo(chart::throughput::curve_inputs(plan), curves::core_curve);
    let throughput = use_memo((curve, chart::throughput::inputs(plan)), |(curve, _)| {
        chart::throughput::chart_beside(curve, plan, &o.eval, &o.tiers)
    });
    let latency = use_memo(chart::latency::inputs(plan), |_| chart::latency::chart_beside(plan, &o.eval));
    let memory = use_memo(chart::memory::inputs(plan), chart::memory::chart);
    let connections = use_memo(chart::connections::inputs(plan), chart::connections::chart);
    html! {
        <>
            { figure("chart-throughput", throughput) }
            { figure("chart-latency", latency) }
            { figure("chart-memory", memory) }
            { figure("chart-connections", connections) }
        </>
    }
}

/// One chart: the drawing (an image named by its title, described by the caption), its
/// numbers in words, and the SVG to download (standalone, light colours): the drawing on
/// the page as it is, whose elements and attributes are the standalone file's
/// (`chart::svg`; tests/ui_render.rs), serialised by the browser, so the page holds no
/// SVG writer of its own.
fn figure(id: &'static str, chart: Rc<Chart>) -> Html {
    let download = Callback::from(move |_: MouseEvent| {
        if let Err(e) = browser::download_svg(id) {
            gloo::console::error!(e);
        }
    });
    let caption = format!("{id}-text");
    html! {
        <figure id={id} class="chart">
            <div class="svg" role="img" aria-label={chart.title.clone()} aria-describedby={caption.clone()}>
                <Drawing chart={chart.clone()} />
            </div>
            <figcaption id={caption}>{ chart.summary.clone() }</figcaption>
            <button type="button" class="download-svg" id={format!("{id}-download")} onclick={download}>{ "Download SVG" }</button>
        </figure>
    }
}
