//! Requests and limits of each container: the app's from the plan's workers, nginx's and
//! PgBouncer's from what they hold, Redis's from guide 002's table and the cache budget.

use super::Resources;
use crate::model::figure::{count, whole};
use crate::model::sources::guide;
use crate::model::text::{cat, digits};
use crate::model::rules::checks::CPU_TARGET;
use crate::model::rules::explained::{ex, DERIVED, G002};

/// The rows of 002's sizing table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Sizing {
    WebApi,
    HeavyCompute,
    BackgroundJob,
    Database,
    Cache,
}

/// 002's sizing table: (CPU request m, CPU limit m, memory request MiB, memory limit MiB).
/// Only the Cache row is still used (the Redis pod's CPU, which has no better source);
/// the app's rows gave 8–32 workers 500m / 512Mi, so the app's resources now follow its
/// workers ([`app_memory_mib`], [`app_cpu_limit_m`]), and PostgreSQL is not exported as a pod.
pub fn sizing(s: Sizing) -> (u32, u32, u32, u32) {
    match s {
        Sizing::WebApi => (100, 500, 128, 512),
        Sizing::HeavyCompute => (500, 2000, 512, 2048),
        Sizing::BackgroundJob => (50, 200, 64, 256),
        Sizing::Database => (500, 4000, 1024, 4096),
        Sizing::Cache => (100, 1000, 256, 2048),
    }
}

/// Memory is requested in whole 64 MiB steps: a value a person reads at a glance.
pub const MEMORY_STEP_MIB: u64 = 64;

/// `mib` rounded up to a multiple of [`MEMORY_STEP_MIB`], at least one step.
pub fn round_up_mib(mib: u64) -> u32 {
    let steps = mib.div_ceil(MEMORY_STEP_MIB).max(1);
    u32::try_from(steps.saturating_mul(MEMORY_STEP_MIB)).unwrap_or(u32::MAX / 64 * 64)
}

/// The app's memory request = limit: processes × per-process memory × 1.2, rounded up to
/// 64 MiB. The per-process memory already counts the app; the 20 % holds gunicorn's
/// master and the workers' growth between recycles (max_requests). Request = limit, so
/// the pod is never OOM-killed for memory the scheduler did not reserve (Robusta KRR:
/// memory request = limit, since memory cannot be throttled, only killed).
pub fn app_memory_mib(processes: u32, worker_mem_mib: u32) -> u32 {
    let need = processes as u64 * worker_mem_mib as u64;
    round_up_mib((need * 6).div_ceil(5))
}

/// The app's CPU limit: the cores its worker count was sized for (`workers::recommend`),
/// in millicores. Less would throttle workers sized for more.
pub fn app_cpu_limit_m(cores: u32) -> u32 {
    cores.saturating_mul(1000)
}

/// The app's CPU request: the plan's 70 % CPU target of those cores (003, `CPU_TARGET`),
/// rounded up. A request of every core would not schedule on a node of that many cores,
/// whose allocatable CPU is lower (the kubelet and system reserve some).
pub fn app_cpu_request_m(cores: u32) -> u32 {
    let pct = (CPU_TARGET * 100.0).round() as u64;
    u32::try_from((cores as u64 * 1000 * pct).div_ceil(100)).unwrap_or(u32::MAX)
}

/// The app container's resources for its processes and cores.
pub fn app_resources(cores: u32, processes: u32, worker_mem_mib: u32) -> Resources {
    let mem = app_memory_mib(processes, worker_mem_mib);
    let (req, lim) = (app_cpu_request_m(cores), app_cpu_limit_m(cores));
    let mem_why = cat(&[&count(processes, "process", "processes"), " × ", &digits(worker_mem_mib), " MiB × 1.2 (gunicorn's master, growth between recycles), rounded up to 64 MiB"]);
    let n = count(cores, "core", "cores");
    Resources {
        cpu_request_m: ex(req, "m", DERIVED, cat(&["70 % of the ", &n, " the workers were sized for (the 70 % CPU target): a node of ", &n, " has less allocatable CPU than that"])),
        cpu_limit_m: ex(lim, "m", DERIVED, cat(&["the ", &n, " the worker count was sized for: less would throttle the workers"])),
        memory_request_mib: ex(mem, "MiB", DERIVED, cat(&[&mem_why, "; request = limit: the scheduler reserves all the pod may use"])),
        memory_limit_mib: ex(mem, "MiB", DERIVED, cat(&[&mem_why, "; equal to the request, so the pod is never OOM-killed for memory the scheduler did not reserve (Robusta KRR)"])),
    }
}

/// nginx's CPU in the pod: 100m per app core requested, 250m per core allowed (at least
/// 002's Web API 500m). A proxy spends a fraction of the app's CPU per request (parsing,
/// proxying and gzip; no Python), about a tenth typically and a quarter when compressing.
pub fn nginx_cpu_m(cores: u32) -> (u32, u32) {
    (cores.saturating_mul(100), cores.saturating_mul(250).max(500))
}

/// nginx's memory in the pod, request = limit: 32 MiB for the master and shared zones,
/// 4 MiB per worker (`worker_processes auto`, one per core), and 64 KiB per request in
/// flight (its proxy buffers, 4k + 8 × 4k, and gzip's), rounded up to 64 MiB.
pub fn nginx_memory_mib(cores: u32, concurrent_requests: u64) -> u32 {
    let kib = concurrent_requests.saturating_mul(64);
    round_up_mib(32 + 4 * cores as u64 + kib.div_ceil(1024))
}

/// The nginx sidecar's resources.
pub fn nginx_resources(cores: u32, concurrent_requests: u64) -> Resources {
    let (req, lim) = nginx_cpu_m(cores);
    let mem = nginx_memory_mib(cores, concurrent_requests);
    let mem_why = cat(&["32 MiB + 4 MiB × ", &count(cores, "worker", "workers"), " + 64 KiB × ", &count(concurrent_requests as f64, "request", "requests"), " in flight (proxy and gzip buffers), rounded up to 64 MiB"]);
    Resources {
        cpu_request_m: ex(req, "m", DERIVED, cat(&["100 m per app core (", &digits(cores), "): a proxy spends about a tenth of the app's CPU per request"])),
        cpu_limit_m: ex(lim, "m", DERIVED, concat!("250 m per app core, at least the ", guide!(002), "'s 500 m: gzip can take a quarter of the app's CPU")),
        memory_request_mib: ex(mem, "MiB", DERIVED, cat(&[&mem_why, "; request = limit"])),
        memory_limit_mib: ex(mem, "MiB", DERIVED, mem_why),
    }
}

/// The Redis pod: 002's Cache row, its memory raised to the plan's cache budget, since
/// Redis's memory is not reclaimable and the budget must be both reserved and allowed.
pub fn cache_resources(budget_mib: u32) -> Resources {
    let (cr, cl, mr, ml) = sizing(Sizing::Cache);
    Resources {
        cpu_request_m: ex(cr, "m", G002, "Cache (Redis): what the scheduler reserves"),
        cpu_limit_m: ex(cl, "m", G002, "Cache (Redis): one core; Redis runs commands on one thread"),
        memory_request_mib: if budget_mib > mr {
            ex(budget_mib, "MiB", DERIVED, "the cache budget: Redis keeps what it holds")
        } else {
            ex(mr, "MiB", G002, "Cache (Redis): what the scheduler reserves")
        },
        memory_limit_mib: if budget_mib > ml {
            ex(budget_mib, "MiB", DERIVED, concat!("the cache budget (the ", guide!(002), "'s 2 GiB is below it)"))
        } else {
            ex(ml, "MiB", G002, "Cache (Redis): OOM-killed above this")
        },
    }
}

/// PgBouncer's memory, request = limit: 16 MiB for the process and about 8 KiB per client
/// connection (its state and a 4 KiB pkt_buf, PgBouncer's docs), rounded up to 64 MiB.
pub fn pgbouncer_memory_mib(max_client_conn: u64) -> u32 {
    round_up_mib(16 + max_client_conn.saturating_mul(8).div_ceil(1024))
}

/// The PgBouncer pod's resources: one core at most (PgBouncer runs one thread), 100m
/// requested (a pooler's work per query is small), memory for its clients.
pub fn pgbouncer_resources(max_client_conn: u64) -> Resources {
    let mem = pgbouncer_memory_mib(max_client_conn);
    let mem_why = cat(&["16 MiB + 8 KiB × ", &whole(max_client_conn as f64), " client connections (max_client_conn), rounded up to 64 MiB"]);
    Resources {
        cpu_request_m: ex(100, "m", DERIVED, "a pooler's work per query is small"),
        cpu_limit_m: ex(1000, "m", DERIVED, "PgBouncer runs one thread: it cannot use more than one core"),
        memory_request_mib: ex(mem, "MiB", DERIVED, cat(&[&mem_why, "; request = limit"])),
        memory_limit_mib: ex(mem, "MiB", DERIVED, mem_why),
    }
}
