//! postgresql.conf for the database host, as PGTune writes it for a "web" database
//! (formulas in [`super::pgtune`]), on the host's RAM, cores and storage. When the
//! database runs on the app node it is tuned on the node's RAM and cores, the same
//! 25 % that `memory::colocated_database_mib` reserves for it.

use super::explained::{ex, Explained, DOCS, G000, PGTUNE};
use super::pgtune::{self as pg, format_kb};
use super::pool::{MAX_CONNECTIONS, SUPERUSER_RESERVED_CONNECTIONS};
use crate::model::choice::{DbHost, Platform, Storage};
use crate::model::plan::Plan;
use serde::Serialize;

/// The PostgreSQL major version tuned for (PGTune's default).
pub const PG_VERSION: u32 = 18;

/// postgresql.conf values. Sizes in kB, printed with [`Postgres::settings`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Postgres {
    /// The host the values are tuned for ("own host" or "app node"), its RAM/cores/storage in `why`.
    pub host: Explained<&'static str>,
    pub max_connections: Explained<u32>,
    pub superuser_reserved_connections: Explained<u32>,
    pub shared_buffers_kb: Explained<u64>,
    pub effective_cache_size_kb: Explained<u64>,
    pub maintenance_work_mem_kb: Explained<u64>,
    pub checkpoint_completion_target: Explained<f64>,
    pub wal_buffers_kb: Explained<u64>,
    pub default_statistics_target: Explained<u32>,
    pub random_page_cost: Explained<f64>,
    pub effective_io_concurrency: Explained<u32>,
    pub work_mem_kb: Explained<u64>,
    pub huge_pages: Explained<&'static str>,
    pub jit: Explained<&'static str>,
    pub wal_compression: Explained<&'static str>,
    pub autovacuum_max_workers: Option<Explained<u32>>,
    pub autovacuum_work_mem_kb: Option<Explained<u64>>,
    pub io_method: Explained<&'static str>,
    pub io_workers: Option<Explained<u32>>,
    pub min_wal_size_kb: Explained<u64>,
    pub max_wal_size_kb: Explained<u64>,
    /// None below 4 cores (PostgreSQL's defaults stay).
    pub parallel: Option<Parallel>,
}

/// The parallel-worker settings, each explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parallel {
    pub max_worker_processes: Explained<u32>,
    pub max_parallel_workers_per_gather: Explained<u32>,
    pub max_parallel_workers: Explained<u32>,
    pub max_parallel_maintenance_workers: Explained<u32>,
}

/// The database host's RAM (GiB), cores and storage: its own, or the app node's.
pub fn db_node(plan: &Plan) -> (f64, u32, Storage) {
    match plan.db_host {
        DbHost::Own => (plan.db_ram_gib, plan.db_cores, plan.db_storage),
        DbHost::App => (plan.ram_gib, plan.cores, plan.storage),
    }
}

/// io_method (PG 18): io_uring on Linux hosts (PGTune); `worker`, PostgreSQL's default, on
/// Kubernetes, whose RuntimeDefault seccomp profile refuses io_uring system calls.
pub fn io_method(platform: Platform) -> &'static str {
    match platform {
        Platform::Hosts => "io_uring",
        Platform::K8s => "worker",
    }
}

/// PostgreSQL's settings for the plan; None without a database.
pub fn postgres(plan: &Plan) -> Option<Postgres> {
    if !plan.has_db() {
        return None;
    }
    let (ram_gib, cores, storage) = db_node(plan);
    let total = pg::total_memory_kb(ram_gib);
    let sb = pg::shared_buffers_kb(total);
    let mwm = pg::maintenance_work_mem_kb(total);
    let par = pg::parallel(cores);
    let workers_for_work_mem = par.map_or(pg::DEFAULT_MAX_WORKER_PROCESSES, |p| p.max_worker_processes);
    let work_mem = pg::work_mem_kb(total, sb, MAX_CONNECTIONS, workers_for_work_mem);
    let (min_wal, max_wal) = pg::wal_size_kb();
    let ram = format_kb(total);
    let kb = |v: u64, why: String| ex(v, "kB", PGTUNE, format!("{} — {why}", format_kb(v)));
    let host = match plan.db_host {
        DbHost::Own => "own host",
        DbHost::App => "app node",
    };
    Some(Postgres {
        host: ex(host, "", PGTUNE, format!("tuned for {ram_gib} GiB, {cores} cores, {} (PGTune: web, Linux, PostgreSQL {PG_VERSION})", storage.label())),
        max_connections: ex(MAX_CONNECTIONS, "connections", G000, "200 (000, 002, and PGTune's default for web); larger fleets go through PgBouncer"),
        superuser_reserved_connections: ex(SUPERUSER_RESERVED_CONNECTIONS, "connections", DOCS, "PostgreSQL's default 3, kept free for the DBA"),
        shared_buffers_kb: kb(sb, format!("25 % of {ram}")),
        effective_cache_size_kb: kb(pg::effective_cache_size_kb(total), format!("75 % of {ram}: shared_buffers plus the OS cache (a planner hint)")),
        maintenance_work_mem_kb: kb(mwm, format!("{ram} / 16, at most 8 GB")),
        checkpoint_completion_target: ex(pg::checkpoint_completion_target(), "", PGTUNE, "spread checkpoint writes over 90 % of the interval"),
        wal_buffers_kb: kb(pg::wal_buffers_kb(sb), "3 % of shared_buffers, 32 kB – 16 MB, rounded up to 16 MB above 14 MB".to_string()),
        default_statistics_target: ex(pg::default_statistics_target(), "", PGTUNE, "100 for web (000, 002, 003 agree)"),
        random_page_cost: ex(pg::random_page_cost(storage), "", PGTUNE, format!("{}: 4 on HDD, 1.1 on SSD/NVMe (003 agrees)", storage.label())),
        effective_io_concurrency: ex(pg::effective_io_concurrency(storage), "", PGTUNE, format!("{}: HDD 2, SSD 200, NVMe 1000", storage.label())),
        work_mem_kb: kb(work_mem, format!("({ram} − shared_buffers) / ((max_connections {MAX_CONNECTIONS} + {workers_for_work_mem} worker processes) × 3), at least 4 MB")),
        huge_pages: ex(pg::huge_pages(sb), "", PGTUNE, "try from 2 GB of shared_buffers"),
        jit: ex(pg::jit(), "", PGTUNE, "JIT compiling short web queries costs more CPU than it saves"),
        wal_compression: ex(pg::wal_compression(), "", PGTUNE, "lz4 (PG ≥ 15): less WAL for little CPU"),
        autovacuum_max_workers: pg::autovacuum_max_workers(cores).map(|v| ex(v, "workers", PGTUNE, format!("{cores} cores: 4 from 16, 5 from 32"))),
        autovacuum_work_mem_kb: pg::autovacuum_work_mem_kb(mwm).map(|v| kb(v, "capped at 2 GB so several autovacuum workers cannot take 8 GB each".to_string())),
        io_method: ex(io_method(plan.platform), "", PGTUNE, "PG 18 asynchronous I/O: io_uring on Linux hosts (PGTune), worker on Kubernetes, whose default seccomp profile blocks io_uring"),
        io_workers: pg::io_workers(cores).map(|v| ex(v, "workers", PGTUNE, format!("{cores} cores / 4, 3–32"))),
        min_wal_size_kb: kb(min_wal, "1 GB for web".to_string()),
        max_wal_size_kb: kb(max_wal, "4 GB for web".to_string()),
        parallel: par.map(|p| {
            let why = |s: &str| format!("{cores} cores: {s} (PGTune, from 4 cores)");
            Parallel {
                max_worker_processes: ex(p.max_worker_processes, "processes", PGTUNE, why("one per core")),
                max_parallel_workers_per_gather: ex(p.max_parallel_workers_per_gather, "workers", PGTUNE, why("⌈cores / 2⌉, at most 4")),
                max_parallel_workers: ex(p.max_parallel_workers, "workers", PGTUNE, why("one per core")),
                max_parallel_maintenance_workers: ex(p.max_parallel_maintenance_workers, "workers", PGTUNE, why("⌈cores / 2⌉, at most 4")),
            }
        }),
    })
}

impl Postgres {
    /// The postgresql.conf lines in PGTune's order and spelling (`name`, `value`).
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("max_connections", self.max_connections.value.to_string()),
            ("superuser_reserved_connections", self.superuser_reserved_connections.value.to_string()),
            ("shared_buffers", format_kb(self.shared_buffers_kb.value)),
            ("effective_cache_size", format_kb(self.effective_cache_size_kb.value)),
            ("maintenance_work_mem", format_kb(self.maintenance_work_mem_kb.value)),
            ("checkpoint_completion_target", self.checkpoint_completion_target.value.to_string()),
            ("wal_buffers", format_kb(self.wal_buffers_kb.value)),
            ("default_statistics_target", self.default_statistics_target.value.to_string()),
            ("random_page_cost", self.random_page_cost.value.to_string()),
            ("effective_io_concurrency", self.effective_io_concurrency.value.to_string()),
            ("work_mem", format_kb(self.work_mem_kb.value)),
            ("huge_pages", self.huge_pages.value.to_string()),
            ("jit", self.jit.value.to_string()),
            ("wal_compression", self.wal_compression.value.to_string()),
        ];
        if let Some(v) = &self.autovacuum_max_workers {
            out.push(("autovacuum_max_workers", v.value.to_string()));
        }
        if let Some(v) = &self.autovacuum_work_mem_kb {
            out.push(("autovacuum_work_mem", format_kb(v.value)));
        }
        out.push(("io_method", self.io_method.value.to_string()));
        if let Some(v) = &self.io_workers {
            out.push(("io_workers", v.value.to_string()));
        }
        out.push(("min_wal_size", format_kb(self.min_wal_size_kb.value)));
        out.push(("max_wal_size", format_kb(self.max_wal_size_kb.value)));
        if let Some(p) = &self.parallel {
            out.push(("max_worker_processes", p.max_worker_processes.value.to_string()));
            out.push(("max_parallel_workers_per_gather", p.max_parallel_workers_per_gather.value.to_string()));
            out.push(("max_parallel_workers", p.max_parallel_workers.value.to_string()));
            out.push(("max_parallel_maintenance_workers", p.max_parallel_maintenance_workers.value.to_string()));
        }
        out
    }
}
