//! What the plan implies: the recommendation with the rule behind it, and the chart.

use yew::prelude::*;

use crate::chart;
use crate::model::{workers, Plan, Server};

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub plan: Plan,
}

/// What one process serves at once, in words.
fn per_process_label(server: Server) -> &'static str {
    match server {
        Server::Sync => "request per process (sync)",
        Server::Gthread => "threads per process",
        Server::Gevent => "greenlets per process (worker_connections)",
        Server::Async => "concurrent requests per process",
    }
}

#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let plan = &props.plan;
    // One memo for both: the page holds one memo type less.
    let shown = use_memo(plan.clone(), |plan| (workers::recommend(plan), chart::workers_vs_cores(plan)));
    let (w, svg) = &*shown;
    html! {
        <>
            <section class="card summary" aria-labelledby="rec-title">
                <h2 id="rec-title">{ "Recommendation" }</h2>
                <dl class="values">
                    <div class="value" id="v-workers">
                        <dt>{ "Processes per node" }</dt>
                        <dd><span class="number">{ w.processes }</span>{ " processes" }</dd>
                        <dd class="why">{ w.why.clone() }</dd>
                    </div>
                    <div class="value" id="v-per-process">
                        <dt>{ "Per process" }</dt>
                        <dd><span class="number">{ w.per_process }</span>{ format!(" {}", per_process_label(plan.server)) }</dd>
                        <dd class="why">{ format!("{} slots per node in all", w.slots()) }</dd>
                    </div>
                </dl>
            </section>
            <section class="card chart" aria-labelledby="chart-workers-title">
                <h2 id="chart-workers-title">{ "Workers against cores" }</h2>
                <figure id="chart-workers" role="img"
                    aria-label={format!("Line chart of processes per node for 1 to 64 cores; this plan, {} cores, runs {} processes.", plan.cores, w.processes)}>
                    { Html::from_html_unchecked(AttrValue::from(svg.clone())) }
                </figure>
            </section>
        </>
    }
}
