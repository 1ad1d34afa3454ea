//! The four charts of issue 6: throughput against cores, latency against the rate, the
//! node's memory budget and the connection budget. Each is memoised on exactly the
//! inputs it reads (`chart::…::inputs`), so an unrelated input does not redraw it, and
//! comes with its numbers in words and a "Download SVG" button. Each is drawn as SVG
//! elements by `drawing::Drawing`, a component: a chart that did not change is skipped,
//! and a redraw patches only what changed. The figure around it is a plain function (a
//! few elements; a component of its own costs 0.7 KB of wasm for no measurable time).

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::drawing::Drawing;
use crate::chart::{self, Chart};
use crate::model::{curves, Plan};

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub plan: Plan,
}

#[component]
pub fn Charts(props: &ChartsProps) -> Html {
    let plan = &props.plan;
    // The curve is the same for every core count up to 64: typing cores moves the point.
    let curve = use_memo(chart::throughput::curve_inputs(plan), curves::core_curve);
    let throughput = use_memo((curve, chart::throughput::inputs(plan)), |(curve, p)| chart::throughput::chart_on(curve, p));
    let latency = use_memo(chart::latency::inputs(plan), chart::latency::chart);
    let memory = use_memo(chart::memory::inputs(plan), chart::memory::chart);
    let connections = use_memo(chart::connections::inputs(plan), chart::connections::chart);
    html! {
        <section class="card charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{ "Throughput, latency, memory and connections" }</h2>
            { figure("chart-throughput", throughput) }
            { figure("chart-latency", latency) }
            { figure("chart-memory", memory) }
            { figure("chart-connections", connections) }
        </section>
    }
}

/// One chart: the drawing (an image named by its title, described by the caption), its
/// numbers in words, and the SVG to download (standalone, light colours).
fn figure(id: &'static str, chart: Rc<Chart>) -> Html {
    let download = {
        let chart = chart.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = browser::download(&format!("{id}.svg"), "image/svg+xml", chart.svg().as_bytes()) {
                gloo::console::error!(e);
            }
        })
    };
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
