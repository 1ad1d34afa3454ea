//! Every recommended setting as a labelled line with its unit, why and source, grouped
//! by component: what the results panel lists and the CLI's text report prints. Built
//! from [`rules::recommend`], so a value the rules compute cannot be missing here.

use std::fmt::Write;

use super::rules::kubernetes::{Container, Probe, ScalePolicy};
use super::figure::{group_text, noun, whole};
use super::rules::pgtune::Kb;
use super::rules::{Explained, Recommendation};

/// One setting: its name as the program spells it, its value with unit, and why. Owned
/// text: sections are made for the CLI's report and the worker's [`html`].
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub value: String,
    pub unit: String,
    pub why: String,
    pub source: String,
}

/// The settings of one component.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// A stable id for the page ("postgres", "nginx", …).
    pub id: String,
    pub title: String,
    pub lines: Vec<Line>,
}

pub mod html;

/// A value as a person reads it.
pub trait Show {
    fn show(&self) -> String;
}

macro_rules! show_display {
    ($($t:ty),*) => { $(impl Show for $t { fn show(&self) -> String { self.to_string() } })* };
}
show_display!(u32, u64, bool, &'static str, String);

impl Show for f64 {
    fn show(&self) -> String {
        super::decimal::shortest(*self)
    }
}

impl Show for [u32; 3] {
    fn show(&self) -> String {
        format!("{} {} {}", self[0], self[1], self[2])
    }
}

/// A user and group as `id` prints them: "10001:10001".
impl Show for [u32; 2] {
    fn show(&self) -> String {
        format!("{}:{}", self[0], self[1])
    }
}

impl Show for Vec<&'static str> {
    fn show(&self) -> String {
        self.join(" ")
    }
}

/// The suffix a rules' field name carries for its unit, dropped from the label (the
/// unit is shown beside the value): `timeout_s` reads "timeout", unit "s".
fn unit_suffix(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "kB" => "_kb",
        "MiB" => "_mib",
        "GiB" => "_gib",
        "bytes" => "_bytes",
        "%" => "_pct",
        "min" => "_min",
        "s" => "_s",
        "ms" => "_ms",
        "m" => "_m",
        _ => return None,
    })
}

fn label(field: &str, unit: &str) -> String {
    unit_suffix(unit).and_then(|s| field.strip_suffix(s)).unwrap_or(field).to_string()
}

/// The line of one explained value; sizes in kB print as PostgreSQL reads them (4GB).
pub fn line<T: Show>(field: &str, e: &Explained<T>) -> Line {
    shown_line(field, e.value.show(), e.unit, &e.why, e.source)
}

/// [`line`] once the value is text: one copy for the hundred values of a plan, not one
/// inlined into each. A quantity (a value with a unit) reads as every number on the page
/// does: grouped by thousands, each number of a list ("4,096 87,380 134,217,728"), its
/// unit singular for one ("1 process"); sizes in kB as PGTune writes them, with a space
/// ("4 GB"). Values without a unit (ports, names, flags) are shown as the program reads
/// them.
#[inline(never)]
fn shown_line(field: &str, value: String, unit: &'static str, why: &str, source: &'static str) -> Line {
    let name = label(field, unit);
    let (value, unit) = match unit {
        "kB" => {
            let (n, unit) = Kb(value.parse().unwrap_or(0)).parts();
            (whole(n as f64), unit)
        }
        "" | "uid:gid" => (value, unit),
        _ => (group_text(&value), if value == "1" { singular(unit) } else { unit }),
    };
    Line { name, value, unit: unit.to_string(), why: why.to_string(), source: source.to_string() }
}

/// The singular of a plural unit of a count ("processes" → "process", "pods" → "pod");
/// any other unit ("s", "ms", "r/s", "MiB") as it is.
fn singular(unit: &'static str) -> &'static str {
    if unit.len() < 4 || !unit.bytes().all(|b| b.is_ascii_lowercase()) {
        return unit;
    }
    let cut = if unit.ends_with("sses") { 2 } else { usize::from(unit.ends_with('s')) };
    unit.get(..unit.len() - cut).unwrap_or(unit)
}

/// `lines!(x; a, b, c)`: the lines of the explained fields `x.a`, `x.b`, `x.c`.
macro_rules! lines {
    ($s:expr; $($f:ident),* $(,)?) => { vec![$(line(stringify!($f), &$s.$f)),*] };
}

fn prefixed(prefix: &str, mut lines: Vec<Line>) -> Vec<Line> {
    for l in &mut lines {
        l.name = format!("{prefix}.{}", l.name);
    }
    lines
}

fn container(prefix: &str, c: &Container) -> Vec<Line> {
    let r = &c.resources;
    let mut lines = lines!(r; cpu_request_m, cpu_limit_m, memory_request_mib, memory_limit_mib);
    lines.push(line("run_as", &c.run_as));
    prefixed(prefix, lines)
}

fn scale(prefix: &str, p: &ScalePolicy) -> Vec<Line> {
    prefixed(prefix, lines!(p; stabilization_window_s, percent, period_s))
}

fn probe(prefix: &str, p: &Probe) -> Vec<Line> {
    let mut lines = vec![line("check", &p.check)];
    lines.extend(p.path.as_ref().map(|e| line("path", e)));
    lines.extend(lines!(p; port, initial_delay_s, period_s, timeout_s, failure_threshold));
    prefixed(prefix, lines)
}

fn section(id: &'static str, title: &'static str, lines: Vec<Line>) -> Section {
    Section { id: id.to_string(), title: title.to_string(), lines }
}

/// Every component's settings for the recommendation, in the order of a deployment:
/// app server, database, cache, proxy, kernel, Kubernetes, alerts.
pub fn sections(r: &Recommendation) -> Vec<Section> {
    let g = &r.gunicorn;
    let mut out = vec![section(
        "gunicorn",
        "App server",
        lines!(g; worker_class, workers, per_process, timeout_s, graceful_timeout_s, keepalive_s,
            max_requests, max_requests_jitter, preload_app, worker_tmp_dir),
    )];
    if let Some(p) = &r.db_pool {
        out.push(section(
            "pool",
            "Database pool",
            lines!(p; pool_size, max_overflow, per_node_connections, fleet_connections,
                server_limit_connections, pgbouncer_required),
        ));
    }
    if let Some(b) = &r.pgbouncer {
        out.push(section(
            "pgbouncer",
            "PgBouncer",
            lines!(b; pool_mode, default_pool_size, reserve_pool_size, reserve_pool_timeout_s,
                max_client_conn, max_prepared_statements, server_connections),
        ));
    }
    if let Some(pg) = &r.postgres {
        let mut lines = lines!(pg; host, max_connections, superuser_reserved_connections, shared_buffers_kb,
            effective_cache_size_kb, maintenance_work_mem_kb, checkpoint_completion_target, wal_buffers_kb,
            default_statistics_target, random_page_cost, effective_io_concurrency, work_mem_kb, huge_pages,
            jit, wal_compression, min_wal_size_kb, max_wal_size_kb);
        let optional = [
            pg.autovacuum_max_workers.as_ref().map(|e| line("autovacuum_max_workers", e)),
            pg.autovacuum_work_mem_kb.as_ref().map(|e| line("autovacuum_work_mem_kb", e)),
            pg.io_method.as_ref().map(|e| line("io_method", e)),
            pg.io_workers.as_ref().map(|e| line("io_workers", e)),
        ];
        lines.extend(optional.into_iter().flatten());
        if let Some(par) = &pg.parallel {
            lines.extend(lines!(par; max_worker_processes, max_parallel_workers_per_gather,
                max_parallel_workers, max_parallel_maintenance_workers));
        }
        out.push(section("postgres", "PostgreSQL", lines));
    }
    if let Some(x) = &r.redis {
        out.push(section(
            "redis",
            "Redis",
            lines!(x; maxmemory_mib, maxmemory_policy, persistence, maxclients, tcp_keepalive_s, timeout_s,
                client_pool_per_process, fleet_clients, ttl_short_s, ttl_medium_s, ttl_long_s),
        ));
    }
    if let Some(n) = &r.nginx {
        let mut lines = vec![];
        lines.extend(n.user.as_ref().map(|e| line("user", e)));
        lines.extend(lines!(n; worker_processes, worker_connections, worker_rlimit_nofile, event_method,
            multi_accept, listen_port, listen_backlog, server_name));
        lines.extend(n.real_ip_from.as_ref().map(|e| line("set_real_ip_from", e)));
        lines.extend(lines!(n; keepalive_timeout_s, keepalive_requests, upstream_keepalive,
            upstream_keepalive_timeout_s, gzip_types, gzip_min_length_bytes));
        lines.extend(n.static_expires.as_ref().map(|e| line("static_expires", e)));
        lines.extend(lines!(n; proxy_connect_timeout_s, proxy_send_timeout_s, proxy_read_timeout_s, client_max_body_size_mib));
        if let Some(c) = &n.proxy_cache {
            lines.extend(prefixed("proxy_cache", lines!(c; paths, keys_zone_mib, max_size_gib, inactive_min, valid_200_s, valid_404_s)));
        }
        if let Some(l) = &n.rate_limits {
            lines.extend(prefixed("limit_req", lines!(l; zone_mib, general_per_min, general_burst, auth_per_min, auth_burst)));
        }
        out.push(section("nginx", "nginx", lines));
    }
    let kernel = |k: &super::rules::Kernel| {
        lines!(k; somaxconn, netdev_max_backlog, rmem_max_bytes, wmem_max_bytes, tcp_rmem_bytes, tcp_wmem_bytes,
            tcp_fastopen, tcp_congestion_control, default_qdisc, swappiness, vfs_cache_pressure, nofile)
    };
    out.push(section("kernel", "Kernel (app nodes)", kernel(&r.kernel)));
    if let Some(k) = &r.db_kernel {
        out.push(section("db-kernel", "Kernel (database host)", kernel(k)));
    }
    if let Some(k) = &r.kubernetes {
        let mut lines = container("app", &k.app);
        for (name, c) in [("nginx", &k.nginx), ("redis", &k.redis), ("pgbouncer", &k.pgbouncer)] {
            if let Some(c) = c {
                lines.extend(container(name, c));
            }
        }
        let h = &k.hpa;
        lines.extend(prefixed("hpa", lines!(h; min_replicas, max_replicas, cpu_average_m)));
        lines.extend(scale("hpa.scaleDown", &h.scale_down));
        lines.extend(scale("hpa.scaleUp", &h.scale_up));
        if let Some(m) = &k.pdb_min_available {
            lines.push(line("pdb.min_available", m));
        }
        lines.extend(probe("readiness", &k.readiness));
        lines.extend(probe("liveness", &k.liveness));
        let stop = &k.shutdown;
        lines.extend(lines!(stop; pre_stop_sleep_s, termination_grace_s));
        lines.extend(lines!(k; allocatable_cpu_m, allocatable_mem_mib, pods_per_node_by_requests, pods_per_node_by_limits));
        out.push(section("kubernetes", "Kubernetes", lines));
    }
    out.push(section("alerts", "Alerts", alert_lines(r)));
    out
}

/// One line per alerting rule: its threshold and how long it must hold.
fn alert_lines(r: &Recommendation) -> Vec<Line> {
    r.alerts
        .iter()
        .map(|a| {
            let unit = noun(a.threshold, singular(a.unit), a.unit);
            let mut value = group_text(&super::decimal::shortest(a.threshold));
            let _ = write!(value, " {unit} for {} s", whole(a.for_s as f64));
            Line { name: a.name.to_string(), value, unit: String::new(), why: a.summary.clone(), source: a.source.to_string() }
        })
        .collect()
}

#[cfg(test)]
mod tests;
