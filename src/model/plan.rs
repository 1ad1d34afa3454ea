//! The plan: what a person describes. Every input has a default, a unit and a range,
//! and is read from text by one function ([`Plan::set`]) used by the form, the CLI
//! and the share-link decoder alike, so all three give the same messages.

use super::choice::*;
use super::decimal::shortest;
use super::field::{Field, FieldError};

pub use classes::{three, Class, RequestClass, MAX_CLASSES};

/// Everything a person describes about a deployment. Quantities carry their unit in
/// the field name. Optional values (`None`) mean "computed by the planner".
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Service name used in generated files.
    pub name: String,
    /// The preset the node matches (Custom when cores/RAM differ from every tier).
    pub tier: Tier,
    pub cores: u32,
    pub ram_gib: f64,
    pub storage: Storage,
    /// App nodes (hosts) or pods.
    pub replicas: u32,
    pub server: Server,
    /// The app's framework: the names the exported files use (generic: none in particular).
    pub framework: Framework,
    /// gthread threads per process; None: from the mix (003: 2–4).
    pub threads: Option<u32>,
    /// Each request class's share of the requests, in %, summing to 100 (the first
    /// `class_count`; the rest 0).
    pub mix_pct: [u32; MAX_CLASSES],
    /// Request classes, 1–8 (three: CPU-bound, I/O-bound, mixed by default).
    pub class_count: usize,
    /// The classes' names, comma-separated; "" = the default names ([`Plan::class_name`]).
    pub class_names: String,
    /// Target request rate of the whole fleet, r/s; 0 = none.
    pub target_rps: f64,
    /// Latency objective (p95), ms: the strictest class's when each has its own.
    pub p95_objective_ms: f64,
    /// Each class's p95 objective, ms, when they differ; None: `p95_objective_ms` for all.
    pub p95_each: Option<[f64; MAX_CLASSES]>,
    /// Resident memory of one app process, MiB.
    pub worker_mem_mib: u32,
    pub db: Database,
    pub db_host: DbHost,
    pub db_cores: u32,
    pub db_ram_gib: f64,
    pub db_storage: Storage,
    pub pgbouncer: Switch,
    /// Share of requests that use the database, %.
    pub db_share_pct: f64,
    /// How long such a request holds its connection, ms.
    pub db_hold_ms: f64,
    pub cache: Cache,
    pub cache_mem_mib: u32,
    pub proxy: Proxy,
    pub platform: Platform,
    pub workload: Workload,
    /// CPU time per request of each class, ms (the first `class_count`; the rest 0).
    pub cpu_ms: [f64; MAX_CLASSES],
    /// Off-CPU wait per request of each class, ms (the first `class_count`; the rest 0).
    pub wait_ms: [f64; MAX_CLASSES],
    /// The app server's own CPU cost per request, ms; None: the server type's default.
    pub overhead_ms: Option<f64>,
    /// Concurrent requests per process for gevent/async; None: the server type's default.
    pub concurrency: Option<u32>,
    /// Override of the computed process count per node.
    pub workers: Option<u32>,
    /// Coefficient of variation of service times (1 = exponential): the largest class's
    /// when each has its own.
    pub cv: f64,
    /// Each class's cv when they differ; None: `cv` for all.
    pub cv_each: Option<[f64; MAX_CLASSES]>,
    /// The PostgreSQL major version the files are written for (13–18).
    pub pg_version: u32,
    /// Address ranges the app nodes connect from, allowed to reach PgBouncer on the
    /// database's own host (a list, see [`super::lists`]; "" = none).
    pub app_cidr: String,
    /// Host names nginx serves; "" = not set (nginx then answers none: a placeholder).
    pub server_name: String,
    /// Address ranges of the load balancers in front of nginx, whose X-Forwarded-For is
    /// trusted for the client's address; "" = clients connect directly.
    pub lb_cidr: String,
    /// URL path prefixes nginx may cache; "" = none.
    pub cache_paths: String,
    /// Database CPU per database-using request, ms; None: [`DEFAULT_DB_CPU_MS`], at most the hold time.
    pub db_cpu_ms: Option<f64>,
    /// PgBouncer's server connections per pool as deployed; None: the rule's.
    pub pgbouncer_pool: Option<u32>,
    /// PostgreSQL's max_connections as deployed; None: the rule's.
    pub db_max_connections: Option<u32>,
    /// Nodes the fleet may lose and still carry the target at 70 %.
    pub spare: u32,
    /// Peak-to-average factor of the target rate (≥ 1).
    pub peak: f64,
    /// USL contention σ of the app node's CPU.
    pub usl_sigma: f64,
    /// USL coherency κ of the app node's CPU.
    pub usl_kappa: f64,
    /// Where the per-request figures were measured ("" = the guides' estimates): the
    /// calibration's source, cleared by the form when one of [`Field::MEASURED`] is edited.
    pub measured: String,
    /// What a node's core and GiB of RAM cost an hour, USD ([`crate::model::cost`]).
    pub cost_core_h: f64,
    pub cost_gib_h: f64,
    /// Kubernetes: what the DaemonSets on every node request (CPU m, memory MiB), and the
    /// kubelet's maxPods ([`crate::model::rules::kubernetes::allocatable`]).
    pub daemonset_cpu_m: u32,
    pub daemonset_mem_mib: u32,
    pub max_pods: u32,
    /// Kubernetes: the app container's CPU limit (cores, its cgroup quota) and memory
    /// limit (GiB); 0 = the whole node ([`crate::model::pod`]).
    pub pod_cpu: f64,
    pub pod_mem_gib: f64,
}

/// Database CPU per database-using request when the plan does not set it, ms: an indexed
/// web request runs a handful of statements, each about 0.05–0.2 ms of backend CPU
/// (parse, plan, index scan, send), so about 1 ms, never more than the connection's hold.
// Source: PostgreSQL docs, pgbench built-in "select-only" script (one indexed point query
// per transaction: tens of thousands of transactions per second per core); measured on
// this machine's PostgreSQL 15 in README "Measured against real servers".
pub const DEFAULT_DB_CPU_MS: f64 = 1.0;

/// The private address ranges of RFC 1918: app nodes reach the database host from these
/// by default, and never from the internet.
pub const DEFAULT_APP_CIDR: &str = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16";

/// The longest service name on Kubernetes (see [`Plan::validate`]).
pub const MAX_K8S_NAME: usize = 53;

impl Default for Plan {
    fn default() -> Self {
        Plan {
            name: "app".to_string(),
            tier: Tier::Medium,
            cores: 4,
            ram_gib: 8.0,
            storage: Storage::Ssd,
            replicas: 1,
            server: Server::Async,
            framework: Framework::Generic,
            threads: None,
            mix_pct: [20, 50, 30, 0, 0, 0, 0, 0],
            class_count: 3,
            class_names: String::new(),
            target_rps: 0.0,
            p95_objective_ms: 200.0,
            p95_each: None,
            worker_mem_mib: 150,
            db: Database::Postgres,
            db_host: DbHost::Own,
            db_cores: 4,
            db_ram_gib: 16.0,
            db_storage: Storage::Ssd,
            pgbouncer: Switch::Off,
            db_share_pct: 60.0,
            db_hold_ms: 4.0,
            cache: Cache::Redis,
            cache_mem_mib: 512,
            proxy: Proxy::Nginx,
            platform: Platform::Hosts,
            workload: Workload::Web,
            cpu_ms: [6.0, 1.0, 2.5, 0.0, 0.0, 0.0, 0.0, 0.0],
            wait_ms: [2.0, 30.0, 12.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            overhead_ms: None,
            concurrency: None,
            workers: None,
            cv: 1.0,
            cv_each: None,
            pg_version: 17,
            app_cidr: DEFAULT_APP_CIDR.to_string(),
            server_name: String::new(),
            lb_cidr: String::new(),
            cache_paths: String::new(),
            db_cpu_ms: None,
            pgbouncer_pool: None,
            db_max_connections: None,
            spare: 0,
            peak: 1.0,
            usl_sigma: super::capacity::USL_SIGMA,
            usl_kappa: super::capacity::USL_KAPPA,
            measured: String::new(),
            cost_core_h: super::cost::CORE_HOUR_USD,
            cost_gib_h: super::cost::GIB_HOUR_USD,
            daemonset_cpu_m: super::rules::kubernetes::allocatable::DAEMONSET_CPU_M,
            daemonset_mem_mib: super::rules::kubernetes::allocatable::DAEMONSET_MEM_MIB,
            max_pods: super::rules::kubernetes::MAX_PODS_PER_NODE,
            pod_cpu: 0.0,
            pod_mem_gib: 0.0,
        }
    }
}

impl Plan {
    /// The default plan on the node of a tier.
    pub fn for_tier(tier: Tier) -> Plan {
        let mut plan = Plan::default();
        plan.apply_tier(tier);
        plan
    }

    /// Sets the node to the tier's cores and RAM (Custom leaves them as they are).
    pub fn apply_tier(&mut self, tier: Tier) {
        if let Some((cores, ram)) = tier.node() {
            self.cores = cores;
            self.ram_gib = ram;
        }
        self.tier = tier;
    }

    /// The tier whose node this plan's node is, or Custom.
    fn matching_tier(&self) -> Tier {
        Tier::BENCHMARKS
            .into_iter()
            .find(|t| t.node() == Some((self.cores, self.ram_gib)))
            .unwrap_or(Tier::Custom)
    }

    /// Reads one field from text, checking its type and range.
    ///
    /// # Errors
    /// A [`FieldError`] naming the field, the value and the valid range; the plan is
    /// left unchanged then.
    pub fn set(&mut self, field: Field, text: &str) -> Result<(), FieldError> {
        let mut next = self.clone();
        next.set_unchecked(field, text)?;
        if let Some(err) = next.check(field) {
            return Err(err);
        }
        // A change to replicas or the hold time can invalidate spare or db_cpu_ms.
        if let Some(err) = Plan::LINKED.iter().filter(|&&f| f != field).find_map(|&f| next.check(f)) {
            return Err(err);
        }
        *self = next;
        Ok(())
    }

    fn set_unchecked(&mut self, field: Field, text: &str) -> Result<(), FieldError> {
        use Field as F;
        let t = text.trim();
        match field {
            F::Name => self.name = field.text(t)?,
            F::Tier => self.apply_tier(field.choice(t)?),
            F::Cores => {
                self.cores = field.whole(t)?;
                self.tier = self.matching_tier();
            }
            F::Ram => {
                self.ram_gib = field.number(t)?;
                self.tier = self.matching_tier();
            }
            F::Storage => self.storage = field.choice(t)?,
            F::Replicas => self.replicas = field.whole(t)?,
            F::Server => self.server = field.choice(t)?,
            F::Framework => self.framework = field.choice(t)?,
            F::Threads => self.threads = field.optional(t, Field::whole)?,
            F::Mix => self.set_mix(field.values(t, Field::whole)?),
            F::Classes => self.set_names(field, t)?,
            F::Rps => self.target_rps = field.number(t)?,
            F::P95 => {
                (self.p95_objective_ms, self.p95_each) = self.each(field, t)?;
                self.settle();
            }
            F::WorkerMem => self.worker_mem_mib = field.whole(t)?,
            F::Db => self.db = field.choice(t)?,
            F::DbHost => self.db_host = field.choice(t)?,
            F::DbCores => self.db_cores = field.whole(t)?,
            F::DbRam => self.db_ram_gib = field.number(t)?,
            F::DbStorage => self.db_storage = field.choice(t)?,
            F::Pgbouncer => self.pgbouncer = field.choice(t)?,
            F::DbShare => self.db_share_pct = field.number(t)?,
            F::DbHold => self.db_hold_ms = field.number(t)?,
            F::Cache => self.cache = field.choice(t)?,
            F::CacheMem => self.cache_mem_mib = field.whole(t)?,
            F::Proxy => self.proxy = field.choice(t)?,
            F::Platform => self.platform = field.choice(t)?,
            F::Workload => self.workload = field.choice(t)?,
            F::CpuMs => self.cpu_ms = self.per_class(field, t)?,
            F::WaitMs => self.wait_ms = self.per_class(field, t)?,
            F::Overhead => self.overhead_ms = field.optional(t, Field::number)?,
            F::Concurrency => self.concurrency = field.optional(t, Field::whole)?,
            F::Workers => self.workers = field.optional(t, Field::whole)?,
            F::Cv => {
                (self.cv, self.cv_each) = self.each(field, t)?;
                self.settle();
            }
            F::PgVersion => self.pg_version = field.whole(t)?,
            F::AppCidr => self.app_cidr = field.list(t)?,
            F::ServerName => self.server_name = field.list(t)?,
            F::LbCidr => self.lb_cidr = field.list(t)?,
            F::CachePaths => self.cache_paths = field.list(t)?,
            F::DbCpu => self.db_cpu_ms = field.optional(t, Field::number)?,
            F::PgbouncerPool => self.pgbouncer_pool = field.optional(t, Field::whole)?,
            F::DbMaxConnections => self.db_max_connections = field.optional(t, Field::whole)?,
            F::Spare => self.spare = field.whole(t)?,
            F::Peak => self.peak = field.number(t)?,
            F::UslSigma => self.usl_sigma = field.number(t)?,
            F::UslKappa => self.usl_kappa = field.number(t)?,
            F::Measured => self.measured = field.text(t)?,
            F::CostCoreH => self.cost_core_h = field.number(t)?,
            F::CostGibH => self.cost_gib_h = field.number(t)?,
            F::DaemonsetCpu => self.daemonset_cpu_m = field.whole(t)?,
            F::DaemonsetMem => self.daemonset_mem_mib = field.whole(t)?,
            F::MaxPods => self.max_pods = field.whole(t)?,
            F::PodCpu => self.pod_cpu = field.number(t)?,
            F::PodMem => self.pod_mem_gib = field.number(t)?,
        }
        Ok(())
    }

    /// The field's value as text, in the form [`Plan::set`] reads ("" for None).
    pub fn get(&self, field: Field) -> String {
        let mut text = String::new();
        self.write_value(field, &mut text);
        text
    }

    /// [`Plan::get`] appended to `out`.
    pub fn write_value(&self, field: Field, out: &mut String) {
        self.value(field).write(out);
    }

    /// Checks one field's range (and the mix's sum).
    fn check(&self, field: Field) -> Option<FieldError> {
        use Field as F;
        let r = |x: f64| field.in_range(x);
        match field {
            F::Name => field.check_name(&self.name).or_else(|| self.k8s_name_too_long(field)),
            F::Platform => self.k8s_name_too_long(field),
            F::Cores => r(self.cores as f64),
            F::Ram => r(self.ram_gib),
            F::Replicas => r(self.replicas as f64),
            F::Threads => self.threads.and_then(|x| r(x as f64)),
            F::Mix => {
                let pct = &self.mix_pct[..self.class_count];
                pct.iter().find_map(|&x| r(x as f64)).or_else(|| field.sums_to_100(pct))
            }
            F::Rps => r(self.target_rps),
            F::P95 => self.each_in_range(field, self.p95_objective_ms, &self.p95_each),
            F::WorkerMem => r(self.worker_mem_mib as f64),
            F::DbCores => r(self.db_cores as f64),
            F::DbRam => r(self.db_ram_gib),
            F::DbShare => r(self.db_share_pct),
            F::DbHold => r(self.db_hold_ms),
            F::CacheMem => r(self.cache_mem_mib as f64),
            F::CpuMs => self.cpu_ms[..self.class_count].iter().find_map(|&x| r(x)),
            F::WaitMs => self.wait_ms[..self.class_count].iter().find_map(|&x| r(x)),
            F::Overhead => self.overhead_ms.and_then(r),
            F::Concurrency => self.concurrency.and_then(|x| r(x as f64)),
            F::Workers => self.workers.and_then(|x| r(x as f64)),
            F::Cv => self.each_in_range(field, self.cv, &self.cv_each),
            F::PgVersion => r(self.pg_version as f64),
            F::AppCidr => field.check_list(&self.app_cidr),
            F::ServerName => field.check_list(&self.server_name),
            F::LbCidr => field.check_list(&self.lb_cidr),
            F::CachePaths => field.check_list(&self.cache_paths),
            F::DbCpu => self.db_cpu_ms.and_then(r).or_else(|| self.db_cpu_over_hold()),
            F::PgbouncerPool => self.pgbouncer_pool.and_then(|x| r(x as f64)),
            F::DbMaxConnections => self.db_max_connections.and_then(|x| r(x as f64)),
            F::Spare => r(self.spare as f64).or_else(|| self.spare_not_below_replicas()),
            F::Peak => r(self.peak),
            F::UslSigma => r(self.usl_sigma),
            F::UslKappa => r(self.usl_kappa),
            F::Measured => field.check_note(&self.measured),
            F::CostCoreH => r(self.cost_core_h),
            F::CostGibH => r(self.cost_gib_h),
            F::DaemonsetCpu => r(self.daemonset_cpu_m as f64),
            F::DaemonsetMem => r(self.daemonset_mem_mib as f64),
            F::MaxPods => r(self.max_pods as f64),
            F::PodCpu => r(self.pod_cpu),
            F::PodMem => r(self.pod_mem_gib),
            F::Tier
            | F::Classes
            | F::Storage
            | F::Server
            | F::Framework
            | F::Db
            | F::DbHost
            | F::DbStorage
            | F::Pgbouncer
            | F::Cache
            | F::Proxy
            | F::Workload => None,
        }
    }

    /// A database request's CPU runs while it holds its connection: never longer than the hold.
    fn db_cpu_over_hold(&self) -> Option<FieldError> {
        let cpu = self.db_cpu_ms?;
        (cpu > self.db_hold_ms).then(|| FieldError {
            field: Field::DbCpu,
            value: shortest(cpu),
            message: format!(
                "{} ms is more than the connection hold time ({} ms): the queries' CPU is part of that hold; lower it or raise db_hold_ms",
                shortest(cpu),
                shortest(self.db_hold_ms)
            ),
        })
    }

    /// The fleet must keep at least one node after losing its spares.
    fn spare_not_below_replicas(&self) -> Option<FieldError> {
        (self.spare >= self.replicas.max(1)).then(|| FieldError {
            field: Field::Spare,
            value: self.spare.to_string(),
            message: format!(
                "{} must be below the nodes / replicas ({}): a fleet that may lose every node serves nothing",
                super::figure::replicas(self, self.spare),
                self.replicas
            ),
        })
    }

    /// Fields whose check reads another field: rechecked whenever any field is set.
    const LINKED: [Field; 2] = [Field::DbCpu, Field::Spare];

    /// On Kubernetes the service name names objects with a suffix (`<name>-pgbouncer`, 10
    /// characters), and an object's name or label is at most 63 characters: 53 for the name.
    fn k8s_name_too_long(&self, field: Field) -> Option<FieldError> {
        (self.platform == Platform::K8s && self.name.len() > MAX_K8S_NAME).then(|| FieldError {
            field,
            value: self.name.clone(),
            message: format!(
                "on Kubernetes the service name is at most {MAX_K8S_NAME} characters ({} now): its objects add up to 10 ('-pgbouncer') within Kubernetes's 63",
                self.name.len()
            ),
        })
    }

    /// A plan built from the default by [`Plan::set`], as the form builds one (tests).
    #[cfg(test)]
    #[track_caller]
    pub(crate) fn from_sets(sets: &[(Field, &str)]) -> Plan {
        let mut p = Plan::default();
        for &(f, v) in sets {
            p.set(f, v).unwrap_or_else(|e| panic!("{e}"));
        }
        p
    }

    /// Every problem of the plan, one per field. The one validation used everywhere.
    pub fn validate(&self) -> Vec<FieldError> {
        Field::ALL.iter().filter_map(|&f| self.check(f)).collect()
    }

    pub fn has_db(&self) -> bool {
        self.db == Database::Postgres
    }

    pub fn has_cache(&self) -> bool {
        self.cache == Cache::Redis
    }

    pub fn has_proxy(&self) -> bool {
        self.proxy == Proxy::Nginx
    }

    /// RAM of the app node, MiB.
    pub fn ram_mib(&self) -> f64 {
        self.ram_gib * 1024.0
    }
}

mod classes;
#[cfg(test)]
mod tests;
mod value;

pub use value::Value;
