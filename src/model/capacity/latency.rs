//! Latency at a rate (PLANNER.md §3 "Latency"), concurrent users by Little's law, and
//! the benchmark-tier table of guide 004.

use crate::model::Within;
use super::{capacity_of, finite, Bottleneck, Capacity, ClassLatency, CurvePercentiles, Node, Shapes, Tails};
use crate::model::choice::Tier;
use crate::model::plan::Plan;
use crate::model::queueing::erlang_b;

/// Response time and load at one rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Latency {
    /// Rate per node, r/s.
    pub node_rate_rps: f64,
    /// Rate of the fleet, r/s.
    pub rate_rps: f64,
    /// The rate is at or above what a node sustains: the wait for a slot grows without
    /// bound. The times are then those with every slot busy, a lower bound.
    pub over_capacity: bool,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// CPU demand stretched by the CPU's queueing, ms.
    pub cpu_ms: f64,
    /// Off-CPU wait, ms.
    pub off_cpu_ms: f64,
    /// Database hold plus connection wait, averaged over all requests, ms.
    pub db_ms: f64,
    /// Time a request holds its slot: cpu + off-CPU + db, ms.
    pub time_in_slot_ms: f64,
    /// Mean wait for a free slot, ms.
    pub slot_wait_ms: f64,
    /// Probability of waiting for a slot.
    pub p_slot_wait: f64,
    pub cpu_utilisation: f64,
    /// The busier of the node's pool connections and the fleet's server connections.
    pub db_utilisation: f64,
    /// The database host's CPU (0 on the app node: its CPU is in `cpu_utilisation`).
    pub db_cpu_utilisation: f64,
    pub slot_utilisation: f64,
    /// Servers that refuse what their slots do not hold (uvicorn's `--limit-concurrency`
    /// answers 503; gevent's `worker_connections` stops accepting, and past the listen
    /// backlog the kernel refuses): the share refused at this rate, %. None for servers
    /// whose requests wait (sync, gthread).
    pub rejected_pct: Option<f64>,
    /// Each request class, in the plan's order ([`super::classes`]).
    pub classes: Vec<ClassLatency>,
    /// Requests in flight across the fleet (Little's law: rate × mean response time). A
    /// load generator's "concurrent users" who also pause `think` between requests number
    /// `rate × (mean + think)`, see [`users_with_think`].
    pub users: f64,
}

/// Concurrent users by Little's law: `L = λ·W` with the rate in r/s and the time in ms.
// Source: Little, "A proof for the queuing formula L = λW", Oper. Res. 9(3) 1961.
pub fn littles_law_users(rate_rps: f64, time_ms: f64) -> f64 {
    finite(rate_rps.max(0.0) * time_ms.max(0.0) / 1000.0)
}

/// Users of a load generator who wait `think_ms` between requests (as 004's locust
/// example does, 1–3 s): Little's law over the whole cycle, `λ·(R + Z)`.
// Source: Little (1961); the interactive response-time law, QSP ch. 3.
pub fn users_with_think(rate_rps: f64, response_ms: f64, think_ms: f64) -> f64 {
    littles_law_users(rate_rps, response_ms.max(0.0) + think_ms.max(0.0))
}

/// Everything the model says about a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub node: Node,
    pub capacity: Capacity,
    pub latency: Latency,
}

/// The plan's capacity and its latency at the target rate (or at `capacity.rps` when
/// the plan has no target).
pub fn evaluate(plan: &Plan) -> Evaluation {
    let node = Node::new(plan);
    let capacity = capacity_of(&node);
    evaluate_on(plan, node, capacity)
}

/// [`evaluate`] of `plan` where another evaluation is known: when the plan's node and
/// fleet are the same (only the target differs), its capacity is that one's.
pub fn evaluate_beside(plan: &Plan, known: &Evaluation) -> Evaluation {
    let node = Node::new(plan);
    let capacity = if node == known.node { known.capacity.clone() } else { capacity_of(&node) };
    evaluate_on(plan, node, capacity)
}

fn evaluate_on(plan: &Plan, node: Node, capacity: Capacity) -> Evaluation {
    // Without a target the latency is read at the 70 % rate, as the tier rows are.
    // With a target, at its peak: the rate the fleet must carry.
    let node_rate = if plan.target_rps > 0.0 {
        crate::model::outcome::peak_rps(plan) / f64::from(capacity.replicas)
    } else {
        capacity.node_rps
    };
    let latency = latency_at(&node, &capacity, node_rate);
    Evaluation { node, capacity, latency }
}

/// The plan's latency (see [`evaluate`]).
pub fn latency(plan: &Plan) -> Latency {
    evaluate(plan).latency
}

/// Latency at `node_rate_rps` per node: the time in a slot ([`Node::time_in_slot_ms`]),
/// then the wait for one of the node's slots as M/M/c (c = slots, service = time in a
/// slot less the wait for a server connection, [`SlotTime::slot_load_ms`]) scaled by
/// Allen–Cunneen; p50/p95/p99 from the response-time distribution.
// Source: PLANNER.md §3 "Latency"; Kleinrock (1975) §3.5; Allen (1990) §6.5.
pub fn latency_at(node: &Node, capacity: &Capacity, node_rate_rps: f64) -> Latency {
    let rate = finite(node_rate_rps);
    let replicas = f64::from(capacity.replicas);
    let over_limit = rate > capacity.node_max_rps * (1.0 + 1e-9);
    match open_latency(node, rate) {
        Some((t, tails)) if !over_limit => in_capacity(node, rate, replicas, t, tails),
        _ => over_capacity(node, capacity, rate, replicas),
    }
}

/// What a latency curve draws of [`latency_at`] (its p50, p95, p99 and each class's p95,
/// the same figures), solving no other percentile; None where it is over capacity.
pub fn curve_at(node: &Node, capacity: &Capacity, node_rate_rps: f64) -> Option<CurvePercentiles> {
    let c = shapes_at(node, capacity, node_rate_rps)?.curve();
    Some(CurvePercentiles { overall: c.overall.map(finite), class_p95: c.class_p95 })
}

/// Each class's response-time distribution at `node_rate_rps` per node, as [`latency_at`]
/// solves it; None where it is over capacity.
pub fn shapes_at(node: &Node, capacity: &Capacity, node_rate_rps: f64) -> Option<Shapes> {
    let rate = finite(node_rate_rps);
    if rate > capacity.node_max_rps * (1.0 + 1e-9) {
        return None;
    }
    let t = node.time_in_slot_ms(rate)?;
    super::classes::shapes(node, rate, t.cpu_ms / node.cpu_ms)
}

/// The time in a slot and the per-class model at `rate` per node; None when a station
/// or a process is overloaded.
fn open_latency(node: &Node, rate: f64) -> Option<(super::SlotTime, Tails)> {
    let t = node.time_in_slot_ms(rate)?;
    let tails = super::classes::tails(node, rate, t.cpu_ms / node.cpu_ms)?;
    Some((t, tails))
}

fn in_capacity(node: &Node, rate: f64, replicas: f64, t: super::SlotTime, tails: Tails) -> Latency {
    let [mean_ms, p50, p95, p99] = tails.overall;
    let slot_ms = tails.cpu_ms + t.wait_ms + t.db_ms;
    let lambda = rate / 1000.0;
    Latency {
        node_rate_rps: rate,
        rate_rps: finite(rate * replicas),
        over_capacity: false,
        mean_ms: finite(mean_ms),
        p50_ms: finite(p50),
        p95_ms: finite(p95),
        p99_ms: finite(p99),
        cpu_ms: finite(tails.cpu_ms),
        off_cpu_ms: finite(t.wait_ms),
        db_ms: finite(t.db_ms),
        time_in_slot_ms: finite(slot_ms),
        slot_wait_ms: finite(tails.slot.mean_ms()),
        p_slot_wait: tails.slot.p_wait.within(0.0, 1.0),
        cpu_utilisation: node.cpu_busy(lambda).within(0.0, 1.0),
        db_utilisation: db_utilisation(node, lambda),
        db_cpu_utilisation: db_cpu_utilisation(node, lambda),
        slot_utilisation: (lambda * slot_ms / node.slots as f64).within(0.0, 1.0),
        rejected_pct: node.refuses.then(|| 100.0 * erlang_b(node.slots, lambda * slot_ms)),
        classes: tails.classes,
        users: littles_law_users(rate * replicas, mean_ms),
    }
}

/// Utilisation of the database connections at `lambda` per node (per ms): the node's
/// own pool or the fleet's server connections, whichever is busier.
fn db_utilisation(node: &Node, lambda: f64) -> f64 {
    let own = node.db_station().map_or(0.0, |s| s.utilisation(lambda));
    let fleet = node.server_station().map_or(0.0, |s| s.utilisation(lambda * f64::from(node.replicas)));
    own.max(fleet).within(0.0, 1.0)
}

/// Utilisation of the database host's CPU at `lambda` per node (per ms).
fn db_cpu_utilisation(node: &Node, lambda: f64) -> f64 {
    node.db_cpu_station().map_or(0.0, |s| s.utilisation(lambda * f64::from(node.replicas))).within(0.0, 1.0)
}

/// Over capacity, a server that refuses serves what every slot busy serves and refuses
/// the rest: `1 − X_max/λ`, %.
// Source: flow conservation in a loss system (Kleinrock vol. 1 §3.7: carried = offered × (1 − B)).
pub fn refused_pct(rate_rps: f64, max_rps: f64) -> f64 {
    if rate_rps > 0.0 {
        (100.0 * (1.0 - max_rps / rate_rps)).within(0.0, 100.0)
    } else {
        0.0
    }
}

/// Every slot busy: the cycle of the saturated network is the least a request takes;
/// the queue for a slot grows for as long as the rate lasts.
fn over_capacity(node: &Node, capacity: &Capacity, rate: f64, replicas: f64) -> Latency {
    let sat = &capacity.saturation;
    let station = |i: usize| sat.stations.get(i).copied().unwrap_or_default();
    let (cpu, db) = (station(0), node.db_station().map(|_| station(1)).unwrap_or_default());
    // Every slot busy at the saturated throughput: a request holds its slot slots ÷
    // throughput (Little's law), longer than the network's own cycle where a cap it does
    // not hold (the pod's quota, the database host's CPU) stops the throughput first.
    let held = node.slots as f64 * 1000.0 / capacity.node_max_rps;
    let cycle = finite(sat.cycle_ms.max(if held.is_finite() { held } else { 0.0 }));
    Latency {
        node_rate_rps: rate,
        rate_rps: finite(rate * replicas),
        over_capacity: true,
        mean_ms: cycle,
        p50_ms: cycle,
        p95_ms: cycle,
        p99_ms: cycle,
        cpu_ms: finite(cpu.residence_ms),
        off_cpu_ms: finite(node.wait_ms),
        db_ms: finite(db.residence_ms),
        time_in_slot_ms: cycle,
        slot_wait_ms: 0.0,
        p_slot_wait: 1.0,
        cpu_utilisation: cpu.utilisation.max(node.cpu_busy(capacity.node_max_rps / 1000.0)).within(0.0, 1.0),
        db_utilisation: db.utilisation.max(db_utilisation(node, capacity.node_max_rps / 1000.0)).within(0.0, 1.0),
        db_cpu_utilisation: db_cpu_utilisation(node, capacity.node_max_rps / 1000.0),
        slot_utilisation: 1.0,
        rejected_pct: node.refuses.then(|| refused_pct(rate, capacity.node_max_rps)),
        classes: node
            .classes
            .iter()
            .map(|c| ClassLatency { share: c.share, mean_ms: cycle, p50_ms: cycle, p95_ms: cycle, p99_ms: cycle })
            .collect(),
        users: finite(node.slots as f64 * replicas),
    }
}

/// One row of the benchmark-tier table.
#[derive(Debug, Clone, PartialEq)]
pub struct TierRow {
    pub tier: Tier,
    pub name: &'static str,
    pub cores: u32,
    pub processes: u32,
    /// Fleet rate at the 70 % target (`capacity.rps`), r/s.
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Requests in flight at that rate (Little's law).
    pub users: f64,
    pub bottleneck: Bottleneck,
}

/// The plan on each benchmark node of 004 (Small, Medium, Large; the plan's other inputs
/// kept), at the rate where its busiest resource reaches 70 %.
// Source: 004 "Performance Benchmarks"; PLANNER.md §3.
pub fn tiers(plan: &Plan) -> Vec<TierRow> {
    // One copy of the plan for the three: applying a tier sets all it changes (its node
    // and its name), so the tier before leaves nothing behind.
    let mut p = plan.clone();
    Tier::BENCHMARKS
        .iter()
        .map(|&tier| {
            p.apply_tier(tier);
            row_of(tier, tier.key(), &p)
        })
        .collect()
}

/// The tier table beside the plan's own row ([`plan_row`]): a tier whose node is the
/// plan's (the default plan is Medium) is that row under the tier's name, not solved again.
pub fn tiers_beside(plan: &Plan, own: &TierRow) -> Vec<TierRow> {
    let mut p = plan.clone();
    Tier::BENCHMARKS
        .iter()
        .map(|&tier| {
            p.apply_tier(tier);
            if p == *plan {
                TierRow { tier, name: tier.key(), ..own.clone() }
            } else {
                row_of(tier, tier.key(), &p)
            }
        })
        .collect()
}

/// The plan's own row of the tier table, read the same way (at its 70 % rate), named
/// "plan", from its evaluation (whose latency it is when the plan has no target).
pub fn plan_row(plan: &Plan, eval: &Evaluation) -> TierRow {
    let (node, cap) = (&eval.node, &eval.capacity);
    if plan.target_rps > 0.0 {
        row_at(plan.tier, "plan", plan, node, cap)
    } else {
        row(plan.tier, "plan", plan, node, cap, &eval.latency)
    }
}

/// A benchmark node's row, solved in full: a saturated network rarely steps MVA now
/// (`queueing::settled`), and the shortcut that stepped it only until the row's 70 % rate was
/// passed became slower than the full solve (the outcome 0.37 against 0.35 M instructions).
fn row_of(tier: Tier, name: &'static str, p: &Plan) -> TierRow {
    let node = Node::new(p);
    let cap = capacity_of(&node);
    row_at(tier, name, p, &node, &cap)
}

fn row_at(tier: Tier, name: &'static str, p: &Plan, node: &Node, cap: &Capacity) -> TierRow {
    let rate = finite(cap.node_rps);
    let replicas = f64::from(cap.replicas);
    // What [`latency_at`] gives at the rate, solving only the mixture's percentiles.
    let figures = match shapes_at(node, cap, rate) {
        Some(s) => shown(rate * replicas, s.overall()),
        None => {
            let lat = over_capacity(node, cap, rate, replicas);
            [lat.p50_ms, lat.p95_ms, lat.p99_ms, lat.users]
        }
    };
    row_parts(tier, name, p, node, cap.rps, cap.bottleneck, figures)
}

fn row(tier: Tier, name: &'static str, p: &Plan, node: &Node, cap: &Capacity, lat: &Latency) -> TierRow {
    row_parts(tier, name, p, node, cap.rps, cap.bottleneck, [lat.p50_ms, lat.p95_ms, lat.p99_ms, lat.users])
}

/// A row's p50, p95, p99 and users from the mixture's mean and percentiles at a fleet
/// rate, as [`in_capacity`] writes them.
fn shown(fleet_rps: f64, [mean, p50, p95, p99]: [f64; 4]) -> [f64; 4] {
    [finite(p50), finite(p95), finite(p99), littles_law_users(fleet_rps, mean)]
}

fn row_parts(tier: Tier, name: &'static str, p: &Plan, node: &Node, rps: f64, bottleneck: Bottleneck, figures: [f64; 4]) -> TierRow {
    let [p50_ms, p95_ms, p99_ms, users] = figures;
    TierRow { tier, name, cores: p.cores, processes: node.workers.processes, rps, p50_ms, p95_ms, p99_ms, users, bottleneck }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rules::tests::property::{random_plan, Rng};

    /// A row's percentiles and users, solved without any class's own, are those of the
    /// full latency at its rate, to the bit (over capacity too), for 1,000 random plans.
    #[test]
    fn a_rows_figures_are_the_latency_at_its_rate() {
        let mut rng = Rng(0x0be5_7a11);
        for i in 0..1000 {
            let p = random_plan(&mut rng);
            let node = Node::new(&p);
            let cap = capacity_of(&node);
            let row = row_at(p.tier, "plan", &p, &node, &cap);
            let lat = latency_at(&node, &cap, cap.node_rps);
            let want = [lat.p50_ms, lat.p95_ms, lat.p99_ms, lat.users].map(f64::to_bits);
            assert_eq!([row.p50_ms, row.p95_ms, row.p99_ms, row.users].map(f64::to_bits), want, "{i}: {p:?}");
        }
    }
}
