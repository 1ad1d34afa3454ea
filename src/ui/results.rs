//! What the plan implies, summary first: workers, pools, capacity, p95, the bottleneck
//! and the verdict, each with the rule behind it; the workers chart; the tier table.

use std::rc::Rc;

use yew::prelude::*;

use super::drawing::Drawing;
use crate::chart::Chart;
use crate::model::capacity::{Bottleneck, TierRow};
use crate::model::figure::{count, whole};
use crate::model::{Outcome, Plan, Server};

/// What one process serves at once, in words.
fn per_process_label(server: Server) -> &'static str {
    match server {
        Server::Sync => "request per process (sync)",
        Server::Gthread => "threads per process",
        Server::Gevent => "greenlets per process (worker_connections)",
        Server::Async => "concurrent requests per process",
    }
}

/// The resource that limits throughput, in words.
pub fn bottleneck_label(b: Bottleneck) -> &'static str {
    match b {
        Bottleneck::Cpu => "CPU",
        Bottleneck::Workers => "worker slots",
        Bottleneck::Database => "database connections",
    }
}

/// One summary value: its id, title, number, unit and why.
fn value(id: &'static str, title: &'static str, number: String, unit: String, why: String) -> Html {
    html! {
        <div class="value" id={id}>
            <dt>{ title }</dt>
            <dd><span class="number">{ number }</span>{ unit }</dd>
            <dd class="why">{ why }</dd>
        </div>
    }
}

/// The summary, the workers chart and the tier table, from the App's memo. A plain
/// function: the App renders again only for a new plan or new notices.
pub fn view(plan: &Plan, o: &Outcome, chart: &Rc<Chart>) -> Html {
    let w = &o.rules.gunicorn;
    let (cap, lat) = (&o.eval.capacity, &o.eval.latency);
    let rate_words = if plan.target_rps > 0.0 { "the target rate" } else { "the 70 % capacity" };
    let processes = w.workers.value;
    let pool = o.rules.db_pool.as_ref().map(|p| {
        value(
            "v-pool",
            "Database pool per process",
            format!("{} + {}", p.pool_size.value, p.max_overflow.value),
            " connections (pool + overflow)".into(),
            format!(
                "{}; the fleet opens {} of PostgreSQL's {}{}",
                p.pool_size.why,
                whole(p.fleet_connections.value as f64),
                whole(p.server_limit_connections.value as f64),
                o.rules.pgbouncer.as_ref().map_or(String::new(), |b| format!(", through PgBouncer's {} server connections", whole(b.server_connections.value as f64)))
            ),
        )
    });
    html! {
        <>
            <section class="card summary" aria-labelledby="rec-title">
                <h2 id="rec-title">{ "Recommendation" }</h2>
                <p class={format!("verdict {}", o.verdict.fit.key())} id="v-verdict" role="status">
                    <strong>{ o.verdict.fit.label() }</strong>{ ". " }{ o.verdict.message.clone() }
                </p>
                <dl class="values">
                    { value("v-workers", "Processes per node", processes.to_string(), " processes".into(), w.workers.why.clone()) }
                    { value("v-per-process", "Per process", w.per_process.value.to_string(), format!(" {}", per_process_label(plan.server)),
                        format!("{} slots per node in all", whole(o.eval.node.slots as f64))) }
                    { for pool }
                    { value("v-capacity", "Capacity", whole(cap.rps), " r/s".into(),
                        format!("{} at 70 % busy (003) on {}; {} r/s with every slot busy", bottleneck_label(cap.bottleneck), count(cap.replicas, "node", "nodes"), whole(cap.max_rps))) }
                    { value("v-p95", "p95 latency", whole(lat.p95_ms), " ms".into(),
                        format!("at {} ({} r/s){}: p50 {} ms, p99 {} ms; objective {} ms",
                            rate_words, whole(lat.rate_rps), if lat.over_capacity { ", over capacity, a lower bound" } else { "" }, whole(lat.p50_ms), whole(lat.p99_ms), whole(plan.p95_objective_ms))) }
                    { value("v-bottleneck", "Bottleneck", bottleneck_label(cap.bottleneck).to_string(), String::new(),
                        format!("reaches 70 % first: CPU at {} r/s, slots at {} r/s{} per node",
                            whole(cap.cpu_limit_rps), whole(cap.slots_limit_rps), cap.db_limit_rps.map_or(String::new(), |d| format!(", connections at {} r/s", whole(d))))) }
                </dl>
            </section>
            <section class="card chart" aria-labelledby="chart-workers-title">
                <h2 id="chart-workers-title">{ "Workers against cores" }</h2>
                <figure id="chart-workers" role="img" aria-label={chart.summary.clone()}>
                    <Drawing chart={chart.clone()} />
                </figure>
            </section>
            { tier_table(&o.tiers, &o.plan_row) }
        </>
    }
}

/// 004's benchmark nodes with the plan's other inputs, and the plan's own row.
fn tier_table(tiers: &[TierRow], p: &TierRow) -> Html {
    let row = |t: &TierRow, name: String, class: &'static str| {
        html! {
            <tr class={class} id={format!("tier-{}", t.name)}>
                <th scope="row">{ name }</th>
                <td>{ t.cores }</td>
                <td>{ t.processes }</td>
                <td>{ whole(t.rps) }</td>
                <td>{ whole(t.p50_ms) }</td>
                <td>{ whole(t.p95_ms) }</td>
                <td>{ whole(t.users) }</td>
                <td>{ bottleneck_label(t.bottleneck) }</td>
            </tr>
        }
    };
    html! {
        <section class="card tiers" aria-labelledby="tiers-title">
            <h2 id="tiers-title">{ "Benchmark tiers" }</h2>
            <p class="why">{ "Guide 004's Small (2 cores, 4 GiB), Medium (4, 8) and Large (8, 16) nodes with the rest of this plan, each at the rate where its busiest resource is 70 % busy." }</p>
            // Scrolls sideways on a narrow screen: focusable, so the keyboard scrolls it too.
            <div class="table-scroll" tabindex="0" role="region" aria-label="Benchmark tiers table">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{ "Node" }</th>
                            <th scope="col">{ "Cores" }</th>
                            <th scope="col">{ "Processes" }</th>
                            <th scope="col">{ "r/s" }</th>
                            <th scope="col">{ "p50 ms" }</th>
                            <th scope="col">{ "p95 ms" }</th>
                            <th scope="col">{ "In flight" }</th>
                            <th scope="col">{ "Bottleneck" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for tiers.iter().map(|t| row(t, t.tier.label().to_string(), "")) }
                        { row(p, "This plan".to_string(), "plan-row") }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
