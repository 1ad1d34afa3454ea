//! Charts: the model's series as [`Figure`]s (data), drawn by the one routine of
//! [`draw`] into [`Prim`]s (polylines, rectangles, circles, text) part by part, which [`svg`] writes
//! as a standalone SVG document. No yew: the UI puts the primitives into the page as
//! elements, tests read them natively.
//!
//! Each chart of issue 6 is a module with `figure(plan)` (what to draw), `chart(plan)`
//! (the drawing and the same numbers in words) and `inputs(plan)` (the plan with the
//! inputs it does not read reset: the key of its memo, and what it is drawn from).

pub mod connections;
pub mod draw;
pub mod figure;
pub mod format;
pub mod latency;
pub mod memory;
pub mod record;
pub mod svg;
pub mod throughput;
pub mod workers;

#[cfg(test)]
mod tests;

pub use figure::{Axis, Colour, Figure, Mark, Shape};
pub use record::{Layer, Part, Prim};

use crate::model::{Plan, Storage, Tier, Workload};

/// Size of every chart, px (the SVG scales to its container).
pub const SIZE: (u32, u32) = (640, 360);

/// A drawn chart: its title, what it is drawn as, and its key numbers in words (the
/// text alternative).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// What it is drawn as, part by part.
    pub drawing: Vec<Layer>,
    pub summary: String,
}

impl Chart {
    pub fn new(figure: &Figure, summary: String) -> Chart {
        Chart { title: figure.title.clone(), drawing: draw::render(figure), summary }
    }

    /// The chart as a standalone SVG document (light colours).
    pub fn svg(&self) -> String {
        svg::document(&self.drawing)
    }
}

/// The plan with the inputs no chart reads (name, tier, storage, the database host's
/// RAM and storage, the Kubernetes workload type) set to their defaults.
fn common_inputs(plan: &Plan) -> Plan {
    let d = Plan::default();
    Plan {
        name: d.name,
        tier: Tier::Custom,
        storage: Storage::Ssd,
        db_ram_gib: d.db_ram_gib,
        db_storage: d.db_storage,
        workload: Workload::Web,
        ..plan.clone()
    }
}

/// [`common_inputs`], and the inputs only the capacity model reads (the request times,
/// the database's share and hold time, the variability, the target rate and the
/// objective) reset too: what the memory and connection budgets do not read.
fn budget_inputs(plan: &Plan) -> Plan {
    let d = Plan::default();
    Plan {
        target_rps: d.target_rps,
        p95_objective_ms: d.p95_objective_ms,
        db_share_pct: d.db_share_pct,
        db_hold_ms: d.db_hold_ms,
        cpu_ms: d.cpu_ms,
        wait_ms: d.wait_ms,
        overhead_ms: d.overhead_ms,
        cv: d.cv,
        ..common_inputs(plan)
    }
}
