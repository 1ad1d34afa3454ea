//! The report of a plan: every computed value with its unit and the rule behind it,
//! as data ([`Report`], serialized to JSON by the CLI) and as a text table ([`text`]).
//!
//! Shape: a header of scalars (`plan`, `workers`, `threads`, `workers_why`,
//! `threads_why`), then one object per concern, each a struct built from the plan by
//! one function and printed by its own `lines`: `memory`, the capacity model's
//! `capacity`, `latency_ms`, `tiers` and `verdict`, the configuration rules' `db` and
//! `postgres` (the headline values) and `settings` (every value with unit, why and
//! source). A section that does not apply to a plan (no database) is an `Option` left
//! out of the JSON when `None`. `warnings` closes it.

use serde::Serialize;

use super::capacity::{Bottleneck, Evaluation, TierRow};
use super::choice::{Cache, Database, DbHost, Platform, Proxy, Server};
use super::details;
use super::figure::{count, grouped, noun, replica_noun, whole};
use super::memory::{self, MEMORY_TARGET};
use super::outcome::{outcome, Outcome};
use super::rules::{self, Recommendation};
use super::plan::{Class, Plan};
use super::query;
use super::sources::guide;
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
    /// Throughput of the fleet (PLANNER.md §3).
    pub capacity: CapacityReport,
    /// Response times at the target rate, or at `capacity.rps` without one.
    pub latency_ms: LatencyReport,
    /// The plan on each benchmark node of 004.
    pub tiers: Vec<TierReport>,
    /// How the plan meets its target.
    pub verdict: VerdictReport,
    /// The connection pools and budget; absent without a database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db: Option<Db>,
    /// PostgreSQL's headline memory settings; absent without a database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postgres: Option<PostgresReport>,
    /// What the app's nodes cost a month at the plan's prices ([`super::cost`]).
    pub cost: CostReport,
    /// A Kubernetes plan's nodes: allocatable resources and app pods per node; absent on
    /// plain hosts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<KubernetesReport>,
    /// Every recommended setting with its unit, why and source.
    pub settings: Recommendation,
    /// Problems of the plan a person should act on, most important first.
    pub warnings: Vec<Warning>,
}

/// The app's nodes a month: USD (to the cent), the nodes billed (a pod plan's
/// ⌈pods / pods per node⌉) and the sum, as the page's summary says it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostReport {
    pub monthly_usd: f64,
    pub nodes: u32,
    pub why: String,
}

/// What a node like the plan's leaves to pods, and how many of the app's pods it holds:
/// with the pod's limits set, by those limits (the layout its cost is billed by,
/// [`super::pod::per_node`]); else by the pod's requests (`settings.kubernetes` has each
/// value's why).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KubernetesReport {
    pub pods_per_node: u32,
    /// Cores.
    pub allocatable_cpu: f64,
    pub allocatable_mem_gib: f64,
    /// With the pod's CPU limit set: fewer large pods against more small ones for the
    /// same CPU ([`super::pod_options`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_options: Option<super::pod_options::PodOptions>,
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

/// Throughput of the fleet, r/s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityReport {
    /// Rate at which the busiest resource reaches 70 %.
    pub rps: f64,
    /// Throughput with every worker slot busy (MVA).
    pub max_rps: f64,
    /// The resource that reaches 70 % first: cpu, workers, db_connections or db_cpu.
    pub bottleneck: &'static str,
    pub replicas: u32,
    pub node_rps: f64,
    pub node_max_rps: f64,
    /// Node rates at which each resource reaches 70 %.
    pub cpu_limit_rps: f64,
    pub workers_limit_rps: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_limit_rps: Option<f64>,
    /// Node rate at which the database host's CPU reaches 70 % (the fleet's ÷ replicas).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_cpu_limit_rps: Option<f64>,
    /// Server connections the whole fleet shares (PgBouncer's pool or max_connections − reserved).
    pub db_server_connections: u64,
    /// Database CPU per database-using request on its own host, ms (0 on the app node).
    pub db_cpu_ms: f64,
    /// Worker slots of a node (processes × per-process concurrency).
    pub slots: u64,
    /// Cores the processes use at once.
    pub cpu_servers: u64,
    /// Database connections a node's pools open.
    pub db_connections: u64,
    /// CPU per request on the node: the app's, its server's, the driver's and that of the
    /// programs beside it (nginx, Redis, a database on the node), ms.
    pub cpu_demand_ms: f64,
    /// Off-CPU wait per request, ms.
    pub wait_ms: f64,
}

/// Response times, ms, and the load, at one fleet rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyReport {
    pub rate_rps: f64,
    /// The rate is at or above what the fleet serves: the queue grows without limit, and
    /// the response times (`mean`, `p50`, `p95`, `p99`) are null.
    pub over_capacity: bool,
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    /// The mean's parts: CPU (with its queueing), off-CPU wait, database, wait for a slot.
    pub cpu: f64,
    pub off_cpu: f64,
    pub database: f64,
    pub slot_wait: f64,
    /// Utilisation at that rate, 0–1.
    pub cpu_utilisation: f64,
    /// The busier of a node's pool and the fleet's server connections.
    pub db_utilisation: f64,
    /// The database host's CPU.
    pub db_cpu_utilisation: f64,
    pub slot_utilisation: f64,
    /// Servers that refuse what their slots do not hold (async, gevent): the share
    /// refused at this rate, %. Absent for servers whose requests wait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected_pct: Option<f64>,
    /// Requests in flight across the fleet (Little's law).
    pub users: f64,
    /// Each request class, in the plan's order (null times over capacity).
    pub classes: Vec<ClassReport>,
}

/// One request class's response times, ms, at the report's rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassReport {
    pub name: String,
    pub share_pct: f64,
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    /// The class's p95 objective, ms.
    pub p95_objective: f64,
}

/// One benchmark tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierReport {
    pub name: &'static str,
    pub cores: u32,
    pub processes: u32,
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub users: f64,
    pub bottleneck: &'static str,
}

/// The verdict against the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictReport {
    /// broken, no-target, headroom, at-risk or over-capacity.
    pub fit: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas_needed: Option<u32>,
    /// With `spare` nodes: whether the others carry the target at its peak.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub survives_spare: Option<bool>,
    pub message: String,
    /// When the target is missed: changes that meet it, each verified by the model,
    /// nearest first (empty otherwise).
    pub suggestions: Vec<SuggestionReport>,
}

/// One change that meets the target: `plan`, the fields it sets as a share link writes
/// them (`workers=24&server=gthread`), and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestionReport {
    pub plan: String,
    pub why: String,
}

/// The database connections: pools per process and the fleet's budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Db {
    pub pool_size: u32,
    pub max_overflow: u32,
    pub per_node_connections: u64,
    pub fleet_connections: u64,
    pub max_connections: u32,
    /// max_connections less the superuser reserve.
    pub server_limit_connections: u32,
    pub pgbouncer_required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pgbouncer_pool_size: Option<u32>,
}

/// PostgreSQL's memory settings (PGTune's rules on the database host).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostgresReport {
    pub shared_buffers_mib: f64,
    pub effective_cache_size_mib: f64,
    pub maintenance_work_mem_mib: f64,
    pub work_mem_kib: u64,
    pub wal_buffers_kib: u64,
    pub max_connections: u32,
    pub random_page_cost: f64,
    pub effective_io_concurrency: u32,
}

/// A problem of the plan: a stable code for tools and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: &'static str,
    /// "error" (the configuration fails: the verdict is "broken"), "caution" or "info".
    pub severity: &'static str,
    pub message: String,
}

/// One line of the text table: a value with its unit and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: std::borrow::Cow<'static, str>,
    pub value: String,
    pub unit: &'static str,
    pub why: String,
}

/// The report of a plan.
pub fn report(plan: &Plan) -> Report {
    let w = workers::recommend(plan);
    let Outcome { eval, tiers, verdict, mut warnings, rules: checked, .. } = outcome(plan);
    let rules = rules::recommend_beside(plan, &checked);
    // A pod no node holds is refused with the Kubernetes objects, off the page's checks.
    let refused: Vec<_> = rules.warnings.iter().filter(|w| w.kind == rules::checks::WarningKind::PodOverAllocatable).cloned().collect();
    let verdict = super::outcome::broken(&refused).unwrap_or(verdict);
    warnings.splice(0..0, refused);
    Report {
        plan: query::encode(plan),
        workers: w.processes,
        threads: w.per_process,
        workers_why: crate::model::workers::why(plan, &w),
        threads_why: threads_why(plan),
        memory: memory_section(plan, &w),
        capacity: capacity_section(&eval),
        latency_ms: latency_section(plan, &eval),
        tiers: tiers.iter().map(tier_section).collect(),
        verdict: VerdictReport {
            fit: verdict.fit.key(),
            replicas_needed: verdict.replicas_needed,
            survives_spare: verdict.survives_spare,
            message: verdict.message,
            suggestions: super::suggest::suggestions(plan, &eval, verdict.replicas_needed)
                .into_iter()
                .map(|s| SuggestionReport { plan: s.plan, why: s.why })
                .collect(),
        },
        db: db_section(&rules),
        postgres: postgres_section(&rules),
        warnings: warnings.iter().map(|w| Warning { code: w.code, severity: w.severity.key(), message: w.message.clone() }).collect(),
        cost: CostReport { monthly_usd: (super::cost::monthly_usd(plan) * 100.0).round() / 100.0, nodes: super::cost::nodes(plan), why: super::cost::value(plan).why },
        kubernetes: rules.kubernetes.as_ref().map(|k| KubernetesReport {
            pods_per_node: super::pod::per_node(plan).unwrap_or(k.pods_per_node_by_requests.value),
            allocatable_cpu: f64::from(k.allocatable_cpu_m.value) / 1000.0,
            allocatable_mem_gib: f64::from(k.allocatable_mem_mib.value) / 1024.0,
            pod_options: super::pod_options::pod_options(plan),
        }),
        settings: Recommendation { warnings: vec![], ..rules },
    }
}

fn bottleneck_key(b: Bottleneck) -> &'static str {
    b.key()
}

fn capacity_section(e: &Evaluation) -> CapacityReport {
    let (c, n) = (&e.capacity, &e.node);
    CapacityReport {
        rps: c.rps,
        max_rps: c.max_rps,
        bottleneck: bottleneck_key(c.bottleneck),
        replicas: c.replicas,
        node_rps: c.node_rps,
        node_max_rps: c.node_max_rps,
        cpu_limit_rps: c.cpu_limit_rps,
        workers_limit_rps: c.slots_limit_rps,
        database_limit_rps: c.db_limit_rps,
        db_cpu_limit_rps: c.db_cpu_limit_rps,
        db_server_connections: n.db_servers,
        db_cpu_ms: n.db_cpu_ms,
        slots: n.slots,
        cpu_servers: n.cpu_servers,
        db_connections: if n.db_share > 0.0 { n.db_connections } else { 0 },
        cpu_demand_ms: n.cpu_ms,
        wait_ms: n.wait_ms,
    }
}

fn latency_section(plan: &Plan, e: &Evaluation) -> LatencyReport {
    let l = &e.latency;
    // Over capacity no time holds: the wait grows for as long as the rate lasts.
    let time = |ms: f64| (!l.over_capacity).then_some(ms);
    LatencyReport {
        rate_rps: l.rate_rps,
        over_capacity: l.over_capacity,
        mean: time(l.mean_ms),
        p50: time(l.p50_ms),
        p95: time(l.p95_ms),
        p99: time(l.p99_ms),
        cpu: l.cpu_ms,
        off_cpu: l.off_cpu_ms,
        database: l.db_ms,
        slot_wait: l.slot_wait_ms,
        cpu_utilisation: l.cpu_utilisation,
        db_utilisation: l.db_utilisation,
        db_cpu_utilisation: l.db_cpu_utilisation,
        slot_utilisation: l.slot_utilisation,
        rejected_pct: l.rejected_pct,
        users: l.users,
        classes: plan
            .classes()
            .into_iter()
            .zip(&l.classes)
            .map(|(c, cl)| ClassReport {
                name: c.name,
                share_pct: 100.0 * c.share,
                mean: time(cl.mean_ms),
                p50: time(cl.p50_ms),
                p95: time(cl.p95_ms),
                p99: time(cl.p99_ms),
                p95_objective: c.p95_objective_ms,
            })
            .collect(),
    }
}

fn tier_section(t: &TierRow) -> TierReport {
    TierReport {
        name: t.name,
        cores: t.cores,
        processes: t.processes,
        rps: t.rps,
        p50_ms: t.p50_ms,
        p95_ms: t.p95_ms,
        p99_ms: t.p99_ms,
        users: t.users,
        bottleneck: bottleneck_key(t.bottleneck),
    }
}

fn db_section(r: &Recommendation) -> Option<Db> {
    let p = r.db_pool.as_ref()?;
    Some(Db {
        pool_size: p.pool_size.value,
        max_overflow: p.max_overflow.value,
        per_node_connections: p.per_node_connections.value,
        fleet_connections: p.fleet_connections.value,
        max_connections: r.postgres.as_ref().map_or(rules::pool::MAX_CONNECTIONS, |pg| pg.max_connections.value),
        server_limit_connections: p.server_limit_connections.value,
        pgbouncer_required: p.pgbouncer_required.value,
        pgbouncer_pool_size: r.pgbouncer.as_ref().map(|b| b.default_pool_size.value),
    })
}

fn postgres_section(r: &Recommendation) -> Option<PostgresReport> {
    let p = r.postgres.as_ref()?;
    let mib = |kb: u64| kb as f64 / 1024.0;
    Some(PostgresReport {
        shared_buffers_mib: mib(p.shared_buffers_kb.value),
        effective_cache_size_mib: mib(p.effective_cache_size_kb.value),
        maintenance_work_mem_mib: mib(p.maintenance_work_mem_kb.value),
        work_mem_kib: p.work_mem_kb.value,
        wal_buffers_kib: p.wal_buffers_kb.value,
        max_connections: p.max_connections.value,
        random_page_cost: p.random_page_cost.value,
        effective_io_concurrency: p.effective_io_concurrency.value,
    })
}

/// Why a process serves as many requests at once as it does (000, 003, 004).
fn threads_why(plan: &Plan) -> String {
    let why = match plan.server {
        Server::Sync => concat!("a sync worker serves one request at a time (", guide!(000), ")"),
        Server::Gthread if plan.threads.is_some() => "set by you",
        Server::Gevent | Server::Async if plan.concurrency.is_some() => "set by you",
        Server::Gthread => {
            return format!(
                concat!("2–4 threads, more for I/O-heavy mixes: {} % I/O-bound (", guide!(003), ")"),
                plan.kind_pct()[Class::Io as usize]
            )
        }
        Server::Gevent => concat!("1,000 greenlets, gunicorn's worker_connections (", guide!(000, 003), ")"),
        Server::Async => "concurrent requests a process admits before queueing (uvicorn --limit-concurrency)",
    };
    why.to_string()
}

/// The memory section from the node's budget and the recommended workers.
fn memory_section(plan: &Plan, w: &Workers) -> Memory {
    let b = memory::unit_budget(plan);
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
            line("Workers", whole(f64::from(self.workers)), noun(self.workers, "process", "processes"), &self.workers_why),
            line("Per process", whole(f64::from(self.threads)), slot_unit(plan.server, self.threads), &self.threads_why),
        ];
        lines.extend(self.memory.lines(plan, self.workers));
        lines.extend(self.performance_lines());
        lines.push(line("Cost", format!("${}", grouped(self.cost.monthly_usd, 2)), "a month", &self.cost.why));
        lines
    }

    /// Capacity, latency and the verdict as table lines.
    fn performance_lines(&self) -> Vec<Line> {
        let (c, l) = (&self.capacity, &self.latency_ms);
        let rps = |label, x: f64, why: &str| line(label, whole(x), "r/s", why);
        let ms = |label, x: Option<f64>, why: &str| match x {
            Some(x) => line(label, grouped(x, 1), "ms", why),
            None => line(label, "unbounded".to_string(), "", "over capacity: the queue grows without limit"),
        };
        let mut lines = vec![
            line("Capacity", String::new(), "", "of the fleet (PLANNER.md §3)"),
            rps("  At 70 %", c.rps, &format!(concat!("the busiest resource, {}, at 70 % (", guide!(003), ")"), c.bottleneck)),
            rps("  Saturated", c.max_rps, &format!("every one of {} busy (MVA)", count(c.slots as f64, "slot", "slots"))),
            line("  Bottleneck", c.bottleneck.to_string(), "", "reaches 70 % first"),
            line("Latency", String::new(), "", &format!("at {} r/s{}", whole(l.rate_rps), if l.over_capacity { ", over capacity" } else { "" })),
            ms("  p50", l.p50, "from the response-time distribution"),
            ms("  p95", l.p95, "the classes' mixture: each class's work with its variability, plus the waits it meets"),
            ms("  p99", l.p99, ""),
            match l.p50 {
                Some(_) => line("  In flight", whole(l.users), noun(l.users.round(), "request", "requests"), "Little's law: rate × mean response time"),
                None => line("  In flight", "unbounded".to_string(), "", "over capacity: the queue grows without limit"),
            },
        ];
        if l.classes.len() > 1 {
            for c in &l.classes {
                let value = match (c.p50, c.p95, c.p99) {
                    (Some(a), Some(b), Some(d)) => format!("{} / {} / {}", grouped(a, 1), grouped(b, 1), grouped(d, 1)),
                    _ => "unbounded".to_string(),
                };
                let why = format!("p50 / p95 / p99 of its {} % of the requests; objective p95 {} ms", grouped(c.share_pct, 1), grouped(c.p95_objective, 1));
                lines.push(line(format!("  {}", c.name), value, if c.p50.is_some() { "ms" } else { "" }, &why));
            }
        }
        lines.push(line("Verdict", self.verdict.fit.to_string(), "", &self.verdict.message));
        for s in &self.verdict.suggestions {
            lines.push(line("  Would meet it", s.plan.clone(), "", &s.why));
        }
        lines.push(line("Tiers", String::new(), "", concat!("the plan on the ", guide!(004), "'s benchmark nodes, at 70 %")));
        for t in &self.tiers {
            let value = whole(t.rps);
            let label = match t.name {
                "small" => "  Small",
                "medium" => "  Medium",
                _ => "  Large",
            };
            lines.push(line(label, value, "r/s", &format!(
                "{} ({}, {}): p50 {} ms, p95 {} ms, {} in flight, {} first",
                t.name,
                count(t.cores, "core", "cores"),
                count(t.processes, "process", "processes"),
                grouped(t.p50_ms, 1),
                grouped(t.p95_ms, 1),
                whole(t.users),
                t.bottleneck
            )));
        }
        lines
    }
}

impl Memory {
    /// Everything the node holds with its recommended processes, MiB.
    pub fn in_use_mib(&self) -> f64 {
        self.os_mib + self.database_mib + self.cache_mib + self.proxy_mib + self.workers_mib
    }

    /// The memory section as table lines, for a node running `workers` processes.
    pub fn lines(&self, plan: &Plan, workers: u32) -> Vec<Line> {
        let mib = |label, x: f64, why: &str| line(label, grouped(x, 1), "MiB", why);
        let node = replica_noun(plan).0;
        let pod_mem = super::pod::mem_limit_mib(plan).is_some();
        vec![
            line("Memory", String::new(), "", &format!("of one app {node}")),
            mib("  RAM", self.ram_mib, &if pod_mem { "the pod's memory limit (pod_mem)".to_string() } else { format!("the {node}") }),
            mib("  OS reserve", self.os_mib, if pod_mem { "the node's, outside the pod's limit (as are nginx's sidecar and Redis)" } else { "5 % of RAM, 256 MiB to 4 GiB" }),
            mib("  Database", self.database_mib, database_why(plan)),
            mib("  Cache", self.cache_mib, cache_why(plan)),
            mib("  Proxy", self.proxy_mib, if pod_mem && plan.has_proxy() { "nginx's sidecar: its own limit, outside the app's" } else { proxy_why(plan) }),
            mib("  For workers", self.for_workers_mib, &for_workers_why(self.target_pct)),
            mib("  Used by workers", self.workers_mib, &format!("{} × {} MiB", count(workers, "process", "processes"), whole(f64::from(self.per_worker_mib)))),
            line("  Most workers", whole(f64::from(self.max_workers)), noun(self.max_workers, "process", "processes"), "what the memory for workers holds"),
        ]
    }
}

/// Why the database takes what it takes on the app node.
fn database_why(plan: &Plan) -> &'static str {
    match (plan.db, plan.db_host) {
        (Database::None, _) => "no database",
        (Database::Postgres, DbHost::Own) => "PostgreSQL on its own host",
        (Database::Postgres, DbHost::App) => concat!("PostgreSQL shared_buffers, 25 % of RAM (", guide!(000, 002), ")"),
    }
}

/// Why the cache takes what it takes on the app node.
fn cache_why(plan: &Plan) -> &'static str {
    match (plan.cache, plan.platform) {
        (Cache::None, _) => "no cache",
        (Cache::Redis, Platform::Hosts) => "Redis maxmemory, beside the app",
        (Cache::Redis, Platform::K8s) => concat!("Redis runs in its own pod (", guide!(002), ")"),
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
    format!(concat!("{} % of RAM less the above (", guide!(003), ")"), grouped(target_pct, 1))
}

/// What one slot of a process is called for the server, for `n` of them.
fn slot_unit(server: Server, n: u32) -> &'static str {
    match server {
        Server::Sync => "request",
        Server::Gthread => noun(n, "thread", "threads"),
        Server::Gevent => noun(n, "greenlet", "greenlets"),
        Server::Async => noun(n, "request", "requests"),
    }
}

fn line(label: impl Into<std::borrow::Cow<'static, str>>, value: String, unit: &'static str, why: &str) -> Line {
    Line { label: label.into(), value, unit, why: why.to_string() }
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
    for section in details::sections(&report.settings) {
        out.push_str(&format!("\n{}\n", section.title));
        for l in section.lines {
            let why = if l.why.ends_with(&format!("({})", l.source)) { l.why } else { format!("{} ({})", l.why, l.source) };
            let row = format!("  {:<34} {:>10} {:<12} {why}", l.name, l.value, l.unit);
            out.push_str(row.trim_end());
            out.push('\n');
        }
    }
    if let Some(o) = report.kubernetes.as_ref().and_then(|k| k.pod_options.as_ref()) {
        out.push_str(&super::pod_options::text(o));
    }
    if !report.warnings.is_empty() {
        out.push('\n');
    }
    for w in &report.warnings {
        out.push_str(&format!("{} [{}]: {}\n", w.severity, w.code, w.message));
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
        // Only the note that nginx's host names are a placeholder.
        assert_eq!(r.warnings.iter().map(|w| w.code).collect::<Vec<_>>(), ["server-name-not-set"]);
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
    fn the_json_has_every_key_the_cli_promises() {
        let json = serde_json::to_value(report(&Plan::default())).unwrap_or_default();
        for path in [
            "/db/pool_size", "/db/max_overflow", "/db/fleet_connections", "/db/max_connections",
            "/postgres/shared_buffers_mib", "/postgres/effective_cache_size_mib",
            "/postgres/maintenance_work_mem_mib", "/postgres/work_mem_kib", "/postgres/wal_buffers_kib",
            "/capacity/rps", "/capacity/max_rps", "/latency_ms/p50", "/latency_ms/p95", "/latency_ms/p99",
            "/tiers/0/rps", "/tiers/2/users", "/verdict/fit", "/settings/gunicorn/timeout_s/why",
        ] {
            assert!(json.pointer(path).is_some_and(|v| !v.is_null()), "{path} in {json}");
        }
        assert_eq!(json["capacity"]["bottleneck"], "cpu");
        assert_eq!(json["tiers"][1]["name"], "medium");
        assert_eq!(json["warnings"][0]["code"], "server-name-not-set");
    }

    #[test]
    fn a_kubernetes_plan_reports_its_nodes_allocatable_resources_and_pods_per_node() {
        let plan = crate::model::query::decode_strict("platform=k8s&cores=16&ram=64&server=sync").unwrap_or_default();
        let json = serde_json::to_value(report(&plan)).unwrap_or_default();
        // 16 cores less GKE's 110 m and 200 m of DaemonSets; 64 GiB less GKE's 5.48 GiB,
        // 100 MiB for eviction and 256 MiB of DaemonSets.
        assert_eq!(json["kubernetes"]["allocatable_cpu"], 15.69);
        let mem = json["kubernetes"]["allocatable_mem_gib"].as_f64().unwrap_or_default();
        assert!((mem - (65536.0 - 5.48 * 1024.0 - 100.0 - 256.0) / 1024.0).abs() < 1.0 / 1024.0, "{mem}");
        // The pod asks the node's 16 cores' 70 % (and nginx's): one fits by its requests.
        assert_eq!(json["kubernetes"]["pods_per_node"], 1);
        assert_eq!(json["settings"]["kubernetes"]["pods_per_node_by_requests"]["value"], 1);
        assert!(serde_json::to_value(report(&Plan::default())).unwrap_or_default().get("kubernetes").is_none(), "plain hosts: none");
        assert!(json["kubernetes"].get("pod_options").is_none(), "no pod_cpu: no trade-off");
        let pod = crate::model::query::decode_strict("platform=k8s&cores=16&ram=64&pod_cpu=2&rps=300").unwrap_or_default();
        let json = serde_json::to_value(report(&pod)).unwrap_or_default();
        assert_eq!(json["kubernetes"]["pod_options"]["options"].as_array().map(Vec::len), Some(3));
        assert!(json["kubernetes"]["pods_per_node"].as_u64().unwrap_or_default() > 1);
    }

    #[test]
    fn capacity_latency_and_tiers_are_the_models() {
        let plan = Plan { target_rps: 500.0, ..Plan::default() };
        let r = report(&plan);
        let e = crate::model::evaluate(&plan);
        assert_eq!((r.capacity.rps, r.capacity.max_rps), (e.capacity.rps, e.capacity.max_rps));
        assert_eq!((r.latency_ms.p95, r.latency_ms.rate_rps), (Some(e.latency.p95_ms), 500.0));
        let t = crate::model::tiers(&plan);
        assert_eq!(r.tiers.iter().map(|t| t.rps).collect::<Vec<_>>(), t.iter().map(|t| t.rps).collect::<Vec<_>>());
        assert_eq!(r.verdict.fit, "headroom");
    }

    #[test]
    fn db_and_postgres_are_the_rules_and_absent_without_a_database() {
        let plan = Plan::default();
        let (r, rules) = (report(&plan), rules::recommend(&plan));
        let db = r.db.expect("db");
        let pool = rules.db_pool.expect("pool");
        assert_eq!((db.pool_size, db.max_overflow, db.fleet_connections), (pool.pool_size.value, pool.max_overflow.value, pool.fleet_connections.value));
        let pg = r.postgres.expect("postgres");
        assert_eq!(pg.shared_buffers_mib * 1024.0, rules.postgres.expect("pg").shared_buffers_kb.value as f64);
        let none = report(&Plan { db: Database::None, ..Plan::default() });
        assert!(none.db.is_none() && none.postgres.is_none());
        let json = serde_json::to_value(none).unwrap_or_default();
        assert!(json.get("db").is_none() && json.get("postgres").is_none());
    }

    #[test]
    fn an_over_capacity_target_warns_and_says_how_many_replicas_fit() {
        // 3,000 r/s: three to four nodes, within the 4-core database host's CPU.
        let plan = Plan { target_rps: 3000.0, ..Plan::default() };
        let r = report(&plan);
        assert_eq!(r.verdict.fit, "over-capacity");
        assert!(r.verdict.replicas_needed.is_some_and(|n| n > 1));
        assert!(r.warnings.iter().any(|w| w.code == "cpu-over-70"));
        // No time pretends to be a latency: null in JSON, "unbounded" in the text.
        assert!(r.latency_ms.over_capacity && r.latency_ms.p95.is_none() && r.latency_ms.mean.is_none());
        let json = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(json.pointer("/latency_ms/p95"), Some(&serde_json::Value::Null));
        let s = json.pointer("/verdict/suggestions/0").expect("a suggestion");
        assert!(s["plan"].as_str().is_some_and(|p| p.contains('=')) && s["why"].as_str().is_some_and(|w| w.ends_with("at 3,000 r/s.")), "{s}");
        let t = text(&r, &plan);
        assert!(t.lines().any(|l| l.trim_start().starts_with("p95") && l.contains("unbounded")), "{t}");
        assert!(t.lines().any(|l| l.trim_start().starts_with("Would meet it")), "{t}");
    }

    #[test]
    fn the_text_has_the_capacity_the_tiers_and_every_setting() {
        let plan = Plan::default();
        let t = text(&report(&plan), &plan);
        assert!(t.lines().any(|l| l.trim_start().starts_with("At 70 %") && l.contains("r/s")), "{t}");
        assert!(t.lines().any(|l| l.trim_start().starts_with("p95") && l.contains("ms")), "{t}");
        assert!(t.lines().any(|l| l.trim_start().starts_with("Medium") && l.contains("4 cores")), "{t}");
        assert!(t.lines().any(|l| l.trim_start().starts_with("shared_buffers")), "{t}");
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
