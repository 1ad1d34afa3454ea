//! The series the charts draw (issue 6), each from the model and nothing else: the
//! capacity against cores (the plan with only its cores changed), latency against the
//! rate, the node's memory budget and the fleet's connection budget. Pure data; the
//! drawing is `crate::chart`'s.

use super::capacity::{self, finite, Bottleneck, Evaluation, TierRow};
use super::choice::Tier;
use super::memory::{self, Budget, MEMORY_TARGET};
use super::plan::Plan;
use super::rules::{pgbouncer, pool, postgres};
use super::workers::{self, Workers};

/// Core counts of the throughput curve: enough to show its shape (the USL bends it
/// smoothly, so 11 points to 64 cores suffice), each one a capacity evaluation.
pub const CORE_STEPS: [u32; 15] = [1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];

/// The curve's cores: [`CORE_STEPS`] up to 64, or up to `top` and `top` itself when
/// it is more. The plan's own cores are its own point ([`Throughput::plan`]), so the
/// curve does not change when only the cores do (up to 64).
pub fn core_counts(top: u32) -> Vec<u32> {
    let top = top.max(64);
    let mut cores: Vec<u32> = CORE_STEPS.iter().copied().filter(|&c| c <= top).collect();
    if cores.last() != Some(&top) {
        cores.push(top);
    }
    cores
}

/// The plan's node with `cores` cores, every other input kept (a workers override too).
pub fn with_cores(plan: &Plan, cores: u32) -> Plan {
    let mut p = plan.clone();
    p.cores = cores.max(1);
    p
}

/// Fleet throughput of the plan on one core count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorePoint {
    pub cores: u32,
    /// Rate at which the busiest resource reaches the 70 % target (`capacity.rps`), r/s.
    pub rps: f64,
    /// Throughput with every slot busy (`capacity.max_rps`), r/s.
    pub max_rps: f64,
    /// The resource that reaches the target first.
    pub bottleneck: Bottleneck,
}

/// The capacity of `plan` as a point of the curve.
pub fn core_point(plan: &Plan) -> CorePoint {
    let c = capacity::capacity(plan);
    CorePoint { cores: plan.cores, rps: c.rps, max_rps: c.max_rps, bottleneck: c.bottleneck }
}

/// The plan with only its cores changed, at [`core_counts`] up to the plan's cores or
/// 64: the same for every plan that differs only in cores up to 64.
pub fn core_curve(plan: &Plan) -> Vec<CorePoint> {
    // Past the cores its processes can use (their number capped by the RAM), a node is
    // the one before it to the model: its capacity is not solved again (the default
    // plan's 48 and 64 cores, whose 37 processes use 37). What the cores change in a node
    // is the cores its processes use, the processes (so the slots and the database
    // connections) and the database's cores on the same host; checked against a full
    // solve over random plans in the tests.
    let mut last: Option<((u64, u64, u32, u64), CorePoint)> = None;
    core_counts(plan.cores)
        .into_iter()
        .map(|cores| {
            let node = capacity::Node::new(&with_cores(plan, cores));
            let key = (node.cpu_servers, node.slots, node.workers.processes, node.db_cores);
            let point = match last {
                Some((k, p)) if k == key => CorePoint { cores, ..p },
                _ => {
                    let c = capacity::capacity_of(&node);
                    CorePoint { cores, rps: c.rps, max_rps: c.max_rps, bottleneck: c.bottleneck }
                }
            };
            last = Some((key, point));
            point
        })
        .collect()
}

/// One benchmark node of 004 with the plan's other inputs: its capacity at the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierPoint {
    pub tier: Tier,
    pub cores: u32,
    pub rps: f64,
}

/// Throughput against cores, the plan's own point and the benchmark tiers of 004.
#[derive(Debug, Clone, PartialEq)]
pub struct Throughput {
    /// The curve of [`core_curve`] with the plan's own point in its place, ascending.
    pub curve: Vec<CorePoint>,
    pub plan: CorePoint,
    /// The plan on the Small, Medium and Large nodes (their own RAM), as
    /// [`capacity::tiers`] puts it there, at `capacity.rps`.
    pub tiers: Vec<TierPoint>,
    pub replicas: u32,
}

/// The plan with only its cores changed, from 1 to 64 cores (or to the plan's).
pub fn throughput(plan: &Plan) -> Throughput {
    throughput_beside(&core_curve(plan), plan, &capacity::evaluate(plan), &capacity::tiers(plan))
}

/// [`throughput`] from what the page has already solved: the plan's [`core_curve`], its
/// evaluation (the plan's own point) and its tier rows (the benchmark nodes). Nothing is
/// solved again.
pub fn throughput_beside(curve: &[CorePoint], plan: &Plan, eval: &Evaluation, tiers: &[TierRow]) -> Throughput {
    let c = &eval.capacity;
    let here = CorePoint { cores: plan.cores, rps: c.rps, max_rps: c.max_rps, bottleneck: c.bottleneck };
    let tiers = tiers.iter().map(|r| TierPoint { tier: r.tier, cores: r.cores, rps: r.rps }).collect();
    let mut with_plan = curve.to_vec();
    match with_plan.binary_search_by_key(&plan.cores, |p| p.cores) {
        Ok(at) => with_plan[at] = here,
        Err(at) => with_plan.insert(at, here),
    }
    Throughput { curve: with_plan, plan: here, tiers, replicas: plan.replicas.max(1) }
}

/// Latency percentiles of the fleet at one rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyPoint {
    /// Fleet rate, r/s.
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

/// Latency against the rate, with what the plan asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyCurve {
    /// Ascending rates from near 0 up to just below saturation.
    pub points: Vec<LatencyPoint>,
    /// Fleet rate at the 70 % target, r/s.
    pub capacity_rps: f64,
    /// Fleet throughput with every slot busy, r/s.
    pub max_rps: f64,
    /// The plan's latency objective (p95), ms.
    pub objective_ms: f64,
    /// The plan's target rate, r/s, when it sets one.
    pub target_rps: Option<f64>,
    /// The p95 at the target rate (at capacity without a target), ms.
    pub p95_at_target_ms: f64,
    /// Each request class's p95 at the points' rates, when the plan has two or more
    /// classes with requests: (name, ms per point).
    pub classes: Vec<(String, Vec<f64>)>,
}

/// Rates of the latency curve, as shares of the saturation throughput: 1 % to 98 %,
/// denser towards the top where the wait for a slot makes the curve turn up.
pub const LATENCY_STEPS: usize = 24;

/// The share of saturation of step `i` of [`LATENCY_STEPS`]: `0.01 + 0.97 · (1 − (1 − u)²)`
/// for `u` from 0 to 1.
pub(crate) fn latency_share(i: usize) -> f64 {
    let u = i as f64 / (LATENCY_STEPS - 1) as f64;
    0.01 + 0.97 * (1.0 - (1.0 - u) * (1.0 - u))
}

/// p50 / p95 / p99 from near 0 up to saturation (`latency_at` of the capacity model);
/// the curve stops where the model says the rate is over what a node sustains.
pub fn latency(plan: &Plan) -> LatencyCurve {
    latency_beside(plan, &capacity::evaluate(plan))
}

/// [`latency`] from the plan's evaluation, which the page has already solved: its node,
/// its capacity, and its latency at the target rate (at capacity without a target).
pub fn latency_beside(plan: &Plan, eval: &Evaluation) -> LatencyCurve {
    let (node, cap) = (&eval.node, &eval.capacity);
    let replicas = f64::from(cap.replicas);
    let at: Vec<_> = (0..LATENCY_STEPS)
        .map(|i| latency_share(i) * cap.node_max_rps)
        .map_while(|rate| capacity::curve_at(node, cap, rate).map(|c| (rate, c)))
        .collect();
    let points = at
        .iter()
        .map(|(rate, c)| {
            let [p50_ms, p95_ms, p99_ms] = c.overall;
            LatencyPoint { rps: finite(finite(*rate) * replicas), p50_ms, p95_ms, p99_ms }
        })
        .collect();
    let used: Vec<_> = plan.classes().into_iter().enumerate().filter(|(_, c)| c.share > 0.0).collect();
    let classes = if used.len() < 2 {
        Vec::new()
    } else {
        used.into_iter().map(|(i, c)| (c.name, at.iter().map(|(_, k)| k.class_p95.get(i).copied().unwrap_or(k.overall[1])).collect())).collect()
    };
    LatencyCurve {
        classes,
        points,
        capacity_rps: cap.rps,
        max_rps: cap.max_rps,
        objective_ms: plan.p95_objective_ms,
        target_rps: (plan.target_rps > 0.0).then_some(plan.target_rps),
        p95_at_target_ms: eval.latency.p95_ms,
    }
}

/// The node's memory: the budget beside the workers and what the workers take.
#[derive(Debug, Clone, PartialEq)]
pub struct Memory {
    pub budget: Budget,
    pub workers: Workers,
    pub worker_mib: f64,
    /// The 80 % line: RAM × [`MEMORY_TARGET`], MiB.
    pub target_mib: f64,
}

impl Memory {
    /// What `processes` app processes take, MiB.
    pub fn workers_mib(&self, processes: u32) -> f64 {
        f64::from(processes) * self.worker_mib
    }

    /// Everything on the node with `processes` app processes, MiB.
    pub fn used_mib(&self, processes: u32) -> f64 {
        self.budget.besides_workers_mib() + self.workers_mib(processes)
    }
}

/// The plan's memory budget ([`memory::budget`]) and its processes.
pub fn memory(plan: &Plan) -> Memory {
    let budget = memory::budget(plan);
    Memory {
        target_mib: budget.ram_mib * MEMORY_TARGET,
        budget,
        workers: workers::recommend(plan),
        worker_mib: f64::from(plan.worker_mem_mib),
    }
}

/// The fleet's database connections against what PostgreSQL and PgBouncer take.
#[derive(Debug, Clone, PartialEq)]
pub struct Connections {
    pub replicas: u32,
    pub processes: u32,
    pub pool_size: u32,
    pub max_overflow: u32,
    /// replicas × processes × (pool + overflow) ([`pool::fleet_connections`]).
    pub fleet: u64,
    /// PostgreSQL's max_connections.
    pub max_connections: u32,
    /// max_connections − superuser_reserved_connections: what clients may open.
    pub server_limit: u32,
    /// The fleet is over the server limit, so a pooler is required.
    pub pgbouncer_required: bool,
    /// PgBouncer, when the plan turns it on.
    pub pgbouncer: Option<Bouncer>,
}

/// What PgBouncer accepts and opens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bouncer {
    pub max_client_conn: u64,
    /// default_pool_size + reserve_pool_size: what it opens on PostgreSQL.
    pub server_connections: u32,
}

/// The plan's connection budget from the pool and PgBouncer rules; None without a database.
pub fn connections(plan: &Plan) -> Option<Connections> {
    let w = workers::recommend(plan);
    let p = pool::db_pool(plan, &w)?;
    let bouncer = plan.pgbouncer.is_on().then(|| {
        let b = pgbouncer::for_plan(plan, &p, postgres::db_node(plan).1);
        Bouncer { max_client_conn: b.max_client_conn.value, server_connections: b.server_connections.value }
    });
    Some(Connections {
        replicas: plan.replicas,
        processes: w.processes,
        pool_size: p.pool_size.value,
        max_overflow: p.max_overflow.value,
        fleet: p.fleet_connections.value,
        max_connections: pool::max_connections(plan),
        server_limit: p.server_limit_connections.value,
        pgbouncer_required: p.pgbouncer_required.value,
        pgbouncer: bouncer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::choice::{Database, DbHost, Server, Switch, Tier};

    #[test]
    fn the_curve_has_the_steps_to_64_cores_and_the_plans_own() {
        assert_eq!(core_counts(4), vec![1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64]);
        assert_eq!(core_counts(100), vec![1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 100]);
        assert_eq!(*core_counts(256).last().unwrap(), 256);
        let plan = Plan { cores: 5, tier: Tier::Custom, ..Plan::default() };
        let cores: Vec<u32> = throughput(&plan).curve.iter().map(|p| p.cores).collect();
        assert_eq!(cores, vec![1, 2, 4, 5, 6, 8, 12, 16, 24, 32, 48, 64]);
        assert_eq!(core_curve(&plan), core_curve(&Plan::default()), "the curve does not depend on the cores");
    }

    #[test]
    fn a_reused_point_is_the_capacity_solved_again_over_random_plans() {
        let mut r = crate::model::rng::Rng(0x0C0E_5CAF);
        for i in 0..300 {
            let plan = crate::model::rules::tests::property::random_plan(&mut r);
            for p in core_curve(&plan) {
                let c = capacity::capacity(&with_cores(&plan, p.cores));
                assert_eq!((p.rps, p.max_rps, p.bottleneck), (c.rps, c.max_rps, c.bottleneck), "plan {i}, {} cores", p.cores);
            }
        }
    }

    #[test]
    fn each_point_is_the_capacity_of_the_plan_with_only_its_cores_changed() {
        let plan = Plan::default();
        let t = throughput(&plan);
        for p in &t.curve {
            let mut q = plan.clone();
            q.cores = p.cores;
            let c = capacity::capacity(&q);
            assert_eq!((p.rps, p.max_rps), (c.rps, c.max_rps), "{} cores", p.cores);
        }
        // Medium defaults: 0.7 × C(4)/2.75 ms ≈ 988 r/s (PLANNER.md §3): the app's 2.45 ms,
        // uvicorn's 0.2, the driver's 0.03, nginx's 0.05 and Redis's 0.02 beside it.
        assert_eq!(t.plan.cores, 4);
        assert!((t.plan.rps - 988.0).abs() < 2.0, "{}", t.plan.rps);
        let tiers = capacity::tiers(&plan);
        assert_eq!(t.tiers.iter().map(|r| (r.cores, r.rps)).collect::<Vec<_>>(), tiers.iter().map(|r| (r.cores, r.rps)).collect::<Vec<_>>());
        let small_ram = Plan { ram_gib: 2.0, ..plan };
        let tiers = capacity::tiers(&small_ram);
        assert_eq!(throughput(&small_ram).tiers.iter().map(|r| r.rps).collect::<Vec<_>>(), tiers.iter().map(|r| r.rps).collect::<Vec<_>>());
    }

    #[test]
    fn usl_contention_makes_64_cores_do_less_than_64_times_one() {
        // no memory cap and no database host to saturate: only the USL bends the curve
        let plan = Plan { ram_gib: 2048.0, db: crate::model::Database::None, ..Plan::default() };
        let t = throughput(&plan);
        let (one, top) = (t.curve[0], *t.curve.last().unwrap());
        assert_eq!(top.cores, 64);
        let usl = crate::model::queueing::usl_capacity(64.0, capacity::USL_SIGMA, capacity::USL_KAPPA);
        assert!((top.rps / one.rps - usl).abs() < 0.01 * usl, "{} vs {usl}", top.rps / one.rps);
        assert!(t.curve.windows(2).all(|w| w[1].rps >= w[0].rps));
    }

    #[test]
    fn latency_rises_with_the_rate_up_to_saturation() {
        let plan = Plan::default();
        let l = latency(&plan);
        assert_eq!(l.points.len(), LATENCY_STEPS);
        assert!(l.points.windows(2).all(|w| w[0].rps < w[1].rps && w[0].p95_ms <= w[1].p95_ms));
        assert!(l.points.iter().all(|p| p.p50_ms <= p.p95_ms && p.p95_ms <= p.p99_ms));
        // Each class's p95 rises with the rate too, and the mixture's lies among them.
        assert_eq!(l.classes.len(), 3, "the default plan's three classes");
        for (name, p95) in &l.classes {
            assert_eq!(p95.len(), l.points.len(), "{name}");
            assert!(p95.windows(2).all(|w| w[0] <= w[1] + 1e-9), "{name}: {p95:?}");
        }
        for (i, p) in l.points.iter().enumerate() {
            let (lo, hi) = l.classes.iter().map(|c| c.1[i]).fold((f64::MAX, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
            assert!(lo <= p.p95_ms + 1e-9 && p.p95_ms <= hi + 1e-9, "at {} r/s: {lo} … {hi} against {}", p.rps, p.p95_ms);
        }
        assert!(l.points[0].rps < 0.02 * l.max_rps && l.points.last().unwrap().rps < l.max_rps);
        assert_eq!((l.objective_ms, l.target_rps), (200.0, None));
        let mut with_target = plan.clone();
        with_target.target_rps = 600.0;
        assert_eq!(latency(&with_target).target_rps, Some(600.0));
    }

    #[test]
    fn the_memory_line_is_eighty_percent_of_ram() {
        let m = memory(&Plan::default()); // 8 GiB
        assert_eq!(m.target_mib, 6553.6);
        assert_eq!(m.workers.processes, 8);
        assert_eq!(m.used_mib(8), 409.6 + 512.0 + 64.0 + 8.0 * 150.0);
    }

    #[test]
    fn fleet_connections_are_replicas_times_processes_times_pool_plus_overflow() {
        let mut plan = Plan::for_tier(Tier::Medium); // async, 8 processes, pool 10 + 10
        plan.replicas = 3;
        let c = connections(&plan).unwrap();
        assert_eq!((c.processes, c.pool_size, c.max_overflow, c.fleet), (8, 10, 10, 480));
        assert_eq!((c.max_connections, c.server_limit, c.pgbouncer_required), (200, 197, true));
        assert_eq!(c.pgbouncer, None);
        plan.pgbouncer = Switch::On;
        plan.server = Server::Sync; // 9 processes × (1 + 2) × 3
        plan.db_host = DbHost::App;
        let c = connections(&plan).unwrap();
        assert_eq!(c.fleet, 81);
        assert_eq!(c.pgbouncer, Some(Bouncer { max_client_conn: 100, server_connections: 25 }));
        plan.db = Database::None;
        assert_eq!(connections(&plan), None);
    }
}
