//! What the plan implies: the recommendation with the rule behind it, and the chart.

use yew::prelude::*;

use crate::model::workers::Workers;
use crate::model::{Plan, Server};

/// What one process serves at once, in words.
fn per_process_label(server: Server) -> &'static str {
    match server {
        Server::Sync => "request per process (sync)",
        Server::Gthread => "threads per process",
        Server::Gevent => "greenlets per process (worker_connections)",
        Server::Async => "concurrent requests per process",
    }
}

/// The recommendation and the chart (`svg`) of the plan, from the App's memo.
pub fn view(plan: &Plan, w: &Workers, svg: &str) -> Html {
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
                    { Html::from_html_unchecked(AttrValue::from(svg.to_string())) }
                </figure>
            </section>
        </>
    }
}
