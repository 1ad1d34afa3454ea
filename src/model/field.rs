//! The plan's fields: query key (a public contract), label, unit, range, and the
//! parsing of a field's text with messages that name the field, the value and the range.

use std::fmt;
use std::str::FromStr;

/// One input of the plan. `key()` is its name in the query string, version 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    Tier,
    Cores,
    Ram,
    Storage,
    Replicas,
    Server,
    Framework,
    Threads,
    Mix,
    Classes,
    Rps,
    P95,
    WorkerMem,
    Db,
    DbHost,
    DbCores,
    DbRam,
    DbStorage,
    Pgbouncer,
    DbShare,
    DbHold,
    Cache,
    CacheMem,
    Proxy,
    Platform,
    Workload,
    CpuMs,
    WaitMs,
    Overhead,
    Concurrency,
    Workers,
    Cv,
    PgVersion,
    AppCidr,
    ServerName,
    LbCidr,
    CachePaths,
    DbCpu,
    PgbouncerPool,
    DbMaxConnections,
    Spare,
    Peak,
    UslSigma,
    UslKappa,
    Measured,
    CostCoreH,
    CostGibH,
    DaemonsetCpu,
    DaemonsetMem,
    MaxPods,
    PodCpu,
    PodMem,
}

/// The longest note ([`Field::Measured`]), characters (its message says 160).
pub const MAX_NOTE: usize = 160;

/// What is wrong with one field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub value: String,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.key(), self.message)
    }
}

impl std::error::Error for FieldError {}

/// Static facts of a field: (key, label, unit, valid range).
struct Meta {
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    range: Option<(f64, f64)>,
}

const fn m(key: &'static str, label: &'static str, unit: &'static str, range: Option<(f64, f64)>) -> Meta {
    Meta { key, label, unit, range }
}

use Field as F;

/// Each field's [`Meta`], at `field as usize`: a table, not a match (the page's first
/// load is smaller by its code). The compiler checks every row is at its field's place.
const META: [(Field, Meta); Field::ALL.len()] = [
    (F::Name, m("name", "Service name", "", None)),
    (F::Tier, m("tier", "Tier preset", "", None)),
    (F::Cores, m("cores", "CPU cores", "cores", Some((1.0, 256.0)))),
    (F::Ram, m("ram", "RAM", "GiB", Some((0.5, 2048.0)))),
    (F::Storage, m("storage", "Storage", "", None)),
    (F::Replicas, m("replicas", "Nodes / replicas", "nodes", Some((1.0, 1000.0)))),
    (F::Server, m("server", "App server", "", None)),
    (F::Framework, m("framework", "Framework", "", None)),
    (F::Threads, m("threads", "Threads per process", "threads", Some((1.0, 64.0)))),
    (F::Mix, m("mix", "Shares of the requests", "%", Some((0.0, 100.0)))),
    (F::Classes, m("classes", "Request classes", "", None)),
    (F::Rps, m("rps", "Target rate", "r/s", Some((0.0, 10_000_000.0)))),
    (F::P95, m("p95", "Latency objective (p95)", "ms", Some((1.0, 600_000.0)))),
    (F::WorkerMem, m("worker_mem", "Memory per process", "MiB", Some((16.0, 65_536.0)))),
    (F::Db, m("db", "Database", "", None)),
    (F::DbHost, m("db_host", "Database runs on", "", None)),
    (F::DbCores, m("db_cores", "Database cores", "cores", Some((1.0, 256.0)))),
    (F::DbRam, m("db_ram", "Database RAM", "GiB", Some((0.5, 2048.0)))),
    (F::DbStorage, m("db_storage", "Database storage", "", None)),
    (F::Pgbouncer, m("pgbouncer", "PgBouncer", "", None)),
    (F::DbShare, m("db_share", "Requests using the database", "%", Some((0.0, 100.0)))),
    (F::DbHold, m("db_hold_ms", "Connection hold time", "ms", Some((0.0, 600_000.0)))),
    (F::Cache, m("cache", "Cache", "", None)),
    (F::CacheMem, m("cache_mem", "Cache memory", "MiB", Some((16.0, 2_097_152.0)))),
    (F::Proxy, m("proxy", "Reverse proxy", "", None)),
    (F::Platform, m("platform", "Platform", "", None)),
    (F::Workload, m("workload", "Workload type", "", None)),
    (F::CpuMs, m("cpu_ms", "CPU time per request", "ms", Some((0.01, 600_000.0)))),
    (F::WaitMs, m("wait_ms", "Off-CPU wait per request", "ms", Some((0.0, 600_000.0)))),
    (F::Overhead, m("overhead_ms", "App server CPU per request", "ms", Some((0.0, 1000.0)))),
    (F::Concurrency, m("concurrency", "Concurrent requests per process", "requests", Some((1.0, 100_000.0)))),
    (F::Workers, m("workers", "Processes per node (override)", "processes", Some((1.0, 4096.0)))),
    (F::Cv, m("cv", "Service-time variability (CV)", "", Some((0.0, 10.0)))),
    (F::PgVersion, m("pg_version", "PostgreSQL version", "", Some((13.0, 18.0)))),
    (F::AppCidr, m("app_cidr", "App nodes' network (CIDR)", "", None)),
    (F::ServerName, m("server_name", "Host names nginx serves", "", None)),
    (F::LbCidr, m("lb_cidr", "Load balancers in front (CIDR)", "", None)),
    (F::CachePaths, m("cache_paths", "Paths nginx may cache", "", None)),
    (F::DbCpu, m("db_cpu_ms", "Database CPU per request", "ms", Some((0.0, 600_000.0)))),
    (F::PgbouncerPool, m("pgbouncer_pool", "PgBouncer server connections (override)", "connections", Some((1.0, 10_000.0)))),
    (F::DbMaxConnections, m("db_max_connections", "PostgreSQL max_connections (override)", "connections", Some((5.0, 262_143.0)))),
    (F::Spare, m("spare", "Nodes that may fail", "nodes", Some((0.0, 999.0)))),
    (F::Peak, m("peak", "Peak-to-average factor", "×", Some((1.0, 100.0)))),
    (F::UslSigma, m("usl_sigma", "USL contention σ", "", Some((0.0, 0.99)))),
    (F::UslKappa, m("usl_kappa", "USL coherency κ", "", Some((0.0, 0.1)))),
    (F::Measured, m("measured", "Measured by", "", None)),
    (F::CostCoreH, m("cost_core_h", "Price per core-hour", "$", Some((0.0, 100.0)))),
    (F::CostGibH, m("cost_gib_h", "Price per GiB-hour", "$", Some((0.0, 100.0)))),
    (F::DaemonsetCpu, m("daemonset_cpu", "DaemonSets' CPU per node", "m", Some((0.0, 64_000.0)))),
    (F::DaemonsetMem, m("daemonset_mem", "DaemonSets' memory per node", "MiB", Some((0.0, 262_144.0)))),
    (F::MaxPods, m("max_pods", "Pods per node at most (maxPods)", "pods", Some((4.0, 1000.0)))),
    (F::PodCpu, m("pod_cpu", "Pod CPU limit", "cores", Some((0.0, 64.0)))),
    (F::PodMem, m("pod_mem", "Pod memory limit", "GiB", Some((0.0, 2048.0)))),
];

const _: () = {
    let mut i = 0;
    while i < META.len() {
        assert!(META[i].0 as usize == i, "META's rows must follow Field's order");
        i += 1;
    }
};

impl Field {
    /// Every field, in the order the query string lists them (the form has its own,
    /// [`Field::FORM`]).
    pub const ALL: &'static [Field] = &[
        Field::Name,
        Field::Tier,
        Field::Cores,
        Field::Ram,
        Field::Storage,
        Field::Replicas,
        Field::Server,
        Field::Framework,
        Field::Threads,
        Field::Concurrency,
        Field::Workers,
        Field::WorkerMem,
        Field::Overhead,
        Field::Mix,
        Field::Classes,
        Field::CpuMs,
        Field::WaitMs,
        Field::Cv,
        Field::Rps,
        Field::P95,
        Field::Db,
        Field::PgVersion,
        Field::DbHost,
        Field::DbCores,
        Field::DbRam,
        Field::DbStorage,
        Field::Pgbouncer,
        Field::AppCidr,
        Field::DbShare,
        Field::DbHold,
        Field::Cache,
        Field::CacheMem,
        Field::Proxy,
        Field::ServerName,
        Field::LbCidr,
        Field::CachePaths,
        Field::Platform,
        Field::Workload,
        Field::DbCpu,
        Field::PgbouncerPool,
        Field::DbMaxConnections,
        Field::Spare,
        Field::Peak,
        Field::UslSigma,
        Field::UslKappa,
        Field::Measured,
        Field::CostCoreH,
        Field::CostGibH,
        Field::DaemonsetCpu,
        Field::DaemonsetMem,
        Field::MaxPods,
        Field::PodCpu,
        Field::PodMem,
    ];

    /// The form's groups in the form's order, every field in exactly one. The target comes
    /// first (it is the question the page answers); the rest follow [`Field::ALL`], whose
    /// order is the query string's and stays as it is, so links do not change.
    pub const FORM: &'static [(&'static str, &'static [Field])] = &[
        ("Target", &[Field::Rps, Field::P95, Field::Peak]),
        ("Node", &[Field::Name, Field::Tier, Field::Cores, Field::Ram, Field::Storage, Field::Replicas, Field::Spare]),
        ("App server", &[Field::Server, Field::Framework, Field::Threads, Field::Concurrency, Field::Workers, Field::WorkerMem, Field::Overhead]),
        ("Workload", &[Field::Mix, Field::Classes, Field::CpuMs, Field::WaitMs, Field::Cv, Field::UslSigma, Field::UslKappa, Field::Measured]),
        ("Database", &[
            Field::Db, Field::PgVersion, Field::DbHost, Field::DbCores, Field::DbRam, Field::DbStorage, Field::Pgbouncer,
            Field::PgbouncerPool, Field::DbMaxConnections, Field::AppCidr, Field::DbShare, Field::DbHold, Field::DbCpu,
        ]),
        ("Cache", &[Field::Cache, Field::CacheMem]),
        ("Proxy", &[Field::Proxy, Field::ServerName, Field::LbCidr, Field::CachePaths]),
        ("Platform", &[Field::Platform, Field::Workload, Field::PodCpu, Field::PodMem, Field::DaemonsetCpu, Field::DaemonsetMem, Field::MaxPods, Field::CostCoreH, Field::CostGibH]),
    ];

    /// The fields a calibration sets: editing one of them makes the plan no longer
    /// [`Field::Measured`].
    pub const MEASURED: [Field; 6] = [Field::CpuMs, Field::WaitMs, Field::Cv, Field::Overhead, Field::UslSigma, Field::UslKappa];

    /// A field links still carry but nothing reads any more: read and written back so an old
    /// link stays the same plan, never on the form. The Kubernetes workload type picked 002's
    /// sizing row; the pod's resources now follow its workers.
    pub fn retired(self) -> bool {
        self == Field::Workload
    }

    fn meta(self) -> &'static Meta {
        &META[self as usize].1
    }

    /// The query-string key (version 1; never renamed).
    pub fn key(self) -> &'static str {
        self.meta().key
    }

    /// The label shown to a person.
    pub fn label(self) -> &'static str {
        self.meta().label
    }

    /// The unit of the field's value ("" for choices and text).
    pub fn unit(self) -> &'static str {
        self.meta().unit
    }

    /// Inclusive valid range of a numeric field (of each value, for the triples).
    pub fn range(self) -> Option<(f64, f64)> {
        self.meta().range
    }

    /// The choices of a select field as (query spelling, label); None for typed fields.
    pub fn options(self) -> Option<Vec<(&'static str, &'static str)>> {
        use super::choice::*;
        fn all<T: Copy>(xs: &[T], key: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(&'static str, &'static str)> {
            xs.iter().map(|&x| (key(x), label(x))).collect()
        }
        use Field as F;
        Some(match self {
            F::Tier => all(Tier::ALL, Tier::key, Tier::label),
            F::Storage | F::DbStorage => all(Storage::ALL, Storage::key, Storage::label),
            F::Server => all(Server::ALL, Server::key, Server::label),
            F::Framework => all(Framework::ALL, Framework::key, Framework::label),
            F::Db => all(Database::ALL, Database::key, Database::label),
            F::DbHost => all(DbHost::ALL, DbHost::key, DbHost::label),
            F::Pgbouncer => all(Switch::ALL, Switch::key, Switch::label),
            F::Cache => all(Cache::ALL, Cache::key, Cache::label),
            F::Proxy => all(Proxy::ALL, Proxy::key, Proxy::label),
            F::Platform => all(Platform::ALL, Platform::key, Platform::label),
            F::Workload => all(Workload::ALL, Workload::key, Workload::label),
            _ => return None,
        })
    }

    /// The field whose query key is `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }

    /// "1–256 cores", "0–10,000,000 r/s": the range as a person reads it.
    pub fn range_text(self) -> String {
        match self.range() {
            Some((lo, hi)) => format!("{}–{} {}", number(lo), number(hi), self.unit()).trim_end().to_string(),
            None => String::new(),
        }
    }

    fn error(self, value: &str, message: String) -> FieldError {
        FieldError { field: self, value: value.to_string(), message }
    }

    pub(crate) fn whole(self, t: &str) -> Result<u32, FieldError> {
        t.parse::<u32>().map_err(|_| {
            self.error(t, format!("'{t}' is not a whole number; enter {}", self.range_text()))
        })
    }

    pub(crate) fn number(self, t: &str) -> Result<f64, FieldError> {
        super::decimal::parse_finite(t)
            .ok_or_else(|| self.error(t, format!("'{t}' is not a number; enter {}", self.range_text())))
    }

    pub(crate) fn choice<T: FromStr<Err = String>>(self, t: &str) -> Result<T, FieldError> {
        t.parse::<T>().map_err(|valid| self.not_one_of(t, &valid))
    }

    /// The message of a choice that is none of `valid` (one copy for every choice type).
    fn not_one_of(self, t: &str, valid: &str) -> FieldError {
        self.error(t, format!("'{t}' is not one of {valid}"))
    }

    pub(crate) fn text(self, t: &str) -> Result<String, FieldError> {
        Ok(t.to_string())
    }

    /// A note of at most [`MAX_NOTE`] characters on one line.
    pub(crate) fn check_note(self, t: &str) -> Option<FieldError> {
        (t.chars().count() > MAX_NOTE || t.contains(char::is_control)).then(|| self.error(t, "at most 160 characters, on one line".into()))
    }

    /// A list field's text in its one spelling (see [`super::lists::normalize`]); the
    /// items are checked by [`Field::check_list`].
    pub(crate) fn list(self, t: &str) -> Result<String, FieldError> {
        Ok(super::lists::normalize(t, self == Field::ServerName))
    }

    /// The first bad item of a list field, with the message of its grammar.
    pub(crate) fn check_list(self, list: &str) -> Option<FieldError> {
        use super::lists;
        let item = match self {
            Field::ServerName => lists::host_name,
            Field::LbCidr | Field::AppCidr => lists::cidr,
            Field::CachePaths => lists::cacheable_path,
            _ => return None,
        };
        lists::first_error(list, item).map(|m| self.error(list, m))
    }

    pub(crate) fn optional<T>(
        self,
        t: &str,
        read: fn(Field, &str) -> Result<T, FieldError>,
    ) -> Result<Option<T>, FieldError> {
        if t.is_empty() || t == "auto" {
            Ok(None)
        } else {
            read(self, t).map(Some)
        }
    }

    /// 1 to 8 comma-separated values, one per request class, and how many.
    pub(crate) fn values<T: Copy + Default>(
        self,
        t: &str,
        read: fn(Field, &str) -> Result<T, FieldError>,
    ) -> Result<([T; 8], usize), FieldError> {
        let mut out = [T::default(); 8];
        let mut n = 0;
        for part in t.split(',') {
            if n == 8 {
                return Err(self.error(t, "at most 8 classes".to_string()));
            }
            out[n] = read(self, part.trim())?;
            n += 1;
        }
        Ok((out, n))
    }

    /// `n` values where the plan has `classes` request classes: "cpu_ms has 2 values; mix has
    /// 3 classes: one value per class".
    pub(crate) fn count(self, t: &str, n: usize, classes: usize) -> Result<(), FieldError> {
        match n == classes {
            true => Ok(()),
            false => {
                let (had, wanted) = (crate::model::figure::count(n as f64, "value", "values"), crate::model::figure::count(classes as f64, "class", "classes"));
                Err(self.error(t, format!("{} has {had}; mix has {wanted}: one value per class", self.key())))
            }
        }
    }

    pub(crate) fn in_range(self, x: f64) -> Option<FieldError> {
        let (lo, hi) = self.range()?;
        (!(lo..=hi).contains(&x)).then(|| {
            self.error(&super::decimal::shortest(x), format!("{} is out of range; enter {}", number(x), self.range_text()))
        })
    }

    pub(crate) fn sums_to_100(self, pct: &[u32]) -> Option<FieldError> {
        let sum: u32 = pct.iter().sum();
        (sum != 100).then(|| self.error(&pct.iter().map(u32::to_string).collect::<Vec<_>>().join(","), format!("the shares sum to {sum} %; they must sum to 100 %")))
    }

    /// Service names end up in nginx, INI, YAML, Python and systemd files: only a
    /// DNS-label-like charset is safe in all of them.
    pub(crate) fn check_name(self, name: &str) -> Option<FieldError> {
        let ok = !name.is_empty()
            && name.len() <= 63
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !name.ends_with('-');
        (!ok).then(|| {
            self.error(
                name,
                "use 1–63 lowercase letters, digits and '-', starting with a letter and not ending with '-'"
                    .to_string(),
            )
        })
    }
}

/// A value as the messages write it: every digit of it, grouped by thousands ("65,536").
fn number(x: f64) -> String {
    super::figure::group_text(&super::decimal::shortest(x))
}

mod help;
#[cfg(test)]
mod tests;
