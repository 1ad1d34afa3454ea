//! How many app processes a node runs, and how many requests each serves at once.
//! Guides 000 and 003 (gunicorn), 004 (async workers per core), capped by memory.

use super::choice::Server;
use super::figure::{count, whole};
use super::pod;
use super::memory;
use super::plan::{Class, Plan};
use super::sources::guide;

/// gevent greenlets per process (000 and 003: `worker_connections = 1000`).
pub const GEVENT_WORKER_CONNECTIONS: u32 = 1000;

/// Concurrent requests an async (uvicorn) process admits before queueing further ones.
/// 004 sets no limit; uvicorn's `--limit-concurrency` is the knob. 100 keeps a process
/// from accepting far more work than its share of a core can finish within a timeout.
pub const ASYNC_CONCURRENCY: u32 = 100;

/// The worker recommendation for one node.
#[derive(Debug, Clone, PartialEq)]
pub struct Workers {
    /// Processes per node, after the memory cap and any override.
    pub processes: u32,
    /// What the CPU rule alone gives (before the memory cap).
    pub by_cpu: u32,
    /// The most processes the node's memory budget holds.
    pub memory_cap: u32,
    /// Threads (gthread), greenlets (gevent) or concurrent requests (async) per process; 1 for sync.
    pub per_process: u32,
    /// Workers per core of the async rule (004), when the server is async.
    pub workers_per_core: Option<u32>,
}

impl Workers {
    /// Requests the node can have in progress at once: processes × per-process slots.
    pub fn slots(&self) -> u32 {
        self.processes.saturating_mul(self.per_process)
    }
}

/// gunicorn sync workers: `2 × cores + 1` (000 "Optimal Worker Count", 003 "Worker Process
/// Optimization"): one process per core computing while another waits on I/O, plus one.
pub fn sync_workers(cores: u32) -> u32 {
    2 * cores + 1
}

/// WORKERS_PER_CORE by the workload (004 "Worker Type Considerations"): 1 for
/// CPU-bound, 2–4 for I/O-bound, 2 for mixed. Here the dominant share decides (the
/// shares by kind, [`Plan::kind_pct`]):
/// ≥ 50 % CPU-bound → 1; ≥ 75 % I/O-bound → 4, ≥ 60 % → 3; otherwise 2.
pub fn workers_per_core(mix_pct: [u32; 3]) -> u32 {
    let (cpu, io) = (mix_pct[Class::Cpu as usize], mix_pct[Class::Io as usize]);
    if cpu >= 50 {
        1
    } else if io >= 75 {
        4
    } else if io >= 60 {
        3
    } else {
        2
    }
}

/// Async workers: `cores × WORKERS_PER_CORE` (004 "Worker Calculation"; MAX_WORKERS is
/// then written as this product).
pub fn async_workers(cores: u32, workers_per_core: u32) -> u32 {
    cores * workers_per_core
}

/// gthread threads per process: 2–4 (003 "Worker Class Selection"), more for I/O-heavy
/// mixes where threads spend their time waiting: < 40 % I/O → 2, < 70 % → 3, else 4.
pub fn gthread_threads(mix_pct: [u32; 3]) -> u32 {
    match mix_pct[Class::Io as usize] {
        0..=39 => 2,
        40..=69 => 3,
        _ => 4,
    }
}

/// Processes the memory budget holds: the RAM left for workers under the 80 % memory
/// target (000 `max_worker_memory`, 003 "Memory Usage: < 80 %"), divided by the
/// per-process memory; at least 1 so the node still serves.
pub fn memory_cap(available_mib: f64, worker_mem_mib: u32) -> u32 {
    let n = (available_mib / worker_mem_mib.max(1) as f64).floor();
    if n.is_finite() && n >= 1.0 {
        n.min(u32::MAX as f64) as u32
    } else {
        1
    }
}

/// "1 core", "4 cores": the plan's cores in words; with the pod's CPU limit, "0.5 cores
/// (the pod's CPU limit, not the node's 16 cores)".
fn cores(plan: &Plan) -> String {
    match pod::cpu_quota(plan) {
        Some(q) => format!("{} cores (the pod's CPU limit, not the node's {})", pod::cores_text(q), count(plan.cores, "core", "cores")),
        None => count(plan.cores, "core", "cores"),
    }
}

/// `2 × cores + 1` for the cores a process can use, a fractional CFS quota included
/// (0.5 core → 2 × 0.5 + 1 = 2): rounded down, at least 1. A whole count of cores gives
/// [`sync_workers`].
pub fn sync_workers_for(cores: f64) -> u32 {
    at_least_one(2.0 * cores + 1.0)
}

/// `x` rounded down, at least 1 (a float's `as` cast saturates).
fn at_least_one(x: f64) -> u32 {
    (x as u32).max(1)
}

/// `cores × WORKERS_PER_CORE` for a fractional quota: rounded down, at least 1.
pub fn async_workers_for(cores: f64, workers_per_core: u32) -> u32 {
    at_least_one(cores * f64::from(workers_per_core))
}

/// The recommended processes and per-process concurrency for the plan's node (or pod,
/// when the plan sets its CPU limit: [`pod::worker_cores`]).
pub fn recommend(plan: &Plan) -> Workers {
    let c = pod::worker_cores(plan);
    let sync = sync_workers_for(c);
    let (by_cpu, per_process, wpc) = match plan.server {
        Server::Sync => (sync, 1, None),
        Server::Gthread => (sync, plan.threads.unwrap_or_else(|| gthread_threads(plan.kind_pct())), None),
        Server::Gevent => (sync, plan.concurrency.unwrap_or(GEVENT_WORKER_CONNECTIONS), None),
        Server::Async => {
            let wpc = workers_per_core(plan.kind_pct());
            (async_workers_for(c, wpc), plan.concurrency.unwrap_or(ASYNC_CONCURRENCY), Some(wpc))
        }
    };
    // The node's RAM left under 80 %, or 80 % of the pod's limit (`memory::unit_budget`).
    let room = pod::mem_limit_mib(plan).map_or_else(|| memory::available_for_workers_mib(plan), |m| m * memory::MEMORY_TARGET);
    let cap = memory_cap(room, plan.worker_mem_mib);
    let processes = plan.workers.unwrap_or(by_cpu.min(cap));
    Workers { processes, by_cpu, memory_cap: cap, per_process, workers_per_core: wpc }
}

/// The rule behind [`recommend`]'s processes, in one sentence. Written apart from the
/// counts: the model sizes the workers seven times per change, the gunicorn rule and the
/// report say why once.
pub fn why(plan: &Plan, w: &Workers) -> String {
    let n = cores(plan);
    let rule = match plan.server {
        Server::Sync => format!(concat!("2 × {} + 1 (", guide!(000, 003), ")"), n),
        Server::Gthread => format!(concat!("2 × {} + 1, 2–4 threads each (", guide!(003), ")"), n),
        Server::Gevent => format!(concat!("2 × {} + 1, 1,000 greenlets each (worker_connections; ", guide!(000, 003), ")"), n),
        Server::Async => format!(concat!("{} × WORKERS_PER_CORE {} for this mix (", guide!(004), ")"), n, w.workers_per_core.unwrap_or_default()),
    };
    let (by_cpu, cap) = (w.by_cpu, w.memory_cap);
    match plan.workers {
        Some(_) => format!("set by you (the rule gives {}: {rule})", by_cpu.min(cap)),
        None if by_cpu > cap => format!(
            "{rule} = {by_cpu}, capped at {} by memory: {} MiB per process must fit the RAM left under the 80 % target",
            whole(f64::from(cap)),
            whole(f64::from(plan.worker_mem_mib))
        ),
        None => rule,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::choice::Tier;

    fn plan(server: Server, cores: u32, ram_gib: f64) -> Plan {
        let mut p = Plan::default();
        p.server = server;
        p.cores = cores;
        p.ram_gib = ram_gib;
        p
    }

    #[test]
    fn sync_workers_are_two_per_core_plus_one() {
        assert_eq!(sync_workers(1), 3);
        assert_eq!(sync_workers(4), 9); // 003: "For a 4-core system workers = 9"
        assert_eq!(recommend(&plan(Server::Sync, 4, 64.0)).processes, 9);
    }

    #[test]
    fn async_workers_are_cores_times_workers_per_core() {
        // 004 tiers: 2, 4, 8 cores × 2 = 4, 8, 16.
        for (tier, expected) in [(Tier::Small, 4), (Tier::Medium, 8), (Tier::Large, 16)] {
            let w = recommend(&Plan::for_tier(tier));
            assert_eq!((w.processes, w.workers_per_core), (expected, Some(2)), "{tier:?}");
        }
    }

    #[test]
    fn workers_per_core_follow_the_dominant_class() {
        assert_eq!(workers_per_core([60, 20, 20]), 1);
        assert_eq!(workers_per_core([20, 50, 30]), 2);
        assert_eq!(workers_per_core([10, 65, 25]), 3);
        assert_eq!(workers_per_core([0, 80, 20]), 4);
    }

    #[test]
    fn gthread_threads_grow_with_the_io_share() {
        assert_eq!(gthread_threads([70, 10, 20]), 2);
        assert_eq!(gthread_threads([20, 50, 30]), 3);
        assert_eq!(gthread_threads([0, 90, 10]), 4);
    }

    #[test]
    fn memory_caps_the_worker_count() {
        let mut p = plan(Server::Sync, 16, 2.0);
        p.worker_mem_mib = 200;
        let w = recommend(&p);
        assert_eq!(w.by_cpu, 33);
        assert!(w.processes < 33 && w.processes == w.memory_cap, "{w:?}");
        assert!(f64::from(w.processes * 200) <= 0.8 * 2048.0);
        assert!(why(&p, &w).contains("capped"));
    }

    #[test]
    fn a_node_too_small_for_one_worker_still_runs_one() {
        let mut p = plan(Server::Sync, 1, 0.5);
        p.worker_mem_mib = 4096;
        assert_eq!(recommend(&p).processes, 1);
    }

    #[test]
    fn a_pods_fractional_cpu_limit_gives_its_own_workers_not_the_nodes() {
        assert_eq!((sync_workers_for(0.5), sync_workers_for(1.5), sync_workers_for(0.1), sync_workers_for(4.0)), (2, 4, 1, 9));
        assert_eq!((async_workers_for(0.5, 2), async_workers_for(0.25, 2), async_workers_for(1.5, 2)), (1, 1, 3));
        let mut p = plan(Server::Sync, 16, 64.0);
        p.platform = crate::model::choice::Platform::K8s;
        p.pod_cpu = 0.5;
        let w = recommend(&p);
        assert_eq!(w.processes, 2, "{w:?}");
        assert!(why(&p, &w).starts_with("2 × 0.5 cores (the pod's CPU limit, not the node's 16 cores) + 1"), "{}", why(&p, &w));
        // The pod's memory caps them: 80 % of 1 GiB holds 4 processes of 200 MiB.
        p.pod_cpu = 8.0;
        p.pod_mem_gib = 1.0;
        p.worker_mem_mib = 200;
        let w = recommend(&p);
        assert_eq!((w.by_cpu, w.processes), (17, 4));
        assert!(why(&p, &w).contains("capped at 4 by memory"), "{}", why(&p, &w));
        // On plain hosts the keys are ignored.
        p.platform = crate::model::choice::Platform::Hosts;
        assert_eq!(recommend(&p).by_cpu, 33);
    }

    #[test]
    fn an_override_wins_and_says_so() {
        let mut p = Plan::default();
        p.workers = Some(3);
        let w = recommend(&p);
        assert_eq!(w.processes, 3);
        assert!(why(&p, &w).starts_with("set by you"));
    }
}
