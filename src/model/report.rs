//! The report of a plan: every computed value with its unit and the rule behind it,
//! as data ([`Report`], serialized to JSON by the CLI) and as a text table ([`text`]).
//!
//! Shape: a header of scalars (`plan`, `workers`, `threads`, `workers_why`,
//! `threads_why`), then one object per concern, each a struct built from the plan by
//! one function and printed by its own `lines`: `memory` today. The capacity model
//! nests in the same way as `capacity`, `latency_ms` and `tiers`, the configuration
//! rules as `db` and `postgres`; a section that does not apply to a plan (no
//! database) is an `Option` left out of the JSON when `None`. `warnings` closes it.

use serde::Serialize;

use super::choice::{Cache, Database, DbHost, Platform, Proxy, Server};
use super::memory::{self, MEMORY_TARGET};
use super::plan::{Class, Plan};
use super::query;
use super::workers::{self, Workers};

/// Everything the planner says about a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The plan as its version-1 query string (only non-default values).
    pub plan: String,
    /// App processes per node.
    pub workers: u32,
    /// Requests one process serves at once: threads (gthread), greenlets (gevent),
    /// the concurrency limit (async), 1 (sync).
    pub threads: u32,
    /// The rule behind `workers`.
    pub workers_why: String,
    /// The rule behind `threads`.
    pub threads_why: String,
    /// The app node's memory budget.
    pub memory: Memory,
    /// Problems of the plan a person should act on, most important first.
    pub warnings: Vec<Warning>,
}

/// The app node's memory, MiB: what runs beside the workers and what is left for them
/// under the 80 % target (003), from [`memory::budget`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Memory {
    pub ram_mib: f64,
    /// The share of RAM the node may use, % (003 "Memory Usage: < 80 %").
    pub target_pct: f64,
    pub os_mib: f64,
    pub database_mib: f64,
    pub cache_mib: f64,
    pub proxy_mib: f64,
    /// RAM under the target left for the app processes.
    pub for_workers_mib: f64,
    /// Resident memory of one app process (the plan's `worker_mem`).
    pub per_worker_mib: u32,
    /// What the recommended processes use: workers × per-worker memory.
    pub workers_mib: f64,
    /// The most processes `for_workers_mib` holds.
    pub max_workers: u32,
}

/// A problem of the plan: a stable code for tools and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

/// One line of the text table: a value with its unit and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: &'static str,
    pub value: String,
    pub unit: &'static str,
    pub why: String,
}

/// The report of a plan.
pub fn report(plan: &Plan) -> Report {
    let w = workers::recommend(plan);
    Report {
        plan: query::encode(plan),
        workers: w.processes,
        threads: w.per_process,
        workers_why: w.why.clone(),
        threads_why: threads_why(plan),
        memory: memory_section(plan, &w),
        warnings: Vec::new(),
    }
}

/// Why a process serves as many requests at once as it does (000, 003, 004).
fn threads_why(plan: &Plan) -> String {
    let why = match plan.server {
        Server::Sync => "a sync worker serves one request at a time (guide 000)",
        Server::Gthread if plan.threads.is_some() => "set by you",
        Server::Gevent | Server::Async if plan.concurrency.is_some() => "set by you",
        Server::Gthread => {
            return format!(
                "2–4 threads, more for I/O-heavy mixes: {} % I/O-bound (guide 003)",
                plan.mix_pct[Class::Io as usize]
            )
        }
        Server::Gevent => "worker_connections 1000 (guides 000, 003)",
        Server::Async => "concurrent requests a process admits before queueing (uvicorn --limit-concurrency)",
    };
    why.to_string()
}

/// The memory section from the node's budget and the recommended workers.
fn memory_section(plan: &Plan, w: &Workers) -> Memory {
    let b = memory::budget(plan);
    Memory {
        ram_mib: b.ram_mib,
        target_pct: MEMORY_TARGET * 100.0,
        os_mib: b.os_mib,
        database_mib: b.database_mib,
        cache_mib: b.cache_mib,
        proxy_mib: b.proxy_mib,
        for_workers_mib: b.for_workers_mib(),
        per_worker_mib: plan.worker_mem_mib,
        workers_mib: f64::from(w.processes) * f64::from(plan.worker_mem_mib),
        max_workers: w.memory_cap,
    }
}

impl Report {
    /// The report as table lines, section by section (title lines have an empty value).
    pub fn lines(&self, plan: &Plan) -> Vec<Line> {
        let mut lines = vec![
            line("Plan", self.plan.clone(), "", "only values that differ from the defaults"),
            line("Workers", self.workers.to_string(), "processes", &self.workers_why),
            line("Per process", self.threads.to_string(), slot_unit(plan.server), &self.threads_why),
        ];
        lines.extend(self.memory.lines(plan, self.workers));
        lines
    }
}

impl Memory {
    /// The memory section as table lines, for a node running `workers` processes.
    pub fn lines(&self, plan: &Plan, workers: u32) -> Vec<Line> {
        let mib = |label, x: f64, why: &str| line(label, number(x), "MiB", why);
        vec![
            line("Memory", String::new(), "", "of one app node"),
            mib("  RAM", self.ram_mib, "the node"),
            mib("  OS reserve", self.os_mib, "5 % of RAM, 256 MiB to 4 GiB"),
            mib("  Database", self.database_mib, database_why(plan)),
            mib("  Cache", self.cache_mib, cache_why(plan)),
            mib("  Proxy", self.proxy_mib, proxy_why(plan)),
            mib("  For workers", self.for_workers_mib, &for_workers_why(self.target_pct)),
            mib("  Used by workers", self.workers_mib, &format!("{workers} processes × {} MiB", self.per_worker_mib)),
            line("  Most workers", self.max_workers.to_string(), "processes", "what the memory for workers holds"),
        ]
    }
}

/// Why the database takes what it takes on the app node.
fn database_why(plan: &Plan) -> &'static str {
    match (plan.db, plan.db_host) {
        (Database::None, _) => "no database",
        (Database::Postgres, DbHost::Own) => "PostgreSQL on its own host",
        (Database::Postgres, DbHost::App) => "PostgreSQL shared_buffers, 25 % of RAM (guides 000, 002)",
    }
}

/// Why the cache takes what it takes on the app node.
fn cache_why(plan: &Plan) -> &'static str {
    match (plan.cache, plan.platform) {
        (Cache::None, _) => "no cache",
        (Cache::Redis, Platform::Hosts) => "Redis maxmemory, beside the app",
        (Cache::Redis, Platform::K8s) => "Redis runs in its own pod (guide 002)",
    }
}

/// Why the proxy takes what it takes on the app node.
fn proxy_why(plan: &Plan) -> &'static str {
    match plan.proxy {
        Proxy::Nginx => "nginx workers and its cache and rate-limit zones",
        Proxy::None => "no proxy",
    }
}

/// How the memory for workers follows from the target.
fn for_workers_why(target_pct: f64) -> String {
    format!("{} % of RAM less the above (guide 003)", number(target_pct))
}

/// What one slot of a process is called for the server.
fn slot_unit(server: Server) -> &'static str {
    match server {
        Server::Sync => "request",
        Server::Gthread => "threads",
        Server::Gevent => "greenlets",
        Server::Async => "requests",
    }
}

fn line(label: &'static str, value: String, unit: &'static str, why: &str) -> Line {
    Line { label, value, unit, why: why.to_string() }
}

/// A number as a person reads it: whole when it is, else one decimal.
fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// The report as a readable table: one value per line with its unit and why, then
/// the warnings.
pub fn text(report: &Report, plan: &Plan) -> String {
    let mut out = String::new();
    for l in report.lines(plan) {
        let row = format!("{:<20} {:>10} {:<10} {}", l.label, l.value, l.unit, l.why);
        out.push_str(row.trim_end());
        out.push('\n');
    }
    for w in &report.warnings {
        out.push_str(&format!("warning [{}]: {}\n", w.code, w.message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_report_carries_the_worker_rule_and_the_plan_text() {
        let r = report(&Plan::default());
        assert_eq!((r.plan.as_str(), r.workers, r.threads), ("v=1", 8, 100));
        assert!(r.workers_why.contains("WORKERS_PER_CORE"));
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn memory_figures_are_the_budget_of_the_node() {
        let plan = Plan::default();
        let m = report(&plan).memory;
        assert_eq!(m.for_workers_mib, memory::available_for_workers_mib(&plan));
        assert_eq!(m.workers_mib, 8.0 * 150.0);
        assert_eq!(m.target_pct, 80.0);
    }

    #[test]
    fn the_json_nests_memory_and_names_every_header_value() {
        let json = serde_json::to_value(report(&Plan::default())).unwrap_or_default();
        for key in ["plan", "workers", "threads", "workers_why", "threads_why", "memory", "warnings"] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert!(json["memory"]["for_workers_mib"].is_number());
    }

    #[test]
    fn the_text_has_one_line_per_value_with_its_unit() {
        let plan = Plan::default();
        let t = text(&report(&plan), &plan);
        assert!(t.lines().any(|l| l.starts_with("Workers") && l.contains("8 processes")), "{t}");
        assert!(t.lines().any(|l| l.contains("For workers") && l.contains("MiB")), "{t}");
    }

    #[test]
    fn a_threads_override_is_said_to_be_yours() {
        let plan = Plan { server: Server::Gthread, threads: Some(8), ..Plan::default() };
        assert_eq!(report(&plan).threads_why, "set by you");
    }
}
