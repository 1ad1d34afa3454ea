//! Chart 4: the fleet's database connections (replicas × processes × (pool + overflow))
//! against PostgreSQL's max_connections and what PgBouncer accepts and opens. A plan
//! without a database gets the chart's frame and a sentence, not bars.

use super::figure::{Axis, Colour, Figure, Mark};
use super::format::{count, whole};
use super::Chart;
use crate::model::curves::{self, Connections};
use crate::model::Plan;

const TITLE: &str = "Database connection budget";
const X_TITLE: &str = "database connections";
/// What the chart says for a plan without a database.
pub const NO_DATABASE: &str = "No database in this plan: no connections to budget.";

/// The inputs the chart reads: the worker rule's, the pool's and PgBouncer's.
pub fn inputs(plan: &Plan) -> Plan {
    super::budget_inputs(plan)
}

fn nodes(n: u32) -> String {
    count(n, "node", "nodes")
}

fn processes(n: u32) -> String {
    count(n, "process", "processes")
}

/// The figure of [`curves::connections`]; the frame and [`NO_DATABASE`] for None.
pub fn figure_of(c: Option<&Connections>) -> Figure {
    let Some(c) = c else {
        return Figure {
            title: TITLE.to_string(),
            x: Axis::new(X_TITLE, 0.0, 200.0),
            y: Axis::bars(1),
            marks: vec![],
            note: Some(NO_DATABASE.to_string()),
        };
    };
    let bouncer = c.pgbouncer;
    let n = 1 + usize::from(bouncer.is_some());
    let widest = (c.fleet as f64).max(c.max_connections as f64).max(bouncer.map_or(0.0, |b| b.max_client_conn as f64));
    let (x, y) = (Axis::new(X_TITLE, 0.0, widest * 1.08), Axis::bars(n));
    let top = (n - 1) as f64;
    let per = f64::from(c.replicas) * f64::from(c.processes);
    let pool = per * f64::from(c.pool_size);
    let fleet_label = format!("fleet: {} × {} × ({} + {}) = {}", nodes(c.replicas), processes(c.processes), c.pool_size, c.max_overflow, whole(c.fleet as f64));
    let mut marks = vec![
        Mark::bars(Colour::C1, "pools", vec![[0.0, top - 0.25, pool, top + 0.25]]),
        Mark::bars(Colour::C4, "overflow", vec![[pool, top - 0.25, c.fleet as f64, top + 0.25]]),
    ];
    let mut labels = vec![(0.0, top + 0.25, fleet_label)];
    if let Some(b) = bouncer {
        let s = f64::from(b.server_connections);
        marks.push(Mark::bars(Colour::C5, "PgBouncer → PostgreSQL", vec![[0.0, -0.25, s, 0.25]]));
        labels.push((0.0, 0.25, format!("PgBouncer opens {} on PostgreSQL (default_pool_size + reserve)", b.server_connections)));
        marks.push(Mark::at_x(Colour::C6, format!("PgBouncer max_client_conn {}", whole(b.max_client_conn as f64)), b.max_client_conn as f64, &y));
    }
    marks.push(Mark::at_x(
        Colour::C2,
        format!("PostgreSQL: max_connections {} − {} reserved", c.max_connections, c.max_connections - c.server_limit),
        f64::from(c.server_limit),
        &y,
    ));
    marks.push(Mark::labels(Colour::Fg, labels));
    Figure { title: TITLE.to_string(), x, y, marks, note: None }
}

/// The key numbers in words.
pub fn summary(c: Option<&Connections>) -> String {
    let Some(c) = c else {
        return "The plan has no database, so there are no database connections to budget.".to_string();
    };
    let fits = if c.pgbouncer_required { "above" } else { "within" };
    let mut s = format!(
        "The fleet's pools may open {} connections ({} × {} × ({} pool + {} overflow)), {fits} PostgreSQL's limit of {} (max_connections {} − {} reserved).",
        whole(c.fleet as f64),
        nodes(c.replicas),
        processes(c.processes),
        c.pool_size,
        c.max_overflow,
        c.server_limit,
        c.max_connections,
        c.max_connections - c.server_limit,
    );
    s += &match (c.pgbouncer, c.pgbouncer_required) {
        (Some(b), _) => format!(
            " PgBouncer accepts up to {} client connections and opens {} on PostgreSQL.",
            whole(b.max_client_conn as f64),
            b.server_connections
        ),
        (None, true) => " PgBouncer is off but required: turn it on.".to_string(),
        (None, false) => " PgBouncer is off; the fleet connects directly.".to_string(),
    };
    s
}

/// The figure for a plan.
pub fn figure(plan: &Plan) -> Figure {
    figure_of(curves::connections(plan).as_ref())
}

/// The chart for a plan: computed once, drawn, said in words.
pub fn chart(plan: &Plan) -> Chart {
    let c = curves::connections(plan);
    Chart::new(&figure_of(c.as_ref()), summary(c.as_ref()))
}
